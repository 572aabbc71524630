#!/usr/bin/env python3
"""Writes Sources/FolioServer/Resources/static/openapi.json, the OpenAPI 3 description of
/api/v1. Kept as code so the shared error responses and schemas are written once; the test
stage checks every route of a live Folio against the written file with schemathesis."""
import json, os, sys

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def ok(desc, schema=None, status="200"):
    r = {"description": desc}
    if schema: r["content"] = {"application/json": {"schema": schema}}
    return {status: r}

COMMON = {"400": err("malformed request"), "401": err("missing or invalid API key"),
          "403": err("the key lacks the scope, the user the role, or the item cannot be changed (a root folder)"), "404": err("no such item"),
          "503": {**err("a store Folio needs (the object store, the database server) does not answer; try again"),
                  "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}}}
def responses(*pairs, extra=()):
    r = {}
    for p in pairs: r.update(p)
    for code in ("400", "401", "403", "404", "503") + tuple(extra):
        r.setdefault(code, COMMON.get(code) or err({"409": "conflict (a name taken, the file locked by an editor)",
            "412": "If-Match does not match", "413": "the body is larger than the upload limit",
            "416": "the range cannot be served", "422": "no configured editor can open the file"}[code]))
    return r
def path_param(name, desc): return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "description": desc}
def body(schema): return {"required": True, "content": {"application/json": {"schema": schema}}}
BINARY = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}

# A file or folder name as the server takes it (FileName.clean): everything up to the last "/"
# or "\" is dropped, invisible controls (C0, DEL, C1, bidi embeddings and isolates) are removed,
# whitespace is trimmed at both ends and dots at the end; < > : " | ? * become "_"; a name too
# long is shortened. Refused (400 invalid_name) only when nothing is left, so the pattern asks
# for one character after the last slash that is none of those.
NAME_DROPPED = (r"\u0000-\u0020\u002e\u002f\u005c\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029"
                r"\u202a-\u202f\u205f\u2066-\u2069\u3000")
NAME = {"type": "string", "pattern": r"^(?:[^/\\]*[/\\])*[^/\\]*[^" + NAME_DROPPED + r"][^/\\]*$",
        "description": "Cleaned, not refused: the part after the last / or \\, without control characters and "
                       "surrounding whitespace or trailing dots, with < > : \" | ? * made _, shortened when too long. "
                       "400 invalid_name when nothing is left."}
# A document's path in a space as the server takes it (SpacePath): "/" and names, none of them
# empty, "." or "..", none holding a backslash, a percent-encoded sequence ("%" and two hex
# digits: paths are sent decoded) or a control
# character. Names are at most 255 bytes; the pattern checks 63 characters (4 bytes at most
# each), so every path it admits is one the server takes.
SPACE_PATH = {"type": "string",
              "pattern": r"^(?:/(?!\.\.?(?:/|$))(?:[^/\\%\u0000-\u001f\u007f-\u009f]|%(?![0-9A-Fa-f]{2})){1,63})+$",
              "description": "the document's path in the space, e.g. /Reports/q3.docx; names of up to 255 bytes, "
                             "without . or .., backslashes, percent-encoded sequences (%XX) or control characters "
                             "(400 otherwise)"}
id_ = path_param("id", "file or folder id")
ext = path_param("externalId", "the application's id for the user: 1 to 200 bytes on one line")
author = {"name": "X-Folio-User", "in": "header", "required": False, "schema": {"type": "string"},
          "description": "the external id of the user the write is made for"}
def header(pattern, desc): return {"required": True, "description": desc, "schema": {"type": "string", "pattern": pattern}}
ETAG = header(r'^"v[0-9]+"$', 'strong: "v" and the version number')
DISPOSITION = header(r"^attachment; filename\*=UTF-8''", "attachment, with the file's name (RFC 5987)")
ACCEPT_RANGES = header(r"^bytes$", "one byte range may be asked for")
content_response = {"200": {"description": "the content", **BINARY,
                            "headers": {"ETag": ETAG, "Accept-Ranges": ACCEPT_RANGES, "Content-Disposition": DISPOSITION}},
                    "206": {"description": "the requested range", **BINARY,
                            "headers": {"ETag": ETAG, "Accept-Ranges": ACCEPT_RANGES, "Content-Disposition": DISPOSITION,
                                        "Content-Range": header(r"^bytes [0-9]+-[0-9]+/[0-9]+$", "the range sent, of the whole size")}},
                    "304": {"description": "If-None-Match matched", "headers": {"ETag": ETAG}},
                    "416": {**err("the range cannot be served"),
                            "headers": {"Content-Range": header(r"^bytes \*/[0-9]+$", "the size of the content")}}}
range_params = [{"name": "Range", "in": "header", "required": False, "schema": {"type": "string"}},
                {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}]

paths = {
  "/api/v1/openapi.json": {
    "get": {"operationId": "getOpenAPI", "summary": "This description of the API", "security": [],
            "responses": ok("the OpenAPI document", {"type": "object", "required": ["openapi", "paths"]})}},
  "/api/v1/users/{externalId}": {
    "parameters": [ext],
    "put": {"operationId": "putUser", "summary": "Create or rename a user known by the application's id",
            "requestBody": body(ref("UserBody")), "responses": responses(ok("the user", ref("User")))},
    "get": {"operationId": "getUser", "summary": "A user by external id", "responses": responses(ok("the user", ref("User")))}},
  "/api/v1/folders": {
    "post": {"operationId": "createFolder", "summary": "Create a folder", "requestBody": body(ref("FolderBody")),
             "responses": responses(ok("the folder", ref("Folder"), "201"), extra=("409",))}},
  "/api/v1/folders/{id}": {
    "parameters": [id_],
    "get": {"operationId": "getFolder", "responses": responses(ok("the folder", ref("Folder")))},
    "patch": {"operationId": "updateFolder", "summary": "Rename or move a folder", "requestBody": body(ref("UpdateBody")),
              "responses": responses(ok("the folder", ref("Folder")), extra=("409",))},
    "delete": {"operationId": "deleteFolder", "summary": "Move a folder to the trash",
               "responses": responses({"204": {"description": "deleted"}})}},
  "/api/v1/folders/{id}/children": {
    "parameters": [id_,
      {"name": "offset", "in": "query", "required": False,
       "schema": {"type": "integer", "minimum": 0, "maximum": 9223372036854775807}},
      {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
    "get": {"operationId": "listChildren", "summary": "A page of a folder's children, folders first, by name",
            "responses": responses(ok("the page", ref("Children")))}},
  "/api/v1/folders/{id}/files": {
    "parameters": [id_, {"name": "name", "in": "query", "required": True, "schema": NAME}, author],
    "post": {"operationId": "createFile", "summary": "Upload a new file (streamed)",
             "requestBody": {"required": True, **BINARY},
             "responses": responses(ok("the file", ref("File"), "201"), extra=("409", "413"))}},
  "/api/v1/files/{id}": {
    "parameters": [id_],
    "get": {"operationId": "getFile", "responses": responses(ok("the file", ref("File")))},
    "patch": {"operationId": "updateFile", "summary": "Rename or move a file", "requestBody": body(ref("UpdateBody")),
              "responses": responses(ok("the file", ref("File")), extra=("409",))},
    "delete": {"operationId": "deleteFile", "summary": "Move a file to the trash",
               "responses": responses({"204": {"description": "deleted"}}, extra=("409",))}},
  "/api/v1/files/{id}/content": {
    "parameters": [id_],
    "get": {"operationId": "getContent", "summary": "Download the current content",
            "parameters": range_params, "responses": responses(content_response, extra=("416",))},
    "put": {"operationId": "putContent", "summary": "Replace the content: a new version",
            "parameters": [author, {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"}}],
            "requestBody": {"required": True, **BINARY},
            "responses": responses(ok("the file", ref("File")), extra=("409", "412", "413"))}},
  "/api/v1/files/{id}/versions": {
    "parameters": [id_],
    "get": {"operationId": "listVersions", "responses": responses(ok("the versions, oldest first", ref("VersionList")))}},
  "/api/v1/files/{id}/versions/{number}/content": {
    "parameters": [id_, path_param("number", "version number")],
    "get": {"operationId": "getVersionContent", "parameters": range_params,
            "responses": responses(content_response, extra=("416",))}},
  "/api/v1/files/{id}/pdf": {
    "parameters": [id_],
    "get": {"operationId": "getPdf", "summary": "The file (or one version) as a PDF, made by LibreOffice in a sandbox",
            "description": "Made once per content and kept; a document that cannot be converted is 422 every time it is asked, without trying again. 503 with Retry-After when every conversion worker is busy and the queue is full.",
            "parameters": [{"name": "version", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}, "description": "a version number (default: the current one)"}],
            "responses": responses({"200": {"description": "the PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}},
                                   {"422": err("the document cannot be converted (the reason says why)")}, extra=("422",))}},
  "/api/v1/files/{id}/thumbnail": {
    "parameters": [id_],
    "get": {"operationId": "getThumbnail", "summary": "The first page (slide, sheet) as a PNG",
            "parameters": [{"name": "version", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}, "description": "a version number (default: the current one)"},
                           {"name": "size", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 16, "maximum": 2048}, "description": "the longer side in pixels (default 256)"}],
            "responses": responses({"200": {"description": "the thumbnail", "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}},
                                   {"422": err("the document cannot be converted (the reason says why)")}, extra=("422",))}},
  "/api/v1/files/{id}/convert": {
    "parameters": [id_],
    "post": {"operationId": "convertFile", "summary": "A new file beside this one, in another format",
             "description": "Legacy and foreign formats to Office Open XML or OpenDocument (.doc, .rtf, .txt to .docx or .odt; .xls, .csv to .xlsx or .ods; .ppt to .pptx or .odp; and OpenDocument and Office Open XML to each other), made by LibreOffice in a sandbox from the current version. The new file is made by the X-Folio-User user (default: the file's owner), who needs the edit role on the folder; a taken name gets a number. Not for documents in a space.",
             "parameters": [author],
             "requestBody": body(ref("ConvertBody")),
             "responses": responses(ok("the new file", ref("File"), "201"),
                                    {"422": err("the document cannot be converted (the reason says why)")}, extra=("422",))}},
  "/api/v1/files/{id}/lock": {
    "parameters": [id_],
    "get": {"operationId": "getLock", "summary": "The lock an editor holds on the file, and who took it",
            "responses": responses(ok("the lock in force (404: the file is not locked)", ref("Lock")))},
    "delete": {"operationId": "breakLock", "summary": "Break a lock an editor left behind",
               "description": "Releases the lock in force as its editor's Unlock would; webhooks hear lock.changed with broken=true and by=api:KEY. A save the editor sends later under that lock is kept as a conflict copy beside the file, and the editor is answered 409 with the reason. Not for documents in a space.",
               "responses": responses({"204": {"description": "broken"}}, extra=("409",))}},
  "/api/v1/files/{id}/sessions": {
    "parameters": [id_],
    "post": {"operationId": "createSession", "summary": "Open an editing session for a user",
             "requestBody": body(ref("SessionBody")), "responses": responses(ok("the session", ref("Session"), "201"), extra=("422",))}},
  "/api/v1/spaces/{name}/sessions": {
    "parameters": [path_param("name", "the space's name, as configured (--space NAME=KIND:LOCATION)")],
    "post": {"operationId": "createSpaceSession", "summary": "Open an editing session on a document of a space",
             "description": "The document is found by its path in the space; the user is given the role asked for (default edit) on it: the calling application decides. The answer is that of createSession, with the file id the document keeps for as long as it exists.",
             "requestBody": body(ref("SpaceSessionBody")), "responses": responses(ok("the session", ref("Session"), "201"), extra=("422",))}},
  "/api/v1/webhooks": {
    "get": {"operationId": "listWebhooks", "responses": responses(ok("the webhooks", ref("WebhookList")))},
    "post": {"operationId": "createWebhook", "requestBody": body(ref("WebhookBody")),
             "responses": responses(ok("the webhook, with its secret (shown once)", ref("Webhook"), "201"))}},
  "/api/v1/webhooks/{id}": {
    "parameters": [path_param("id", "webhook id")],
    "delete": {"operationId": "deleteWebhook", "responses": responses({"204": {"description": "removed"}})}},
  "/api/v1/webhooks/{id}/deliveries": {
    "parameters": [path_param("id", "webhook id")],
    "get": {"operationId": "listDeliveries", "responses": responses(ok("the newest 200 deliveries", ref("DeliveryList")))}},
}
for kind in ("files", "folders"):
    paths[f"/api/v1/{kind}/{{id}}/grants/{{externalId}}"] = {
        "parameters": [id_, ext],
        "put": {"operationId": f"grant{kind.title()}", "summary": "Give a user a role",
                "requestBody": body(ref("GrantBody")), "responses": responses({"204": {"description": "granted"}})},
        "delete": {"operationId": f"revoke{kind.title()}", "summary": "Take a user's role back",
                   "responses": responses({"204": {"description": "revoked"}})}}

S, I, B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
def obj(props, required=None): return {"type": "object", "properties": props, "required": required if required is not None else list(props), "additionalProperties": False}
# Request bodies: the server decodes the properties it knows and ignores any others (forward
# compatible clients), so the schema says so rather than promising a 400 it never sends.
def request_obj(props, required=None):
    return {**obj(props, required), "additionalProperties": True,
            "description": "Properties not listed here are ignored."}
schemas = {
  "Error": obj({"error": obj({"code": S, "message": S})}),
  # A display name needs one character that is not white space (the server trims it).
  "UserBody": request_obj({"displayName": {"type": "string", "minLength": 1, "maxLength": 200,
                                           "pattern": "[^\\s\\u0085]"}}),
  "User": obj({"id": S, "externalId": S, "displayName": S, "rootFolderId": S}, ["id", "displayName", "rootFolderId"]),
  "FolderBody": request_obj({"name": NAME, "parentId": {"type": "string", "minLength": 1}}),
  "UpdateBody": request_obj({"name": NAME,
                             "folderId": {"type": "string", "description": "where a file (or a folder, without parentId) moves"},
                             "parentId": {"type": "string", "description": "where a folder moves; files ignore it"}}, []),
  "Folder": obj({"id": S, "name": S, "parentId": S, "ownerId": S, "modifiedAt": S}, ["id", "name", "ownerId", "modifiedAt"]),
  "ConvertBody": obj({"format": {"type": "string", "enum": ["docx", "xlsx", "pptx", "odt", "ods", "odp"]}}, ["format"]),
  "Lock": obj({"fileId": S, "lockId": S, "expiresAt": S, "holder": S, "takenAt": S, "editor": {"type": "string", "enum": ["collabora", "microsoft", "onlyoffice"]}}, ["fileId", "lockId", "expiresAt"]),
  "File": obj({"id": S, "name": S, "folderId": S, "ownerId": S, "size": I, "version": I, "sha256": S, "modifiedAt": S, "etag": S}),
  "Item": obj({"kind": {"type": "string", "enum": ["folder", "file"]}, "id": S, "name": S, "size": I, "version": I, "modifiedAt": S}, ["kind", "id", "name", "size", "modifiedAt"]),
  "Children": obj({"items": {"type": "array", "items": ref("Item")}, "total": I}),
  "Version": obj({"number": I, "size": I, "sha256": S, "authorId": S, "createdAt": S, "source": {"type": "string", "enum": ["upload", "wopi", "onlyoffice", "restore", "outside"]}, "editors": {"type": "array", "items": S}}),
  "VersionList": obj({"items": {"type": "array", "items": ref("Version")}}),
  "GrantBody": request_obj({"role": {"type": "string", "enum": ["view", "comment", "edit"]}}),
  "SessionBody": request_obj({"user": {"type": "string", "minLength": 1}, "role": {"type": "string", "enum": ["view", "comment", "edit"]},
                      "editor": {"type": "string", "enum": ["collabora", "microsoft", "onlyoffice"]},
                      "language": S, "action": {"type": "string", "enum": ["edit", "view"]}}, ["user"]),
  "SpaceSessionBody": request_obj({"path": SPACE_PATH,
                      "user": {"type": "string", "minLength": 1}, "role": {"type": "string", "enum": ["view", "comment", "edit"]},
                      "editor": {"type": "string", "enum": ["collabora", "microsoft", "onlyoffice"]},
                      "language": S, "action": {"type": "string", "enum": ["edit", "view"]}}, ["path", "user"]),
  # A WOPI editor's session, with ONLYOFFICE's signed configuration too when its own API is
  # configured and opens the file; or, when only ONLYOFFICE's own API opens it, that alone.
  "Session": {"oneOf": [
      obj({"editor": {"type": "string", "enum": ["collabora", "microsoft", "onlyoffice"]}, "action": S, "actionUrl": S,
           "accessToken": S, "accessTokenTtl": I, "wopiSrc": S, "hostPageUrl": S, "favIconUrl": S, "onlyOffice": ref("OnlyOfficeConfig"),
           "fileId": S},
          ["editor", "action", "actionUrl", "accessToken", "accessTokenTtl", "wopiSrc", "hostPageUrl"]),
      obj({"editor": {"type": "string", "const": "onlyoffice-native"}, "action": {"type": "string", "enum": ["edit", "view"]},
           "onlyOffice": ref("OnlyOfficeConfig"), "fileId": S}, ["editor", "action", "onlyOffice"])]},
  "OnlyOfficeConfig": {**obj({
      "documentType": {"type": "string", "enum": ["word", "cell", "slide", "pdf"]},
      "document": obj({"fileType": S, "key": S, "title": S, "url": S,
                       "permissions": obj({k: B for k in ("edit", "comment", "review", "download", "print", "copy")})}),
      "editorConfig": obj({"callbackUrl": S, "mode": {"type": "string", "enum": ["edit", "view"]}, "lang": S,
                           "user": obj({"id": S, "name": S}), "customization": obj({"forcesave": B})}),
      "token": S}), "description": "the configuration for ONLYOFFICE's new DocsAPI.DocEditor(…), signed (token)"},
  "WebhookBody": request_obj({"url": {"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]", "description": "an absolute http or https URL with a host"}, "events": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": ["file.created", "file.saved", "file.renamed", "file.deleted", "lock.changed"]}}}),
  "Webhook": obj({"id": S, "url": S, "events": {"type": "array", "items": S}, "createdAt": S, "secret": S}, ["id", "url", "events", "createdAt"]),
  "WebhookList": obj({"items": {"type": "array", "items": ref("Webhook")}}),
  "Delivery": obj({"id": S, "webhookId": S, "event": S, "createdAt": S, "attempts": I, "status": {"type": "string", "enum": ["pending", "delivered", "failed"]}, "lastStatus": I, "lastError": S}, ["id", "webhookId", "event", "createdAt", "attempts", "status"]),
  "DeliveryList": obj({"items": {"type": "array", "items": ref("Delivery")}}),
}
doc = {"openapi": "3.1.0",
       "info": {"title": "Folio application API", "version": "1.0.0",
                "description": "Embed document editing in your application: users by your own ids, files and folders, grants, editing sessions and webhooks. Authenticate with an API key: Authorization: Bearer folio_…"},
       "servers": [{"url": "/"}],
       "security": [{"apiKey": []}],
       "paths": paths,
       "components": {"schemas": schemas,
                      "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer", "description": "an API key made with `folio apikey create`"}}}}
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../Sources/FolioServer/Resources/static/openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, indent=1, sort_keys=True)
    f.write("\n")

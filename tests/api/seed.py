#!/usr/bin/env python3
"""Seeds a fresh Folio through /api/v1 so that schemathesis's generated requests can reach real
objects, and prints the schemathesis dictionaries (TOML) naming them.

usage: seed.py BASE_URL WEBHOOK_SINK_URL   (the API key in $FOLIO_API_KEY)

Made here: users u1 (owner of everything) and u2 (a grantee); in u1's root folder a folder
"Docs" holding report.docx at version 2 (u2 may view it) and picture.png (no editor opens it),
and an empty notes.txt; throw-away folders and files for the DELETE operations to use up; a
webhook posting to WEBHOOK_SINK_URL (so it has deliveries) and a throw-away one. Every call must
answer with the status the API documents.
"""
import json
import os
import sys
import urllib.error
import urllib.request

BASE, SINK = sys.argv[1].rstrip("/") + "/api/v1", sys.argv[2]
KEY = os.environ["FOLIO_API_KEY"]


def call(method, path, expected, body=None, raw=None, headers=()):
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + KEY)
    req.add_header("Content-Type", "application/octet-stream" if raw is not None else "application/json")
    for name, value in headers:
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, text = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    if status != expected:
        sys.exit(f"seed: {method} {path}: {status}, expected {expected}: {text[:300]!r}")
    return json.loads(text) if text else None


u1 = call("PUT", "/users/u1", 200, {"displayName": "User One"})
call("PUT", "/users/u2", 200, {"displayName": "User Two"})
root = u1["rootFolderId"]
docs = call("POST", "/folders", 201, {"name": "Docs", "parentId": root})["id"]
report = call("POST", f"/folders/{docs}/files?name=report.docx", 201, raw=b"Folio report, version 1\n")["id"]
call("PUT", f"/files/{report}/content", 200, raw=b"Folio report, version 2 (a little longer)\n",
     headers=[("If-Match", '"v1"'), ("X-Folio-User", "u1")])
call("PUT", f"/files/{report}/grants/u2", 204, {"role": "view"})
notes = call("POST", f"/folders/{root}/files?name=notes.txt", 201, raw=b"")["id"]  # empty, in the root
picture = call("POST", f"/folders/{docs}/files?name=picture.png", 201, raw=b"\x89PNG\r\n")["id"]  # no editor opens it
spare_folders = [call("POST", "/folders", 201, {"name": f"Spare {i}", "parentId": root})["id"] for i in range(1, 6)]
spare_files = [call("POST", f"/folders/{docs}/files?name=spare-{i}.docx", 201, raw=b"spare\n")["id"]
               for i in range(1, 6)]
hook = call("POST", "/webhooks", 201, {"url": SINK, "events": ["file.created", "file.saved", "file.renamed",
                                                                 "file.deleted", "lock.changed"]})["id"]
spare_hook = call("POST", "/webhooks", 201, {"url": SINK, "events": ["file.saved"]})["id"]
call("PUT", f"/files/{notes}/content", 200, raw=b"notes\n")  # an event for the webhook's log
call("GET", f"/webhooks/{hook}/deliveries", 200)


def dictionary(name, values):
    print(f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n")


print("# Written by tests/api/seed.py for this run: the ids of the seeded objects.")
dictionary("users", ["u1", "u2"])
dictionary("files", [report, notes, picture])
dictionary("folders", [root, docs])
dictionary("spare_files", spare_files)
dictionary("spare_folders", spare_folders)
dictionary("webhooks", [hook])
dictionary("spare_webhooks", [spare_hook])
dictionary("versions", ["1", "2"])
dictionary("etags", ['"v1"', '"v2"', "*"])
dictionary("ranges", ["bytes=0-4", "bytes=5-", "bytes=-3", "bytes=0-0", "bytes=1000-", "bytes=0-1,3-4"])
print(f"api: seeded root folder {root}, Docs {docs}, report.docx {report}, notes.txt {notes}, webhook {hook}",
      file=sys.stderr)

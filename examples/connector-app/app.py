#!/usr/bin/env python3
"""A complete, small application serving Folio's connector contract from a folder.

    python3 app.py --root DIR --secret-file FILE [--host 127.0.0.1] [--port 8790]
                   [--prefix /folio] [--max-size BYTES]

The contract is docs/connector-contract.md. Python 3.10+ standard library only. The code is in
three parts an integrator can take apart: signing (check_signature), paths (parse_target),
and the storage (FolderStorage: replace it with your own and keep its method contracts).
"""

import argparse
import errno
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
CLOCK_SKEW_SECONDS = 300
CHUNK = 1024 * 1024
STAGING_PREFIX = ".folio-"  # the same as Folio's folder spaces: both hide and skip these
MAX_JSON_BODY = 64 * 1024
ACTIONS = {"", "meta", "list", "move", "mkdir"}


class Refusal(Exception):
    """An answer of 400 or above: {"error": {"code", "message"}} plus `extra` members."""

    def __init__(self, status, code, message, extra=None, error_extra=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.extra = extra or {}
        self.error_extra = error_extra or {}
        self.headers = headers or {}

    def body(self):
        error = {"code": self.code, "message": self.message, **self.error_extra}
        return json.dumps({"error": error, **self.extra}).encode()


# ---- signing ------------------------------------------------------------------------------


def string_to_sign(method, target, timestamp, content_sha256):
    return "\n".join(["v1", method, target, timestamp, content_sha256])


def sign(secret, method, target, timestamp, content_sha256):
    """The X-Folio-Signature value for a request (what Folio sends)."""
    message = string_to_sign(method, target, timestamp, content_sha256).encode()
    return "v1=" + hmac.new(secret, message, hashlib.sha256).hexdigest()


def is_hex(text, length):
    return len(text) == length and all(c in "0123456789abcdef" for c in text)


def check_signature(secret, method, target, headers, now=None):
    """Refuses (401) a request whose signing headers are missing, stale or wrong; returns the
    signed body hash, which the body must match once it has arrived. `target` is the request
    target exactly as received."""
    timestamp = headers.get("X-Folio-Timestamp")
    content_sha256 = headers.get("X-Folio-Content-SHA256")
    signature = headers.get("X-Folio-Signature")
    if timestamp is None or content_sha256 is None or signature is None:
        raise Refusal(401, "unauthenticated", "the request is not signed (X-Folio-Timestamp, "
                      "X-Folio-Content-SHA256 and X-Folio-Signature are required)")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise Refusal(401, "unauthenticated", "X-Folio-Timestamp is not Unix seconds")
    if not is_hex(content_sha256, 64):
        raise Refusal(401, "unauthenticated", "X-Folio-Content-SHA256 is not 64 lowercase hex digits")
    if not signature.startswith("v1=") or not is_hex(signature[3:], 64):
        raise Refusal(401, "unauthenticated", "X-Folio-Signature is not v1= and 64 lowercase hex digits")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > CLOCK_SKEW_SECONDS:
        raise Refusal(401, "staleTimestamp", "X-Folio-Timestamp is more than %d seconds off this "
                      "server's clock (replayed, or a clock out of time)" % CLOCK_SKEW_SECONDS)
    expected = sign(secret, method, target, timestamp, content_sha256)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise Refusal(401, "badSignature", "the signature does not verify (check the space's secret)")
    return content_sha256


# ---- paths --------------------------------------------------------------------------------

HEX = set("0123456789abcdefABCDEF")


def decode_segment(raw):
    """One URL path segment, decoded and checked (docs/connector-contract.md, Paths)."""
    i = 0
    while True:
        i = raw.find("%", i)
        if i < 0:
            break
        if len(raw) < i + 3 or raw[i + 1] not in HEX or raw[i + 2] not in HEX:
            raise Refusal(400, "badPath", "%r has a %% that is not followed by two hex digits" % raw)
        i += 3
    try:
        name = urllib.parse.unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, "badPath", "%r is not UTF-8 once decoded" % raw) from None
    problem = name_problem(name)
    if problem:
        raise Refusal(400, "badPath", "%r is not a name in a space: %s" % (raw, problem))
    return name


def name_problem(name):
    """Why `name` cannot be one segment of a path, or None."""
    if name == "":
        return "it is empty (//)"
    if name in (".", ".."):
        return "it is . or .."
    try:
        if len(name.encode("utf-8")) > 255:
            return "it is longer than 255 bytes"
    except UnicodeEncodeError:  # a name on disk that is not UTF-8
        return "it is not UTF-8"
    for ch in name:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code < 0xA0:
            return "it has a control character"
        if ch in "/\\":
            return "it has a slash or a backslash"
    if name.startswith(STAGING_PREFIX):
        return "names starting with %s are this application's temporary files" % STAGING_PREFIX
    return None


def parse_path(prefix, raw_path):
    """The names of a request path below `prefix` ('' or '/x/y'); a single final / is allowed."""
    if not raw_path.startswith(prefix + "/"):
        raise Refusal(404, "notFound", "%s is not below %s/" % (raw_path, prefix))
    rest = raw_path[len(prefix) + 1:]
    if rest.endswith("/"):
        rest = rest[:-1]
    return [] if rest == "" else [decode_segment(part) for part in rest.split("/")]


def parse_target(prefix, target):
    """(names, action) of a request target as received: the path and one action word."""
    raw_path, _, query = target.partition("?")
    if query not in ACTIONS:
        raise Refusal(400, "badRequest", "the query must be empty or one of meta, list, move, mkdir")
    return parse_path(prefix, raw_path), query


def display(names):
    return "/" + "/".join(names)


# ---- storage ------------------------------------------------------------------------------


class ParentMissing(Exception):
    pass


def etag_of(info):
    # Strong and new on every change: a replace by rename gives a new inode, and the
    # modification time has nanoseconds.
    return '"%x-%x-%x"' % (info.st_ino, info.st_size, info.st_mtime_ns)


def metadata(name, info):
    folder = stat.S_ISDIR(info.st_mode)
    return {"name": name, "isFolder": folder, "size": 0 if folder else info.st_size,
            "modifiedAt": info.st_mtime_ns // 1_000_000, "etag": etag_of(info)}


class FolderLock:
    """An exclusive flock on a folder: every compare-and-set in it takes this lock (as Folio's
    own folder spaces do), so two writers never interleave their compare and their rename."""

    def __init__(self, folder):
        self.folder = folder

    def __enter__(self):
        self.fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *_):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def sync_folder(folder):
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FolderStorage:
    """The contract's operations on a directory tree. To serve other storage, write a class
    with the same methods; each raises Refusal for the answers the contract names."""

    def __init__(self, root):
        self.root = os.path.realpath(root, strict=True)
        if not os.path.isdir(self.root):
            raise SystemExit("--root %s is not a folder" % root)

    def inside(self, real):
        return real == self.root or real.startswith(self.root.rstrip("/") + "/")

    def locate(self, names):
        """The real path of `names`, every link on the way resolved and kept inside the root.
        The last name may be missing; its folder must exist (ParentMissing otherwise)."""
        if not names:
            return self.root
        try:
            parent = os.path.realpath(os.path.join(self.root, *names[:-1]), strict=True)
        except OSError:
            raise ParentMissing() from None
        if not self.inside(parent):
            raise Refusal(400, "badPath", "%s leads outside the space" % display(names))
        if not os.path.isdir(parent):
            raise ParentMissing()
        full = os.path.join(parent, names[-1])
        if os.path.islink(full):
            try:
                target = os.path.realpath(full, strict=True)
            except OSError:
                raise Refusal(400, "badPath", "%s is a link to nothing" % display(names)) from None
            if not self.inside(target):
                raise Refusal(400, "badPath", "%s leads outside the space" % display(names))
            return target
        return full

    def entry(self, full, name):
        """Metadata of a document or folder at a located path, or None."""
        try:
            info = os.stat(full)
        except OSError:
            return None
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            return None
        return metadata(name, info)

    def changed(self, full, names, message):
        current = self.entry(full, names[-1] if names else "") if full else None
        return Refusal(412, "changed", message, extra={"current": current})

    # -- operations

    def stat(self, names):
        try:
            full = self.locate(names)
        except ParentMissing:
            full = None
        found = self.entry(full, names[-1] if names else "") if full else None
        if found is None:
            raise Refusal(404, "notFound", "nothing at %s" % display(names))
        return found

    def open_document(self, names):
        """(file object, metadata) of a document, both from the one opened file."""
        try:
            full = self.locate(names)
            handle = open(full, "rb")
        except (ParentMissing, OSError):
            raise Refusal(404, "notFound", "nothing at %s" % display(names)) from None
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            handle.close()
            raise Refusal(404, "notFound", "%s is a folder, not a document" % display(names))
        return handle, metadata(names[-1], info)

    def stage(self, names, copy_body):
        """Stages a new content beside the document: `copy_body(file)` writes it (and checks
        it); the staged file is fsynced. Returns (folder, staged path)."""
        if not names:
            raise Refusal(400, "badPath", "the root of a space is not a document")
        try:
            full = self.locate(names)
        except ParentMissing:
            raise Refusal(409, "parentMissing", "the folder of %s is missing" % display(names)) from None
        folder = os.path.dirname(full)
        staged = os.path.join(folder, STAGING_PREFIX + secrets.token_hex(12) + ".part")
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as out:
                copy_body(out)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            os.unlink(staged)
            raise
        return full, folder, staged

    def commit(self, names, full, folder, staged, if_match, if_none_match):
        """Puts a staged content in place if the condition holds: compare and rename under the
        folder's lock. Returns (created, metadata)."""
        try:
            with FolderLock(folder):
                try:
                    current = os.lstat(full)
                except FileNotFoundError:
                    current = None
                if if_none_match:
                    if current is not None:
                        raise self.changed(full, names, "%s exists already" % display(names))
                    try:
                        os.link(staged, full)  # fails atomically when something appeared
                    except FileExistsError:
                        raise self.changed(full, names, "%s exists already" % display(names)) from None
                    os.unlink(staged)
                    created = True
                else:
                    if current is None or not stat.S_ISREG(current.st_mode) or etag_of(current) != if_match:
                        raise self.changed(full, names, "%s has another ETag now" % display(names))
                    os.chmod(staged, stat.S_IMODE(current.st_mode))  # the document keeps its mode
                    os.rename(staged, full)
                    created = False
                sync_folder(folder)
                return created, metadata(names[-1], os.stat(full))
        finally:
            if os.path.lexists(staged):
                os.unlink(staged)

    def move(self, names, to_names, if_match):
        if not names or not to_names:
            raise Refusal(400, "badPath", "the root of a space cannot be moved or replaced")
        try:
            source = self.locate(names)
        except ParentMissing:
            raise self.changed(None, names, "nothing at %s" % display(names)) from None
        try:
            target = self.locate(to_names)
        except ParentMissing:
            raise Refusal(409, "parentMissing", "the folder of %s is missing" % display(to_names)) from None
        folders = sorted({os.path.dirname(source), os.path.dirname(target)})
        # Both folders locked, always in the same order, so two opposite moves cannot deadlock.
        with FolderLock(folders[0]):
            with FolderLock(folders[-1]) if len(folders) > 1 else NoLock():
                try:
                    current = os.lstat(source)
                except FileNotFoundError:
                    current = None
                if current is None or not stat.S_ISREG(current.st_mode) or etag_of(current) != if_match:
                    raise self.changed(source, names, "%s is not there with that ETag" % display(names))
                try:
                    os.link(source, target)  # never replaces what is at the target
                except FileExistsError:
                    raise Refusal(409, "exists", "%s exists already" % display(to_names)) from None
                os.unlink(source)
                for folder in folders:
                    sync_folder(folder)
                return metadata(to_names[-1], os.stat(target))

    def delete(self, names, if_match):
        if not names:
            raise Refusal(400, "badPath", "the root of a space cannot be deleted")
        try:
            full = self.locate(names)
        except ParentMissing:
            raise Refusal(404, "notFound", "nothing at %s" % display(names)) from None
        folder = os.path.dirname(full)
        with FolderLock(folder):
            try:
                current = os.lstat(full)
            except FileNotFoundError:
                raise Refusal(404, "notFound", "nothing at %s" % display(names)) from None
            if not stat.S_ISREG(current.st_mode) or etag_of(current) != if_match:
                raise self.changed(full, names, "%s has another ETag now" % display(names))
            os.unlink(full)
            sync_folder(folder)

    def list(self, names):
        try:
            full = self.locate(names)
        except ParentMissing:
            full = None
        if full is None or not os.path.isdir(full):
            raise Refusal(404, "notFound", "no folder at %s" % display(names))
        entries = []
        with os.scandir(full) as items:
            for item in items:
                if name_problem(item.name):
                    continue
                if item.is_symlink():
                    try:
                        if not self.inside(os.path.realpath(item.path, strict=True)):
                            continue
                    except OSError:
                        continue
                found = self.entry(item.path, item.name)
                if found is not None:
                    entries.append(found)
        return entries

    def mkdir(self, names):
        if not names:
            raise Refusal(409, "exists", "the root exists already")
        try:
            full = self.locate(names)
        except ParentMissing:
            raise Refusal(409, "parentMissing", "the folder of %s is missing" % display(names)) from None
        try:
            os.mkdir(full)
        except FileExistsError:
            raise Refusal(409, "exists", "%s exists already" % display(names)) from None
        sync_folder(os.path.dirname(full))
        return metadata(names[-1], os.stat(full))


class NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *_):
        pass


# ---- HTTP ---------------------------------------------------------------------------------


def parse_range(text, size):
    """(first, last inclusive) of `bytes=FIRST-LAST` or `bytes=FIRST-`, cut at the end."""
    if not text.startswith("bytes=") or "," in text:
        raise Refusal(400, "badRequest", "Range must be bytes=FIRST-LAST or bytes=FIRST-")
    first, dash, last = text[6:].partition("-")
    if not dash or not first.isdigit() or (last and not last.isdigit()):
        raise Refusal(400, "badRequest", "Range must be bytes=FIRST-LAST or bytes=FIRST-")
    first = int(first)
    if last and int(last) < first:
        raise Refusal(400, "badRequest", "Range ends before it starts")
    last = int(last) if last else size - 1
    if first >= size:
        raise Refusal(416, "rangeNotSatisfiable", "the document has %d bytes" % size,
                      headers={"Content-Range": "bytes */%d" % size})
    return first, min(last, size - 1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Folio reuses connections
    server_version = "folio-connector-app/1"
    timeout = 120  # a client that stops sending is dropped, not waited for forever

    # Set on the class by main().
    storage = None
    secret = b""
    prefix = ""
    max_size = 0
    body_left = 0  # bytes of the request body not read yet

    def do_GET(self):
        self.handle_request("GET")

    def do_PUT(self):
        self.handle_request("PUT")

    def do_POST(self):
        self.handle_request("POST")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def handle_request(self, method):
        self.body_left = 0
        try:
            self.body_left = self.body_length()
            signed_sha256 = check_signature(self.secret, method, self.path, self.headers)
            names, action = parse_target(self.prefix, self.path)
            self.dispatch(method, action, names, signed_sha256)
        except Refusal as refusal:
            self.refuse(refusal)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away or stopped sending
        except OSError as error:
            self.log_error("storage error: %s", error)
            down = error.errno in (errno.EIO, errno.ENODEV, errno.ESTALE, errno.ENOTCONN)
            self.refuse(Refusal(503 if down else 500, "unavailable" if down else "internal",
                                "storage error: %s" % (error.strerror or error)))

    def body_length(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise Refusal(411, "lengthRequired", "a body must come with Content-Length, not chunked")
        text = self.headers.get("Content-Length", "0")
        if not text.isdigit():
            self.close_connection = True
            raise Refusal(400, "badRequest", "Content-Length is not a number")
        length = int(text)
        if length > self.max_size:
            self.close_connection = True
            raise Refusal(413, "tooLarge", "the body is larger than %d bytes" % self.max_size,
                          error_extra={"limit": self.max_size})
        return length

    def dispatch(self, method, action, names, signed_sha256):
        routes = {
            ("GET", "meta"): lambda: self.send_json(200, self.storage.stat(names)),
            ("GET", "list"): lambda: self.send_json(200, {"entries": self.storage.list(names)}),
            ("GET", ""): lambda: self.read(names),
            ("PUT", ""): lambda: self.write(names, signed_sha256),
            ("POST", "move"): lambda: self.move(names, signed_sha256),
            ("POST", "mkdir"): lambda: self.send_json(201, self.storage.mkdir(names)),
            ("DELETE", ""): lambda: self.delete(names),
        }
        route = routes.get((method, action))
        if route is None:
            raise Refusal(405, "methodNotAllowed", "%s with ?%s is not part of the contract" % (method, action))
        if method != "PUT" and action != "move":
            # No body expected: what came must be the signed (empty) one.
            if self.body_left > MAX_JSON_BODY:
                raise Refusal(400, "badRequest", "%s with ?%s takes no body" % (method, action))
            self.expect_body(signed_sha256, self.read_small_body(self.body_left))
        route()

    # -- operations

    def read(self, names):
        handle, meta = self.storage.open_document(names)
        with handle:
            size = meta["size"]
            headers = {"ETag": meta["etag"], "X-Folio-Size": str(size),
                       "X-Folio-Modified-At": str(meta["modifiedAt"])}
            status, first, count = 200, 0, size
            if "Range" in self.headers:
                try:
                    first, last = parse_range(self.headers["Range"], size)
                except Refusal as refusal:
                    refusal.headers.update(headers)
                    raise
                status, count = 206, last - first + 1
                headers["Content-Range"] = "bytes %d-%d/%d" % (first, last, size)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(count))
            self.end_headers()
            handle.seek(first)
            while count > 0:
                chunk = handle.read(min(CHUNK, count))
                if not chunk:  # the file shrank under us (not through the contract): cut off
                    self.close_connection = True
                    return
                self.wfile.write(chunk)
                count -= len(chunk)

    def write(self, names, signed_sha256):
        if_match = self.headers.get("If-Match")
        if_none_match = self.headers.get("If-None-Match")
        if (if_match is None) == (if_none_match is None) or (if_none_match not in (None, "*")):
            raise Refusal(428, "conditionRequired", "a PUT needs exactly one of If-Match: \"etag\" "
                          "and If-None-Match: *")
        if "Content-Length" not in self.headers:
            raise Refusal(411, "lengthRequired", "a PUT needs Content-Length")

        def copy_body(out):
            digest = hashlib.sha256()
            while self.body_left > 0:
                chunk = self.rfile.read(min(CHUNK, self.body_left))
                if not chunk:
                    self.close_connection = True
                    raise ConnectionError("the body was cut off")
                self.body_left -= len(chunk)
                digest.update(chunk)
                out.write(chunk)
            if digest.hexdigest() != signed_sha256:
                raise Refusal(400, "digestMismatch", "the body's SHA-256 is not X-Folio-Content-SHA256; "
                              "nothing was written")

        full, folder, staged = self.storage.stage(names, copy_body)
        created, meta = self.storage.commit(names, full, folder, staged, if_match, if_none_match == "*")
        self.send_json(201 if created else 200, meta)

    def move(self, names, signed_sha256):
        if_match = self.headers.get("If-Match")
        if if_match is None:
            raise Refusal(428, "conditionRequired", "a move needs If-Match: \"etag\"")
        if self.body_left > MAX_JSON_BODY:
            raise Refusal(400, "badRequest", "a move's body is at most %d bytes" % MAX_JSON_BODY)
        body = self.read_small_body(self.body_left)
        self.expect_body(signed_sha256, body)
        try:
            to = json.loads(body)["to"]
        except (ValueError, KeyError, TypeError):
            raise Refusal(400, "badRequest", 'a move\'s body is {"to": "/request/path"}') from None
        if not isinstance(to, str) or "?" in to:
            raise Refusal(400, "badRequest", '"to" is a request path without a query')
        to_names = parse_path(self.prefix, to)
        self.send_json(201, self.storage.move(names, to_names, if_match))

    def delete(self, names):
        if_match = self.headers.get("If-Match")
        if if_match is None:
            raise Refusal(428, "conditionRequired", "a DELETE needs If-Match: \"etag\"")
        self.storage.delete(names, if_match)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -- bodies and answers

    def read_small_body(self, length):
        body = self.rfile.read(length) if length else b""
        self.body_left -= len(body)
        if len(body) != length:
            self.close_connection = True
            raise ConnectionError("the body was cut off")
        return body

    @staticmethod
    def expect_body(signed_sha256, body):
        if hashlib.sha256(body).hexdigest() != signed_sha256:
            raise Refusal(400, "digestMismatch", "the body's SHA-256 is not X-Folio-Content-SHA256")

    def drain(self):
        """Reads what is left of a refused request's body, so the client gets the answer on a
        connection still usable (closing with unread bytes can reset it before it reads)."""
        while self.body_left > 0 and not self.close_connection:
            chunk = self.rfile.read(min(CHUNK, self.body_left))
            if not chunk:
                self.close_connection = True
                return
            self.body_left -= len(chunk)

    def send_json(self, status, value, headers=None):
        body = json.dumps(value).encode()
        self.send_response(status)
        if isinstance(value, dict) and "etag" in value:
            self.send_header("ETag", value["etag"])
        for name, text in (headers or {}).items():
            self.send_header(name, text)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, refusal):
        self.drain()
        body = refusal.body()
        self.send_response(refusal.status)
        for name, text in refusal.headers.items():
            self.send_header(name, text)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        """http.server's own refusals (a malformed request line, an unknown method) in the
        contract's JSON shape."""
        if code == 501:
            code, message = 405, "%s is not part of the contract" % self.command
        self.close_connection = True
        self.refuse(Refusal(code, "methodNotAllowed" if code == 405 else "badRequest", message or "bad request"))

    def log_message(self, format, *args):
        # The request line holds no secret (it is in a header); keep the default format.
        sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # Folio opens several connections at once (racing autosaves)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve Folio's connector contract from a folder.")
    parser.add_argument("--root", required=True, help="the folder to serve")
    parser.add_argument("--secret-file", required=True, help="a file holding the shared secret")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790, help="0 picks a free port")
    parser.add_argument("--prefix", default="", help="URL path the contract is served under, e.g. /folio")
    parser.add_argument("--max-size", type=int, default=4 * 1024 ** 3, help="largest body taken, bytes")
    args = parser.parse_args(argv)

    with open(args.secret_file, "rb") as handle:
        secret = handle.read().strip()
    if len(secret) < 16:
        raise SystemExit("the secret in %s is shorter than 16 bytes" % args.secret_file)
    prefix = args.prefix.rstrip("/")
    if prefix and not prefix.startswith("/"):
        raise SystemExit("--prefix must start with /")

    Handler.storage = FolderStorage(args.root)
    Handler.secret = secret
    Handler.prefix = prefix
    Handler.max_size = args.max_size
    server = Server((args.host, args.port), Handler)
    host, port = server.server_address[:2]
    # One line, flushed: scripts wait for it and take the URL from it.
    print("connector-app: serving %s at http://%s:%d%s/" % (Handler.storage.root, host, port, prefix), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

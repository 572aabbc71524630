"""A scripted ONLYOFFICE Document Server for the native API (PROTOCOL.md §D.1, §E.4).

A real HTTP server on 127.0.0.1 in a thread that plays the DS's side of the conversation with a
live Folio:

* as a client of Folio: it checks an editor configuration's `token`, fetches `document.url` the
  way DocService does (GET with `Authorization: Bearer jwt({"payload":{"url":…}})`), and POSTs
  callbacks to `editorConfig.callbackUrl`, signed in the body's `token` (claims = the callback
  fields) and/or in `Authorization: Bearer jwt({"payload": <callback>})`;
* as a server: it hands out the "edited" documents at cache URLs like the real
  `/cache/files/data/<key>/output.docx/output.docx?md5=…&expires=…`, and implements the command
  service `POST /command` (body `{"token": jwt(params)}`): it verifies the JWT, records the
  command and answers `{"error":0}`; after a forcesave it sends the status-6 callback with
  `forcesavetype: 0`, as the real DS does.

For the attack tests it can also answer with a redirect to another host and with a body larger
than anything Folio should accept (with Content-Length or chunked). `Bystander` is "another
host": a server that only records that somebody asked it for something.
"""

import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt

ALGORITHM = "HS256"
TOKEN_LIFETIME = 300       # the DS's default token expiry: 5 minutes


def sign(claims, secret, lifetime=TOKEN_LIFETIME, exp=None):
    """HS256 JWT of `claims` plus `iat` and `exp` (now + lifetime unless `exp` is given), as
    DocService signs; `lifetime=None` leaves both out."""
    claims = dict(claims)
    if lifetime is not None:
        now = int(time.time())
        claims.setdefault("iat", now)
        claims["exp"] = now + lifetime if exp is None else exp
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token, secret):
    """The claims of an HS256 JWT signed with `secret` (raises jwt.InvalidTokenError otherwise)."""
    return jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": []})


class Answer:
    """An HTTP answer: status, headers (dict, case-insensitive lookups via .header) and body."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %r>" % (self.status, self.body[:300])


def http(method, url, body=None, headers=None, timeout=30):
    """One request with urllib (redirects are not followed); an Answer for every status."""
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None and "Content-Type" not in req.headers:
        req.add_header("Content-Type", "application/json")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as r:
            return Answer(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.headers, e.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Recording:
    """A loopback HTTP server in a thread that records every request it receives."""

    def __init__(self):
        owner = self

        class Handler(_Handler):
            server_owner = owner

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        self.requests = []          # (method, path, headers dict, body)
        self.lock = threading.Condition()
        self.thread = None

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=type(self).__name__, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread.join(10)
            self.thread = None
        self.httpd.server_close()

    def record(self, method, path, headers, body):
        with self.lock:
            self.requests.append((method, path, headers, body))
            self.lock.notify_all()

    def handle(self, handler, method, path, body):
        handler.reply(404, b"not found\n", "text/plain")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_owner = None

    def log_message(self, fmt, *args):      # quiet
        pass

    def _serve(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        owner = self.server_owner
        owner.record(method, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        try:
            owner.handle(self, method, self.path, body)
        except Exception as e:                  # a bug in the script, not in Folio: show it
            owner.errors.append(repr(e)) if hasattr(owner, "errors") else None
            try:
                self.reply(500, ("scripted DS error: %r\n" % e).encode(), "text/plain")
            except OSError:
                pass

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_PUT(self):
        self._serve("PUT")

    def reply(self, status, body, ctype="application/octet-stream", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_json(self, value, status=200):
        self.reply(status, json.dumps(value).encode("utf-8"), "application/json")


class Bystander(_Recording):
    """Another host: answers every GET with a document and records that it was asked. A Folio
    that only downloads from its document server never reaches it."""

    def __init__(self):
        super().__init__()
        self.body = b"PK\x03\x04 not from the document server"

    def handle(self, handler, method, path, body):
        handler.reply(200, self.body)

    def url(self, name="output.docx"):
        return "%s/cache/files/data/%s/%s" % (self.base, uuid.uuid4().hex, name)


class Session:
    """What the DS knows about one document key: the config it was opened with, where to call
    back, the bytes it fetched, and the bytes the editor would save next."""

    def __init__(self, config, original):
        self.config = config
        self.key = config["document"]["key"]
        self.callback_url = config["editorConfig"]["callbackUrl"]
        self.original = original
        self.edited = original
        self.users = [config["editorConfig"]["user"]["id"]]


class DocServer(_Recording):
    """The scripted ONLYOFFICE Document Server (see the module docstring)."""

    def __init__(self, secret):
        super().__init__()
        self.secret = secret
        self.sessions = {}          # key -> Session
        self.commands = []          # verified claims of every /command, in order
        self.refused_commands = []  # raw bodies of /command requests that failed verification
        self.command_errors = []    # errors to answer the next commands with (then no callback)
        self.callbacks = []         # (callback fields, Answer) for every callback sent
        self.files = {}             # path -> (bytes, mode) served under /cache/ and /redirect/
        self.errors = []

    # ---- serving --------------------------------------------------------------

    def offer(self, content, name="output.docx", key=None):
        """Serve `content` at a fresh cache URL like the real DS's; the absolute URL."""
        return self._put(content, "plain", name, key)

    def offer_redirect(self, location, name="output.docx"):
        """A cache URL that answers 302 to `location` (an off-origin redirect)."""
        return self._put(location.encode(), "redirect", name)

    def offer_oversized(self, size, chunked=False, name="output.docx"):
        """A cache URL serving `size` bytes, with Content-Length or (chunked) without it."""
        return self._put(size, "chunked" if chunked else "sized", name)

    def _put(self, payload, mode, name, key=None):
        path = "/cache/files/data/%s/%s/%s" % (key or uuid.uuid4().hex, name, name)
        with self.lock:
            self.files[path] = (payload, mode)
        query = "md5=%s&expires=%d&filename=%s" % (uuid.uuid4().hex[:22], int(time.time()) + 900, name)
        return self.base + path + "?" + query

    def downloads(self, url):
        """How many times Folio fetched `url`'s path."""
        path = urlsplit(url).path
        with self.lock:
            return sum(1 for m, p, _, _ in self.requests if m == "GET" and urlsplit(p).path == path)

    def handle(self, handler, method, path, body):
        parts = urlsplit(path)
        if method == "POST" and parts.path == "/command":
            return self._command(handler, body)
        with self.lock:
            found = self.files.get(parts.path)
        if method != "GET" or found is None:
            return handler.reply(404, b"not found\n", "text/plain")
        payload, mode = found
        if mode == "plain":
            return handler.reply(200, payload)
        if mode == "redirect":
            return handler.reply(302, b"", "text/plain", [("Location", payload.decode())])
        chunk = b"\0" * 65536
        if mode == "sized":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/octet-stream")
            handler.send_header("Content-Length", str(payload))
            handler.end_headers()
        else:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/octet-stream")
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
        left = payload
        try:
            while left > 0:
                piece = chunk[:min(left, len(chunk))]
                if mode == "chunked":
                    handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    handler.wfile.write(piece)
                left -= len(piece)
            if mode == "chunked":
                handler.wfile.write(b"0\r\n\r\n")
        except OSError:            # Folio hung up once it saw enough: that is the point
            handler.close_connection = True

    # ---- the command service --------------------------------------------------

    def _command(self, handler, body):
        try:
            token = json.loads(body.decode("utf-8"))["token"]
            claims = verify(token, self.secret)
        except Exception:
            with self.lock:
                self.refused_commands.append(body)
            return handler.reply_json({"error": 6})
        with self.lock:
            self.commands.append(claims)
            self.lock.notify_all()
            session = self.sessions.get(claims.get("key"))
        if claims.get("c") not in ("forcesave", "meta", "info", "drop", "version"):
            return handler.reply_json({"error": 5})
        with self.lock:
            error = self.command_errors.pop(0) if self.command_errors else None
        if error is not None:       # e.g. 4: nothing changed since the last save
            return handler.reply_json({"error": error, "key": claims.get("key")})
        if session is None:
            return handler.reply_json({"error": 1, "key": claims.get("key")})
        handler.reply_json({"error": 0, "key": session.key})
        if claims["c"] == "forcesave":
            # The DS assembles the document, then calls back with status 6, type 0.
            users = [claims["userdata"]] if claims.get("userdata") else session.users
            threading.Thread(target=self._forcesave_callback, args=(session, users), daemon=True).start()

    def _forcesave_callback(self, session, users):
        try:
            self.callback(session.key, 6, url=self.offer(session.edited, key=session.key), users=users,
                          forcesavetype=0, actions=None)
        except Exception as e:
            self.errors.append("forcesave callback: %r" % e)

    def wait_commands(self, n, timeout=30):
        return self._wait(lambda: len(self.commands) >= n, timeout, "%d commands" % n, lambda: self.commands)

    def wait_callbacks(self, n, timeout=30):
        return self._wait(lambda: len(self.callbacks) >= n, timeout, "%d callbacks" % n, lambda: self.callbacks)

    def _wait(self, ready, timeout, what, value):
        deadline = time.monotonic() + timeout
        with self.lock:
            while not ready():
                left = deadline - time.monotonic()
                assert left > 0, "the scripted DS did not see %s in %ss: %r %r" % (what, timeout, value(), self.errors)
                self.lock.wait(left)
            return list(value())

    # ---- the DS as Folio's client ----------------------------------------------

    def open(self, config, user=None):
        """What the DS does when an editor opens with `config`: check its token (claims equal
        the config), fetch `document.url` with the signed GET, and join the session for the key.
        The fetched bytes."""
        claims = verify(config["token"], self.secret)
        expected = {k: v for k, v in config.items() if k != "token"}
        assert claims == expected, "config token claims differ from the config:\n%r\n%r" % (claims, expected)
        r = self.fetch(config["document"]["url"])
        assert r.status == 200, "DS GET document.url: %r" % r
        key = config["document"]["key"]
        with self.lock:
            session = self.sessions.get(key)
            if session is None:
                session = self.sessions[key] = Session(config, r.body)
        if user and user not in session.users:
            session.users.append(user)
        return r.body

    def fetch(self, url, secret=None):
        """DocService's GET of document.url, signed with `{"payload":{"url":…}}`."""
        token = sign({"payload": {"url": url}}, secret or self.secret)
        return http("GET", url, headers={"Authorization": "Bearer " + token})

    def edit(self, key, content):
        """The editor changes the document: the next save of `key` offers `content`."""
        self.sessions[key].edited = content

    def callback(self, key, status, url=None, users=None, actions=(), signing="body", secret=None, exp=None,
                 callback_url=None, **fields):
        """POST a callback for `key` to its callbackUrl.

        signing  "body" (the body's `token`, claims = the fields), "header" (Authorization:
                 Bearer jwt({"payload": fields})), "both", or None (unsigned)
        secret   sign with this instead of the DS's secret
        exp      the tokens' `exp` claim (e.g. in the past)
        fields   further callback fields (changesurl, history, forcesavetype, filetype, …)
        The Answer; it is also recorded in `callbacks`.
        """
        session = self.sessions.get(key)
        body = {"key": key, "status": status}
        if url is not None:
            body["url"] = url
        body["users"] = list(users if users is not None else (session.users if session else []))
        if actions is not None:
            body["actions"] = list(actions) if actions != () else [
                {"type": 1 if status == 1 else 0, "userid": u} for u in body["users"]]
        if url is not None:
            body["filetype"] = "docx"
        body.update(fields)
        secret = secret or self.secret
        headers = {}
        sent = dict(body)
        if signing in ("header", "both"):
            headers["Authorization"] = "Bearer " + sign({"payload": body}, secret, exp=exp)
        if signing in ("body", "both"):
            sent["token"] = sign(body, secret, exp=exp)
        target = callback_url or (session.callback_url if session else None)
        assert target, "no callbackUrl known for key %s" % key
        answer = http("POST", target, sent, headers)
        with self.lock:
            self.callbacks.append((body, answer))
            self.lock.notify_all()
        return answer


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

"""A stand-in office suite for the browser tests: a real HTTP server on 127.0.0.1 that plays
the part of Collabora Online as far as a host page can see it (PROTOCOL.md §A.9, §A.10, §B).

It serves

- `GET /hosting/discovery`: a WOPI discovery document with `view`, `edit`, `mobileView` and
  `mobileEdit` actions for
  docx, xlsx, pptx, odt, ods and odp, apps keyed by MIME type as Collabora does, no proof key.
  Each action's `urlsrc` points at this server's own editor page,
  `http://127.0.0.1:PORT/editor/ACTION?<ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>` (XML-escaped), so
  which action a host page chose is visible in the path (`/editor/edit`, `/editor/view`).
- `POST /editor/ACTION`: the editor page. The host page posts `access_token` and
  `access_token_ttl` into a named iframe; like a real editor, this server then calls the
  host's CheckFileInfo (`GET {wopisrc}?access_token=TOKEN`) and GetFile with that token, and
  renders what came back (BaseFileName, UserFriendlyName, UserCanWrite, the size of the
  content). A new, empty document (CheckFileInfo `Size` 0 with a `TemplateSource`) is filled as
  Collabora fills it: GET the TemplateSource URL, then PutFile those bytes to
  `{wopisrc}/contents?access_token=TOKEN` with `X-WOPI-Override: PUT` and no lock, before GetFile. The page's JavaScript speaks Collabora's postMessage protocol with
  `window.parent`, using CheckFileInfo's `PostMessageOrigin` as the target origin (no
  PostMessageOrigin: no messages, as in Collabora).
- `GET /favicon.svg`: the `favIconUrl` of every app.

Every request it receives is recorded (`requests`), and every editor session it opened
(`sessions`: the posted form, the CheckFileInfo answer), for tests to assert on.

What the page offers to a test (element ids):

    file-name, user-name     BaseFileName and UserFriendlyName from CheckFileInfo
    action, can-write        the discovery action (edit/view) and UserCanWrite
    content-size             bytes GetFile returned
    template                 "none", or the TemplateSource fetch and the PutFile that saved it:
                             data-source (URL), data-get (status), data-put (status), data-size
    handshake                "waiting" until Host_PostmessageReady arrives, then
                             "Host_PostmessageReady received" (data-state="ready")
    received, sent           <li data-message-id=…> per message received from / sent to the host
    reset-token              the token of the last Reset_Access_Token the host sent
    close                    button: posts UI_Close
    new-name, rename         text field and button: posts File_Rename {NewName}
    error                    shown instead of all of the above when CheckFileInfo failed
"""

import html
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import quoteattr

# Extension -> MIME type, as Collabora names its discovery apps.
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# mobileView and mobileEdit as Microsoft's and Collabora's discoveries publish them: a host
# page on a phone-sized screen picks them.
ACTIONS = ("view", "edit", "mobileView", "mobileEdit")

FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
           b'<rect width="16" height="16" rx="3" fill="#2a7ab0"/></svg>')


class Request:
    """One request the stand-in received."""

    def __init__(self, method, target, headers, body):
        self.method = method
        self.target = target                      # path and query exactly as sent
        split = urllib.parse.urlsplit(target)
        self.path = split.path
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        self.headers = headers                    # {lower-case name: value}
        self.body = body
        self.form = {}
        if method == "POST" and headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            self.form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}

    def __repr__(self):
        return "<%s %s>" % (self.method, self.target)


class Session:
    """One editor page served: what the host posted and what the host's WOPI answered."""

    def __init__(self, action, wopisrc, form):
        self.action, self.wopisrc, self.form = action, wopisrc, form
        self.token = form.get("access_token")
        self.token_ttl = form.get("access_token_ttl")
        self.check_file_info_status = None
        self.check_file_info = None               # the JSON answer, when 200
        self.content_size = None
        self.ui = None                            # the editor's UI language (the urlsrc's ui=)
        # A new document filled from CheckFileInfo's TemplateSource (None when there was none).
        self.template_source = None               # the URL
        self.template_get_status = None           # its GET's status
        self.template_bytes = None                # what it answered
        self.template_put_status = None           # the PutFile's status
        self.template_put_body = None             # and body (e.g. the error)

    def __repr__(self):
        return "<Session %s %s status=%s>" % (self.action, self.wopisrc, self.check_file_info_status)


class StandInEditor:
    """The stand-in office suite. `start()` it, give Folio `discovery_url`, `stop()` it."""

    def __init__(self, kind="collabora"):
        self.kind = kind                          # how Folio is told about it: --editor KIND=URL
        self.port = None
        self.base = None
        self.requests = []
        self.sessions = []
        self._lock = threading.Lock()
        self._httpd = None

    # ---- what tests use ---------------------------------------------------------------

    @property
    def discovery_url(self):
        return self.base + "/hosting/discovery"

    @property
    def origin(self):
        return self.base

    def favicon_url(self):
        return self.base + "/favicon.svg"

    def received(self, method=None, path_prefix=""):
        """The requests received so far (a copy), optionally only one method or path prefix."""
        with self._lock:
            return [r for r in self.requests
                    if (method is None or r.method == method) and r.path.startswith(path_prefix)]

    def editor_posts(self):
        """The POSTs of host pages to the editor page."""
        return self.received("POST", "/editor/")

    def last_session(self):
        with self._lock:
            assert self.sessions, "no host page has opened the stand-in editor (requests: %r)" % self.requests
            return self.sessions[-1]

    def discovery_xml(self):
        apps = []
        for ext, mime in FORMATS.items():
            actions = "".join(
                "<action %s/>" % " ".join("%s=%s" % (k, quoteattr(v)) for k, v in (
                    ("name", action), ("ext", ext),
                    # quoteattr escapes & < > : the placeholders arrive XML-escaped, as in real discovery.
                    ("urlsrc", "%s/editor/%s?<ui=UI_LLCC&><wopisrc=WOPI_SOURCE&>" % (self.base, action)),
                ) + ((("default", "true"),) if action == "edit" else ()))
                for action in ACTIONS)
            apps.append("<app name=%s favIconUrl=%s>%s</app>" % (quoteattr(mime), quoteattr(self.favicon_url()), actions))
        return ('<?xml version="1.0" encoding="utf-8"?>\n<wopi-discovery><net-zone name="external-http">'
                + "".join(apps) + "</net-zone></wopi-discovery>\n")

    # ---- life cycle ---------------------------------------------------------------------

    def start(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _record(self, body=b""):
                req = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with stand_in._lock:
                    stand_in.requests.append(req)
                return req

            def _send(self, status, body, ctype):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                req = self._record()
                if req.path == "/hosting/discovery":
                    self._send(200, stand_in.discovery_xml().encode("utf-8"), "text/xml; charset=utf-8")
                elif req.path == "/favicon.svg":
                    self._send(200, FAVICON, "image/svg+xml")
                else:
                    self._send(404, b"not found\n", "text/plain")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                req = self._record(self.rfile.read(length))
                parts = req.path.strip("/").split("/")
                if len(parts) != 2 or parts[0] != "editor" or parts[1] not in ACTIONS:
                    self._send(404, b"not found\n", "text/plain")
                    return
                wopisrc = (req.query.get("wopisrc") or req.query.get("WOPISrc") or [None])[0]
                session = Session(parts[1], wopisrc, req.form)
                with stand_in._lock:
                    stand_in.sessions.append(session)
                session.ui = (req.query.get("ui") or ["en-US"])[0]
                page = stand_in._open(session, session.ui)
                self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self._httpd.serve_forever, name="stand-in-editor", daemon=True).start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    # ---- the editor -----------------------------------------------------------------------

    def _wopi_get(self, url, token):
        """A WOPI GET as Collabora sends it: the token in the query and as a Bearer header."""
        sep = "&" if "?" in url else "?"
        req = urllib.request.Request(url + sep + "access_token=" + urllib.parse.quote(token, safe=""), headers={
            "Authorization": "Bearer " + token, "X-COOL-WOPI-ServerId": "stand-in-editor"})
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def check_file_info(self, session):
        """CheckFileInfo again with the session's token, as the editor does while a document is
        open (e.g. when a user rejoins): (status, parsed JSON or the raw body)."""
        status, body = self._wopi_get(session.wopisrc, session.token)
        try:
            return status, json.loads(body)
        except ValueError:
            return status, body

    def get_file(self, session):
        """GetFile with the session's token: (status, bytes)."""
        return self._wopi_get(session.wopisrc + "/contents", session.token)

    def put_file(self, session, content, lock=None):
        """PutFile with the session's token (and `lock` as X-WOPI-Lock when given): (status, body)."""
        url = "%s/contents?access_token=%s" % (session.wopisrc, urllib.parse.quote(session.token, safe=""))
        headers = {"Authorization": "Bearer " + session.token, "X-WOPI-Override": "PUT",
                   "X-COOL-WOPI-ServerId": "stand-in-editor", "Content-Type": "application/octet-stream"}
        if lock is not None:
            headers["X-WOPI-Lock"] = lock
        req = urllib.request.Request(url, data=content, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def _fill_from_template(self, session, info):
        """Collabora's TemplateSource: an empty file whose CheckFileInfo names a template is
        loaded from that template and saved at once with an unlocked PutFile. An error page's
        text, or None when it worked."""
        source = info.get("TemplateSource")
        if info.get("Size") != 0 or not source:
            return None
        session.template_source = source
        try:
            with urllib.request.urlopen(urllib.request.Request(source), timeout=20) as r:
                session.template_get_status, session.template_bytes = r.status, r.read()
        except urllib.error.HTTPError as e:
            session.template_get_status = e.code
        except OSError as e:
            return "TemplateSource %s could not be fetched: %s" % (source, e)
        if session.template_get_status != 200:
            return "TemplateSource %s answered %d" % (source, session.template_get_status)
        session.template_put_status, session.template_put_body = self.put_file(session, session.template_bytes)
        if session.template_put_status != 200:
            return "PutFile of the template answered %d: %s" % (
                session.template_put_status, session.template_put_body[:300].decode("utf-8", "replace"))
        return None

    def _open(self, session, ui):
        """CheckFileInfo and GetFile with the posted token, then the page (or an error page)."""
        if not session.wopisrc or not session.token:
            return _error_page("the host posted no WOPISrc or no access_token (form: %r)" % sorted(session.form))
        status, body = self._wopi_get(session.wopisrc, session.token)
        session.check_file_info_status = status
        if status != 200:
            return _error_page("CheckFileInfo answered %d: %s" % (status, body[:300].decode("utf-8", "replace")))
        try:
            info = json.loads(body)
        except ValueError:
            return _error_page("CheckFileInfo is not JSON: %r" % body[:300])
        session.check_file_info = info
        problem = self._fill_from_template(session, info)
        if problem:
            return _error_page(problem)
        status, content = self._wopi_get(session.wopisrc + "/contents", session.token)
        if status != 200:
            return _error_page("GetFile answered %d" % status)
        session.content_size = len(content)
        return _editor_page(session, info, ui)


def _error_page(message):
    return ('<!DOCTYPE html><html><meta charset="utf-8"><title>Stand-in editor: error</title>'
            '<body style="font:15px system-ui,sans-serif;background:#fff0f0;padding:24px">'
            '<h1>Stand-in editor could not open the document</h1><p id="error">%s</p></body></html>'
            % html.escape(message))


def _editor_page(session, info, ui):
    name = info.get("BaseFileName", "")
    user = info.get("UserFriendlyName", "")
    can_write = bool(info.get("UserCanWrite"))
    state = {"postMessageOrigin": info.get("PostMessageOrigin") or "", "newName": "Renamed " + name}
    # json.dumps is valid JavaScript; escaping < keeps a name like "</script>" inside the script.
    state_js = json.dumps(state).replace("<", "\\u003c")
    e = html.escape
    return """<!DOCTYPE html>
<html lang="%(ui)s">
<head>
<meta charset="utf-8">
<title>%(name)s (stand-in editor)</title>
<style>
body{margin:0;font:14px system-ui,sans-serif;background:#e8ecf0;color:#1d2733}
header{background:#2a7ab0;color:#fff;padding:10px 16px;display:flex;gap:16px;align-items:center}
header h1{font-size:16px;margin:0;flex:1}
header button{font:inherit;padding:4px 12px}
#new-name{font:inherit;padding:3px 6px;width:220px}
main{display:flex;gap:16px;padding:16px}
.paper{background:#fff;box-shadow:0 1px 4px #0003;flex:1;min-height:520px;padding:32px 48px}
aside{flex:0 0 380px;min-width:0;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 12px;margin:0}
dt{font-weight:600}
ul{margin:4px 0 12px;padding-left:18px}
#handshake[data-state=ready]{color:#176b2c;font-weight:600}
</style>
</head>
<body data-action="%(action)s">
<header>
  <h1>Stand-in office editor &middot; <span id="file-name">%(name)s</span></h1>
  <input id="new-name" value="%(new_name)s" aria-label="New name">
  <button id="rename" type="button">Rename</button>
  <button id="close" type="button">Close</button>
</header>
<main>
  <div class="paper">
    <p>This page stands in for an office suite in Folio's browser tests.</p>
    <p>Opened for <strong id="user-name">%(user)s</strong> with the <strong id="action">%(action)s</strong>
       action; the document holds <span id="content-size">%(size)d</span> bytes.</p>
  </div>
  <aside>
    <dl>
      <dt>UserCanWrite</dt><dd id="can-write">%(can_write)s</dd>
      <dt>PostMessageOrigin</dt><dd id="post-message-origin">%(origin)s</dd>
      <dt>UI language</dt><dd id="ui">%(ui)s</dd>
      <dt>Template</dt><dd id="template" data-source="%(template_source)s" data-get="%(template_get)s"
        data-put="%(template_put)s" data-size="%(template_size)s">%(template_text)s</dd>
      <dt>Handshake</dt><dd id="handshake" data-state="waiting">waiting for Host_PostmessageReady</dd>
    </dl>
    <p>Sent to the host:</p><ul id="sent"></ul>
    <p>Received from the host:</p><ul id="received"></ul>
    <p>Token handed over by the host (Reset_Access_Token): <code id="reset-token"></code></p>
  </aside>
</main>
<script>
(function () {
  var state = %(state)s;
  function note(listId, id, values) {
    var li = document.createElement('li');
    li.textContent = values && values.Status ? id + ' (' + values.Status + ')' : id;
    li.setAttribute('data-message-id', id);
    document.getElementById(listId).appendChild(li);
  }
  // Collabora posts nothing without a PostMessageOrigin, and only to that origin.
  function post(id, values) {
    if (!state.postMessageOrigin) return;
    window.parent.postMessage(JSON.stringify({ MessageId: id, SendTime: Date.now(), Values: values || {} }),
                              state.postMessageOrigin);
    note('sent', id, values);
  }
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== state.postMessageOrigin) return;
    var message;
    try { message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch (e) { return; }
    if (!message || typeof message.MessageId !== 'string') return;
    note('received', message.MessageId, message.Values);
    if (message.MessageId === 'Reset_Access_Token') {
      document.getElementById('reset-token').textContent = (message.Values || {}).token || '';
    }
    if (message.MessageId === 'Host_PostmessageReady') {
      var h = document.getElementById('handshake');
      h.textContent = 'Host_PostmessageReady received';
      h.setAttribute('data-state', 'ready');
    }
  });
  document.getElementById('close').addEventListener('click', function () {
    post('UI_Close', { EverModified: false });
  });
  document.getElementById('rename').addEventListener('click', function () {
    post('File_Rename', { NewName: document.getElementById('new-name').value });
  });
  post('App_LoadingStatus', { Status: 'Frame_Ready', Features: { VersionStates: true } });
  post('App_LoadingStatus', { Status: 'Document_Loaded', DocumentLoadedTime: Date.now() });
})();
</script>
</body>
</html>
""" % {"ui": e(ui), "name": e(name), "user": e(user), "action": e(session.action), "new_name": e(state["newName"]),
       "size": session.content_size or 0, "can_write": "true" if can_write else "false",
       "origin": e(state["postMessageOrigin"] or "(none: no postMessage)"), "state": state_js,
       "template_source": e(session.template_source or ""), "template_get": session.template_get_status or "",
       "template_put": session.template_put_status or "",
       "template_size": len(session.template_bytes) if session.template_bytes is not None else "",
       "template_text": e("none" if session.template_source is None else "%d bytes from %s, saved with PutFile (%s)" % (
           len(session.template_bytes or b""), session.template_source, session.template_put_status))}

"""A stand-in for the three editors' discovery endpoints on 127.0.0.1.

Serves `/<editor>/hosting/discovery` for collabora, microsoft and onlyoffice, and
`/<editor>/hosting/capabilities` for the two that publish one. The port is chosen at
construction, so Folio can be pointed at it before it starts ("editor down at start"). Keys
live in `KeyRing`s shared with the scripted clients, so a rotation changes what is published
and what the editor signs with at once. Every fetch is counted, so tests can see Folio refetch.
"""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import discovery
from folio_process import free_port


class KeyRing:
    """An editor's signing keys: `current` signs X-WOPI-Proof, `old` signs X-WOPI-ProofOld."""

    def __init__(self, current, old):
        self.current, self.old = current, old


class DiscoveryServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        collabora = discovery.new_key()
        self.keys = {
            # Collabora publishes its single key as both current and old (§B).
            "collabora": KeyRing(collabora, collabora),
            "microsoft": KeyRing(discovery.new_key(), discovery.new_key()),
            "onlyoffice": KeyRing(discovery.new_key(), discovery.new_key()),
        }
        self._lock = threading.Lock()
        self._fetches = {}          # path -> list of time.monotonic() of each GET
        self._httpd = None
        self._connections = set()   # open client sockets, closed by stop()

    # ---- what tests use -------------------------------------------------------

    def discovery_url(self, editor):
        return "%s/%s/hosting/discovery" % (self.base, editor)

    def editor_base(self, editor):
        return "%s/%s" % (self.base, editor)

    def document(self, editor):
        ring, base = self.keys[editor], self.editor_base(editor)
        if editor == "collabora":
            return discovery.collabora_discovery(base, ring.current)
        if editor == "microsoft":
            return discovery.microsoft_discovery(base, ring.current, ring.old)
        return discovery.onlyoffice_discovery(base, ring.current, ring.old)

    def rotate(self, editor):
        """The editor installs a new key: it becomes current and the previous current becomes old
        (Collabora, which publishes one key, simply switches to the new one)."""
        with self._lock:
            ring, new = self.keys[editor], discovery.new_key()
            ring.old, ring.current = (new if editor == "collabora" else ring.current), new
            return ring

    def fetches(self, editor):
        """How many times the editor's discovery document has been fetched."""
        with self._lock:
            return len(self._fetches.get("/%s/hosting/discovery" % editor, []))

    def seconds_since_fetch(self, editor):
        with self._lock:
            times = self._fetches.get("/%s/hosting/discovery" % editor)
            return time.monotonic() - times[-1] if times else float("inf")

    def wait_rate_window(self, editor, window=5.0):
        """Sleep until the editor's last discovery fetch is more than `window` seconds old, so
        Folio's refetch rate limit (once per 5 s per editor) lets the next refetch through."""
        left = window + 0.3 - self.seconds_since_fetch(editor)
        if left > 0:
            time.sleep(left)

    def wait_fetches(self, editor, at_least, timeout):
        deadline = time.monotonic() + timeout
        while self.fetches(editor) < at_least and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.fetches(editor)

    # ---- life cycle -------------------------------------------------------------

    def start(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with server._lock:
                    server._connections.add(self.connection)

            def finish(self):
                with server._lock:
                    server._connections.discard(self.connection)
                super().finish()

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server._fetches.setdefault(path, []).append(time.monotonic())
                parts = path.strip("/").split("/")
                body, ctype = None, None
                if len(parts) == 3 and parts[0] in server.keys and parts[1:] == ["hosting", "discovery"]:
                    with server._lock:
                        body = server.document(parts[0]).encode("utf-8")
                    ctype = "text/xml; charset=utf-8"
                elif len(parts) == 3 and parts[0] in ("collabora", "onlyoffice") and parts[1:] == ["hosting", "capabilities"]:
                    body, ctype = json.dumps(_capabilities(parts[0])).encode(), "application/json"
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                # Real editors send an Expires header; hosts must ignore it (§A.10).
                self.send_header("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, name="discovery", daemon=True).start()
        return self

    def stop(self):
        """Stop as a killed editor would: also close kept-alive connections, whose handler
        threads would otherwise go on answering. start() again serves on the same port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        with self._lock:
            connections, self._connections = self._connections, set()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _capabilities(editor):
    if editor == "collabora":
        return {"convert-to": {"available": True, "endpoint": "/cool/convert-to"}, "hasTemplateSaveAs": False,
                "hasTemplateSource": True, "hasMobileSupport": True, "hasProxyPrefix": False,
                "hasZoteroSupport": True, "hasWASMSupport": False, "productName": "Collabora Online Development Edition",
                "productVersion": "24.04.13.2", "productVersionHash": "0123abcd", "serverId": "cool-test-1"}
    return {"hasTemplateSaveAs": False, "hasTemplateSource": False, "productName": "ONLYOFFICE Docs",
            "productVersion": "8.3.0"}

#!/usr/bin/env python3
"""The `api` stage's stand-ins on loopback: a Collabora-shaped WOPI discovery document, so
POST /api/v1/files/{id}/sessions can succeed for .docx files, and a webhook receiver that
answers every POST with 204, so deliveries succeed.

usage: loopback.py PORT   (GET /hosting/discovery; POST anything)
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
BASE = f"http://127.0.0.1:{PORT}"
DISCOVERY = f"""<?xml version="1.0" encoding="utf-8"?>
<wopi-discovery>
  <net-zone name="external-http">
    <app name="writer" favIconUrl="{BASE}/favicon.ico">
      <action name="view" ext="docx" urlsrc="{BASE}/browser/cool.html?"/>
      <action name="edit" ext="docx" urlsrc="{BASE}/browser/cool.html?"/>
    </app>
  </net-zone>
</wopi-discovery>
""".encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/hosting/discovery":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(DISCOVERY)))
        self.end_headers()
        self.wfile.write(DISCOVERY)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("loopback: " + fmt % args + "\n")


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()

"""Crash safety and graceful shutdown of a real `folio serve` (no mocks).

* SIGKILL during many concurrent PutFiles: after a restart every acknowledged save is there,
  with exactly the bytes sent (SHA-256), no version is half-written (`folio backup --verify`
  re-reads every blob of every version), and `folio gc` removes what the crash left.
* SIGKILL during concurrent saves with a webhook listening: every save that became a version
  is reported exactly once (its file.saved event was written in the same transaction: the
  outbox), and no event reports a save that did not commit.
* SIGKILL during concurrent Lock/Unlock on 16 files: after a restart each file's lock is the
  last acknowledged state or that of the operation in flight, never older (group commit
  acknowledges nothing before its commit).
* SIGTERM during an upload: the upload in flight still completes and is acknowledged, new
  connections are refused, then the process exits 0.
"""

import hashlib
import http.client
import http.server
import json
import os
import random
import signal
import threading
import time

from folio_process import FolioProcess


def setup(tmp_path, files):
    """An installation in tmp_path/data (with FOLIO_TEST_POSTGRES_URL set, on its own fresh
    schema of that database) with user alice and `files` files of hers; its `folio serve`,
    not started yet, logs to tmp_path/folio.log."""
    folio = FolioProcess(tmp_path / "data", tmp_path / "folio.log")
    folio.cli("user", "add", "alice")
    targets = []
    for i in range(files):
        path = tmp_path / ("f%d.bin" % i)
        path.write_bytes(b"start %d" % i)
        info = json.loads(folio.cli("import", str(path), "--owner", "alice", "--json"))[0]
        targets.append(info["id"])
    return folio, targets


def start(folio):
    return folio.start("--access-log", "false")


def token(folio, file_id):
    out = json.loads(folio.cli("token", file_id, "--user", "alice", "--json", "--public-url", folio.base))
    return out["accessToken"]


def wopi(port, method, path, headers, body=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), payload


def every_version_reads_back(folio, files):
    """No version is half-written: each one's content, read through the API, hashes to the
    SHA-256 recorded for it."""
    key = json.loads(folio.cli("apikey", "create", "crash-check", "--scope", "read", "--json"))["key"]
    for f in files:
        for v in json.loads(folio.cli("versions", f, "--json")):
            status, _, body = wopi(folio.port, "GET", "/api/v1/files/%s/versions/%d/content" % (f, v["number"]),
                                   {"Authorization": "Bearer " + key})
            assert status == 200 and hashlib.sha256(body).hexdigest() == v["sha256"], (f, v["number"], status)


def kill_while_running(folio, work, items, stop):
    """Runs `work(item)` in a thread per item, SIGKILLs the server 2.5 s later, then sets
    `stop` and waits for the threads."""
    threads = [threading.Thread(target=work, args=(item,)) for item in items]
    for t in threads:
        t.start()
    time.sleep(2.5)
    folio.proc.send_signal(signal.SIGKILL)
    folio.proc.wait(10)
    stop.set()
    for t in threads:
        t.join(30)


def test_kill_during_concurrent_saves_loses_no_acknowledged_save(tmp_path):
    folio, files = setup(tmp_path, 4)
    port = folio.port
    start(folio)
    tokens = {f: token(folio, f) for f in files}
    for f in files:
        status, _, _ = wopi(port, "POST", "/wopi/files/%s?access_token=%s" % (f, tokens[f]),
                            {"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "crash"})
        assert status == 200
    acknowledged = []          # (file, version, sha256)
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n):
        rnd = random.Random(n)
        while not stop.is_set():
            f = rnd.choice(files)
            body = os.urandom(rnd.randint(1, 400_000))
            try:
                status, headers, _ = wopi(port, "POST", "/wopi/files/%s/contents?access_token=%s" % (f, tokens[f]),
                                          {"X-WOPI-Override": "PUT", "X-WOPI-Lock": "crash",
                                           "Content-Length": str(len(body))}, body, timeout=10)
            except (OSError, http.client.HTTPException):
                continue        # the kill cut this request or its answer off: not acknowledged
            if status == 200:
                version = int({k.lower(): v for k, v in headers.items()}["x-wopi-itemversion"])
                with lock:
                    acknowledged.append((f, version, hashlib.sha256(body).hexdigest()))

    kill_while_running(folio, writer, range(12), stop)
    assert len(acknowledged) >= 20, "too few saves before the kill to prove anything: %d" % len(acknowledged)

    # Restart on the same folder: every acknowledged save is a version with exactly its bytes.
    start(folio)
    try:
        for f in files:
            versions = {v["number"]: v for v in json.loads(folio.cli("versions", f, "--json"))}
            for (g, number, sha) in acknowledged:
                if g == f:
                    assert number in versions, "acknowledged version %d of %s is gone" % (number, f)
                    assert versions[number]["sha256"] in (sha, bytes.fromhex(sha).hex()), (f, number)
            # The current content is whole: it hashes to its latest version.
            latest = max(versions)
            status, _, body = wopi(port, "GET", "/wopi/files/%s/contents?access_token=%s" % (f, token(folio, f)), {})
            assert status == 200 and hashlib.sha256(body).hexdigest() == versions[latest]["sha256"]
        if os.environ.get("FOLIO_TEST_POSTGRES_URL") or os.environ.get("FOLIO_BLOBS"):
            # `folio backup` copies SQLite installations with their blob folder only: read every
            # version back instead.
            every_version_reads_back(folio, files)
    finally:
        folio.stop(30)
    if not os.environ.get("FOLIO_TEST_POSTGRES_URL") and not os.environ.get("FOLIO_BLOBS"):
        # No version is half-written: every blob of every version re-reads to its recorded SHA-256.
        folio.cli("backup", str(tmp_path / "check"), "--verify")
    # What the crash left (blobs written but never committed, staged parts) is garbage.
    report = json.loads(folio.cli("gc", "--min-age", "0", "--json"))
    assert report["blobsScanned"] >= len(acknowledged)
    again = json.loads(folio.cli("gc", "--min-age", "0", "--json"))
    assert again["orphansRemoved"] == 0 and again["stagedRemoved"] == 0


def test_kill_during_concurrent_lock_changes_loses_no_acknowledged_one(tmp_path):
    """16 clients, each alternating LOCK and UNLOCK on a file of its own (so their writes meet
    in group commits), then SIGKILL: after a restart each file's lock is what the client's last
    acknowledged operation left, or what the one in flight at the kill did (it may have
    committed without its answer arriving) — never an older state."""
    folio, files = setup(tmp_path, 16)
    port = folio.port
    start(folio)
    tokens = {f: token(folio, f) for f in files}
    last = {}                  # file -> (acknowledged lock after the last answered op, op in flight)
    refused = []
    stop = threading.Event()

    def client(f):
        lock_id = "crash-" + f[:6]
        locked = False
        while not stop.is_set():
            op = "UNLOCK" if locked else "LOCK"
            after = "" if locked else lock_id
            last[f] = (lock_id if locked else "", after)
            try:
                status, _, _ = wopi(port, "POST", "/wopi/files/%s?access_token=%s" % (f, tokens[f]),
                                    {"X-WOPI-Override": op, "X-WOPI-Lock": lock_id}, timeout=10)
            except (OSError, http.client.HTTPException):
                return          # the kill: the operation in flight may or may not have committed
            if status != 200:
                refused.append((f, op, status))
                return
            locked = not locked
            last[f] = (after, after)

    kill_while_running(folio, client, files, stop)
    assert not refused, "lock operations refused before the kill: %r" % refused[:5]

    start(folio)
    try:
        for f in files:
            status, headers, _ = wopi(port, "POST", "/wopi/files/%s?access_token=%s" % (f, token(folio, f)),
                                      {"X-WOPI-Override": "GET_LOCK"})
            assert status == 200, status
            now = {k.lower(): v for k, v in headers.items()}.get("x-wopi-lock", "")
            acknowledged, in_flight = last[f]
            assert now in (acknowledged, in_flight), \
                "%s: lock %r after the restart; last acknowledged %r, in flight %r" % (f, now, acknowledged, in_flight)
    finally:
        folio.stop(30)


class Receiver:
    """A webhook receiver on a free loopback port: answers 204 and keeps every event body."""

    def __init__(self):
        events = self.events = []
        guard = self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with guard:
                    events.append(json.loads(body))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        # Keep-alive answers (HTTP/1.1 with a length) and a deep accept queue: the dispatcher
        # sends twenty at once after the restart, and a receiver that drops connections would
        # only test its back-off, not the outbox.
        Handler.protocol_version = "HTTP/1.1"

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 128

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def saved(self):
        """{(fileId, version): times received} of the file.saved events (by event id, so a
        delivery repeated after the crash counts once)."""
        with self.lock:
            unique = {e["id"]: e for e in self.events if e["event"] == "file.saved"}
        seen = {}
        for e in unique.values():
            key = (e["data"]["fileId"], int(e["data"]["version"]))
            seen[key] = seen.get(key, 0) + 1
        return seen

    def stop(self):
        self.server.shutdown()


def outbox_rows(data, keys):
    """What the outbox holds for the (fileId, version) saves in `keys` (SQLite only): so a
    failure says whether the event was never written or written and not delivered (and why)."""
    import sqlite3
    path = data / "folio.sqlite"
    if not path.exists():
        return "(not on SQLite)"
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        found = []
        for file_id, version in keys:
            rows = db.execute(
                "SELECT attempts, next_attempt_at, delivered_at, last_status, last_error, created_at "
                "FROM webhook_deliveries WHERE json_extract(payload, '$.data.fileId') = ? "
                "AND json_extract(payload, '$.data.version') = ?", (file_id, str(version))).fetchall()
            found.append(((file_id, version), rows or "no delivery row"))
        now = db.execute("SELECT max(created_at) FROM webhook_deliveries").fetchone()
        return "%r (newest created_at %r)" % (found, now)
    finally:
        db.close()


def test_kill_during_concurrent_saves_loses_no_webhook_event(tmp_path):
    folio, files = setup(tmp_path, 3)
    port = folio.port
    receiver = Receiver()
    try:
        start(folio)
        key = json.loads(folio.cli("apikey", "create", "hooks", "--scope", "webhooks", "--json"))["key"]
        status, _, _ = wopi(port, "POST", "/api/v1/webhooks",
                            {"Authorization": "Bearer " + key, "Content-Type": "application/json"},
                            json.dumps({"url": receiver.url, "events": ["file.saved"]}).encode())
        assert status == 201
        tokens = {f: token(folio, f) for f in files}
        for f in files:
            status, _, _ = wopi(port, "POST", "/wopi/files/%s?access_token=%s" % (f, tokens[f]),
                                {"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "hooks"})
            assert status == 200
        stop = threading.Event()

        def writer(n):
            rnd = random.Random(100 + n)
            while not stop.is_set():
                f = rnd.choice(files)
                body = os.urandom(rnd.randint(1, 200_000))
                try:
                    wopi(port, "POST", "/wopi/files/%s/contents?access_token=%s" % (f, tokens[f]),
                         {"X-WOPI-Override": "PUT", "X-WOPI-Lock": "hooks", "Content-Length": str(len(body))},
                         body, timeout=10)
                except (OSError, http.client.HTTPException):
                    continue

        kill_while_running(folio, writer, range(10), stop)

        # After a restart the dispatcher delivers what was queued: every saved version once.
        # (On PostgreSQL the deliveries the killed process had claimed wait out their 30-second
        # lease first.)
        start(folio)
        try:
            expected = set()
            for f in files:
                for v in json.loads(folio.cli("versions", f, "--json")):
                    if v["number"] > 1:
                        expected.add((f, v["number"]))
            assert len(expected) >= 20, "too few saves before the kill to prove anything: %d" % len(expected)
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and set(receiver.saved()) != expected:
                time.sleep(0.5)
            seen = receiver.saved()
            missing = sorted(expected - set(seen))
            invented = sorted(set(seen) - expected)
            assert not missing, "saves without their event: %r; their deliveries: %s" % (
                missing[:10], outbox_rows(tmp_path / "data", missing[:10]))
            assert not invented, "events for saves that did not commit: %r" % invented[:10]
            assert all(n == 1 for n in seen.values()), "a save reported twice"
        finally:
            folio.stop(30)
    finally:
        receiver.stop()


def test_sigterm_finishes_the_upload_in_flight(tmp_path):
    folio, files = setup(tmp_path, 1)
    f = files[0]
    port = folio.port
    start(folio)
    tok = token(folio, f)
    status, _, _ = wopi(port, "POST", "/wopi/files/%s?access_token=%s" % (f, tok),
                        {"X-WOPI-Override": "LOCK", "X-WOPI-Lock": "L"})
    assert status == 200
    body = os.urandom(3_000_000)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", "/wopi/files/%s/contents?access_token=%s" % (f, tok))
    for name, value in (("X-WOPI-Override", "PUT"), ("X-WOPI-Lock", "L"), ("Content-Length", str(len(body)))):
        conn.putheader(name, value)
    conn.endheaders()
    sent = 0
    for i in range(0, len(body), 100_000):
        conn.send(body[i:i + 100_000])
        sent += 1
        if sent == 5:
            folio.proc.send_signal(signal.SIGTERM)
        time.sleep(0.05)
    response = conn.getresponse()
    assert response.status == 200, response.read()
    response.read()
    conn.close()
    assert folio.proc.wait(30) == 0
    folio.stop()
    versions = json.loads(folio.cli("versions", f, "--json"))
    assert versions[-1]["sha256"] == hashlib.sha256(body).hexdigest()

"""Crash safety and graceful shutdown of a real `folio serve` (no mocks).

* SIGKILL during many concurrent PutFiles: after a restart every acknowledged save is there,
  with exactly the bytes sent (SHA-256), no version is half-written (`folio backup --verify`
  re-reads every blob of every version), and `folio gc` removes what the crash left.
* SIGTERM during an upload: the upload in flight still completes and is acknowledged, new
  connections are refused, then the process exits 0.
"""

import hashlib
import http.client
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

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    time.sleep(2.5)
    folio.proc.send_signal(signal.SIGKILL)
    folio.proc.wait(10)
    stop.set()
    for t in threads:
        t.join(30)
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

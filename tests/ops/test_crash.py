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
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FOLIO = os.environ.get("FOLIO_BIN") or os.path.join(ROOT, ".build", "debug", "folio")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ENVS = {}


def env(data):
    """The environment of the installation in `data`: with FOLIO_TEST_POSTGRES_URL set, its own
    fresh schema of that database (FOLIO_DATABASE), the same for the server and every command."""
    if str(data) not in ENVS:
        e = dict(os.environ)
        url = os.environ.get("FOLIO_TEST_POSTGRES_URL")
        if url:
            e["FOLIO_DATABASE"] = "%s%sschema=t_%s" % (url, "&" if "?" in url else "?", secrets.token_hex(6))
        ENVS[str(data)] = e
    return ENVS[str(data)]


def cli(data, *args):
    out = subprocess.run([FOLIO, *args, "--data", str(data)], check=True, capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, env=env(data))
    return out.stdout


def start(data, port, log):
    proc = subprocess.Popen([FOLIO, "serve", "--data", str(data), "--port", str(port), "--access-log", "false"],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env(data))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=1):
                return proc
        except OSError:
            assert proc.poll() is None, "folio serve exited"
            time.sleep(0.05)
    raise RuntimeError("folio serve did not start")


def setup(tmp_path, files):
    data = tmp_path / "data"
    cli(data, "user", "add", "alice")
    targets = []
    for i in range(files):
        path = tmp_path / ("f%d.bin" % i)
        path.write_bytes(b"start %d" % i)
        info = json.loads(cli(data, "import", str(path), "--owner", "alice", "--json"))[0]
        targets.append(info["id"])
    return data, targets


def token(data, file_id, port):
    out = json.loads(cli(data, "token", file_id, "--user", "alice", "--json", "--public-url",
                         "http://127.0.0.1:%d" % port))
    return out["accessToken"]


def wopi(port, method, path, headers, body=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), payload


def every_version_reads_back(data, port, files):
    """No version is half-written: each one's content, read through the API, hashes to the
    SHA-256 recorded for it."""
    key = json.loads(cli(data, "apikey", "create", "crash-check", "--scope", "read", "--json"))["key"]
    for f in files:
        for v in json.loads(cli(data, "versions", f, "--json")):
            status, _, body = wopi(port, "GET", "/api/v1/files/%s/versions/%d/content" % (f, v["number"]),
                                   {"Authorization": "Bearer " + key})
            assert status == 200 and hashlib.sha256(body).hexdigest() == v["sha256"], (f, v["number"], status)


def test_kill_during_concurrent_saves_loses_no_acknowledged_save(tmp_path):
    data, files = setup(tmp_path, 4)
    port = free_port()
    log = open(tmp_path / "folio.log", "ab")
    proc = start(data, port, log)
    tokens = {f: token(data, f, port) for f in files}
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
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    stop.set()
    for t in threads:
        t.join(30)
    assert len(acknowledged) >= 20, "too few saves before the kill to prove anything: %d" % len(acknowledged)

    # Restart on the same folder: every acknowledged save is a version with exactly its bytes.
    proc = start(data, port, log)
    try:
        for f in files:
            versions = {v["number"]: v for v in json.loads(cli(data, "versions", f, "--json"))}
            for (g, number, sha) in acknowledged:
                if g == f:
                    assert number in versions, "acknowledged version %d of %s is gone" % (number, f)
                    assert versions[number]["sha256"] in (sha, bytes.fromhex(sha).hex()), (f, number)
            # The current content is whole: it hashes to its latest version.
            latest = max(versions)
            status, _, body = wopi(port, "GET", "/wopi/files/%s/contents?access_token=%s" % (f, token(data, f, port)), {})
            assert status == 200 and hashlib.sha256(body).hexdigest() == versions[latest]["sha256"]
        if os.environ.get("FOLIO_TEST_POSTGRES_URL"):
            # `folio backup` copies SQLite installations only: read every version back instead.
            every_version_reads_back(data, port, files)
    finally:
        proc.terminate()
        proc.wait(30)
    if not os.environ.get("FOLIO_TEST_POSTGRES_URL"):
        # No version is half-written: every blob of every version re-reads to its recorded SHA-256.
        subprocess.run([FOLIO, "backup", str(tmp_path / "check"), "--verify", "--data", str(data)], check=True,
                       capture_output=True, env=env(data))
    # What the crash left (blobs written but never committed, staged parts) is garbage.
    report = json.loads(cli(data, "gc", "--min-age", "0", "--json"))
    assert report["blobsScanned"] >= len(acknowledged)
    again = json.loads(cli(data, "gc", "--min-age", "0", "--json"))
    assert again["orphansRemoved"] == 0 and again["stagedRemoved"] == 0


def test_sigterm_finishes_the_upload_in_flight(tmp_path):
    data, files = setup(tmp_path, 1)
    f = files[0]
    port = free_port()
    log = open(tmp_path / "folio.log", "ab")
    proc = start(data, port, log)
    tok = token(data, f, port)
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
            proc.send_signal(signal.SIGTERM)
        time.sleep(0.05)
    response = conn.getresponse()
    assert response.status == 200, response.read()
    response.read()
    conn.close()
    assert proc.wait(30) == 0
    versions = json.loads(cli(data, "versions", f, "--json"))
    assert versions[-1]["sha256"] == hashlib.sha256(body).hexdigest()

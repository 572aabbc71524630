"""Two `folio serve` processes on one installation (the same --data folder and the same
PostgreSQL schema), keep-alive HTTP clients for many threads, and the WOPI and API calls the
tests make.

The Folio processes and the command line come from tests/clients/harness.py (on the shared
tests/lib/folio_process.py), so the database an installation uses is chosen in one place
(FOLIO_DATABASE from FOLIO_TEST_POSTGRES_URL).
"""

import base64
import collections
import hashlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))

import harness  # noqa: E402  (after the path above)
from folio_process import installation_env  # noqa: E402  (on the path harness sets)

Answer = collections.namedtuple("Answer", "status headers body")

# With FOLIO_BLOBS naming a bucket, the two instances run on separate data folders (the s3
# stage of scripts/test); otherwise on one shared folder (the postgres stage).
SEPARATE_FOLDERS = bool(os.environ.get("FOLIO_BLOBS"))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def sha256_b64(data):
    """CheckFileInfo's SHA256: the digest in base64."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


class Client:
    """HTTP/1.1 keep-alive connections, one per thread and port, so a thread pool sends its
    requests over a few long-lived connections as an editor's server does. No request is
    retried: a dropped connection is an error the test should see."""

    def __init__(self):
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all = []

    def _conn(self, port):
        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        if port not in conns:
            conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with self._lock:
                self._all.append(conns[port])
        return conns[port]

    def request(self, port, method, target, headers=(), body=None):
        conn = self._conn(port)
        headers = dict(headers)
        if method in ("POST", "PUT") and "Content-Length" not in headers:
            headers["Content-Length"] = str(len(body or b""))
        try:
            conn.request(method, target, body=body, headers=headers)
            r = conn.getresponse()
            payload = r.read()
        except Exception:
            conn.close()        # the next request on this thread starts a new connection
            raise
        return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, payload)

    def close(self):
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


class Twins:
    """Instances `a` and `b` of one installation, users alice and bob, and a folder for the
    files the tests import."""

    def __init__(self, tmp, out, editors):
        self.tmp = tmp
        data = tmp / "data"
        env = None
        if SEPARATE_FOLDERS:
            # Content in a bucket (FOLIO_BLOBS) and the secret in a file of its own: each
            # instance gets its own throw-away data folder and they share nothing else.
            secret = tmp / "secret.key"
            secret.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode("ascii").rstrip("=") + "\n")
            env = dict(installation_env(), FOLIO_SECRET_FILE=str(secret))
        self.a = harness.Folio(data, os.path.join(out, "folio-scale-a.log"), env=env)
        # The same FOLIO_DATABASE: one installation.
        self.b = harness.Folio(
            tmp / "data-b" if SEPARATE_FOLDERS else data, os.path.join(out, "folio-scale-b.log"), env=self.a.env)
        self.folders = sorted({self.a.data, self.b.data})
        self._n = 0
        try:
            self.a.start(editors)
            self.b.start(editors)
            self.a.user_add("alice", "Alice Liddell")
            self.b.user_add("bob", "Bob Cratchit")
        except BaseException:
            self.stop()
            raise

    def stop(self):
        self.a.stop()
        self.b.stop()

    @property
    def pair(self):
        return (self.a, self.b)

    def import_files(self, contents, owner="alice", prefix="f"):
        """Import each of `contents` (bytes) as its own .docx in one `folio import`; the ids."""
        self._n += 1
        d = self.tmp / ("in%d" % self._n)
        d.mkdir()
        paths = []
        for i, content in enumerate(contents):
            path = d / ("%s%03d.docx" % (prefix, i))
            path.write_bytes(content)
            paths.append(str(path))
        entries = json.loads(self.a.cli("import", "--owner", owner, "--json", positional=paths))
        assert [e["size"] for e in entries] == [len(c) for c in contents], entries
        return [e["id"] for e in entries]

    def token(self, file_id, login="alice", role=None):
        """An access token from `folio token` (any instance accepts it: one secret, one database)."""
        args = ["token", "--user", login, "--json", "--public-url", self.a.base] + (["--role", role] if role else [])
        return json.loads(self.a.cli(*args, positional=[file_id]))["accessToken"]

    def tokens(self, file_ids, login="alice"):
        """Tokens for many files, issued by concurrent `folio token` processes."""
        with ThreadPoolExecutor(8) as pool:
            return dict(zip(file_ids, pool.map(lambda f: self.token(f, login), file_ids)))

    def api_key(self, *scopes):
        args = ["apikey", "create", "--json"] + [x for s in scopes for x in ("--scope", s)]
        return json.loads(self.a.cli(*args, positional=["scale-tests"]))["key"]


# ---- WOPI -----------------------------------------------------------------------------

def _file(file_id, token, contents=False):
    return "/wopi/files/%s%s?access_token=%s" % (file_id, "/contents" if contents else "", token)


def lock(client, folio, file_id, token, lock_id):
    return client.request(folio.port, "POST", _file(file_id, token),
                          [("X-WOPI-Override", "LOCK"), ("X-WOPI-Lock", lock_id)])


def unlock(client, folio, file_id, token, lock_id):
    return client.request(folio.port, "POST", _file(file_id, token),
                          [("X-WOPI-Override", "UNLOCK"), ("X-WOPI-Lock", lock_id)])


def get_lock(client, folio, file_id, token):
    r = client.request(folio.port, "POST", _file(file_id, token), [("X-WOPI-Override", "GET_LOCK")])
    assert r.status == 200, "GetLock on %s: %r" % (folio.base, r)
    return r.headers.get("x-wopi-lock")


def put_file(client, folio, file_id, token, body, lock_id=None):
    headers = [("X-WOPI-Override", "PUT")] + ([("X-WOPI-Lock", lock_id)] if lock_id is not None else [])
    return client.request(folio.port, "POST", _file(file_id, token, True), headers, body)


def get_file(client, folio, file_id, token):
    return client.request(folio.port, "GET", _file(file_id, token, True))


def check_file_info(client, folio, file_id, token):
    r = client.request(folio.port, "GET", _file(file_id, token))
    assert r.status == 200, "CheckFileInfo on %s: %r" % (folio.base, r)
    return json.loads(r.body)


# ---- the application API ----------------------------------------------------------------

def within_a_second(ask, ready):
    """Asks `ask()` until `ready(answer)` holds, for at most one second: what another instance
    changed reaches this one's CheckFileInfo cache through a notification (milliseconds), and
    the cache's age limit bounds it to one second. Returns (answer, seconds it took)."""
    start = time.monotonic()
    while True:
        answer = ask()
        waited = time.monotonic() - start
        if ready(answer) or waited > 1.0:
            return answer, waited
        time.sleep(0.002)


def api(client, folio, key, method, path, document=None):
    """An /api/v1 call with a key; (status, decoded JSON or raw bytes)."""
    body = json.dumps(document).encode() if document is not None else None
    headers = [("Authorization", "Bearer " + key)]
    headers += [("Content-Type", "application/json")] if body is not None else []
    r = client.request(folio.port, method, "/api/v1" + path, headers, body)
    ctype = r.headers.get("content-type", "")
    return r.status, (json.loads(r.body) if ctype.startswith("application/json") else r.body)


# ---- PostgreSQL ---------------------------------------------------------------------------

def psql(url, sql):
    """One query through psql (a URL without Folio's ?schema=); its rows as lists of strings."""
    # The cluster's own psql (scripts/lib/postgres.sh exports PG_BINDIR), else the one on PATH.
    exe = os.path.join(os.environ.get("PG_BINDIR", ""), "psql")
    exe = exe if os.access(exe, os.X_OK) else shutil.which("psql")
    assert exe, "psql is not on PATH (Debian's postgresql-client-15)"
    r = subprocess.run([exe, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, "psql: %s" % r.stderr.strip()
    return [line.split("\t") for line in r.stdout.splitlines()]


def schema_of(env):
    """The schema FOLIO_DATABASE names (folio_process.installation_env chose it)."""
    url = env["FOLIO_DATABASE"]
    return url.rsplit("schema=", 1)[1].split("&")[0]

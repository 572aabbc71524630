"""The four kinds of storage a space lives in, reached directly (never through Folio): what a
test reads to check that a save really landed, writes to change a document "outside", lists to
find a conflict copy, and stops and starts under a running Folio.

tests/spaces/clients.sh starts the servers and hands them over in the environment:

    FOLIO_TEST_SPACE_FOLDER          the folder of the `folder` space
    FOLIO_TEST_SPACE_WEBDAV_URL      http://USER:PASSWORD@127.0.0.1:PORT/dav/ (Apache mod_dav)
    FOLIO_TEST_SPACE_WEBDAV_DIR      the folder on disk behind it
    FOLIO_TEST_SPACE_APACHE_DIR      the Apache's folder (httpd.conf, run/apache2.pid)
    FOLIO_TEST_SPACE_S3_ENDPOINT     the Ceph RGW (keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
    FOLIO_TEST_SPACE_S3_BUCKET       the bucket; the space is its prefix FOLIO_TEST_SPACE_S3_PREFIX
    FOLIO_TEST_SPACE_HTTP_URL        examples/connector-app's base URL
    FOLIO_TEST_SPACE_HTTP_SECRET_FILE   its secret (the app reads it at start)
    FOLIO_TEST_SPACE_HTTP_ROOT       the folder it serves
    FOLIO_TEST_SPACE_HTTP_PID        its process
    FOLIO_TEST_SPACE_PIDS            a file where a server restarted here is recorded ("PID MARK"),
                                     so the script's cleanup stops it even if pytest dies
    CEPH_DIR, FOLIO_RUN_DIR, …       what scripts/lib/ceph.sh's rgw_stop / rgw_start need

A variable that is missing is an error, never a skip.
"""

import os
import signal
import socket
import subprocess
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote, urlsplit

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
START_TIMEOUT = 60


def env(name):
    value = os.environ.get(name)
    assert value, "%s is not set: run tests/spaces/clients.sh, which starts the storages" % name
    return value


def wait_until(ready, timeout, what):
    """Poll `ready()` every 0.1 s until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if ready():
            return
        assert time.monotonic() < deadline, "%s: not within %ss" % (what, timeout)
        time.sleep(0.1)


def port_refuses(port):
    """Nothing listens on 127.0.0.1:port any more."""
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


def record_pid(pid, mark):
    with open(env("FOLIO_TEST_SPACE_PIDS"), "a") as f:
        f.write("%d %s\n" % (pid, mark))


def alive(pid, mark):
    """`pid` runs and its command line holds `mark` (not a process that took a gone one's number)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return mark in cmdline and state != "Z"


def terminate(pid, mark, timeout=10):
    """TERM the process `pid` (only while it is the one `mark` names), KILL after `timeout` s."""
    if not alive(pid, mark):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid, mark) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(pid, mark):
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not alive(pid, mark), 10, "pid %d to die after KILL" % pid)


class Storage:
    """One space's storage. Paths are space paths ("/Clients/a.docx")."""

    kind = None
    can_stop = True

    def space(self):
        """The `--space docs=…` value."""
        raise NotImplementedError

    def read(self, path):
        """The document's bytes, from the storage itself."""
        raise NotImplementedError

    def write(self, path, data):
        """Create or replace the document the way the storage's other clients do (its folders
        made as needed)."""
        raise NotImplementedError

    def write_outside(self, path, data):
        """Another program changing a document that Folio may be holding a lock on in the
        storage (WebDAV: written on the server's disk, which its locks do not guard)."""
        self.write(path, data)

    def names(self, folder):
        """The names of the documents and folders in `folder`, sorted."""
        raise NotImplementedError

    def stop(self):
        raise NotImplementedError

    def start(self):
        raise NotImplementedError

    def close(self):
        """The end of the session: the storage is left running, also one a test restarted (it
        is in FOLIO_TEST_SPACE_PIDS; the script stops it)."""


class OnDisk:
    """A storage whose documents are files under `self.root`: read and written directly."""

    def _disk(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def read(self, path):
        with open(self._disk(path), "rb") as f:
            return f.read()

    def write(self, path, data):
        os.makedirs(os.path.dirname(self._disk(path)), exist_ok=True)
        with open(self._disk(path), "wb") as f:
            f.write(data)


class FolderStorage(OnDisk, Storage):
    """A folder. It cannot be stopped: Folio runs as root here, so even `chmod 000` does not
    keep it out, and a folder that is gone is a missing document, not an unavailable storage."""

    kind = "folder"
    can_stop = False

    def __init__(self):
        self.root = env("FOLIO_TEST_SPACE_FOLDER")

    def space(self):
        return "folder:" + self.root

    def names(self, folder):
        return sorted(os.listdir(self._disk(folder)))


class WebDAVStorage(Storage):
    """Apache mod_dav (scripts/lib/apache.sh): read, written and listed over WebDAV by another
    client; stopped and started with its own httpd.conf (same port, same lock database)."""

    kind = "webdav"

    def __init__(self):
        self.url = env("FOLIO_TEST_SPACE_WEBDAV_URL")
        parts = urlsplit(self.url)
        self.auth = (unquote(parts.username), unquote(parts.password))
        self.base = "%s://%s:%d%s" % (parts.scheme, parts.hostname, parts.port, parts.path)
        self.port = parts.port
        self.dir = env("FOLIO_TEST_SPACE_WEBDAV_DIR")
        self.apache_dir = env("FOLIO_TEST_SPACE_APACHE_DIR")
        self.conf = os.path.join(self.apache_dir, "httpd.conf")
        self.http = requests.Session()
        self.http.auth = self.auth

    def space(self):
        return "webdav:" + self.url

    def href(self, path):
        return self.base + quote(path.lstrip("/"), safe="/")

    def read(self, path):
        r = self.http.get(self.href(path), timeout=10)
        assert r.status_code == 200, "WebDAV GET %s: %d %s" % (path, r.status_code, r.text[:200])
        return r.content

    def put(self, path, data):
        """A plain WebDAV PUT: its status (201, 204, or 423 while someone holds a lock)."""
        return self.http.put(self.href(path), data=data, timeout=10).status_code

    def write(self, path, data):
        parts = path.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            r = self.http.request("MKCOL", self.href("/".join(parts[:i]) + "/"), timeout=10)
            assert r.status_code in (201, 405), "MKCOL %s: %d" % (parts[:i], r.status_code)
        status = self.put(path, data)
        assert status in (201, 204), "WebDAV PUT %s: %d" % (path, status)

    def write_outside(self, path, data):
        # In place, so the file keeps its owner (www-data) and Apache can go on writing it.
        with open(os.path.join(self.dir, path.lstrip("/")), "r+b") as f:
            f.truncate(0)
            f.write(data)

    def names(self, folder):
        r = self.http.request("PROPFIND", self.href(folder.rstrip("/") + "/"), headers={"Depth": "1"}, timeout=10)
        assert r.status_code == 207, "PROPFIND %s: %d" % (folder, r.status_code)
        own = urlsplit(self.href(folder.rstrip("/") + "/")).path.rstrip("/")
        names = []
        # Each response's own href (a lock's token and root are hrefs too, deeper down).
        for response in ET.fromstring(r.content).findall("{DAV:}response"):
            p = urlsplit(response.find("{DAV:}href").text).path.rstrip("/")
            if p != own:
                names.append(unquote(p.rsplit("/", 1)[1]))
        return sorted(names)

    # ---- stopping -------------------------------------------------------------------

    def pid(self):
        with open(os.path.join(self.apache_dir, "run", "apache2.pid")) as f:
            return int(f.read().strip())

    def answers(self):
        try:
            return self.http.request("PROPFIND", self.base, headers={"Depth": "0"}, timeout=2).status_code == 207
        except requests.RequestException:
            return False

    def stop(self):
        pid = self.pid()
        assert alive(pid, self.conf), "Apache (pid %d from its PidFile) is not running" % pid
        # Its workers are children of the parent and leave with it (TERM: an immediate stop).
        terminate(pid, self.conf)
        wait_until(lambda: port_refuses(self.port), 10, "Apache to stop listening")

    def start(self):
        out = open(os.path.join(self.apache_dir, "logs", "apache.out"), "ab")
        proc = subprocess.Popen(["apache2", "-f", self.conf, "-DFOREGROUND"], stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        record_pid(proc.pid, self.conf)
        wait_until(lambda: proc.poll() is not None or self.answers(), START_TIMEOUT, "Apache to answer again")
        assert proc.poll() is None, "apache2 exited at its restart (see %s/logs)" % self.apache_dir


class S3Storage(Storage):
    """A bucket on Ceph RGW (scripts/lib/ceph.sh), reached with boto3; only the gateway is
    stopped (rgw_stop) and started (rgw_start), so the data stay."""

    kind = "s3"

    def __init__(self):
        import boto3        # a missing module is an error here, not a skip
        from botocore.config import Config
        self.endpoint = env("FOLIO_TEST_SPACE_S3_ENDPOINT")
        self.bucket = env("FOLIO_TEST_SPACE_S3_BUCKET")
        self.prefix = env("FOLIO_TEST_SPACE_S3_PREFIX").strip("/") + "/"
        env("AWS_ACCESS_KEY_ID")
        env("AWS_SECRET_ACCESS_KEY")
        env("CEPH_DIR")
        env("FOLIO_RUN_DIR")
        self.s3 = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                               config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10))

    def space(self):
        return "s3:s3://%s/%s?endpoint=%s" % (self.bucket, self.prefix.rstrip("/"), self.endpoint)

    def key(self, path):
        return self.prefix + path.lstrip("/")

    def read(self, path):
        return self.s3.get_object(Bucket=self.bucket, Key=self.key(path))["Body"].read()

    def write(self, path, data):
        self.s3.put_object(Bucket=self.bucket, Key=self.key(path), Body=data)

    def names(self, folder):
        prefix = self.key(folder).rstrip("/") + "/"
        answer = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix, Delimiter="/")
        names = [o["Key"][len(prefix):] for o in answer.get("Contents", [])]
        names += [p["Prefix"][len(prefix):].rstrip("/") for p in answer.get("CommonPrefixes", [])]
        return sorted(n for n in names if n)

    def _ceph(self, function):
        script = 'source "$1/scripts/lib/folio.sh" && source "$1/scripts/lib/ceph.sh" && %s' % function
        r = subprocess.run(["bash", "-c", script, "ceph", ROOT], stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=START_TIMEOUT + 30)
        assert r.returncode == 0, "%s failed (%d): %s" % (function, r.returncode, r.stderr[-2000:])

    def stop(self):
        self._ceph("rgw_stop")
        wait_until(lambda: port_refuses(urlsplit(self.endpoint).port), 10, "the RGW to stop listening")

    def start(self):
        self._ceph("rgw_start")


class ConnectorStorage(OnDisk, Storage):
    """examples/connector-app (docs/connector-contract.md) serving a folder; the folder is the
    storage itself. Stopped with TERM and started again on the same port, root and secret."""

    kind = "http"

    def __init__(self):
        self.url = env("FOLIO_TEST_SPACE_HTTP_URL").rstrip("/")
        self.port = urlsplit(self.url).port
        self.root = env("FOLIO_TEST_SPACE_HTTP_ROOT")
        self.secret_file = env("FOLIO_TEST_SPACE_HTTP_SECRET_FILE")
        with open(self.secret_file) as f:
            self.secret = f.read().strip()
        self.pid = int(env("FOLIO_TEST_SPACE_HTTP_PID"))
        self.app = os.path.join(ROOT, "examples", "connector-app", "app.py")
        self.mark = "--root " + self.root
        self.proc = None

    def space(self):
        return "http:%s?secret=%s" % (self.url, self.secret)

    def names(self, folder):
        # The app keeps its own bookkeeping out of listings; so does this.
        return sorted(n for n in os.listdir(self._disk(folder)) if not n.startswith(".folio-"))

    def running_pid(self):
        """The app's process: the one the script started, or the last one restarted here."""
        candidates = [self.pid]
        with open(env("FOLIO_TEST_SPACE_PIDS")) as f:
            candidates += [int(line.split()[0]) for line in f if line.strip() and self.mark in line]
        live = [pid for pid in candidates if alive(pid, self.mark)]
        assert live, "the connector app is not running (pids %s)" % candidates
        return live[-1]

    def stop(self):
        terminate(self.running_pid(), self.mark)
        wait_until(lambda: port_refuses(self.port), 10, "the connector app to stop listening")

    def start(self):
        log = open(os.path.join(os.path.dirname(self.secret_file), "app-restarted.log"), "ab")
        self.proc = subprocess.Popen(
            ["python3", self.app, "--root", self.root, "--secret-file", self.secret_file, "--host", "127.0.0.1",
             "--port", str(self.port)], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        self.pid = self.proc.pid
        record_pid(self.pid, self.mark)
        wait_until(lambda: self.proc.poll() is not None or not port_refuses(self.port), START_TIMEOUT,
                   "the connector app to listen again")
        assert self.proc.poll() is None, "the connector app exited at its restart"


KINDS = {"folder": FolderStorage, "webdav": WebDAVStorage, "s3": S3Storage, "http": ConnectorStorage}

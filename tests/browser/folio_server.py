"""A live `folio serve` for the browser tests, and the `folio` command line on its data folder.

The executable is FOLIO_BIN, else the debug build in .build/debug/folio. The server listens on
a free port of 127.0.0.1 with its own data folder; `start()` returns once it printed its
"Folio listening on" line and answers /healthz.
"""

import errno
import json
import os
import re
import socket
import sqlite3
import subprocess
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FOLIO_BIN = os.environ.get("FOLIO_BIN") or os.path.join(ROOT, ".build", "debug", "folio")


def _run_binary(start):
    """`start()` runs FOLIO_BIN; a concurrent build may have it open for writing ("Text file
    busy") or briefly gone: retry for up to FOLIO_BIN_WAIT seconds (default 300)."""
    deadline = time.monotonic() + float(os.environ.get("FOLIO_BIN_WAIT", "300"))
    while True:
        try:
            if not os.access(FOLIO_BIN, os.X_OK):
                raise FileNotFoundError(errno.ENOENT, "folio executable not found (set FOLIO_BIN)", FOLIO_BIN)
            return start()
        except OSError as e:
            if e.errno not in (errno.ETXTBSY, errno.ENOENT) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Folio:
    """One `folio serve` on 127.0.0.1 with the data folder `data`; its output goes to `log_path`."""

    def __init__(self, data, log_path, editors=(), extra_args=()):
        self.data, self.log_path = str(data), str(log_path)
        self.editors = list(editors)              # ["collabora=http://…/hosting/discovery", …]
        self.extra_args = list(extra_args)        # more `serve` options, e.g. ["--watermark", "{user}"]
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = None
        self._log = None
        self._files = 0
        self._log_start = 0
        self.store = Store(self.data)              # read-only looks at the database and blobs

    # ---- life cycle ---------------------------------------------------------------------

    def start(self, timeout=None):
        args = [FOLIO_BIN, "serve", "--data", self.data, "--host", "127.0.0.1", "--port", str(self.port),
                "--public-url", self.base]
        for editor in self.editors:
            args += ["--editor", editor]
        args += self.extra_args
        self._log = open(self.log_path, "ab")
        self._log_start = self._log.tell()        # this start's output begins here
        # The binary may be relinked by a concurrent build: _run_binary waits for it.
        self.proc = _run_binary(lambda: subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log,
                                                         stderr=subprocess.STDOUT))
        timeout = timeout or float(os.environ.get("FOLIO_START_TIMEOUT", "60"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("folio serve exited with %s:\n%s" % (self.proc.returncode, self.log_tail()))
            if "Folio listening on " + self.base in self.log_text(since_start=True) and self._healthy():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("folio serve did not start within %ss:\n%s" % (timeout, self.log_tail()))

    def _healthy(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self, since_start=False):
        """The log file (appended to by every run of the same test); with `since_start`, only what
        the last start() wrote."""
        try:
            with open(self.log_path, "rb") as f:
                if since_start:
                    f.seek(self._log_start)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_tail(self, n=40):
        return "".join(self.log_text().splitlines(True)[-n:])

    # ---- the command line ---------------------------------------------------------------

    def cli(self, *args, positional=(), stdin=None):
        """`folio ARGS --data D -- POSITIONAL` (file ids may begin with '-', so they go after `--`);
        its standard output. A non-zero exit raises with the command's one-line error."""
        cmd = [FOLIO_BIN, *args, "--data", self.data] + (["--", *map(str, positional)] if positional else [])
        r = _run_binary(lambda: subprocess.run(cmd, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                                               capture_output=True, text=True, timeout=60))
        if r.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
        return r.stdout

    def user_add(self, login, name=None, password=None, admin=False):
        """`folio user add LOGIN [--name NAME] [--admin]`, with a password when one is given."""
        args = ["user", "add"] + (["--name", name] if name else []) + (["--admin"] if admin else [])
        if password is not None:
            self.cli(*args, "--password-stdin", positional=[login], stdin=password + "\n")
        else:
            self.cli(*args, positional=[login])

    def import_files(self, *paths, owner, folder=None):
        """`folio import PATHS --owner OWNER [--folder F] --json`: one {id,name,size,version} per file."""
        args = ["import", "--owner", owner, "--json"] + (["--folder", folder] if folder else [])
        entries = json.loads(self.cli(*args, positional=paths))
        assert len(entries) == len(paths), entries
        return entries

    def new_file(self, name, content, owner, folder=None):
        """Write `content` (bytes) to a file called `name` and import it for `owner`; its entry."""
        self._files += 1
        d = os.path.join(os.path.dirname(self.data), "import-%d" % self._files)
        os.makedirs(d)
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(content)
        [entry] = self.import_files(path, owner=owner, folder=folder)
        assert entry["name"] == name and entry["size"] == len(content), entry
        return entry

    def share(self, file_id, login, role):
        """`folio share ID --user LOGIN --role view|comment|edit`."""
        self.cli("share", "--user", login, "--role", role, positional=[file_id])

    def open(self, file_id, user, action=None, editor=None, ttl=None):
        """`folio open ID --user LOGIN --json`: the host-page URL (with its ticket) to browse to."""
        args = ["open", "--user", user, "--json"]
        args += ["--action", action] if action else []
        args += ["--editor", editor] if editor else []
        args += ["--ttl", str(ttl)] if ttl else []
        answer = json.loads(self.cli(*args, positional=[file_id]))
        assert sorted(answer) == ["url"], answer
        assert answer["url"].startswith("%s/files/%s/" % (self.base, file_id)), answer
        return answer["url"]

    def token(self, file_id, user, role=None, editor=None):
        """`folio token … --json`: {"accessToken", "accessTokenTTL", "wopiSrc"}."""
        args = ["token", "--user", user, "--json"]
        args += ["--role", role] if role else []
        args += ["--editor", editor] if editor else []
        return json.loads(self.cli(*args, positional=[file_id]))

    def versions(self, file_id):
        """`folio versions ID --json`: every version, oldest first ({number, size, sha256, source, …})."""
        return json.loads(self.cli("versions", "--json", positional=[file_id]))

    def setup_url(self):
        """The one-time set-up link the server printed at its last start (no administrator yet), or None."""
        found = re.findall(r"^Set up Folio at (\S+)$", self.log_text(since_start=True), re.M)
        return found[-1] if found else None

    def closed_url(self, file_id):
        """Where the host page goes when the editor closes (Folio's `/files/ID/closed`)."""
        return "%s/files/%s/closed" % (self.base, file_id)


class Store:
    """Read-only looks into a data folder, for what the command line does not list: the
    metadata database (folio.sqlite, opened read-only while the server runs) and the blobs."""

    def __init__(self, data):
        self.data = str(data)

    def query(self, sql, *args):
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.data, "folio.sqlite"), uri=True, timeout=10)
        try:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(sql, args)]
        finally:
            db.close()

    def user(self, login):
        rows = self.query("SELECT * FROM users WHERE login = ?", login)
        return rows[0] if rows else None

    def file(self, file_id):
        rows = self.query("SELECT * FROM files WHERE id = ?", file_id)
        return rows[0] if rows else None

    def folder(self, folder_id):
        rows = self.query("SELECT * FROM folders WHERE id = ?", folder_id)
        return rows[0] if rows else None

    def files(self, **where):
        """Every file row (deleted ones too), optionally only those whose columns equal `where`."""
        sql = "SELECT * FROM files" + (" WHERE " + " AND ".join("%s = ?" % k for k in where) if where else "")
        return self.query(sql + " ORDER BY created_at", *where.values())

    def blob_paths(self):
        """Every file under blobs/ (relative paths), staging files of uploads in progress included."""
        root = os.path.join(self.data, "blobs")
        found = []
        for folder, _, names in os.walk(root):
            found += [os.path.relpath(os.path.join(folder, n), root) for n in names]
        return sorted(found)

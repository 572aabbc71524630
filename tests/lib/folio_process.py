"""A live `folio serve` for every Python suite (tests/browser, clients, scale, ops, migrate),
and the `folio` command line on the same installation.

    folio = FolioProcess(data, log_path)          # picks a free port of 127.0.0.1
    folio.start("--editor", "collabora=…")        # waits until it answers; returns folio
    folio.cli("user", "add", positional=["alice"])
    folio.stop()                                  # SIGTERM, SIGKILL after the timeout

The executable is FOLIO_BIN, else the debug build in .build/debug/folio. The database is chosen
by `installation_env`: with FOLIO_TEST_POSTGRES_URL set (the postgres stage of scripts/test)
every installation gets a fresh schema of that database through FOLIO_DATABASE, so
installations sharing one server stay as independent as separate SQLite files; else SQLite in
the data folder. The server and every command of one installation share its environment
(`folio.env`); give a second process the first one's `env` to make it the same installation.

The suites import this module by name: their conftest.py puts tests/lib on sys.path.
"""

import atexit
import errno
import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FOLIO_BIN = os.environ.get("FOLIO_BIN") or os.path.join(ROOT, ".build", "debug", "folio")


def free_port():
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def installation_env(database="auto"):
    """The environment of one installation's processes (a copy of os.environ):
    "auto"    a fresh schema of FOLIO_TEST_POSTGRES_URL when that is set (FOLIO_DATABASE names
              it), else the environment as it is (SQLite in the data folder);
    "sqlite"  SQLite in the data folder whatever the caller's environment (no FOLIO_DATABASE);
    a URL     FOLIO_DATABASE set to it."""
    env = dict(os.environ)
    if database == "sqlite":
        env.pop("FOLIO_DATABASE", None)
    elif database == "auto":
        url = os.environ.get("FOLIO_TEST_POSTGRES_URL")
        if url:
            env["FOLIO_DATABASE"] = "%s%sschema=t_%s" % (url, "&" if "?" in url else "?", secrets.token_hex(6))
    else:
        env["FOLIO_DATABASE"] = database
    return env


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


def run(args, env=None, stdin=None, timeout=60):
    """`folio ARGS` to the end: its subprocess.CompletedProcess (text, output captured), whatever
    its exit status. `stdin` is text for its standard input (else none)."""
    cmd = [FOLIO_BIN, *map(str, args)]
    return _run_binary(lambda: subprocess.run(cmd, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                                              capture_output=True, text=True, timeout=timeout, env=env))


_running = set()     # started and not yet stopped


@atexit.register
def stop_all():
    """Stop every FolioProcess that is still running (also at exit, for one a suite left)."""
    for folio in list(_running):
        folio.stop()


class FolioProcess:
    """One `folio serve` on 127.0.0.1 with the data folder `data`; its standard output and
    error are appended to `log_path` (every start of the same process to the same file).
    `env` is the installation's environment (default: `installation_env()`)."""

    def __init__(self, data, log_path, env=None):
        self.data, self.log_path = str(data), str(log_path)
        self.env = installation_env() if env is None else env
        self.port = free_port()         # the same port for every start
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = None                # the subprocess.Popen of the running server
        self._log = None
        self._log_start = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # ---- life cycle ---------------------------------------------------------------------

    def start(self, *args, timeout=None):
        """`folio serve --data D --host 127.0.0.1 --port P --public-url http://127.0.0.1:P ARGS`;
        returns once this start printed "Folio listening on" and /healthz answers 200, within
        `timeout` seconds (default FOLIO_START_TIMEOUT, else 60). A server that exits or does
        not answer in time is stopped, and the error shows the end of its log."""
        self.stop()
        cmd = [FOLIO_BIN, "serve", "--data", self.data, "--host", "127.0.0.1", "--port", str(self.port),
               "--public-url", self.base, *args]
        self._log = open(self.log_path, "ab")
        self._log_start = self._log.tell()        # this start's output begins here
        try:
            # The binary may be relinked by a concurrent build: _run_binary waits for it.
            self.proc = _run_binary(lambda: subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log,
                                                             stderr=subprocess.STDOUT, env=self.env))
        except BaseException:
            self.stop()
            raise
        _running.add(self)
        timeout = timeout or float(os.environ.get("FOLIO_START_TIMEOUT", "60"))
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError("folio serve exited with %s:\n%s" % (self.proc.returncode, self.log_tail()))
                if "Folio listening on " + self.base in self.log_text(since_start=True) and self._healthy():
                    return self
                time.sleep(0.1)
            raise RuntimeError("folio serve did not start within %ss:\n%s" % (timeout, self.log_tail()))
        except BaseException:
            self.stop()
            raise

    def _healthy(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self, timeout=10):
        """SIGTERM, then SIGKILL if it has not exited after `timeout` seconds; closes the log.
        Its exit status (negative: the signal that ended it), None when it was not started.
        Safe to call at any time, also when it is not running."""
        status = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            status = self.proc.returncode
        _running.discard(self)
        self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return status

    def log_text(self, since_start=False):
        """The log file (appended to by every start); with `since_start`, only what the last
        start() wrote."""
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

    def cli(self, *args, positional=(), stdin=None, timeout=60):
        """`folio ARGS --data D -- POSITIONAL` (file ids may begin with '-', so they go after
        `--`) in the installation's environment; its standard output. `stdin` is text for its
        standard input. A non-zero exit raises RuntimeError with the command's error."""
        args = [*args, "--data", self.data] + (["--", *map(str, positional)] if positional else [])
        r = run(args, env=self.env, stdin=stdin, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join([FOLIO_BIN, *map(str, args)]), r.returncode,
                                                    r.stderr.strip()))
        return r.stdout

    def token(self, file_id, user, role=None, editor=None, ttl=None):
        """`folio token ID --user LOGIN [--role R] [--editor E] [--ttl S] --json`: its answer,
        {"accessToken", "accessTokenTTL", "wopiSrc"}."""
        return json.loads(self.cli("token", "--user", user, "--json", *_options(role=role, editor=editor, ttl=ttl),
                                   positional=[file_id]))

    def open(self, file_id, user, action=None, editor=None, ttl=None):
        """`folio open ID --user LOGIN [--action A] [--editor E] [--ttl S] --json`: its answer,
        {"url": the host-page link with its ticket}."""
        return json.loads(self.cli("open", "--user", user, "--json",
                                   *_options(action=action, editor=editor, ttl=ttl), positional=[file_id]))

    def versions(self, file_id):
        """`folio versions ID --json`: every version, oldest first."""
        return json.loads(self.cli("versions", "--json", positional=[file_id]))

    def share(self, file_id, login, role):
        """`folio share ID --user LOGIN --role view|comment|edit`."""
        self.cli("share", "--user", login, "--role", role, positional=[file_id])


def _options(**options):
    """["--name", "value", …] for each option that is given (not None or empty)."""
    return [a for name, value in options.items() if value for a in ("--" + name, str(value))]

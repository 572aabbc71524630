"""`folio migrate`: an installation built on SQLite by the command line and a running server
(users, nested folders, files with several versions, shares on a file and a folder, a share
link, a trashed file, a lock in force, an API key, a webhook with its deliveries, a signed-in
web session) is copied to an empty PostgreSQL schema; `folio serve` on that schema with the
same data folder then serves the same installation: the same versions and bytes, shares,
tokens, cookies and keys issued before, and numbering goes on where it stopped. A second
migration into the filled schema and bad source URLs are refused with one line.
"""

import hashlib
import http.client
import json
import os
import re
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))

import harness  # noqa: E402  (after the path above)
from folio_process import installation_env, run  # noqa: E402

LOCK = "migrate-lock"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---- HTTP --------------------------------------------------------------------------------

def http_call(port, method, target, headers=(), body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = dict(headers)
        if method in ("POST", "PUT") and "Content-Length" not in headers:
            headers["Content-Length"] = str(len(body or b""))
        conn.request(method, target, body=body, headers=headers)
        r = conn.getresponse()
        return SimpleNamespace(status=r.status, headers={k.lower(): v for k, v in r.getheaders()}, body=r.read())
    finally:
        conn.close()


def wopi(folio, method, file_id, token, override=None, lock=None, body=None, contents=False):
    target = "/wopi/files/%s%s?access_token=%s" % (file_id, "/contents" if contents else "", token)
    headers = ([("X-WOPI-Override", override)] if override else []) + ([("X-WOPI-Lock", lock)] if lock else [])
    return http_call(folio.port, method, target, headers, body)


def put_file(folio, file_id, token, body, lock):
    r = wopi(folio, "POST", file_id, token, "PUT", lock, body, contents=True)
    assert r.status == 200, "PutFile: %r" % (r.__dict__,)
    return int(r.headers["x-wopi-itemversion"])


def get_file(folio, file_id, token):
    r = wopi(folio, "GET", file_id, token, contents=True)
    assert r.status == 200, "GetFile: %r" % (r.__dict__,)
    return r.body


def check_file_info(folio, file_id, token):
    r = wopi(folio, "GET", file_id, token)
    assert r.status == 200, "CheckFileInfo: %r" % (r.__dict__,)
    return json.loads(r.body)


def api(folio, key, method, path, document=None):
    body = json.dumps(document).encode() if document is not None else None
    headers = [("Authorization", "Bearer " + key)] + ([("Content-Type", "application/json")] if body else [])
    r = http_call(folio.port, method, "/api/v1" + path, headers, body)
    if r.headers.get("content-type", "").startswith("application/json"):
        return r.status, json.loads(r.body)
    return r.status, r.body


def web(folio, method, path, cookie, form=None):
    headers = [("Cookie", cookie)]
    body = None
    if form is not None:
        body = urlencode(form).encode()
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    return http_call(folio.port, method, path, headers, body)


def sign_in(folio, login, password):
    r = http_call(folio.port, "POST", "/login", [("Content-Type", "application/x-www-form-urlencoded")],
                  urlencode({"login": login, "password": password}).encode())
    assert r.status == 303 and "set-cookie" in r.headers, "sign-in: %r" % (r.__dict__,)
    return r.headers["set-cookie"].split(";")[0]


def csrf(page):
    m = re.search(r'name="csrf" value="([^"]+)"', page.body.decode())
    assert m, "no CSRF token on the page"
    return m.group(1)


class Sink:
    """A webhook receiver on loopback that answers 204 and counts deliveries."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hooks" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# ---- the installation --------------------------------------------------------------------

def migrate(data, source, target):
    """`folio migrate`: (exit status, stdout, stderr)."""
    r = run(["migrate", "--json", "--data", str(data), "--from", source, "--to", target],
            env=installation_env("sqlite"), timeout=300)
    return r.returncode, r.stdout, r.stderr


def add_user_with_password(folio, login, password):
    folio.cli("user", "add", login, "--password-stdin", stdin=password + "\n")


def build(tmp, out, sink):
    """The SQLite installation, made through the command line and a running server; what the
    tests compare afterwards."""
    s = SimpleNamespace(data=tmp / "data", tmp=tmp)
    # The source installation: SQLite in the data folder, whatever the caller's environment.
    folio = harness.Folio(s.data, os.path.join(out, "folio-migrate-sqlite.log"), env=installation_env("sqlite"))
    folio.start({})
    try:
        add_user_with_password(folio, "alice", "alice-password-1")
        folio.user_add("bob", "Bob Cratchit")
        s.key = json.loads(folio.cli("apikey", "create", "--json", positional=["migration"]))["key"]
        add_files(folio, s)
        save_versions(folio, s)
        add_shares(folio, s)
        add_webhook_trash_and_link(folio, s, sink)
        s.before = record(folio, s)
    finally:
        folio.stop()
    assert os.path.isfile(s.data / "folio.sqlite"), "the source installation is not in data/folio.sqlite"
    s.counts = table_counts(s.data / "folio.sqlite")
    return s


def add_files(folio, s):
    """Four files of alice's, three in nested folders; a token for each."""
    s.files = {}
    for name, folder in (("plan.docx", None), ("budget.docx", "Reports/2026"), ("notes.docx", "Reports/2026/Q1"),
                         ("gone.docx", "Reports")):
        (s.tmp / name).write_bytes(b"first " + name.encode())
        s.files[name] = folio.import_file(s.tmp / name, "alice", folder)["id"]
    s.tokens = {name: folio.token(fid, "alice").token for name, fid in s.files.items()}


def save_versions(folio, s):
    """Versions 2, 3 and 4 of three files through WOPI saves (plan.docx stays locked), and a
    5th of budget.docx through the API."""
    for name in ("plan.docx", "budget.docx", "notes.docx"):
        fid, tok = s.files[name], s.tokens[name]
        assert wopi(folio, "POST", fid, tok, "LOCK", LOCK).status == 200
        for n in range(2, 5):
            assert put_file(folio, fid, tok, b"%s version %d" % (name.encode(), n), LOCK) == n
        if name != "plan.docx":
            assert wopi(folio, "POST", fid, tok, "UNLOCK", LOCK).status == 200
    r = http_call(folio.port, "PUT", "/api/v1/files/%s/content" % s.files["budget.docx"],
                  [("Authorization", "Bearer " + s.key)], b"budget through the API")
    assert r.status in (200, 201), r.__dict__


def add_shares(folio, s):
    """bob edits plan.docx (a file share) and views the Q1 folder (so notes.docx)."""
    s.q1 = api(folio, s.key, "GET", "/files/%s" % s.files["notes.docx"])[1]["folderId"]
    folio.share(s.files["plan.docx"], "bob", "edit")
    folio.share(s.q1, "bob", "view")
    s.bob_tokens = {n: folio.token(s.files[n], "bob").token for n in ("plan.docx", "notes.docx")}


def add_webhook_trash_and_link(folio, s, sink):
    """A webhook that hears gone.docx being trashed, alice's signed-in web session, and a
    view link on notes.docx made through the share page."""
    status, hook = api(folio, s.key, "POST", "/webhooks", {"url": sink.url, "events": ["file.deleted"]})
    assert status == 201, hook
    s.hook = hook["id"]
    assert api(folio, s.key, "DELETE", "/files/%s" % s.files["gone.docx"])[0] == 204
    s.deliveries = wait_for_deliveries(folio, s.key, s.hook)
    s.cookie = sign_in(folio, "alice", "alice-password-1")
    page = web(folio, "GET", "/share/file/%s" % s.files["notes.docx"], s.cookie)
    r = web(folio, "POST", "/share/file/%s/links" % s.files["notes.docx"], s.cookie,
            {"csrf": csrf(page), "role": "view", "expires": "", "password": ""})
    assert r.status == 303, r.__dict__
    page = web(folio, "GET", "/share/file/%s" % s.files["notes.docx"], s.cookie)
    s.links = sorted(set(re.findall(r"/s/([A-Za-z0-9_-]{8,})", page.body.decode())))
    assert len(s.links) == 1, s.links


def wait_for_deliveries(folio, key, hook_id):
    """The webhook's delivery log once the file.deleted delivery is delivered (so nothing is
    retried after the migration and the log can be compared)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, log = api(folio, key, "GET", "/webhooks/%s/deliveries" % hook_id)
        assert status == 200, log
        if log["items"] and all(d["status"] == "delivered" for d in log["items"]):
            return log
        time.sleep(0.2)
    raise AssertionError("the webhook delivery was not delivered within 30 s: %r" % (log,))


def table_counts(path):
    """Rows per table of the source SQLite database (GRDB's own table left out)."""
    with sqlite3.connect("file:%s?mode=ro" % path, uri=True) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")]
        return {n: db.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0] for n in names}


def record(folio, s):
    """What must survive: versions (JSON of `folio versions`), every version's bytes, the
    current bytes, file metadata, folders, webhooks and their deliveries."""
    live = {n: f for n, f in s.files.items() if n != "gone.docx"}
    r = SimpleNamespace()
    r.versions = {n: folio.versions(f) for n, f in live.items()}
    r.contents = {(n, v["number"]): api(folio, s.key, "GET", "/files/%s/versions/%d/content" % (live[n], v["number"]))[1]
                  for n in live for v in r.versions[n]}
    r.current = {n: get_file(folio, f, s.tokens[n]) for n, f in live.items()}
    r.meta = {n: api(folio, s.key, "GET", "/files/%s" % f)[1] for n, f in live.items()}
    r.folders = {}
    todo = [m["folderId"] for m in r.meta.values()]
    while todo:     # each file's folder and its parents up to alice's root
        folder_id = todo.pop()
        if folder_id not in r.folders:
            r.folders[folder_id] = api(folio, s.key, "GET", "/folders/%s" % folder_id)[1]
            todo += [r.folders[folder_id]["parentId"]] if "parentId" in r.folders[folder_id] else []
    r.webhooks = api(folio, s.key, "GET", "/webhooks")[1]
    r.trash = trash_items(folio, s.cookie)
    return r


def trash_items(folio, cookie):
    page = web(folio, "GET", "/trash", cookie)
    assert page.status == 200, page.__dict__
    return sorted(re.findall(r'action="/trash/(file|folder)/([^"/]+)/restore"', page.body.decode()))


# ---- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def out(tmp_path_factory):
    if not os.environ.get("FOLIO_TEST_POSTGRES_URL"):
        pytest.fail("tests/migrate needs FOLIO_TEST_POSTGRES_URL (scripts/test's postgres stage starts a cluster)")
    path = os.environ.get("FOLIO_TEST_OUTPUT") or str(tmp_path_factory.mktemp("out"))
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def source(tmp_path_factory, out):
    sink = Sink()
    try:
        yield build(tmp_path_factory.mktemp("migrate"), out, sink)
    finally:
        sink.stop()


@pytest.fixture(scope="module")
def migrated(source, out):
    """The migration into a fresh schema, then `folio serve` on it with the same data folder."""
    env = installation_env()
    target = env["FOLIO_DATABASE"]
    rc, stdout, stderr = migrate(source.data, "sqlite://%s/folio.sqlite" % source.data, target)
    with open(os.path.join(out, "migrate-stderr.txt"), "w") as f:
        f.write(stderr)
    assert rc == 0, "folio migrate: exit %d\n%s" % (rc, stderr)
    folio = harness.Folio(source.data, os.path.join(out, "folio-migrate-postgres.log"), env=env)
    folio.start({})
    yield SimpleNamespace(folio=folio, target=target, stdout=stdout, stderr=stderr)
    folio.stop()


# ---- tests -----------------------------------------------------------------------------------

# The tables the contract names; the summary counts each under its table's name.
TABLES = ("users", "folders", "files", "versions", "grants", "links", "web_sessions", "api_keys", "webhooks",
          "webhook_deliveries", "office_keys", "locks")


def test_the_summary_counts_every_table(source, migrated):
    summary = json.loads(migrated.stdout)
    # The counts per table, at the top level or under "rows".
    summary = summary["rows"] if isinstance(summary, dict) and isinstance(summary.get("rows"), dict) else summary
    assert isinstance(summary, dict) and all(isinstance(v, int) and v >= 0 for v in summary.values()), summary
    assert {t: summary.get(t) for t in TABLES} == {t: source.counts.get(t) for t in TABLES}, \
        "summary %r, rows in the SQLite file %r" % (summary, source.counts)
    # What was made: alice and bob, 4 files with 4 + 5 + 4 + 1 versions (gone.docx has one),
    # 2 grants, 1 lock in force, 1 key, 1 webhook and its delivery, 1 link, 1 web session.
    made = {"users": 2, "files": 4, "versions": 14, "grants": 2, "locks": 1, "api_keys": 1, "webhooks": 1,
            "webhook_deliveries": 1, "links": 1, "web_sessions": 1}
    assert {t: summary.get(t) for t in made} == made, summary
    assert migrated.stderr.strip(), "no progress lines on stderr"


def test_versions_and_bytes_are_the_same(source, migrated):
    folio = migrated.folio
    for name, versions in source.before.versions.items():
        fid = source.files[name]
        assert folio.versions(fid) == versions, name
        assert len(versions) >= 4, name
        for v in versions:
            status, content = api(folio, source.key, "GET", "/files/%s/versions/%d/content" % (fid, v["number"]))
            assert status == 200 and content == source.before.contents[(name, v["number"])], (name, v["number"])
            assert sha256(content) == v["sha256"], (name, v["number"])
        assert get_file(folio, fid, source.tokens[name]) == source.before.current[name], name


def test_files_and_folders_keep_their_places(source, migrated):
    folio = migrated.folio
    for name, meta in source.before.meta.items():
        assert api(folio, source.key, "GET", "/files/%s" % source.files[name]) == (200, meta), name
    for folder_id, folder in source.before.folders.items():
        assert api(folio, source.key, "GET", "/folders/%s" % folder_id) == (200, folder), folder_id


def test_old_tokens_and_shares_still_apply(source, migrated):
    folio = migrated.folio
    info = check_file_info(folio, source.files["notes.docx"], source.tokens["notes.docx"])
    assert (info["UserFriendlyName"], info["UserCanWrite"]) == ("alice", True), info
    # bob: edit on plan.docx (a file share), view on notes.docx (through the Q1 folder).
    info = check_file_info(folio, source.files["plan.docx"], source.bob_tokens["plan.docx"])
    assert info["UserCanWrite"] is True, info
    info = check_file_info(folio, source.files["notes.docx"], source.bob_tokens["notes.docx"])
    assert info["UserCanWrite"] is False, info
    # New tokens follow the same grants; budget.docx was never shared with bob.
    assert folio.token(source.files["notes.docx"], "bob", role="view").token
    with pytest.raises(RuntimeError, match="exit 1"):
        folio.token(source.files["budget.docx"], "bob")


def test_the_lock_in_force_survives_and_numbering_goes_on(source, migrated):
    folio = migrated.folio
    fid, tok = source.files["plan.docx"], source.tokens["plan.docx"]
    r = wopi(folio, "POST", fid, tok, "GET_LOCK")
    assert (r.status, r.headers.get("x-wopi-lock")) == (200, LOCK), r.__dict__
    r = wopi(folio, "POST", fid, tok, "PUT", "another-lock", b"refused", contents=True)
    assert (r.status, r.headers.get("x-wopi-lock")) == (409, LOCK), r.__dict__
    before = source.before.versions["plan.docx"]
    assert put_file(folio, fid, tok, b"after the migration", LOCK) == before[-1]["number"] + 1
    after = folio.versions(fid)
    assert after[:-1] == before and after[-1]["sha256"] == sha256(b"after the migration"), after[-1]


def test_new_users_and_imports_after_the_migration(source, migrated, tmp_path):
    """Ids and counters went over too: new rows do not collide with migrated ones."""
    folio = migrated.folio
    folio.user_add("carol", "Carol")
    (tmp_path / "new.docx").write_bytes(b"new after migration")
    entry = folio.import_file(tmp_path / "new.docx", "carol", "Reports/2026")
    assert (entry["size"], entry["version"]) == (19, 1), entry
    assert entry["id"] not in source.files.values()
    tok = folio.token(entry["id"], "carol").token
    assert get_file(folio, entry["id"], tok) == b"new after migration"


def test_web_session_trash_and_link_survive(source, migrated):
    folio = migrated.folio
    assert trash_items(folio, source.cookie) == source.before.trash == [("file", source.files["gone.docx"])]
    page = web(folio, "GET", "/trash", source.cookie)
    r = web(folio, "POST", "/trash/file/%s/restore" % source.files["gone.docx"], source.cookie, {"csrf": csrf(page)})
    assert r.status == 303, r.__dict__
    assert get_file(folio, source.files["gone.docx"], source.tokens["gone.docx"]) == b"first gone.docx"
    assert http_call(folio.port, "GET", "/s/%s" % source.links[0]).status == 200
    assert http_call(folio.port, "GET", "/s/nosuchlinkatall").status == 404


def test_api_key_and_webhooks_survive(source, migrated):
    folio = migrated.folio
    assert api(folio, source.key, "GET", "/webhooks") == (200, source.before.webhooks)
    status, log = api(folio, source.key, "GET", "/webhooks/%s/deliveries" % source.hook)
    assert status == 200 and log == source.deliveries, log


def test_a_second_migration_into_the_filled_schema_is_refused(source, migrated):
    rc, stdout, stderr = migrate(source.data, "sqlite://%s/folio.sqlite" % source.data, migrated.target)
    assert rc == 1 and len(stderr.strip().splitlines()) == 1, "exit %d, stderr %r" % (rc, stderr)
    # Nothing was added: the installation is still the one migrated.
    assert migrated.folio.versions(source.files["notes.docx"]) == source.before.versions["notes.docx"]


@pytest.mark.parametrize("url", ["mysql://folio@127.0.0.1/folio", "sqlite://", "sqlite:///nonexistent/dir/folio.sqlite"])
def test_a_bad_source_is_refused_with_one_line(source, url):
    target = installation_env()["FOLIO_DATABASE"]
    rc, stdout, stderr = migrate(source.data, url, target)
    assert rc == 1 and len(stderr.strip().splitlines()) == 1, "%s: exit %d, stderr %r" % (url, rc, stderr)
    assert not os.path.exists("/nonexistent/dir/folio.sqlite")

"""PROTOCOL.md §E.4: ONLYOFFICE Docs through its own API (§D.1), end to end against a live Folio.

A scripted document server (docserver.DocServer, a real HTTP server on loopback) plays the DS:
it checks the signed editor configuration Folio hands out, fetches `document.url` with its signed
GET, serves the "edited" documents at cache URLs, sends signed callbacks, and implements the
command service (forcesave answers with the status-6 callback, `meta` after a rename). Folio runs
with `--onlyoffice-url <that server> --onlyoffice-secret SECRET`.

Every step checks Folio's answer and then what is stored: `folio versions` (count, bytes, author,
source) and the content read back through a WOPI token from `folio token`.
"""

import json
import re

import jwt
import pytest

import docserver
import wopi
from docserver import Bystander, DocServer, http
from harness import Stack, check_versions, docx, expect

SECRET = "folio-native-test-secret-3c9f1e0a7b5d42e8a6c1"
WRONG_SECRET = "not-the-document-server-secret-0f7e6d5c4b3a2918"
KEY_CHARS = re.compile(r"^[0-9A-Za-z\-._=]{1,128}$")
CAP = 4096          # --max-upload-bytes of the Folio the size tests run against


# ---- fixtures -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ds():
    server = DocServer(SECRET).start()
    yield server
    server.stop()
    assert not server.errors, "the scripted DS failed: %r" % server.errors


@pytest.fixture(scope="module")
def elsewhere():
    """Another host (another loopback port): Folio must never fetch anything from it."""
    server = Bystander().start()
    yield server
    server.stop()


def native_stack(tmp_path_factory, name, ds, *extra):
    return Stack(tmp_path_factory.mktemp(name), name,
                 extra_args=["--onlyoffice-url", ds.base, "--onlyoffice-secret", SECRET, *extra])


@pytest.fixture(scope="module")
def native(ds, tmp_path_factory):
    """One Folio with ONLYOFFICE's native API pointed at the scripted DS."""
    s = native_stack(tmp_path_factory, "onlyoffice_native", ds)
    yield Native(s, ds)
    s.stop()


@pytest.fixture(scope="module")
def capped(ds, tmp_path_factory):
    """The same, with --max-upload-bytes CAP."""
    s = native_stack(tmp_path_factory, "onlyoffice_native_capped", ds, "--max-upload-bytes", str(CAP))
    yield Native(s, ds)
    s.stop()


class Native:
    """A Folio with the native API, its DS, and the requests a browser or a test makes."""

    def __init__(self, stack, ds):
        self.stack, self.folio, self.ds = stack, stack.folio, ds
        self.base = self.folio.base
        self.api_key = json.loads(self.folio.cli("apikey", "create", "--json", positional=["native-tests"]))["key"]
        self._user_ids = {}

    def new_doc(self, name, text, shares=None):
        body = docx(text) if name.endswith(".docx") else text.encode()
        return self.stack.new_file(name, body, shares=shares)["id"], body

    def office(self, method, path, ticket=None, body=None):
        url = self.base + "/office/" + path + ("?ticket=" + ticket if ticket else "")
        return http(method, url, body)

    def open(self, file_id, login="alice", what="open"):
        r = self.office("GET", "%s/open" % file_id, self.folio.ticket(file_id, login))
        assert r.status == 200, "%s: GET /office/%s/open: %r" % (what, file_id, r)
        assert (r.header("Content-Type") or "").split(";")[0] == "application/json", r.headers
        return r.json()

    def session(self, file_id, login="alice"):
        """Open the file in the editor: Folio's config, then the DS's join (its signed GET)."""
        config = self.open(file_id, login)
        self.ds.open(config)
        return config, config["document"]["key"]

    def user_id(self, login):
        if login not in self._user_ids:
            tok = self.folio.token(self.stack_file(login), login)
            r = expect(wopi.send("GET", tok.src + "?access_token=" + tok.token, []), 200, "CheckFileInfo")
            self._user_ids[login] = r.json()["UserId"]
        return self._user_ids[login]

    def stack_file(self, login):
        return self.stack.new_file("id-of-%s-%d.docx" % (login, len(self._user_ids)), b"x", owner=login)["id"]

    def content(self, file_id):
        """The stored bytes, read through a WOPI token (no editor binding, so no proof)."""
        tok = self.folio.token(file_id, "alice")
        return expect(wopi.send("GET", tok.src + "/contents?access_token=" + tok.token, []), 200, "GetFile").body

    def stored(self, file_id, count, body, source="onlyoffice", author="alice", **kw):
        """`folio versions` shows `count` versions, the last holding `body`, and GetFile agrees."""
        vs = check_versions(self.folio, file_id, count, body, author, source=source, **kw)
        assert self.content(file_id) == body, "GetFile does not return the last version"
        return vs

    def unchanged(self, file_id, body):
        """Nothing was stored: the imported version only."""
        return self.stored(file_id, 1, body, source="upload")

    def api(self, method, path, body=None, headers=None):
        h = {"Authorization": "Bearer " + self.api_key, **(headers or {})}
        return http(method, self.base + "/api/v1" + path, body, h)

    def names(self, file_id):
        """{name: id} of the files in the folder of `file_id`, from the application API."""
        r = self.api("GET", "/files/" + file_id)
        assert r.status == 200, r
        r = self.api("GET", "/folders/%s/children?limit=1000" % r.json()["folderId"])
        assert r.status == 200, r
        return {i["name"]: i["id"] for i in r.json()["items"] if i["kind"] == "file"}


class _AnySource:
    """Whatever `source` the application API records for its uploads."""

    def __eq__(self, other):
        return isinstance(other, str)


ANY_SOURCE = _AnySource()


def ok(answer, what):
    assert answer.status == 200, "%s: %r" % (what, answer)
    assert answer.json() == {"error": 0}, "%s: %r" % (what, answer)


def refused(answer, what):
    """A callback Folio did not act on: HTTP 403, or 200 with a non-zero error."""
    assert answer.status in (200, 403), "%s: %r" % (what, answer)
    body = answer.json()
    assert isinstance(body, dict) and body.get("error") not in (None, 0), "%s: %r" % (what, answer)


# ---- 1. the editor configuration ------------------------------------------------------

def test_open_config(native, ds):
    folio = native.folio
    fid, v1 = native.new_doc("Quarterly report.docx", "native v1", shares={"bob": "view"})
    r = native.office("GET", "%s/open" % fid, folio.ticket(fid, "alice"))
    assert r.status == 200, r
    config = r.json()

    # The token verifies with the secret and its claims are the config itself.
    claims = docserver.verify(config["token"], SECRET)
    assert claims == {k: v for k, v in config.items() if k != "token"}, claims
    with pytest.raises(jwt.InvalidSignatureError):
        docserver.verify(config["token"], WRONG_SECRET)
    assert jwt.get_unverified_header(config["token"])["alg"] == "HS256"

    doc, editor = config["document"], config["editorConfig"]
    assert config["documentType"] == "word", config
    assert doc["fileType"] == "docx" and doc["title"] == "Quarterly report.docx", doc
    assert KEY_CHARS.match(doc["key"]), doc["key"]
    assert doc["permissions"]["edit"] is True and editor["mode"] == "edit", config
    assert editor["callbackUrl"] == native.base + "/office/callback", editor
    assert editor["user"]["name"] == "Alice Liddell" and editor["user"]["id"], editor
    assert editor["user"]["id"] == native.user_id("alice")
    assert editor["customization"]["forcesave"] is True, editor

    # document.url gives the exact bytes to the DS's signed GET.
    assert doc["url"].startswith(native.base + "/"), doc["url"]
    assert ds.open(config) == v1
    # Opening again while nothing changed joins the same session: the same key.
    assert native.open(fid)["document"]["key"] == doc["key"]

    # A view-only user gets a view config for the same document (same key), read-only.
    view = native.open(fid, "bob")
    assert docserver.verify(view["token"], SECRET) == {k: v for k, v in view.items() if k != "token"}
    assert view["document"]["permissions"]["edit"] is False, view
    assert view["document"]["permissions"]["review"] is False, view
    assert view["editorConfig"]["mode"] == "view", view
    assert view["document"]["key"] == doc["key"], view
    assert view["editorConfig"]["user"]["name"] == "Bob Cratchit", view
    assert ds.fetch(view["document"]["url"]).body == v1

    # Other kinds of office files get their document type.
    for name, kind in (("Sheet.xlsx", "cell"), ("Deck.pptx", "slide"), ("Notes.txt", "word"),
                       ("Paper.pdf", "pdf")):
        other, _ = native.new_doc(name, "content of " + name)
        got = native.open(other)
        assert got["documentType"] == kind and got["document"]["fileType"] == name.rsplit(".", 1)[1], got
        assert KEY_CHARS.match(got["document"]["key"]) and got["document"]["key"] != doc["key"], got

    # A file ONLYOFFICE does not edit: 404.
    zid, _ = native.new_doc("Archive.zip", "PK not an office file")
    r = native.office("GET", "%s/open" % zid, folio.ticket(zid, "alice"))
    assert r.status == 404, r

    # A ticket for another file, or none at all, gives no config.
    r = native.office("GET", "%s/open" % fid, folio.ticket(zid, "alice"))
    assert r.status in (401, 403), r
    assert b'"documentType"' not in r.body and doc["key"].encode() not in r.body, r
    r = native.office("GET", "%s/open" % fid)
    assert r.status != 200 and doc["key"].encode() not in r.body, r
    # Nothing of this stored anything.
    native.unchanged(fid, v1)


def page_script(html):
    """The editor page's config object and the URL expression and headers of its `post()`."""
    m = re.search(r"var config = (\{.*?\});\n", html, re.S)
    assert m, html[:2000]
    config = json.loads(m.group(1))
    fetch = re.search(r"fetch\((.+?), \{", html, re.S)
    assert fetch, html[:2000]
    headers = dict(re.findall(r"'([A-Za-z-]+)': ('[^']*'|\"[^\"]*\")", html))
    return config, fetch.group(1), {k: v[1:-1] for k, v in headers.items()}


def page_url(expression, path, html):
    """Evaluates the page's URL expression (string literals, `path`, and string variables the
    script declares) for `path`."""
    out = []
    for part in (p.strip() for p in expression.split("+")):
        if part[:1] in "'\"" and part[-1:] == part[:1]:
            out.append(part[1:-1])
        elif part == "path":
            out.append(path)
        else:
            m = re.search(r"(?:var|let|const)\s+%s\s*=\s*('[^']*'|\"[^\"]*\")" % re.escape(part), html)
            assert m, "cannot evaluate %r in the page's fetch URL %r" % (part, expression)
            out.append(m.group(1)[1:-1])
    return "".join(out)


def test_edit_page(native, ds):
    fid, v1 = native.new_doc("Paged.docx", "paged v1")
    ticket = native.folio.ticket(fid, "alice")
    r = native.office("GET", "%s/edit" % fid, ticket)
    assert r.status == 200 and (r.header("Content-Type") or "").startswith("text/html"), r
    assert r.header("Cache-Control") == "no-store", r.headers
    html = r.body.decode("utf-8")
    assert '<script src="%s/web-apps/apps/api/documents/api.js"></script>' % ds.base in html
    config, _, _ = page_script(html)
    assert docserver.verify(config["token"], SECRET) == {k: v for k, v in config.items() if k != "token"}
    assert config["document"]["key"] == native.open(fid)["document"]["key"]
    assert ds.open(config) == v1
    native.unchanged(fid, v1)


def test_edit_page_events_with_a_ticket(native, ds):
    """What the page's onRequestRename and onRequestSaveAs do in a browser that came with the
    ticket link only (no session cookie): the same-origin POSTs the page makes."""
    fid, v1 = native.new_doc("Page events.docx", "page events v1")
    r = native.office("GET", "%s/edit" % fid, native.folio.ticket(fid, "alice"))
    assert r.status == 200, r
    html = r.body.decode("utf-8")
    config, expression, headers = page_script(html)
    ds.open(config)
    cookie = r.header("Set-Cookie")
    headers = {**headers, **({"Cookie": cookie.split(";")[0]} if cookie else {})}
    r = http("POST", native.base + page_url(expression, "rename", html), {"name": "Page renamed"}, headers)
    assert r.status == 200 and r.json() == {"name": "Page renamed.docx"}, "onRequestRename: %r" % r
    copy = docx("page events copy")
    r = http("POST", native.base + page_url(expression, "saveas", html),
             {"fileType": "docx", "title": "Page copy", "url": ds.offer(copy)}, headers)
    assert r.status == 201, "onRequestSaveAs: %r" % r
    native.stored(r.json()["id"], 1, copy)


def test_office_routes_absent_without_onlyoffice_url(stack):
    """A Folio started without --onlyoffice-url has no /office/ routes at all."""
    folio = stack.folio
    fid = stack.new_file("Plain.docx", docx("plain"))["id"]
    r = http("GET", "%s/office/%s/open?ticket=%s" % (folio.base, fid, folio.ticket(fid, "alice")))
    assert r.status == 404, r
    body = {"key": "k", "status": 1, "token": docserver.sign({"key": "k", "status": 1}, SECRET)}
    assert http("POST", folio.base + "/office/callback", body).status == 404
    r = http("POST", "%s/office/%s/forcesave?ticket=%s" % (folio.base, fid, folio.ticket(fid, "alice")), {})
    assert r.status == 404, r


# ---- 2. status 1 ----------------------------------------------------------------------

def test_status_1_users_joined(native, ds):
    fid, v1 = native.new_doc("Joined.docx", "joined v1", shares={"bob": "edit"})
    _, key = native.session(fid)
    alice, bob = native.user_id("alice"), native.user_id("bob")
    ok(ds.callback(key, 1, users=[alice], actions=[{"type": 1, "userid": alice}]), "status 1 alice joins")
    ok(ds.callback(key, 1, users=[alice, bob], actions=[{"type": 1, "userid": bob}], signing="header"),
       "status 1 bob joins (header token)")
    ok(ds.callback(key, 1, users=[alice], actions=[{"type": 0, "userid": bob}], signing="both"),
       "status 1 bob leaves (both tokens)")
    native.unchanged(fid, v1)
    assert native.open(fid)["document"]["key"] == key


# ---- 3. status 6: forcesave, the key stays ---------------------------------------------

def test_status_6_forcesave_stores_a_version(native, ds):
    fid, v1 = native.new_doc("Forcesave.docx", "forcesave v1")
    _, key = native.session(fid)
    alice = native.user_id("alice")
    v2 = docx("forcesave v2")
    url = ds.offer(v2, key=key)
    ok(ds.callback(key, 6, url=url, users=[alice], forcesavetype=1, actions=[{"type": 2, "userid": alice}],
                   changesurl=ds.offer(b"PK changes", name="changes.zip")), "status 6")
    assert ds.downloads(url) == 1
    native.stored(fid, 2, v2, editors=[alice])




def test_status_6_keeps_the_key(native, ds):
    """After a forcesave the editing session goes on under the same key (§D.1: "Do not change
    it after a forcesave"): the next open joins it, and the next saves of that key are versions
    of the file, not conflicts."""
    fid, v1 = native.new_doc("Forcesave key.docx", "forcesave key v1")
    _, key = native.session(fid)
    alice = native.user_id("alice")
    v2 = docx("forcesave key v2")
    ok(ds.callback(key, 6, url=ds.offer(v2), users=[alice], forcesavetype=1), "status 6 (1st)")
    native.stored(fid, 2, v2, editors=[alice])
    v3 = docx("forcesave key v3")
    ok(ds.callback(key, 6, url=ds.offer(v3), users=[alice], forcesavetype=2), "status 6 (2nd)")
    assert "Forcesave key (conflict).docx" not in native.names(fid), native.names(fid)
    native.stored(fid, 3, v3, editors=[alice])
    v4 = docx("forcesave key v4 final")
    ok(ds.callback(key, 2, url=ds.offer(v4), users=[alice]), "status 2 after forcesaves")
    native.stored(fid, 4, v4, editors=[alice])
    assert "Forcesave key (conflict).docx" not in native.names(fid), native.names(fid)


def test_status_6_next_open_gives_the_same_key(native, ds):
    fid, v1 = native.new_doc("Forcesave reopen.docx", "forcesave reopen v1")
    _, key = native.session(fid)
    v2 = docx("forcesave reopen v2")
    ok(ds.callback(key, 6, url=ds.offer(v2), forcesavetype=1), "status 6")
    native.stored(fid, 2, v2)
    assert native.open(fid)["document"]["key"] == key


# ---- 4. forcesave from Folio through the command service -------------------------------

def test_forcesave_command(native, ds):
    fid, v1 = native.new_doc("Command.docx", "command v1", shares={"bob": "view"})
    _, key = native.session(fid)
    alice = native.user_id("alice")
    v2 = docx("command v2")
    ds.edit(key, v2)
    commands, callbacks = len(ds.commands), len(ds.callbacks)
    r = native.office("POST", "%s/forcesave" % fid, native.folio.ticket(fid, "alice"), {})
    assert r.status == 200 and r.json() == {"error": 0}, r
    cmd = ds.wait_commands(commands + 1)[commands]
    assert cmd["c"] == "forcesave" and cmd["key"] == key, cmd
    assert cmd.get("userdata") == alice, cmd
    # The DS answered, assembled and called back with status 6, forcesavetype 0.
    body, answer = ds.wait_callbacks(callbacks + 1)[callbacks]
    assert (body["key"], body["status"], body["forcesavetype"]) == (key, 6, 0), body
    ok(answer, "status 6 after the forcesave command")
    native.stored(fid, 2, v2, editors=[alice])

    # A viewer may not forcesave: refused, no command sent, nothing stored.
    r = native.office("POST", "%s/forcesave" % fid, native.folio.ticket(fid, "bob"), {})
    assert r.status in (401, 403), r
    assert len(ds.commands) == commands + 1, ds.commands
    native.stored(fid, 2, v2)
    assert not ds.refused_commands, ds.refused_commands


def test_forcesave_command_errors(native, ds):
    fid, v1 = native.new_doc("Command errors.docx", "command errors v1")
    _, key = native.session(fid)
    ticket = native.folio.ticket(fid, "alice")
    callbacks = len(ds.callbacks)
    # 4: nothing changed since the last save. Fine for a forcesave; nothing to store.
    ds.command_errors.append(4)
    r = native.office("POST", "%s/forcesave" % fid, ticket, {})
    assert r.status == 200 and r.json() == {"error": 0}, r
    # 1: the DS does not know the key. Folio says the forcesave did not happen.
    ds.command_errors.append(1)
    r = native.office("POST", "%s/forcesave" % fid, ticket, {})
    assert r.status == 409, r
    assert [c["key"] for c in ds.commands[-2:]] == [key, key], ds.commands
    assert len(ds.callbacks) == callbacks
    native.unchanged(fid, v1)


# ---- 5. rename -----------------------------------------------------------------------

def test_rename(native, ds):
    fid, v1 = native.new_doc("Draft.docx", "rename v1", shares={"bob": "view"})
    _, key = native.session(fid)
    commands = len(ds.commands)
    r = native.office("POST", "%s/rename" % fid, native.folio.ticket(fid, "alice"), {"name": "New"})
    assert r.status == 200 and r.json() == {"name": "New.docx"}, r
    cmd = ds.wait_commands(commands + 1)[commands]
    assert cmd == {**cmd, "c": "meta", "key": key, "meta": {"title": "New.docx"}}, cmd
    names = native.names(fid)
    assert names.get("New.docx") == fid and "Draft.docx" not in names, names
    assert native.open(fid)["document"]["title"] == "New.docx"
    native.unchanged(fid, v1)

    # A viewer may not rename: refused, no command, the name stays.
    r = native.office("POST", "%s/rename" % fid, native.folio.ticket(fid, "bob"), {"name": "Hijacked"})
    assert r.status in (401, 403), r
    assert len(ds.commands) == commands + 1
    assert native.names(fid).get("New.docx") == fid


# ---- 6. Save As ----------------------------------------------------------------------

def test_save_as(native, ds, elsewhere):
    fid, v1 = native.new_doc("Original.docx", "saveas v1")
    _, key = native.session(fid)
    ticket = native.folio.ticket(fid, "alice")
    copy = docx("saveas copy")
    url = ds.offer(copy)
    r = native.office("POST", "%s/saveas" % fid, ticket, {"url": url, "title": "Copy", "fileType": "docx"})
    assert r.status == 201, r
    answer = r.json()
    assert answer["name"] == "Copy.docx" and answer["id"] != fid, answer
    assert ds.downloads(url) == 1
    native.stored(answer["id"], 1, copy)
    assert native.names(fid)["Copy.docx"] == answer["id"]
    native.unchanged(fid, v1)

    # A URL on another host is refused: nothing fetched from it, no file.
    seen = len(elsewhere.requests)
    r = native.office("POST", "%s/saveas" % fid, ticket,
                      {"url": elsewhere.url(), "title": "Evil", "fileType": "docx"})
    assert r.status == 403, r
    assert len(elsewhere.requests) == seen, elsewhere.requests
    # …and so is the DS's own URL answering with a redirect to another host.
    r = native.office("POST", "%s/saveas" % fid, ticket,
                      {"url": ds.offer_redirect(elsewhere.url()), "title": "Evil", "fileType": "docx"})
    assert r.status in (403, 502), r
    assert len(elsewhere.requests) == seen, elsewhere.requests
    names = native.names(fid)
    assert not [n for n in names if n.startswith("Evil")], names


def test_save_as_empty_title(native, ds):
    """An empty title is refused, or replaced by a real name; never a file called ".docx"."""
    fid, v1 = native.new_doc("Untitled source.docx", "saveas empty v1")
    r = native.office("POST", "%s/saveas" % fid, native.folio.ticket(fid, "alice"),
                      {"url": ds.offer(docx("empty title")), "title": "", "fileType": "docx"})
    names = native.names(fid)
    assert ".docx" not in names, names
    if r.status == 201:
        assert not r.json()["name"].startswith("."), r
    else:
        assert r.status == 400, r


# ---- 7. status 2: final save, a new key ------------------------------------------------

def test_status_2_final_save_retires_the_key(native, ds):
    fid, v1 = native.new_doc("Final.docx", "final v1")
    _, key = native.session(fid)
    alice = native.user_id("alice")
    v2 = docx("final v2")
    url = ds.offer(v2)
    ok(ds.callback(key, 2, url=url, users=[alice], actions=[{"type": 0, "userid": alice}],
                   changesurl=ds.offer(b"PK changes", name="changes.zip"),
                   history={"serverVersion": "8.3.0", "changes": [{"created": "2026-01-01 10:00:00",
                                                                  "user": {"id": alice, "name": "Alice"}}]}),
       "status 2")
    assert ds.downloads(url) == 1
    native.stored(fid, 2, v2, editors=[alice])
    config = native.open(fid)
    new_key = config["document"]["key"]
    assert new_key != key and KEY_CHARS.match(new_key), (key, new_key)
    assert ds.open(config) == v2
    # The retired key saves nothing any more.
    refused(ds.callback(key, 2, url=ds.offer(docx("late")), users=[alice]), "status 2 for a retired key")
    refused(ds.callback(key, 6, url=ds.offer(docx("late 6")), users=[alice]), "status 6 for a retired key")
    native.stored(fid, 2, v2)
    assert native.open(fid)["document"]["key"] == new_key


# ---- 8. status 4, 3 and 7 --------------------------------------------------------------

def test_status_4_3_7_store_nothing(native, ds):
    fid, v1 = native.new_doc("Closed.docx", "closed v1")
    _, key = native.session(fid)
    ok(ds.callback(key, 4, actions=[{"type": 0, "userid": native.user_id("alice")}]), "status 4")
    native.unchanged(fid, v1)
    url3 = ds.offer(docx("broken 3"))
    ok(ds.callback(key, 3, url=url3), "status 3")
    url7 = ds.offer(docx("broken 7"))
    ok(ds.callback(key, 7, url=url7, forcesavetype=1), "status 7")
    assert ds.downloads(url3) == 0 and ds.downloads(url7) == 0
    native.unchanged(fid, v1)
    assert [n for n in native.names(fid) if n.startswith("Closed")] == ["Closed.docx"]


# ---- 9. conflict ---------------------------------------------------------------------

def conflict(native, ds, name):
    """Open `name` (key K), change it outside the session through the application API, then
    the editor's final save for K. (file id, K, outside bytes, versions, editor's bytes, copy id)."""
    fid, v1 = native.new_doc(name + ".docx", name + " v1")
    _, key = native.session(fid)
    alice = native.user_id("alice")
    outside = docx(name + " changed outside")
    r = native.api("PUT", "/files/%s/content" % fid, outside, {"Content-Type": "application/octet-stream"})
    assert r.status == 200, r
    vs = check_versions(native.folio, fid, 2, outside, native.folio.versions(fid)[-1]["author"], source=ANY_SOURCE)
    # A new editor would get a new key for the new content.
    assert native.open(fid)["document"]["key"] != key

    mine = docx(name + ": the editor's version")
    ok(ds.callback(key, 2, url=ds.offer(mine), users=[alice]), "status 2 after an outside change")
    # The stored file is not overwritten…
    assert native.folio.versions(fid) == vs
    assert native.content(fid) == outside
    # …the editor's result is a conflict copy beside it (one version, from ONLYOFFICE).
    names = native.names(fid)
    copy = names.get(name + " (conflict).docx")
    assert copy and copy != fid, names
    check_versions(native.folio, copy, 1, mine, "alice", source="onlyoffice", editors=[alice])
    return fid, key, mine, copy


def test_conflict_copy_and_going_on(native, ds):
    fid, key, mine, copy = conflict(native, ds, "Contested")
    # Going on: POST /office/keys/K with a ticket for the copy gives a config for it, new key.
    r = native.office("POST", "keys/" + key, native.folio.ticket(copy, "alice"), {})
    assert r.status == 200, r
    config = r.json()
    assert docserver.verify(config["token"], SECRET) == {k: v for k, v in config.items() if k != "token"}
    assert config["document"]["title"] == "Contested (conflict).docx", config
    assert config["document"]["key"] != key and KEY_CHARS.match(config["document"]["key"]), config
    assert config["document"]["permissions"]["edit"] is True, config
    # A ticket for the original file does not open the copy; an unknown key is 404.
    r = native.office("POST", "keys/" + key, native.folio.ticket(fid, "alice"), {})
    assert r.status in (401, 403), r
    r = native.office("POST", "keys/no-such-key", native.folio.ticket(copy, "alice"), {})
    assert r.status == 404, r


def test_conflict_copy_holds_the_editors_bytes(native, ds):
    fid, key, mine, copy = conflict(native, ds, "Contested bytes")
    r = native.office("POST", "keys/" + key, native.folio.ticket(copy, "alice"), {})
    assert r.status == 200, r
    config = r.json()
    assert ds.fetch(config["document"]["url"]).body == mine, "the DS gets the copy's bytes"
    assert native.content(copy) == mine, "GetFile of the conflict copy"


# ---- 10. attacks ---------------------------------------------------------------------

def test_unsigned_and_forged_callbacks(native, ds, elsewhere):
    fid, v1 = native.new_doc("Guarded.docx", "guarded v1")
    _, key = native.session(fid)
    cases = [
        ("unsigned", dict(signing=None)),
        ("body token, wrong secret", dict(signing="body", secret=WRONG_SECRET)),
        ("header token, wrong secret", dict(signing="header", secret=WRONG_SECRET)),
        ("both tokens, wrong secret", dict(signing="both", secret=WRONG_SECRET)),
        ("body token expired", dict(signing="body", exp=1_000_000_000)),
        ("header token expired", dict(signing="header", exp=1_000_000_000)),
    ]
    for what, how in cases:
        url = ds.offer(docx("forged " + what))
        r = ds.callback(key, 2, url=url, **how)
        refused(r, what)
        assert ds.downloads(url) == 0, what
    # alg "none": no signature at all in a JWT's clothing.
    fields = {"key": key, "status": 2, "url": ds.offer(docx("alg none")), "users": []}
    unsigned = jwt.encode(fields, None, algorithm="none")
    refused(http("POST", native.base + "/office/callback", {**fields, "token": unsigned}), "alg none (body)")
    refused(http("POST", native.base + "/office/callback", fields, {"Authorization": "Bearer " + unsigned}),
            "alg none (header)")
    # A token signed with HS256 but with the secret's "payload" shape in the body: the claims
    # lack key/status, so there is nothing to act on.
    refused(http("POST", native.base + "/office/callback",
                 {**fields, "token": docserver.sign({"payload": fields}, SECRET)}), "header claims in body")
    # The raw body is never trusted: a signed status 1 with a body claiming status 2 and a URL.
    signed = {"key": key, "status": 1, "users": []}
    url = elsewhere.url()
    seen = len(elsewhere.requests)
    r = http("POST", native.base + "/office/callback",
             {"key": key, "status": 2, "url": url, "users": [], "token": docserver.sign(signed, SECRET)})
    ok(r, "tampered body, signed status 1")
    assert len(elsewhere.requests) == seen
    native.unchanged(fid, v1)
    # The key still works for the real DS afterwards.
    v2 = docx("guarded v2")
    ok(ds.callback(key, 6, url=ds.offer(v2), forcesavetype=1), "the real status 6")
    native.stored(fid, 2, v2)


def test_download_only_from_the_document_server(native, ds, elsewhere):
    fid, v1 = native.new_doc("Pinned.docx", "pinned v1")
    _, key = native.session(fid)
    seen = len(elsewhere.requests)
    ds_host = ds.base.split("://", 1)[1]
    urls = {
        "another host": elsewhere.url(),
        "another host, DS in userinfo": "http://%s@127.0.0.1:%d/cache/x/output.docx" % (ds_host, elsewhere.port),
        "DS redirecting to another host": ds.offer_redirect(elsewhere.url()),
        "not http": "file:///etc/passwd",
    }
    for what, url in urls.items():
        for status in (2, 6):
            refused(ds.callback(key, status, url=url, forcesavetype=1), "%s (status %d)" % (what, status))
    assert len(elsewhere.requests) == seen, elsewhere.requests
    # The redirect itself was asked for (Folio tried the DS) but not followed.
    assert ds.downloads(urls["DS redirecting to another host"]) == 2
    native.unchanged(fid, v1)
    # A save callback without a url stores nothing either.
    refused(ds.callback(key, 2), "status 2 without url")
    native.unchanged(fid, v1)


def test_size_cap(capped, ds):
    """Callback and Save As downloads stop at --max-upload-bytes, with or without Content-Length."""
    fid, v1 = capped.new_doc("Capped.docx", "capped v1")
    _, key = capped.session(fid)
    ticket = capped.folio.ticket(fid, "alice")
    for what, url in (("Content-Length over the cap", ds.offer_oversized(CAP + 1)),
                      ("chunked over the cap", ds.offer_oversized(CAP * 64, chunked=True)),
                      ("large Content-Length", ds.offer_oversized(8 * 1024 * 1024))):
        refused(ds.callback(key, 6, url=url, forcesavetype=1), what + " (status 6)")
        capped.unchanged(fid, v1)
        r = capped.office("POST", "%s/saveas" % fid, ticket, {"url": url, "title": "Big", "fileType": "docx"})
        assert r.status == 413, "%s (Save As): %r" % (what, r)
        assert not [n for n in capped.names(fid) if n.startswith("Big")], capped.names(fid)
    refused(ds.callback(key, 2, url=ds.offer_oversized(CAP + 1, chunked=True)), "chunked over the cap (status 2)")
    capped.unchanged(fid, v1)
    # Exactly at the cap is fine.
    full = b"PK" + b"\1" * (CAP - 2)
    ok(ds.callback(key, 6, url=ds.offer(full), forcesavetype=1), "exactly at the cap")
    capped.stored(fid, 2, full)


# ---- shutting down -------------------------------------------------------------------

def test_clean_shutdown_after_office_requests(ds, tmp_path_factory):
    s = native_stack(tmp_path_factory, "onlyoffice_native_shutdown", ds)
    try:
        n = Native(s, ds)
        fid, _ = n.new_doc("Shutdown.docx", "shutdown v1")
        _, key = n.session(fid)
        ok(ds.callback(key, 6, url=ds.offer(docx("shutdown v2")), forcesavetype=1), "status 6")
        s.folio.proc.terminate()
        rc = s.folio.proc.wait(30)
    finally:
        s.stop()
    log = s.folio.log_tail(400)
    assert rc == 0 and "Fatal error" not in log, "folio serve exited with %s after SIGTERM:\n%s" % (
        rc, "\n".join(line for line in log.splitlines() if "Fatal" in line or "error" in line.lower())[:2000])

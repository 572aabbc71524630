"""Lock recovery and save flags against a live Folio (issue 16): what an administrator sees of an
editor's lock, what happens to the editor's next save once the lock is broken, and the save
flags ONLYOFFICE's native callbacks leave on versions (which version retention goes by).

The editors' traffic is what test_collabora.py / test_microsoft.py send (PROTOCOL.md §E.1, §E.2),
proofs included; the administrator works through the application API and `folio`.
"""

import base64
import datetime
import hashlib
import json
import time
import uuid

import pytest

from docserver import DocServer, http
from harness import check_versions, docx, expect, get_lock, instant, json_answer, save_headers
from test_microsoft import office_lock
from test_onlyoffice_native import SECRET, Native, native_stack, ok

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(scope="module")
def ds():
    server = DocServer(SECRET).start()
    yield server
    server.stop()
    assert not server.errors, "the scripted DS failed: %r" % server.errors


@pytest.fixture(scope="module")
def live(ds, tmp_path_factory):
    """One Folio with the three WOPI editors and ONLYOFFICE's native API (the scripted DS)."""
    s = native_stack(tmp_path_factory, "lock_recovery", ds)
    yield Native(s, ds)
    s.stop()


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def api_key(folio, name, *scopes):
    args = ["apikey", "create", "--json"] + [a for s in scopes for a in ("--scope", s)]
    return json.loads(folio.cli(*args, positional=[name]))["key"]


def api(folio, key, method, path):
    return http(method, folio.base + "/api/v1" + path, headers={"Authorization": "Bearer " + key})


def shown_lock(folio, key, file_id):
    """GET /api/v1/files/{id}/lock: the whole answer, checked for its fields and types."""
    r = api(folio, key, "GET", "/files/%s/lock" % file_id)
    assert r.status == 200, "GET lock: %r" % r
    lock = r.json()
    assert sorted(lock) == ["editor", "expiresAt", "fileId", "holder", "lockId", "takenAt"], lock
    instant(lock["takenAt"])
    instant(lock["expiresAt"])
    return lock


def minute_stamp(t):
    """How a conflict copy's name gives the time: "2026-12-04 22.30 UTC"."""
    return t.strftime("%Y-%m-%d %H.%M UTC")


# What differs between the two WOPI editors in this story.
class CollaboraSide:
    name = "collabora"

    def __init__(self, client, tok, info):
        self.client, self.tok = client, tok
        self.lock = "cool-lock%s" % uuid.uuid4().hex[:8]
        self.lmt = info["LastModifiedTime"]          # Collabora sends back the last one it got

    def take(self):
        return self.client.override(self.tok, "LOCK", [("X-WOPI-Lock", self.lock), ("Content-Length", "0")])

    def refresh(self):
        # Collabora refreshes by sending LOCK again with the same id (every 900 s).
        return self.take()

    def autosave(self, body):
        r = self.client.put_file(self.tok, body, save_headers(self.lock, True, True, False, timestamp=self.lmt))
        if r.status == 200:
            self.lmt = json_answer(r, "PutFile")["LastModifiedTime"]
        return r

    def unlock(self):
        return self.client.override(self.tok, "UNLOCK", [("X-WOPI-Lock", self.lock), ("Content-Length", "0")])


class MicrosoftSide:
    name = "microsoft"

    def __init__(self, client, tok, info):
        self.client, self.tok = client, tok
        self.lock = office_lock(S=str(uuid.uuid4()), F=4)
        self.user_id = info["UserId"]

    def take(self):
        return self.client.override(self.tok, "LOCK", [("X-WOPI-Lock", self.lock)])

    def refresh(self):
        return self.client.override(self.tok, "REFRESH_LOCK", [("X-WOPI-Lock", self.lock)])

    def autosave(self, body):
        return self.client.put_file(self.tok, body, [("X-WOPI-Lock", self.lock), ("X-WOPI-Editors", self.user_id)])

    def unlock(self):
        return self.client.override(self.tok, "UNLOCK", [("X-WOPI-Lock", self.lock)])


SIDES = {"collabora": CollaboraSide, "microsoft": MicrosoftSide}


def open_session(live, editor, file_id, login):
    """The editor opens the document for `login`: CheckFileInfo with a token bound to it."""
    client = live.stack.client(editor)
    tok = live.folio.token(file_id, login, editor=editor)
    info = json_answer(expect(client.check_file_info(tok), 200, "CheckFileInfo"), "CheckFileInfo")
    return SIDES[editor](client, tok, info)


# ---- the lock an administrator sees, broken, and the save after it ---------------------

# One way of breaking per editor: the API (DELETE, a key with write scope) and `folio lock break`.
@pytest.mark.parametrize("editor,breaker", [("collabora", "api"), ("microsoft", "cli")])
def test_save_after_broken_lock_becomes_conflict_copy(live, editor, breaker):
    folio = live.folio
    admin = api_key(folio, "lock-admin-%s" % editor, "read", "write")
    v1 = docx("%s minutes v1" % editor)
    doc_name = "Minutes %s.docx" % editor
    fid = live.stack.new_file(doc_name, v1, shares={"bob": "edit"})["id"]

    # bob opens the document (alice owns it) and the editor takes the lock.
    side = open_session(live, editor, fid, "bob")
    before = now()
    expect(side.take(), 200, "LOCK")
    after = now()
    assert expect(side.client.get_file(side.tok), 200, "GetFile").body == v1

    # The API shows who holds it, through which editor, since when.
    lock = shown_lock(folio, admin, fid)
    assert (lock["fileId"], lock["lockId"], lock["holder"], lock["editor"]) == (fid, side.lock, "bob", editor), lock
    taken = instant(lock["takenAt"])
    assert before - SECOND <= taken <= after + SECOND, (before, lock, after)
    assert instant(lock["expiresAt"]) > taken, lock
    # `folio lock list --json` says the same.
    listed = [entry for entry in json.loads(folio.cli("lock", "list", "--json")) if entry["fileId"] == fid]
    assert listed == [dict(lock, name=doc_name)], listed

    # An autosave under the lock is stored as usual.
    v2 = docx("%s minutes v2 autosave" % editor)
    expect(side.autosave(v2), 200, "autosave")
    check_versions(folio, fid, 2, v2, "bob", source="wopi")

    # A refresh later extends the lock but keeps when it was taken.
    time.sleep(1.1)
    expect(side.refresh(), 200, "refresh")
    refreshed = shown_lock(folio, admin, fid)
    assert refreshed["takenAt"] == lock["takenAt"], (lock, refreshed)
    assert instant(refreshed["expiresAt"]) > instant(lock["expiresAt"]), (lock, refreshed)
    assert {k: refreshed[k] for k in ("lockId", "holder", "editor")} == \
        {"lockId": side.lock, "holder": "bob", "editor": editor}, refreshed

    # The editor goes quiet; an administrator breaks the lock.
    if breaker == "api":
        reader = api_key(folio, "lock-reader-%s" % editor, "read")
        r = api(folio, reader, "DELETE", "/files/%s/lock" % fid)
        assert r.status == 403, "a read-only key broke a lock: %r" % r
        assert get_lock(folio, fid) == side.lock
        r = api(folio, admin, "DELETE", "/files/%s/lock" % fid)
        assert r.status == 204 and r.body == b"", r
        by = "api:lock-admin-%s" % editor
    else:
        assert folio.cli("lock", "break", positional=[fid]) == "broke lock %s on %s\n" % (side.lock, fid)
        by = "command line"
    assert api(folio, admin, "GET", "/files/%s/lock" % fid).status == 404
    assert get_lock(folio, fid) == ""
    assert [e for e in json.loads(folio.cli("lock", "list", "--json")) if e["fileId"] == fid] == []
    names_before = live.names(fid)
    # With Office, alice opens the document meanwhile: the 409 below must name her lock.
    in_force = ""
    if editor == "microsoft":
        newcomer = open_session(live, editor, fid, "alice")
        expect(newcomer.take(), 200, "LOCK by a new session")
        in_force = newcomer.lock

    # The editor, unaware, saves the work it still holds under its old lock: 409 with the lock
    # in force now, and the reason says where the work went.
    v3 = docx("%s minutes v3, written while the lock was gone" % editor)
    t0 = now()
    r = expect(side.autosave(v3), 409, "PutFile under the broken lock")
    t1 = now()
    assert r.header("X-WOPI-Lock") == in_force, r
    reason = r.header("X-WOPI-LockFailureReason") or ""
    assert "broken by %s" % by in reason and "conflict copy" in reason, r

    # The document is untouched.
    check_versions(folio, fid, 2, v2, "bob", source="wopi")
    assert live.content(fid) == v2

    # Exactly one new file beside it, named for the saver and the minute, holding the bytes sent.
    names = live.names(fid)
    added = sorted(set(names) - set(names_before))
    expected = {"Minutes %s (conflict copy, bob, %s).docx" % (editor, minute_stamp(t)) for t in (t0, t1)}
    assert len(added) == 1 and added[0] in expected, (added, expected)
    copy_name = added[0]
    assert '"%s"' % copy_name in reason, reason
    cid = names[copy_name]
    doc, copy = live.api("GET", "/files/" + fid).json(), live.api("GET", "/files/" + cid).json()
    assert (copy["ownerId"], copy["folderId"]) == (doc["ownerId"], doc["folderId"]), (doc, copy)
    # The API gives SHA-256 in base64, as WOPI does.
    assert (copy["size"], copy["sha256"]) == (len(v3), base64.b64encode(hashlib.sha256(v3).digest()).decode()), copy
    assert live.api("GET", "/files/%s/content" % cid).body == v3
    check_versions(folio, cid, 1, v3, "bob", source="wopi")

    # The saver opens the copy in the same editor with a token of their own, and may edit it.
    tc = folio.token(cid, "bob", editor=editor)
    info = json_answer(expect(side.client.check_file_info(tc), 200, "CheckFileInfo copy"), "copy")
    assert (info["BaseFileName"], info["Size"], info["UserCanWrite"]) == (copy_name, len(v3), True), info
    assert expect(side.client.get_file(tc), 200, "GetFile copy").body == v3
    assert folio.ticket(cid, "bob")                       # and a link to open it

    # A second save under the same broken lock is kept too, as another copy.
    v4 = docx("%s minutes v4, still under the broken lock" % editor)
    r = expect(side.autosave(v4), 409, "second PutFile under the broken lock")
    assert r.header("X-WOPI-Lock") == in_force and "conflict copy" in r.header("X-WOPI-LockFailureReason"), r
    names2 = live.names(fid)
    [second] = set(names2) - set(names)
    assert second.startswith("Minutes %s (conflict copy, bob, " % editor) and second.endswith(".docx"), second
    assert live.api("GET", "/files/%s/content" % names2[second]).body == v4
    check_versions(folio, fid, 2, v2, "bob", source="wopi")

    # A broken lock stays broken: the editor's LOCK with its old id (Collabora's periodic
    # refresh) does not take the document back, so its saves keep going to copies.
    if not in_force:
        r = expect(side.take(), 409, "LOCK again with the broken id")
        assert r.header("X-WOPI-Lock") == "" and get_lock(folio, fid) == "", r

    # The editor closes: its Unlock under the broken lock releases nothing.
    r = expect(side.unlock(), 409, "UNLOCK under the broken lock")
    assert r.header("X-WOPI-Lock") == in_force, r
    assert get_lock(folio, fid) == in_force
    assert live.names(fid) == names2, "an unlock made a file"
    if in_force:
        expect(newcomer.unlock(), 200, "UNLOCK by the new session")


@pytest.mark.parametrize("editor", ["collabora", "microsoft"])
def test_wrong_lock_never_broken_is_a_plain_conflict(live, editor):
    """A lock id that was never broken (another session's, or none at all) gets the ordinary
    409: nothing stored, no copy."""
    folio = live.folio
    v1 = docx("%s plain conflict v1" % editor)
    fid = live.stack.new_file("Plain %s.docx" % editor, v1, shares={"bob": "edit"})["id"]
    holder = open_session(live, editor, fid, "alice")
    expect(holder.take(), 200, "LOCK")
    stranger = open_session(live, editor, fid, "bob")
    names_before = live.names(fid)

    r = expect(stranger.autosave(docx("a save under a lock it never held")), 409, "PutFile, other lock")
    assert r.header("X-WOPI-Lock") == holder.lock, r
    assert "conflict copy" not in (r.header("X-WOPI-LockFailureReason") or ""), r

    # With no lock in force at all, the same.
    expect(holder.unlock(), 200, "UNLOCK")
    r = expect(stranger.autosave(docx("a save with no lock in force")), 409, "PutFile, unlocked")
    assert r.header("X-WOPI-Lock") == "", r
    assert "conflict copy" not in (r.header("X-WOPI-LockFailureReason") or ""), r

    assert live.names(fid) == names_before
    check_versions(folio, fid, 1, v1, "alice", source="upload")


# ---- ONLYOFFICE native: the save flags of each kind of callback ------------------------

def test_onlyoffice_callbacks_set_save_flags(live, ds):
    """status 6 by the timer (forcesavetype 2) is an autosave; by the Save button (1) or a form
    (3) one a user asked for; through the command service (0) unsaid; status 2 the exit save."""
    fid, v1 = live.new_doc("Flags.docx", "flags v1")
    _, key = live.session(fid)
    alice = live.user_id("alice")

    v2 = docx("flags v2, timer")
    ok(ds.callback(key, 6, url=ds.offer(v2), users=[alice], forcesavetype=2), "status 6 type 2")
    live.stored(fid, 2, v2, autosave=True, exitsave=False)

    v3 = docx("flags v3, Save button")
    ok(ds.callback(key, 6, url=ds.offer(v3), users=[alice], forcesavetype=1), "status 6 type 1")
    live.stored(fid, 3, v3, autosave=False, exitsave=False)

    v4 = docx("flags v4, form submitted")
    ok(ds.callback(key, 6, url=ds.offer(v4), users=[alice], forcesavetype=3), "status 6 type 3")
    live.stored(fid, 4, v4, autosave=False, exitsave=False)

    # Folio sends the command service's forcesave only when a person asks for it.
    v5 = docx("flags v5, command service")
    ok(ds.callback(key, 6, url=ds.offer(v5), users=[alice], forcesavetype=0), "status 6 type 0")
    live.stored(fid, 5, v5, autosave=False, exitsave=False)

    v6 = docx("flags v6, everyone closed")
    ok(ds.callback(key, 2, url=ds.offer(v6), users=[alice]), "status 2")
    vs = live.stored(fid, 6, v6, autosave=False, exitsave=True)
    # The earlier versions kept their flags (`folio versions FILE --json`).
    assert [(v["isAutosave"], v["isExitSave"]) for v in vs] == [
        (None, None), (True, False), (False, False), (False, False), (False, False), (False, True)], vs
    # `folio versions list FILE` is the same command.
    assert json.loads(live.folio.cli("versions", "list", "--json", positional=[fid])) == vs

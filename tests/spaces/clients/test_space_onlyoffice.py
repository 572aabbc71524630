"""ONLYOFFICE Docs on a document in a space of each kind, both ways it talks to a host:
PROTOCOL.md §E.3 (WOPI mode: tests/clients' ONLYOFFICE client, the token only in the query,
X-LOOL-WOPI-* save headers, the file id as lock id) and §E.4 (its own API: tests/clients'
scripted document server fetches document.url and sends signed callbacks). After every save
the storage itself is read back.
"""

import json
import re

import docserver
import wopi
from spacekit import DS_SECRET, conflict_copies
from docserver import http
from harness import check_versions, docx, expect, json_answer, save_headers, saved_time

UTF7 = lambda s: s.encode("utf-7").decode("ascii")
MAX_EXPECTED = "104857600"


def lock_id(file_id):
    return re.sub(r"[^0-9\-.a-zA-Z_=]", "_", file_id)[:240]


def lool(lock, modified, autosave, exitsave, timestamp=None, editors=None):
    h = save_headers(lock, modified, autosave, exitsave, timestamp, prefix="X-LOOL-WOPI-")
    return ([("X-WOPI-Editors", editors)] if editors else []) + h


# ---- WOPI mode (§E.3) -----------------------------------------------------------------------

def test_wopi_editing_session(space):
    folio, oo = space.folio, space.client("onlyoffice")
    v1 = docx("ONLYOFFICE in a space, v1")
    path = space.document("onlyoffice-wopi", "Отчёт.docx", v1)
    folder = path.rsplit("/", 1)[0]
    t = space.token(path, "alice", editor="onlyoffice")
    fid, lock = t.file_id, lock_id(t.file_id)

    # 2. CheckFileInfo, the token only in the query.
    r = expect(oo.check_file_info(t), 200, "2 CheckFileInfo")
    assert not any(k.lower() == "authorization" for k, _ in r.sent[2]), r.sent
    info = json_answer(r, "2 CheckFileInfo")
    assert info["BaseFileName"] == "Отчёт.docx" and info["Size"] == len(v1), info
    assert info["UserCanWrite"] is True and info["SupportsLocks"] is True, info
    alice_id, lmt = info["UserId"], info["LastModifiedTime"]

    # 3. LOCK with the file id, 4. GetFile, 5. REFRESH_LOCK.
    expect(oo.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "3 LOCK")
    assert expect(oo.get_file(t, [("X-WOPI-MaxExpectedSize", MAX_EXPECTED)]), 200, "4 GetFile").body == v1
    expect(oo.override(t, "REFRESH_LOCK", [("X-WOPI-Lock", lock)]), 200, "5 REFRESH_LOCK")
    assert space.get_lock(path) == lock

    # 6. Forcesave from the button, then from the timer: each in the storage.
    v2 = docx("ONLYOFFICE in a space, v2 button")
    r = expect(oo.put_file(t, v2, lool(lock, True, False, False, lmt, editors=alice_id)), 200, "6 forcesave")
    lmt6 = saved_time(r, lmt, "6 forcesave")
    space.stored(path, v2, "6 forcesave")
    check_versions(folio, fid, 2, v2, "alice", autosave=False, exitsave=False, modified=True, editors=[alice_id])
    v3 = docx("ONLYOFFICE in a space, v3 timer")
    r = expect(oo.put_file(t, v3, lool(lock, True, True, False, lmt6, editors=alice_id)), 200, "6 timer")
    lmt6b = saved_time(r, lmt6, "6 timer")
    space.stored(path, v3, "6 timer")
    check_versions(folio, fid, 3, v3, "alice", autosave=True, exitsave=False, modified=True, editors=[alice_id])
    # A stale X-LOOL-WOPI-Timestamp (Folio's own save since): 409 1010, nothing written.
    r = expect(oo.put_file(t, docx("stale"), lool(lock, True, True, False, lmt6, editors=alice_id)), 409,
               "6 stale timestamp")
    body = json.loads(r.body)
    assert 1010 in (body.get("COOLStatusCode"), body.get("LOOLStatusCode")), body
    space.stored(path, v3, "6 stale timestamp")
    assert space.names(folder) == ["Отчёт.docx"]

    # 7. Save Copy As: a new document in the storage beside it.
    copy = docx("ONLYOFFICE copy in a space")
    title = "Отчёт (копия).docx"
    answer = json_answer(expect(oo.override(t, "PUT_RELATIVE", [("X-WOPI-SuggestedTarget", UTF7(title)),
                                                                ("X-WOPI-Size", str(len(copy)))], copy),
                                200, "7 PUT_RELATIVE"), "7")
    assert answer["Name"] == title, answer
    new = wopi.Token.from_url(answer["Url"], t.ttl)
    assert new.file_id != fid, answer
    space.stored(folder + "/" + title, copy, "7 PUT_RELATIVE")
    info_new = json_answer(expect(space.client("onlyoffice").check_file_info(new), 200, "7 CheckFileInfo copy"), "7")
    assert info_new["BaseFileName"] == title and info_new["Size"] == len(copy), info_new

    # 8. RENAME_FILE under the lock: renamed in the storage.
    r = expect(oo.override(t, "RENAME_FILE", [("X-WOPI-Lock", lock), ("X-WOPI-RequestedName", UTF7("Отчёт 2026"))]),
               200, "8 RENAME_FILE")
    assert json_answer(r, "8")["Name"] == "Отчёт 2026", r
    renamed = folder + "/Отчёт 2026.docx"
    assert space.names(folder) == sorted([title, "Отчёт 2026.docx"])
    space.stored(renamed, v3, "8 RENAME_FILE")

    # 9. The save on close, into the renamed document; 10. UNLOCK.
    v4 = docx("ONLYOFFICE in a space, v4 closed")
    r = expect(oo.put_file(t, v4, lool(lock, True, False, True, lmt6b, editors=alice_id)), 200, "9 close save")
    saved_time(r, lmt6b, "9 close save")
    space.stored(renamed, v4, "9 close save")
    check_versions(folio, fid, 4, v4, "alice", autosave=False, exitsave=True, modified=True, editors=[alice_id])
    expect(oo.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "10 UNLOCK")
    assert space.get_lock(renamed) == ""


def test_wopi_new_empty_document(space):
    """2b: an empty document in the storage; ONLYOFFICE PutFiles its template before LOCK."""
    oo = space.client("onlyoffice")
    path = space.document("onlyoffice-new", "Новый.docx", b"")
    t = space.token(path, "alice", editor="onlyoffice")
    assert json_answer(expect(oo.check_file_info(t), 200, "2 CheckFileInfo"), "2")["Size"] == 0
    template = docx("")
    expect(oo.put_file(t, template, lool(None, False, False, False)), 200, "2b template PutFile")
    space.stored(path, template, "2b template PutFile")
    lock = lock_id(t.file_id)
    expect(oo.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "3 LOCK")
    assert expect(oo.get_file(t, [("X-WOPI-MaxExpectedSize", MAX_EXPECTED)]), 200, "4 GetFile").body == template
    expect(oo.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "10 UNLOCK")


def test_wopi_outside_change_between_saves(space):
    """An outside change between two forcesaves, seen by another session's CheckFileInfo: the
    stale X-LOOL-WOPI-Timestamp gets 1010 and nothing is written; the save on close (which
    ONLYOFFICE sends without asking) becomes a conflict copy, 409, the original untouched."""
    oo = space.client("onlyoffice")
    path = space.document("onlyoffice-wopi-conflict", "Spor.docx", docx("ONLYOFFICE conflict v1"))
    folder = path.rsplit("/", 1)[0]
    t = space.token(path, "alice", editor="onlyoffice")
    lock = lock_id(t.file_id)
    info = json_answer(expect(oo.check_file_info(t), 200, "CheckFileInfo"), "CheckFileInfo")
    expect(oo.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "LOCK")
    v2 = docx("ONLYOFFICE conflict v2")
    lmt2 = saved_time(expect(oo.put_file(t, v2, lool(lock, True, False, False, info["LastModifiedTime"])), 200,
                             "forcesave"), info["LastModifiedTime"], "forcesave")
    space.stored(path, v2, "forcesave")
    outside = docx("ONLYOFFICE conflict: changed in the storage by another program")
    if space.kind == "webdav":
        assert space.storage.put(path, outside) == 423, "a WebDAV PUT while the editor holds the lock"
    space.storage.write_outside(path, outside)
    other = space.token(path, "bob", editor="onlyoffice", role="edit")
    assert json_answer(expect(oo.check_file_info(other), 200, "CheckFileInfo bob"), "bob")["Size"] == len(outside)

    r = expect(oo.put_file(t, docx("stale"), lool(lock, True, True, False, lmt2)), 409, "stale forcesave")
    body = json.loads(r.body)
    assert 1010 in (body.get("COOLStatusCode"), body.get("LOOLStatusCode")), body
    assert space.names(folder) == ["Spor.docx"], "nothing written for a stale timestamp"
    mine = docx("ONLYOFFICE conflict v3: saved on close")
    r = expect(oo.put_file(t, mine, lool(lock, True, False, True)), 409, "close save over the outside change")
    assert b"conflict" in r.body, r
    space.stored(path, outside, "the original is untouched")
    copies = conflict_copies(space.names(folder), "Spor", ".docx", "alice")
    assert len(copies) == 1 and space.names(folder) == sorted(["Spor.docx"] + copies), space.names(folder)
    space.stored(folder + "/" + copies[0], mine, "the conflict copy holds the editor's bytes")
    expect(oo.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "UNLOCK")


# ---- its own API (§E.4) ---------------------------------------------------------------------

class Native:
    """ONLYOFFICE's own API on a space document: Folio's editor config for it (with a ticket
    from `folio open --space`), the scripted DS, and the user's id for callbacks."""

    def __init__(self, space, path):
        self.space, self.ds, self.path = space, space.ds, path
        self.tok = space.token(path, "alice")
        self.fid = self.tok.file_id
        info = expect(wopi.send("GET", self.tok.src + "?access_token=" + self.tok.token, []), 200, "CheckFileInfo")
        self.alice = info.json()["UserId"]

    def office(self, method, what, body=None, login="alice"):
        url = "%s/office/%s/%s?ticket=%s" % (self.space.folio.base, self.fid, what,
                                              self.space.ticket(self.path, login))
        return http(method, url, body)

    def open(self):
        r = self.office("GET", "open")
        assert r.status == 200, "GET /office/%s/open: %r" % (self.fid, r)
        config = r.json()
        assert docserver.verify(config["token"], DS_SECRET) == {k: v for k, v in config.items() if k != "token"}
        return config

    def session(self):
        """Folio's config, then the DS joins: (config, key, the bytes the DS fetched)."""
        config = self.open()
        return config, config["document"]["key"], self.ds.open(config)


def ok(answer, what):
    assert answer.status == 200 and answer.json() == {"error": 0}, "%s: %r" % (what, answer)


def test_native_editing_session(space):
    folio, ds = space.folio, space.ds
    v1 = docx("ONLYOFFICE native in a space, v1")
    path = space.document("onlyoffice-native", "Quarterly.docx", v1)
    folder = path.rsplit("/", 1)[0]
    n = Native(space, path)

    # The config names the document; the DS's signed GET of document.url gets the storage's bytes.
    config, key, fetched = n.session()
    assert config["document"]["title"] == "Quarterly.docx" and config["document"]["fileType"] == "docx", config
    assert config["document"]["permissions"]["edit"] is True, config
    assert fetched == v1

    # Status 1: a user joined; nothing stored.
    ok(ds.callback(key, 1, users=[n.alice], actions=[{"type": 1, "userid": n.alice}]), "status 1")
    space.stored(path, v1, "status 1")

    # Status 6 (forcesave from the button): downloaded from the DS, into the storage; key kept.
    v2 = docx("ONLYOFFICE native in a space, v2 forcesave")
    url = ds.offer(v2, key=key)
    ok(ds.callback(key, 6, url=url, users=[n.alice], forcesavetype=1, actions=[{"type": 2, "userid": n.alice}],
                   changesurl=ds.offer(b"PK changes", name="changes.zip")), "status 6")
    assert ds.downloads(url) == 1
    space.stored(path, v2, "status 6")
    check_versions(folio, n.fid, 2, v2, "alice", source="onlyoffice", editors=[n.alice])
    assert n.open()["document"]["key"] == key

    # Forcesave asked by Folio through the command service: the DS calls back with status 6, 0.
    v3 = docx("ONLYOFFICE native in a space, v3 forcesave command")
    ds.edit(key, v3)
    callbacks = len(ds.callbacks)
    r = n.office("POST", "forcesave", {})
    assert r.status == 200 and r.json() == {"error": 0}, r
    body, answer = ds.wait_callbacks(callbacks + 1)[callbacks]
    assert (body["key"], body["status"], body["forcesavetype"]) == (key, 6, 0), body
    ok(answer, "status 6 after the forcesave command")
    space.stored(path, v3, "forcesave command")
    check_versions(folio, n.fid, 3, v3, "alice", source="onlyoffice")

    # Rename from the editor: renamed in the storage; the DS is told the new title.
    commands = len(ds.commands)
    r = n.office("POST", "rename", {"name": "Quarterly final"})
    assert r.status == 200 and r.json() == {"name": "Quarterly final.docx"}, r
    cmd = ds.wait_commands(commands + 1)[commands]
    assert (cmd["c"], cmd["key"], cmd["meta"]) == ("meta", key, {"title": "Quarterly final.docx"}), cmd
    renamed = folder + "/Quarterly final.docx"
    assert space.names(folder) == ["Quarterly final.docx"]
    space.stored(renamed, v3, "rename")
    n.path = renamed

    # Status 2 (the last editor closed): into the storage, the key retired.
    v4 = docx("ONLYOFFICE native in a space, v4 final")
    url = ds.offer(v4)
    ok(ds.callback(key, 2, url=url, users=[n.alice], actions=[{"type": 0, "userid": n.alice}]), "status 2")
    assert ds.downloads(url) == 1
    space.stored(renamed, v4, "status 2")
    check_versions(folio, n.fid, 4, v4, "alice", source="onlyoffice", editors=[n.alice])
    config, new_key, fetched = n.session()
    assert new_key != key and fetched == v4, (key, new_key)
    # The retired key saves nothing any more.
    r = ds.callback(key, 2, url=ds.offer(docx("late")), users=[n.alice])
    assert r.status in (200, 403) and r.json().get("error") not in (None, 0), r
    space.stored(renamed, v4, "a retired key's late save")


def test_native_outside_change_becomes_a_conflict_copy(space):
    """The document changes in the storage during a session of ONLYOFFICE's own API: the final
    save (status 2) goes beside it as a conflict copy, the original untouched, and the editor
    can go on with the copy."""
    ds = space.ds
    v1 = docx("ONLYOFFICE native conflict v1")
    path = space.document("onlyoffice-native-conflict", "Contract.docx", v1)
    folder = path.rsplit("/", 1)[0]
    n = Native(space, path)
    _, key, fetched = n.session()
    assert fetched == v1
    v2 = docx("ONLYOFFICE native conflict v2 forcesave")
    ok(ds.callback(key, 6, url=ds.offer(v2), users=[n.alice], forcesavetype=1), "status 6")
    space.stored(path, v2, "status 6")

    outside = docx("ONLYOFFICE native conflict: changed in the storage by another program")
    space.storage.write_outside(path, outside)
    mine = docx("ONLYOFFICE native conflict v3: the editor's final save")
    ok(ds.callback(key, 2, url=ds.offer(mine), users=[n.alice]), "status 2 over the outside change")
    space.stored(path, outside, "the original is untouched")
    copies = conflict_copies(space.names(folder), "Contract", ".docx", "alice")
    assert len(copies) == 1 and space.names(folder) == sorted(["Contract.docx"] + copies), space.names(folder)
    space.stored(folder + "/" + copies[0], mine, "the conflict copy holds the editor's bytes")
    # Nothing of the refused save became a version of the original.
    check_versions(space.folio, n.fid, 2, v2, "alice", source="onlyoffice")
    # A new session opens the outside change under a new key; it is a version (source outside).
    config, new_key, fetched = n.session()
    assert new_key != key and fetched == outside
    check_versions(space.folio, n.fid, 3, outside, "space:docs", source="outside")

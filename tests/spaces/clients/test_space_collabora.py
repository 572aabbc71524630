"""PROTOCOL.md §E.1, Collabora Online, on a document in a space of each kind.

The requests are tests/clients' Collabora client's (`?access_token=T`, Bearer, X-COOL-WOPI-*,
one key signing X-WOPI-Proof and X-WOPI-ProofOld). After every save the storage itself is read
back; `folio versions` shows the history Folio keeps for it.
"""

import json

import pytest

import wopi
from spacekit import conflict_copies
from harness import check_versions, docx, expect, instant, json_answer, pdf, save_headers, saved_time

LOCK = "cool-lock1a2b3c4d"
LOCK_G = "cool-lock5e6f7a8b"
UTF7 = lambda s: s.encode("utf-7").decode("ascii")


def lock_headers(lock):
    return [("X-WOPI-Lock", lock), ("Content-Length", "0")]


def test_editing_session(space):
    folio, cool = space.folio, space.client("collabora")
    v1 = docx("Collabora in a space, v1")
    path = space.document("collabora", "report.docx", v1)
    folder = path.rsplit("/", 1)[0]
    t = space.token(path, "alice", editor="collabora")
    t2 = space.token(path, "bob", editor="collabora", role="edit")
    fid = t.file_id
    assert t2.file_id == fid, "one file id per document"

    # 2. CheckFileInfo: the storage's document as it is.
    info = json_answer(expect(cool.check_file_info(t), 200, "2 CheckFileInfo"), "2 CheckFileInfo")
    assert info["BaseFileName"] == "report.docx" and info["Size"] == len(v1), info
    assert info["SupportsLocks"] is True and info["UserCanWrite"] is True, info
    assert info["PostMessageOrigin"] == folio.base, info
    assert info["UserFriendlyName"] == "Alice Liddell", info
    lmt = info["LastModifiedTime"]
    instant(lmt)
    # The first open made its file, version 1 taken in from the storage (source outside).
    check_versions(folio, fid, 1, v1, "space:docs", source="outside")

    # 3. LOCK; 4. GetFile gives the storage's bytes.
    r = expect(cool.override(t, "LOCK", lock_headers(LOCK)), 200, "3 LOCK")
    assert r.header("X-WOPI-Lock") is None, r
    assert space.get_lock(path) == LOCK
    assert expect(cool.get_file(t), 200, "4 GetFile").body == v1

    # 5. A second user joins: CheckFileInfo, no new LOCK.
    info2 = json_answer(expect(cool.check_file_info(t2), 200, "5 CheckFileInfo bob"), "5")
    assert info2["UserId"] != info["UserId"] and info2["UserCanWrite"] is True, info2
    assert info2["UserFriendlyName"] == "Bob Cratchit", info2
    assert instant(info2["LastModifiedTime"]) == instant(lmt), info2

    # 6. Autosave with the LastModifiedTime Collabora last received: in the storage at once.
    v2 = docx("Collabora in a space, v2 autosave")
    r = expect(cool.put_file(t, v2, save_headers(LOCK, True, True, False, timestamp=lmt)), 200, "6 autosave")
    lmt6 = saved_time(r, lmt, "6 autosave")
    space.stored(path, v2, "6 autosave")
    check_versions(folio, fid, 2, v2, "alice", autosave=True, exitsave=False, modified=True, editors=[])

    # 7. Ctrl+S, carrying the time just received.
    v3 = docx("Collabora in a space, v3 saved")
    r = expect(cool.put_file(t, v3, save_headers(LOCK, True, False, False, timestamp=lmt6)), 200, "7 save")
    lmt7 = saved_time(r, lmt6, "7 save")
    space.stored(path, v3, "7 save")
    check_versions(folio, fid, 3, v3, "alice", autosave=False, exitsave=False, modified=True)
    # The other session's CheckFileInfo reports that time and size (Collabora's conflict check).
    info2 = json_answer(expect(cool.check_file_info(t2), 200, "7 CheckFileInfo bob"), "7")
    assert instant(info2["LastModifiedTime"]) == instant(lmt7) and info2["Size"] == len(v3), info2

    # 8. Lock refresh (LOCK again, same id); another Collabora's lock id gets 409.
    expect(cool.override(t, "LOCK", lock_headers(LOCK)), 200, "8 LOCK refresh")
    r = expect(cool.override(t2, "LOCK", [("X-WOPI-Lock", "cool-lockffffffff")]), 409, "8 foreign LOCK")
    assert r.header("X-WOPI-Lock") == LOCK, r

    # 9. Save As: PUT_RELATIVE, a UTF-7 name with a path in it, no lock. The new document goes
    #    into the storage beside the original.
    export = pdf("hello from a space")
    r = expect(cool.override(t, "PUT_RELATIVE", [
        ("X-WOPI-SuggestedTarget", "/jan/hole+AWE-ovsk+AP0-/hello world 1.pdf"),
        ("X-WOPI-Size", str(len(export))), ("Content-Type", "application/octet-stream")], export),
        200, "9 PUT_RELATIVE")
    answer = json_answer(r, "9 PUT_RELATIVE")
    assert answer["Name"] == "hello world 1.pdf", answer
    g = wopi.Token.from_url(answer["Url"], t.ttl)
    assert g.src.startswith(folio.base + "/wopi/files/") and g.file_id != fid, answer
    space.stored(folder + "/hello world 1.pdf", export, "9 PUT_RELATIVE")
    assert space.names(folder) == ["hello world 1.pdf", "report.docx"]
    space.stored(path, v3, "9 the source is untouched")
    assert space.get_lock(path) == LOCK

    # 10. Reload on the new Url: CheckFileInfo → LOCK → GetFile; the old session UNLOCKs.
    info_g = json_answer(expect(cool.check_file_info(g), 200, "10 CheckFileInfo G"), "10")
    assert info_g["BaseFileName"] == "hello world 1.pdf" and info_g["Size"] == len(export), info_g
    expect(cool.override(g, "LOCK", lock_headers(LOCK_G)), 200, "10 LOCK G")
    assert expect(cool.get_file(g), 200, "10 GetFile G").body == export
    expect(cool.override(t, "UNLOCK", lock_headers(LOCK)), 200, "10 UNLOCK F")
    assert space.get_lock(path) == ""

    # 11. RENAME_FILE (UTF-7, no extension, the document as body): renamed in the storage.
    r = expect(cool.override(g, "RENAME_FILE", [
        ("X-WOPI-Lock", LOCK_G), ("X-WOPI-RequestedName", UTF7("hello wörld")),
        ("Content-Type", "application/octet-stream")], export), 200, "11 RENAME_FILE")
    answer = json_answer(r, "11 RENAME_FILE")
    assert answer["Name"] == "hello wörld", answer
    lmt11 = answer["LastModifiedTime"]
    instant(lmt11)
    reloaded = wopi.Token.from_url(answer["Url"], g.ttl)
    assert reloaded.src == g.src, answer
    assert space.names(folder) == ["hello wörld.pdf", "report.docx"]
    space.stored(folder + "/hello wörld.pdf", export, "11 RENAME_FILE keeps the bytes")
    info_g = json_answer(expect(cool.check_file_info(reloaded), 200, "11 reload"), "11 reload")
    assert info_g["BaseFileName"] == "hello wörld.pdf", info_g

    # 12. Exit save on a closing connection: into the renamed document.
    final = pdf("hello from a space, final")
    r = expect(cool.put_file(reloaded, final, save_headers(LOCK_G, True, False, True, timestamp=lmt11)
                             + [("Connection", "close")]), 200, "12 exit save")
    saved_time(r, lmt11, "12 exit save")
    space.stored(folder + "/hello wörld.pdf", final, "12 exit save")
    check_versions(folio, g.file_id, 2, final, "alice", autosave=False, exitsave=True, modified=True)

    # 13. UNLOCK.
    expect(cool.override(reloaded, "UNLOCK", lock_headers(LOCK_G)), 200, "13 UNLOCK")
    assert space.get_lock(folder + "/hello wörld.pdf") == ""
    assert space.names(folder) == ["hello wörld.pdf", "report.docx"]
    space.stored(path, v3, "the end: the first document holds its last save")


def open_and_autosave(space, test, name):
    """A Collabora session on a new document that has autosaved once: (client, path, token,
    the LastModifiedTime it holds, the bytes saved)."""
    cool = space.client("collabora")
    path = space.document(test, name, docx("%s v1" % test))
    t = space.token(path, "alice", editor="collabora")
    info = json_answer(expect(cool.check_file_info(t), 200, "CheckFileInfo"), "CheckFileInfo")
    expect(cool.override(t, "LOCK", lock_headers(LOCK)), 200, "LOCK")
    expect(cool.get_file(t), 200, "GetFile")
    v2 = docx("%s v2 autosave" % test)
    r = expect(cool.put_file(t, v2, save_headers(LOCK, True, True, False, info["LastModifiedTime"])), 200, "autosave")
    lmt = saved_time(r, info["LastModifiedTime"], "autosave")
    space.stored(path, v2, "autosave")
    return cool, path, t, lmt, v2


def change_outside(space, path, saved, outside):
    """Another program changes the document in the storage while Collabora holds the lock."""
    if space.kind == "webdav":
        # Folio holds a WebDAV lock while the editor holds the WOPI lock: a WebDAV client is refused.
        assert space.storage.put(path, outside) == 423, "a WebDAV PUT while the editor holds the lock"
        space.stored(path, saved, "a WebDAV client's PUT was refused")
    space.storage.write_outside(path, outside)


def test_outside_change_between_saves(space):
    """6b on a space: the document changes in the storage between two autosaves, and another
    session's CheckFileInfo sees it. Collabora's autosave with its stale timestamp gets 409
    COOLStatusCode 1010 and nothing is written; the user's "overwrite" (the same upload without
    the timestamp) does not overwrite either: while Collabora holds the lock Folio compares
    with the version it loaded, so the save becomes a conflict copy beside the untouched
    original, and 409."""
    folio = space.folio
    cool, path, t, lmt2, v2 = open_and_autosave(space, "collabora-6b", "contested.docx")
    folder = path.rsplit("/", 1)[0]
    outside = docx("Collabora 6b: changed in the storage by someone else, meanwhile")
    change_outside(space, path, v2, outside)
    # Bob opens the document meanwhile: his CheckFileInfo takes the change in.
    tb = space.token(path, "bob", editor="collabora", role="edit")
    info_b = json_answer(expect(cool.check_file_info(tb), 200, "CheckFileInfo bob"), "bob")
    assert info_b["Size"] == len(outside) and instant(info_b["LastModifiedTime"]) > instant(lmt2), info_b

    mine = docx("Collabora 6b v3: the editor's autosave")
    r = expect(cool.put_file(t, mine, save_headers(LOCK, True, True, False, timestamp=lmt2)), 409, "stale autosave")
    assert json.loads(r.body)["COOLStatusCode"] == 1010, r
    space.stored(path, outside, "1010: nothing written")
    assert space.names(folder) == ["contested.docx"], "no copy for a refused timestamp"

    r = expect(cool.put_file(t, mine, save_headers(LOCK, True, True, False)), 409, "overwrite after 1010")
    assert b"conflict" in r.body, r
    space.stored(path, outside, "the original is untouched")
    copies = conflict_copies(space.names(folder), "contested", ".docx", "alice")
    assert len(copies) == 1 and space.names(folder) == sorted(["contested.docx"] + copies), space.names(folder)
    space.stored(folder + "/" + copies[0], mine, "the conflict copy holds the editor's bytes")
    # Folio took the change in as a version of its own and stored none of the refused saves.
    vs = check_versions(folio, t.file_id, 3, outside, "space:docs", source="outside")
    assert [v["source"] for v in vs] == ["outside", "wopi", "outside"], vs
    assert expect(cool.get_file(t), 200, "GetFile after the conflict").body == outside
    expect(cool.override(t, "UNLOCK", lock_headers(LOCK)), 200, "UNLOCK")

    # A new session starts from the outside change and saves over it as usual.
    t = space.token(path, "alice", editor="collabora")
    info = json_answer(expect(cool.check_file_info(t), 200, "CheckFileInfo again"), "again")
    assert info["Size"] == len(outside), info
    expect(cool.override(t, "LOCK", lock_headers(LOCK)), 200, "LOCK again")
    assert expect(cool.get_file(t), 200, "GetFile again").body == outside
    v4 = docx("Collabora 6b v4 over the outside change")
    expect(cool.put_file(t, v4, save_headers(LOCK, True, False, False, info["LastModifiedTime"])), 200, "save again")
    space.stored(path, v4, "a new session's save")
    check_versions(folio, t.file_id, 4, v4, "alice", autosave=False)
    expect(cool.override(t, "UNLOCK", lock_headers(LOCK)), 200, "UNLOCK again")


def test_stale_timestamp_over_an_unseen_outside_change_writes_nothing(space):
    """The same without another session in between: nobody has looked at the storage since
    Collabora's last save, so the timestamp Collabora sends still matches what Folio knows."""
    cool, path, t, lmt2, v2 = open_and_autosave(space, "collabora-unseen", "unseen.docx")
    folder = path.rsplit("/", 1)[0]
    outside = docx("Collabora: changed in the storage, seen by nobody yet")
    change_outside(space, path, v2, outside)
    mine = docx("Collabora: the editor's autosave over an unseen change")
    r = expect(cool.put_file(t, mine, save_headers(LOCK, True, True, False, timestamp=lmt2)), 409, "stale autosave")
    assert json.loads(r.body)["COOLStatusCode"] == 1010, r
    space.stored(path, outside, "the original is untouched")
    # 1010 comes before anything is written: no conflict copy, also when Collabora retries.
    r = expect(cool.put_file(t, mine, save_headers(LOCK, True, True, False, timestamp=lmt2)), 409, "retried")
    assert json.loads(r.body)["COOLStatusCode"] == 1010, r
    assert space.names(folder) == ["unseen.docx"], space.names(folder)
    expect(cool.override(t, "UNLOCK", lock_headers(LOCK)), 200, "UNLOCK")


def test_save_as_a_name_a_space_path_cannot_hold(space):
    """Collabora's Save As of a name that holds a percent-encoded sequence (a file downloaded
    from the web is often called "My%20Report.pdf"). A space path refuses the name as it is, so
    in suggested mode Folio picks a legal one (WOPI: the host modifies the suggested name as
    needed to make the request succeed): "My_20Report.pdf"."""
    cool = space.client("collabora")
    path = space.document("collabora-percent", "source.docx", docx("Collabora Save As, a name with %20"))
    folder = path.rsplit("/", 1)[0]
    t = space.token(path, "alice", editor="collabora")
    export = pdf("My%20Report")
    r = cool.override(t, "PUT_RELATIVE", [
        ("X-WOPI-SuggestedTarget", "/jan/hole+AWE-ovsk+AP0-/My+ACU-20Report.pdf"),
        ("X-WOPI-Size", str(len(export))), ("Content-Type", "application/octet-stream")], export)
    answer = json_answer(expect(r, 200, "PUT_RELATIVE"), "PUT_RELATIVE")
    assert answer["Name"] == "My_20Report.pdf" and answer["Name"] in space.names(folder), (answer, space.names(folder))
    space.stored(folder + "/" + answer["Name"], export, "PUT_RELATIVE with a legal name made of it")

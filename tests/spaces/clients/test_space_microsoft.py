"""PROTOCOL.md §E.2, Microsoft Office for the web / Office Online Server, on a document in a
space of each kind.

The requests are tests/clients' Office client's (the token with every non-alphanumeric
character percent-encoded plus access_token_ttl, Bearer, a fresh X-WOPI-CorrelationId, Proof
and ProofOld signed with two distinct keys). After every save the storage itself is read back.
"""

import uuid

import wopi
from spacekit import conflict_copies
from harness import check_versions, docx, expect, json_answer

UTF7 = lambda s: s.encode("utf-7").decode("ascii")


def office_lock(**fields):
    return "{" + ",".join('"%s":%s' % (k, ('"%s"' % v) if isinstance(v, str) else v) for k, v in fields.items()) + "}"


def test_editing_session(space):
    folio, office = space.folio, space.client("microsoft")
    v1 = docx("Office in a space, v1")
    path = space.document("microsoft", "Bericht.docx", v1)
    folder = path.rsplit("/", 1)[0]
    t = space.token(path, "alice", editor="microsoft")
    t2 = space.token(path, "bob", editor="microsoft", role="edit")
    fid = t.file_id
    session = str(uuid.uuid4())
    lock1 = office_lock(S=session, F=4)
    lock2 = office_lock(S=session, F=6, E=2, M="WAC-machine", P=str(uuid.uuid4()))

    # 2. CheckFileInfo with a session context.
    info = json_answer(expect(office.check_file_info(t, [("X-WOPI-SessionContext", "ctx-" + session)]), 200,
                              "2 CheckFileInfo"), "2")
    assert info["BaseFileName"] == "Bericht.docx" and info["Size"] == len(v1), info
    assert isinstance(info["Version"], str) and info["Version"], info
    for flag in ("SupportsLocks", "SupportsUpdate", "SupportsGetLock", "SupportsExtendedLockLength",
                 "SupportsRename", "UserCanWrite", "UserCanRename"):
        assert info[flag] is True, (flag, info)
    assert info.get("UserCanNotWriteRelative") in (None, False), info
    alice_id = info["UserId"]

    # 3. LOCK, 4. relock to a longer id.
    expect(office.override(t, "LOCK", [("X-WOPI-Lock", lock1)]), 200, "3 LOCK")
    expect(office.override(t, "LOCK", [("X-WOPI-OldLock", lock1), ("X-WOPI-Lock", lock2)]), 200, "4 relock")
    assert space.get_lock(path) == lock2

    # 5. GetFile: the storage's bytes and X-WOPI-ItemVersion; too large for MaxExpectedSize: 412.
    r = expect(office.get_file(t, [("X-WOPI-MaxExpectedSize", str(100 * 1024 * 1024))]), 200, "5 GetFile")
    assert r.body == v1 and r.header("X-WOPI-ItemVersion") == info["Version"], r
    expect(office.get_file(t, [("X-WOPI-MaxExpectedSize", str(len(v1) - 1))]), 412, "5 GetFile too large")

    # 6. The lock probes: 409 with the lock in force.
    for op in ("REFRESH_LOCK", "UNLOCK"):
        r = expect(office.override(t, op, [("X-WOPI-Lock", "GetCurrentLockString-" + str(uuid.uuid4()))]), 409,
                   "6 %s probe" % op)
        assert r.header("X-WOPI-Lock") == lock2, r

    # 7. Autosave: a new ItemVersion, the bytes in the storage.
    v2 = docx("Office in a space, v2 autosave")
    if space.kind == "webdav":
        # While the editor holds the WOPI lock, Folio holds a WebDAV lock: other clients get 423.
        assert space.storage.put(path, docx("a WebDAV client's PUT")) == 423, "a WebDAV PUT under the lock"
        space.stored(path, v1, "a WebDAV client's PUT under the lock")
    r = expect(office.put_file(t, v2, [("X-WOPI-Lock", lock2), ("X-WOPI-Editors", alice_id)]), 200, "7 PutFile")
    version2 = r.header("X-WOPI-ItemVersion")
    assert version2 and version2 != info["Version"], r
    space.stored(path, v2, "7 PutFile")
    check_versions(folio, fid, 2, v2, "alice", editors=[alice_id])

    # 8. CheckFileInfo and RefreshLock.
    info = json_answer(expect(office.check_file_info(t), 200, "8 CheckFileInfo"), "8")
    assert info["Version"] == version2 and info["Size"] == len(v2), info
    expect(office.override(t, "REFRESH_LOCK", [("X-WOPI-Lock", lock2)]), 200, "8 REFRESH_LOCK")

    # 9. A co-author saves with their own token under the same lock.
    bob_id = json_answer(expect(office.check_file_info(t2), 200, "9 CheckFileInfo bob"), "9")["UserId"]
    assert bob_id != alice_id
    v3 = docx("Office in a space, v3 co-authored")
    r = expect(office.put_file(t2, v3, [("X-WOPI-Lock", lock2), ("X-WOPI-Editors", alice_id + "," + bob_id)]),
               200, "9 PutFile bob")
    assert r.header("X-WOPI-ItemVersion") not in (None, version2), r
    space.stored(path, v3, "9 PutFile bob")
    check_versions(folio, fid, 3, v3, "bob", editors=[alice_id, bob_id])

    # 10. Save As in specific mode: a new document in the storage; the same name again is 409
    #     with X-WOPI-ValidRelativeTarget (free in the storage), which Office retries with; then
    #     an overwrite of the first copy, in the storage.
    copy = docx("Office copy in a space")
    name = "Kopie – Bericht.docx"
    relative = lambda target, body, *extra: office.override(t, "PUT_RELATIVE", [
        ("X-WOPI-RelativeTarget", target), *extra, ("X-WOPI-Size", str(len(body)))], body)
    answer = json_answer(expect(relative(UTF7(name), copy), 200, "10 PUT_RELATIVE"), "10")
    assert answer["Name"] == name, answer
    first = wopi.Token.from_url(answer["Url"], t.ttl)
    assert first.file_id != fid, answer
    space.stored(folder + "/" + name, copy, "10 PUT_RELATIVE")
    r = expect(relative(UTF7(name), copy), 409, "10 PUT_RELATIVE taken")
    valid = r.header("X-WOPI-ValidRelativeTarget")
    assert valid and valid != UTF7(name), r
    answer = json_answer(expect(relative(valid, copy), 200, "10 PUT_RELATIVE retry"), "10 retry")
    second_name = valid.encode("ascii").decode("utf-7")
    assert answer["Name"] == second_name and second_name.endswith(".docx"), answer
    assert wopi.Token.from_url(answer["Url"]).file_id not in (fid, first.file_id), answer
    space.stored(folder + "/" + second_name, copy, "10 PUT_RELATIVE retry")
    copy2 = docx("Office copy in a space, overwritten")
    answer = json_answer(expect(relative(UTF7(name), copy2, ("X-WOPI-OverwriteRelativeTarget", "true")), 200,
                                "10 PUT_RELATIVE overwrite"), "10 overwrite")
    assert answer["Name"] == name, answer
    space.stored(folder + "/" + name, copy2, "10 PUT_RELATIVE overwrite")
    assert wopi.Token.from_url(answer["Url"]).file_id == first.file_id, "the overwritten document keeps its file"
    assert space.names(folder) == sorted(["Bericht.docx", name, second_name])
    space.stored(path, v3, "10 the source is untouched")

    # 11. RENAME_FILE under the lock: renamed in the storage, same bytes.
    r = expect(office.override(t, "RENAME_FILE", [("X-WOPI-Lock", lock2),
                                                  ("X-WOPI-RequestedName", UTF7("Bericht (endgültig)"))]),
               200, "11 RENAME_FILE")
    assert json_answer(r, "11")["Name"] == "Bericht (endgültig)", r
    renamed = folder + "/Bericht (endgültig).docx"
    assert space.names(folder) == sorted(["Bericht (endgültig).docx", name, second_name])
    space.stored(renamed, v3, "11 RENAME_FILE")
    info = json_answer(expect(office.check_file_info(t), 200, "11 CheckFileInfo"), "11")
    assert info["BaseFileName"] == "Bericht (endgültig).docx", info

    # 12. Final save into the renamed document, 13. UNLOCK, GetLock "".
    v4 = docx("Office in a space, v4 final")
    r = expect(office.put_file(t, v4, [("X-WOPI-Lock", lock2), ("X-WOPI-Editors", alice_id)]), 200, "12 PutFile")
    assert r.header("X-WOPI-ItemVersion"), r
    space.stored(renamed, v4, "12 PutFile")
    check_versions(folio, fid, 4, v4, "alice", editors=[alice_id])
    expect(office.override(t, "UNLOCK", [("X-WOPI-Lock", lock2)]), 200, "13 UNLOCK")
    assert expect(office.override(t, "GET_LOCK"), 200, "13 GET_LOCK").header("X-WOPI-Lock") == "", "unlocked"
    if space.kind == "webdav":
        # Folio's WebDAV lock went with the editor's: the server's other clients may write again.
        v5 = docx("written by a WebDAV client once the editor has gone")
        assert space.storage.put(renamed, v5) in (201, 204), "a WebDAV PUT after UNLOCK"
        space.stored(renamed, v5, "a WebDAV client's PUT after UNLOCK")


def test_editnew(space):
    """N1: an empty document in the storage; Office PutFiles its template without a lock, then
    edits as usual."""
    office = space.client("microsoft")
    path = space.document("microsoft-editnew", "Neu.docx", b"")
    t = space.token(path, "alice", editor="microsoft")
    info = json_answer(expect(office.check_file_info(t), 200, "N1 CheckFileInfo"), "N1")
    assert info["Size"] == 0, info
    template = docx("")
    r = expect(office.put_file(t, template), 200, "N1 PutFile without a lock")
    assert r.header("X-WOPI-ItemVersion"), r
    space.stored(path, template, "N1 PutFile")
    check_versions(space.folio, t.file_id, 2, template, "alice")
    lock = office_lock(S=str(uuid.uuid4()), F=4)
    expect(office.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "N1 LOCK")
    assert expect(office.get_file(t), 200, "N1 GetFile").body == template
    v2 = docx("typed into the new document")
    expect(office.put_file(t, v2, [("X-WOPI-Lock", lock)]), 200, "N1 PutFile")
    space.stored(path, v2, "N1 PutFile under the lock")
    expect(office.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "N1 UNLOCK")


def test_outside_change_between_saves(space):
    """The document changes in the storage between two of Office's autosaves (nobody has looked
    in between): the second gets 409, the editor's bytes become a conflict copy beside the
    untouched original, and the change is a version with source outside."""
    folio, office = space.folio, space.client("microsoft")
    v1 = docx("Office conflict v1")
    path = space.document("microsoft-conflict", "Plan.docx", v1)
    folder = path.rsplit("/", 1)[0]
    t = space.token(path, "alice", editor="microsoft")
    info = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo"), "CheckFileInfo")
    lock = office_lock(S=str(uuid.uuid4()), F=4)
    expect(office.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "LOCK")
    assert expect(office.get_file(t), 200, "GetFile").body == v1
    v2 = docx("Office conflict v2 autosave")
    r = expect(office.put_file(t, v2, [("X-WOPI-Lock", lock), ("X-WOPI-Editors", info["UserId"])]), 200, "autosave")
    version2 = r.header("X-WOPI-ItemVersion")
    space.stored(path, v2, "autosave")

    outside = docx("Office conflict: changed in the storage by another program")
    if space.kind == "webdav":
        assert space.storage.put(path, outside) == 423, "a WebDAV PUT while the editor holds the lock"
    space.storage.write_outside(path, outside)

    mine = docx("Office conflict v3: the editor's autosave")
    r = expect(office.put_file(t, mine, [("X-WOPI-Lock", lock), ("X-WOPI-Editors", info["UserId"])]), 409,
               "autosave over the outside change")
    assert b"conflict" in r.body, r
    space.stored(path, outside, "the original holds the outside change")
    copies = conflict_copies(space.names(folder), "Plan", ".docx", "alice")
    assert len(copies) == 1 and space.names(folder) == sorted(["Plan.docx"] + copies), space.names(folder)
    space.stored(folder + "/" + copies[0], mine, "the conflict copy holds the editor's bytes")

    # Office's next CheckFileInfo sees the change: a new Version, the new size; GetFile has it.
    info = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo after"), "after")
    assert info["Version"] != version2 and info["Size"] == len(outside), info
    r = expect(office.get_file(t), 200, "GetFile after")
    assert r.body == outside and r.header("X-WOPI-ItemVersion") == info["Version"], r
    vs = check_versions(folio, t.file_id, 3, outside, "space:docs", source="outside")
    assert [v["source"] for v in vs] == ["outside", "wopi", "outside"], vs
    # The copy is a document of the space like any: it opens, and holds the editor's bytes.
    c = space.token(folder + "/" + copies[0], "alice", editor="microsoft")
    assert expect(office.get_file(c), 200, "GetFile of the copy").body == mine
    expect(office.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "UNLOCK")

"""PROTOCOL.md §E.2: Microsoft Office for the web / Office Online Server, step by step, against a
live Folio.

Every request is what Office sends: the token with every non-alphanumeric character
percent-encoded plus `access_token_ttl`, `Authorization: Bearer`, a fresh
`X-WOPI-CorrelationId`, and X-WOPI-Proof / X-WOPI-ProofOld signed with two distinct keys.
"""

import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

import discovery
import wopi
from harness import ANY, check_versions, docx, expect, get_lock, json_answer

UTF7 = lambda s: s.encode("utf-7").decode("ascii")


def office_lock(**fields):
    """An Office lock id: compact JSON text (validator LockFormatValidation)."""
    return "{" + ",".join('"%s":%s' % (k, ('"%s"' % v) if isinstance(v, str) else v) for k, v in fields.items()) + "}"


def absolute(url):
    parts = urlsplit(url) if isinstance(url, str) else None
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def test_editing_session(stack):
    folio = stack.folio
    v1 = docx("Office v1")
    fid = stack.new_file("Bericht.docx", v1, folder="Reports", shares={"bob": "edit"})["id"]
    office = stack.client("microsoft")
    t = folio.token(fid, "alice", editor="microsoft")
    t2 = folio.token(fid, "bob", editor="microsoft")
    session = str(uuid.uuid4())
    lock1 = office_lock(S=session, F=4)
    lock2 = office_lock(S=session, F=6, E=2, M="WAC-machine", P=str(uuid.uuid4()))

    # 1. The host page posts the form to the edit action with its placeholders filled
    #    (no Folio request yet).
    action = ET.fromstring(stack.disco.document("microsoft")).find(".//app[@name='Word']/action[@name='edit']")
    assert action.get("requires") == "locks,update"
    launch = discovery.launch_url("microsoft", action.get("urlsrc"), t.src)
    assert "<" not in launch and "wopisrc=" + quote(t.src, safe="") + "&" in launch and "ui=en-US&" in launch

    # 2. CheckFileInfo with the session context the SESSION_CONTEXT placeholder carried.
    r = expect(office.check_file_info(t, [("X-WOPI-SessionContext", "ctx-" + session)]), 200, "2 CheckFileInfo")
    info = json_answer(r, "2 CheckFileInfo")
    assert info["BaseFileName"] == "Bericht.docx" and info["Size"] == len(v1), info
    assert isinstance(info["OwnerId"], str) and isinstance(info["UserId"], str), info
    assert isinstance(info["Version"], str) and info["Version"], info
    for flag in ("SupportsLocks", "SupportsUpdate", "SupportsGetLock", "SupportsExtendedLockLength",
                 "SupportsRename", "UserCanWrite", "UserCanRename"):
        assert info[flag] is True, (flag, info)
    assert info.get("UserCanNotWriteRelative") in (None, False), info
    for url in ("HostViewUrl", "HostEditUrl", "CloseUrl", "DownloadUrl"):
        assert absolute(info.get(url)), (url, info)
    for name in ("BreadcrumbBrandName", "BreadcrumbDocName", "BreadcrumbFolderName"):
        assert isinstance(info.get(name), str) and info[name], (name, info)
    assert info["BreadcrumbFolderName"] == "Reports", info
    alice_id = info["UserId"]

    # 3. LOCK, then 4. a relock to a longer id (UnlockAndRelock).
    expect(office.override(t, "LOCK", [("X-WOPI-Lock", lock1)]), 200, "3 LOCK")
    assert get_lock(folio, fid) == lock1
    expect(office.override(t, "LOCK", [("X-WOPI-OldLock", lock1), ("X-WOPI-Lock", lock2)]), 200, "4 relock")
    assert get_lock(folio, fid) == lock2

    # 5. GetFile with X-WOPI-MaxExpectedSize: the bytes and X-WOPI-ItemVersion.
    r = expect(office.get_file(t, [("X-WOPI-MaxExpectedSize", str(100 * 1024 * 1024))]), 200, "5 GetFile")
    assert r.body == v1 and r.header("X-WOPI-ItemVersion") == info["Version"], r
    expect(office.get_file(t, [("X-WOPI-MaxExpectedSize", str(len(v1) - 1))]), 412, "5 GetFile too large")

    # 6. Office probes for the current lock with a lock id that cannot match.
    for op in ("REFRESH_LOCK", "UNLOCK"):
        probe = "GetCurrentLockString-" + str(uuid.uuid4())
        r = expect(office.override(t, op, [("X-WOPI-Lock", probe)]), 409, "6 %s probe" % op)
        assert r.header("X-WOPI-Lock") == lock2, r
    assert get_lock(folio, fid) == lock2

    # 7. Autosave with the current lock and the contributing editors.
    v2 = docx("Office v2 autosave")
    r = expect(office.put_file(t, v2, [("X-WOPI-Lock", lock2), ("X-WOPI-Editors", alice_id)]), 200, "7 PutFile")
    version2 = r.header("X-WOPI-ItemVersion")
    assert version2 and version2 != info["Version"], r
    check_versions(folio, fid, 2, v2, "alice", autosave=None, exitsave=None, modified=None, editors=[alice_id])

    # 8. Periodic CheckFileInfo and RefreshLock.
    info = json_answer(expect(office.check_file_info(t), 200, "8 CheckFileInfo"), "8")
    assert info["Version"] == version2 and info["Size"] == len(v2), info
    expect(office.override(t, "REFRESH_LOCK", [("X-WOPI-Lock", lock2)]), 200, "8 REFRESH_LOCK")

    # 9. A co-author joins with their own token and later saves with it, under the same lock.
    info_b = json_answer(expect(office.check_file_info(t2), 200, "9 CheckFileInfo bob"), "9")
    bob_id = info_b["UserId"]
    assert bob_id != alice_id and info_b["UserCanWrite"] is True, info_b
    v3 = docx("Office v3 co-authored")
    r = expect(office.put_file(t2, v3, [("X-WOPI-Lock", lock2), ("X-WOPI-Editors", alice_id + "," + bob_id)]),
               200, "9 PutFile bob")
    assert r.header("X-WOPI-ItemVersion") not in (None, version2), r
    check_versions(folio, fid, 3, v3, "bob", editors=[alice_id, bob_id])

    # 10. Save As: PUT_RELATIVE in specific mode (UTF-7 name), then the same name again
    #     (409 + X-WOPI-ValidRelativeTarget, which Office retries with), then an overwrite.
    copy = docx("Office copy")
    name = "Kopie – Bericht.docx"
    relative = lambda target, *extra: office.override(t, "PUT_RELATIVE", [
        ("X-WOPI-RelativeTarget", target), *extra, ("X-WOPI-Size", str(len(copy)))], copy)
    answer = json_answer(expect(relative(UTF7(name)), 200, "10 PUT_RELATIVE"), "10")
    assert answer["Name"] == name and ("HostEditUrl" not in answer or absolute(answer["HostEditUrl"])), answer
    first = wopi.Token.from_url(answer["Url"], t.ttl)
    assert first.src.startswith(folio.base + "/wopi/files/") and first.file_id != fid, answer
    check_versions(folio, first.file_id, 1, copy, "alice")
    r = expect(relative(UTF7(name)), 409, "10 PUT_RELATIVE taken")
    valid = r.header("X-WOPI-ValidRelativeTarget")
    assert valid and valid != UTF7(name), r
    answer = json_answer(expect(relative(valid), 200, "10 PUT_RELATIVE retry"), "10 retry")
    assert answer["Name"] == valid.encode("ascii").decode("utf-7") and answer["Name"].endswith(".docx"), answer
    second = wopi.Token.from_url(answer["Url"], t.ttl)
    assert second.file_id not in (fid, first.file_id), answer
    check_versions(folio, second.file_id, 1, copy, "alice")
    copy2 = docx("Office copy, overwritten")
    r = office.override(t, "PUT_RELATIVE", [("X-WOPI-RelativeTarget", UTF7(name)),
                                            ("X-WOPI-OverwriteRelativeTarget", "true"),
                                            ("X-WOPI-Size", str(len(copy2)))], copy2)
    answer = json_answer(expect(r, 200, "10 PUT_RELATIVE overwrite"), "10 overwrite")
    assert answer["Name"] == name, answer
    check_versions(folio, wopi.Token.from_url(answer["Url"]).file_id, ANY, copy2, "alice")
    info_copy = json_answer(expect(office.check_file_info(wopi.Token.from_url(answer["Url"], t.ttl)), 200,
                                   "10 CheckFileInfo copy"), "10 copy")
    assert info_copy["BaseFileName"] == name and info_copy["Size"] == len(copy2), info_copy

    # 11. RENAME_FILE under the current lock: {"Name"} without the extension.
    r = expect(office.override(t, "RENAME_FILE", [("X-WOPI-Lock", lock2),
                                                  ("X-WOPI-RequestedName", UTF7("Bericht (endgültig)"))]),
               200, "11 RENAME_FILE")
    assert json_answer(r, "11")["Name"] == "Bericht (endgültig)", r
    info = json_answer(expect(office.check_file_info(t), 200, "11 CheckFileInfo"), "11")
    assert info["BaseFileName"] == "Bericht (endgültig).docx", info
    check_versions(folio, fid, 3, v3, "bob")

    # 12. Final save, 13. UNLOCK, then GetLock says "".
    v4 = docx("Office v4 final")
    r = expect(office.put_file(t, v4, [("X-WOPI-Lock", lock2), ("X-WOPI-Editors", alice_id)]), 200, "12 PutFile")
    assert r.header("X-WOPI-ItemVersion"), r
    check_versions(folio, fid, 4, v4, "alice", editors=[alice_id])
    expect(office.override(t, "UNLOCK", [("X-WOPI-Lock", lock2)]), 200, "13 UNLOCK")
    r = expect(office.override(t, "GET_LOCK"), 200, "13 GET_LOCK")
    assert r.header("X-WOPI-Lock") == "", r


def test_editnew(stack):
    """N1: the host creates a 0-byte file; Office sees Size 0 and PutFiles its template on the
    unlocked file; then edits as usual."""
    folio, office = stack.folio, stack.client("microsoft")
    fid = stack.new_file("Neu.docx", b"")["id"]
    t = folio.token(fid, "alice", editor="microsoft")
    action = ET.fromstring(stack.disco.document("microsoft")).find(".//action[@name='editnew'][@ext='docx']")
    assert action is not None and "new=1&" in discovery.launch_url("microsoft", action.get("urlsrc"), t.src)
    info = json_answer(expect(office.check_file_info(t), 200, "N1 CheckFileInfo"), "N1")
    assert info["Size"] == 0, info
    template = docx("")
    r = expect(office.put_file(t, template), 200, "N1 PutFile without a lock")
    assert r.header("X-WOPI-ItemVersion"), r
    check_versions(folio, fid, 2, template, "alice")
    lock = office_lock(S=str(uuid.uuid4()), F=4)
    expect(office.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "N1 LOCK")
    assert expect(office.get_file(t), 200, "N1 GetFile").body == template
    expect(office.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "N1 UNLOCK")


def test_put_unlocked_non_empty_file(stack):
    """PutUnlockedFileNotZeroBytes: a non-empty unlocked file is not overwritten without a lock."""
    folio, office = stack.folio, stack.client("microsoft")
    v1 = docx("not empty")
    fid = stack.new_file("Voll.docx", v1)["id"]
    t = folio.token(fid, "alice", editor="microsoft")
    r = expect(office.put_file(t, docx("no lock")), 409, "PutFile unlocked")
    assert r.header("X-WOPI-Lock") == "", r
    check_versions(folio, fid, 1, v1, "alice", source="upload")

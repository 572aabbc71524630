"""PROTOCOL.md §E.3: ONLYOFFICE Docs in WOPI mode, step by step, against a live Folio.

Every request is what DocService's wopiClient sends: `?access_token=encodeURIComponent(T)` and no
Authorization header, X-WOPI-ClientVersion / -CorrelationId / -SessionId, and X-WOPI-Proof /
X-WOPI-ProofOld each signed with its own key. The lock id is the file id.
"""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import discovery
import wopi
from harness import check_versions, docx, expect, get_lock, json_answer, save_headers, saved_time

UTF7 = lambda s: s.encode("utf-7").decode("ascii")
MAX_EXPECTED = "104857600"


def lock_id(file_id):
    """ONLYOFFICE's deterministic lock id: the file id, characters outside [0-9-.a-zA-Z_=] as _."""
    return re.sub(r"[^0-9\-.a-zA-Z_=]", "_", file_id)[:240]


def lool(lock, modified, autosave, exitsave, timestamp=None, editors=None):
    h = save_headers(lock, modified, autosave, exitsave, timestamp, prefix="X-LOOL-WOPI-")
    return ([("X-WOPI-Editors", editors)] if editors else []) + h


def test_editing_session(stack):
    folio = stack.folio
    v1 = docx("ONLYOFFICE v1")
    fid = stack.new_file("Отчёт.docx", v1)["id"]
    oo = stack.client("onlyoffice")
    t = folio.token(fid, "alice", editor="onlyoffice")
    lock = lock_id(fid)

    # 1. The host page posts to /hosting/wopi/word/edit?…wopisrc=…& (no Folio request yet).
    urlsrc = ET.fromstring(stack.disco.document("onlyoffice")).find(
        ".//app[@name='Word']/action[@name='edit'][@ext='docx']").get("urlsrc")
    launch = discovery.launch_url("onlyoffice", urlsrc, t.src)
    assert "/hosting/wopi/word/edit?" in launch and launch.endswith("wopisrc=%s&&" % quote(t.src, safe=""))

    # 2. CheckFileInfo: the token only in the query.
    r = expect(oo.check_file_info(t), 200, "2 CheckFileInfo")
    assert not any(k.lower() == "authorization" for k, _ in r.sent[2]), r.sent
    info = json_answer(r, "2 CheckFileInfo")
    assert info["BaseFileName"] == "Отчёт.docx" and info["Size"] == len(v1), info
    assert info["UserCanWrite"] is True and info["SupportsLocks"] is True, info
    assert isinstance(info["Version"], str), info
    alice_id, lmt = info["UserId"], info["LastModifiedTime"]

    # 3. LOCK with the file id.
    expect(oo.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "3 LOCK")
    assert get_lock(folio, fid) == lock

    # 4. GetFile with X-WOPI-MaxExpectedSize 100 MiB.
    assert expect(oo.get_file(t, [("X-WOPI-MaxExpectedSize", MAX_EXPECTED)]), 200, "4 GetFile").body == v1

    # 5. REFRESH_LOCK (every 10 minutes).
    expect(oo.override(t, "REFRESH_LOCK", [("X-WOPI-Lock", lock)]), 200, "5 REFRESH_LOCK")
    assert get_lock(folio, fid) == lock

    # 6. Forcesave from the Save button (IsAutosave false), then from the timer (true).
    v2 = docx("ONLYOFFICE v2 button")
    r = expect(oo.put_file(t, v2, lool(lock, True, False, False, lmt, editors=alice_id)), 200, "6 forcesave")
    lmt6 = saved_time(r, lmt, "6 forcesave")
    check_versions(folio, fid, 2, v2, "alice", autosave=False, exitsave=False, modified=True, editors=[alice_id])
    v3 = docx("ONLYOFFICE v3 timer")
    r = expect(oo.put_file(t, v3, lool(lock, True, True, False, lmt6, editors=alice_id)), 200, "6 timer")
    lmt6b = saved_time(r, lmt6, "6 timer")
    check_versions(folio, fid, 3, v3, "alice", autosave=True, exitsave=False, modified=True, editors=[alice_id])
    # A stale X-LOOL-WOPI-Timestamp is refused like Collabora's, and nothing is stored.
    r = expect(oo.put_file(t, docx("stale"), lool(lock, True, True, False, lmt6, editors=alice_id)), 409,
               "6 stale timestamp")
    body = json.loads(r.body)
    assert 1010 in (body.get("COOLStatusCode"), body.get("LOOLStatusCode")), body
    check_versions(folio, fid, 3, v3, "alice")

    # 7. Save Copy As: PUT_RELATIVE with the UTF-7 title, no lock.
    copy = docx("ONLYOFFICE copy")
    title = "Отчёт (копия).docx"
    r = expect(oo.override(t, "PUT_RELATIVE", [("X-WOPI-SuggestedTarget", UTF7(title)),
                                               ("X-WOPI-Size", str(len(copy)))], copy), 200, "7 PUT_RELATIVE")
    answer = json_answer(r, "7 PUT_RELATIVE")
    assert answer["Name"] == title, answer
    new = wopi.Token.from_url(answer["Url"], t.ttl)
    assert new.src.startswith(folio.base + "/wopi/files/") and new.file_id != fid, answer
    check_versions(folio, new.file_id, 1, copy, "alice")
    info_new = json_answer(expect(stack.client("onlyoffice").check_file_info(new), 200, "7 CheckFileInfo copy"), "7")
    assert info_new["BaseFileName"] == title and info_new["Size"] == len(copy), info_new
    check_versions(folio, fid, 3, v3, "alice")

    # 8. RENAME_FILE under the lock.
    r = expect(oo.override(t, "RENAME_FILE", [("X-WOPI-Lock", lock), ("X-WOPI-RequestedName", UTF7("Отчёт 2026"))]),
               200, "8 RENAME_FILE")
    assert json_answer(r, "8 RENAME_FILE")["Name"] == "Отчёт 2026", r
    info = json_answer(expect(oo.check_file_info(t), 200, "8 CheckFileInfo"), "8")
    assert info["BaseFileName"] == "Отчёт 2026.docx", info

    # 9. The save on close, then 10. UNLOCK.
    v4 = docx("ONLYOFFICE v4 closed")
    r = expect(oo.put_file(t, v4, lool(lock, True, False, True, lmt6b, editors=alice_id)), 200, "9 close save")
    saved_time(r, lmt6b, "9 close save")
    check_versions(folio, fid, 4, v4, "alice", autosave=False, exitsave=True, modified=True, editors=[alice_id])
    expect(oo.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "10 UNLOCK")
    assert get_lock(folio, fid) == ""


def test_new_empty_file(stack):
    """2b: Size 0 makes ONLYOFFICE PutFile its template on the unlocked file before LOCK."""
    folio, oo = stack.folio, stack.client("onlyoffice")
    fid = stack.new_file("Новый.docx", b"")["id"]
    t = folio.token(fid, "alice", editor="onlyoffice")
    info = json_answer(expect(oo.check_file_info(t), 200, "2 CheckFileInfo"), "2")
    assert info["Size"] == 0, info
    template = docx("")
    expect(oo.put_file(t, template, lool(None, False, False, False)), 200, "2b template PutFile")
    check_versions(folio, fid, 2, template, "alice", autosave=False, exitsave=False, modified=False, editors=[])
    lock = lock_id(fid)
    expect(oo.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "3 LOCK")
    assert expect(oo.get_file(t, [("X-WOPI-MaxExpectedSize", MAX_EXPECTED)]), 200, "4 GetFile").body == template
    expect(oo.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "10 UNLOCK")


def test_open_and_close_without_changes(stack):
    """UNLOCK is sent even when nothing changed; nothing is stored."""
    folio, oo = stack.folio, stack.client("onlyoffice")
    v1 = docx("untouched")
    fid = stack.new_file("Unverändert.docx", v1)["id"]
    t = folio.token(fid, "alice", editor="onlyoffice")
    expect(oo.check_file_info(t), 200, "2 CheckFileInfo")
    expect(oo.override(t, "LOCK", [("X-WOPI-Lock", lock_id(fid))]), 200, "3 LOCK")
    assert expect(oo.get_file(t, [("X-WOPI-MaxExpectedSize", MAX_EXPECTED)]), 200, "4 GetFile").body == v1
    expect(oo.override(t, "UNLOCK", [("X-WOPI-Lock", lock_id(fid))]), 200, "10 UNLOCK")
    check_versions(folio, fid, 1, v1, "alice", source="upload", autosave=None, exitsave=None, modified=None,
                   editors=[])

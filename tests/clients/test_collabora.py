"""PROTOCOL.md §E.1: Collabora Online's storage traffic, step by step, against a live Folio.

Every request is what COOLWSD sends: `?access_token=T`, `Authorization: Bearer T`,
`X-COOL-WOPI-ServerId`, and X-WOPI-Proof = X-WOPI-ProofOld signed with its one key. After each
write the stored versions are checked with `folio versions`.
"""

import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import discovery
import wopi
from harness import check_versions, docx, expect, get_lock, instant, json_answer, pdf, save_headers, saved_time

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LOCK = "cool-lock1a2b3c4d"        # one per document, shared by its sessions
LOCK_G = "cool-lock5e6f7a8b"


def test_editing_session(stack):
    folio = stack.folio
    v1 = docx("Collabora v1")
    fid = stack.new_file("report.docx", v1, shares={"bob": "edit"})["id"]
    cool = stack.client("collabora")
    t = folio.token(fid, "alice", editor="collabora")
    t2 = folio.token(fid, "bob", editor="collabora")

    # 1. The host page posts access_token/access_token_ttl to urlsrc + "WOPISrc=…" (no Folio
    #    request yet): check the launch URL our discovery gives is the one Collabora expects.
    urlsrc = ET.fromstring(stack.disco.document("collabora")).find(
        ".//app[@name='%s']/action[@ext='docx']" % DOCX_MIME).get("urlsrc")
    assert discovery.launch_url("collabora", urlsrc, t.src) == urlsrc + "WOPISrc=" + quote(t.src, safe="")

    # 2. CheckFileInfo.
    info = json_answer(expect(cool.check_file_info(t), 200, "2 CheckFileInfo"), "2 CheckFileInfo")
    assert info["BaseFileName"] == "report.docx" and info["Size"] == len(v1), info
    assert info["SupportsLocks"] is True and info["UserCanWrite"] is True, info
    assert info.get("UserCanOnlyComment") in (None, False), info
    assert info["PostMessageOrigin"] == folio.base, info
    assert isinstance(info["UserExtraInfo"], dict), info
    assert info["EnableOwnerTermination"] is True, info          # alice owns the file
    assert info["OwnerId"] == info["UserId"] and info["UserFriendlyName"] == "Alice Liddell", info
    lmt = info["LastModifiedTime"]
    instant(lmt)

    # 3. LOCK (the session is editable and SupportsLocks is true).
    r = expect(cool.override(t, "LOCK", [("X-WOPI-Lock", LOCK), ("Content-Length", "0")]), 200, "3 LOCK")
    assert r.header("X-WOPI-Lock") is None, "X-WOPI-Lock on a 200 LOCK: %r" % r
    assert get_lock(folio, fid) == LOCK

    # 4. GetFile.
    assert expect(cool.get_file(t), 200, "4 GetFile").body == v1

    # 5. A second user joins: CheckFileInfo with their token, and no new LOCK.
    info2 = json_answer(expect(cool.check_file_info(t2), 200, "5 CheckFileInfo bob"), "5")
    assert info2["UserId"] != info["UserId"] and info2["OwnerId"] == info["OwnerId"], info2
    assert info2["UserCanWrite"] is True and not info2.get("EnableOwnerTermination"), info2
    assert info2["UserFriendlyName"] == "Bob Cratchit", info2
    assert instant(info2["LastModifiedTime"]) == instant(lmt), info2
    assert get_lock(folio, fid) == LOCK

    # 6. Autosave, carrying the LastModifiedTime Collabora last received.
    v2 = docx("Collabora v2 autosave")
    r = expect(cool.put_file(t, v2, save_headers(LOCK, True, True, False, timestamp=lmt)), 200, "6 autosave")
    lmt6 = saved_time(r, lmt, "6 autosave")
    check_versions(folio, fid, 2, v2, "alice", autosave=True, exitsave=False, modified=True, editors=[])

    # 6b. The file changes in storage behind Collabora's back (here: a PutFile through a token
    #     bound to no editor, holding the lock) ...
    v3 = docx("changed outside Collabora")
    plain = folio.token(fid, "bob")
    expect(wopi.send("POST", plain.src + "/contents?access_token=" + plain.token,
                     [("X-WOPI-Override", "PUT"), ("X-WOPI-Lock", LOCK)], v3), 200, "6b external change")
    check_versions(folio, fid, 3, v3, "bob", autosave=None, exitsave=None, modified=None, editors=[])
    # ... so the next autosave's timestamp is stale: 409 with COOLStatusCode 1010, nothing stored.
    v4 = docx("Collabora v4 overwrite")
    r = expect(cool.put_file(t, v4, save_headers(LOCK, True, True, False, timestamp=lmt6)), 409, "6b stale")
    assert json.loads(r.body)["COOLStatusCode"] == 1010, r
    check_versions(folio, fid, 3, v3, "bob")
    # The user picks "overwrite": the same upload without the timestamp must be accepted.
    r = expect(cool.put_file(t, v4, save_headers(LOCK, True, True, False)), 200, "6b overwrite")
    lmt6b = saved_time(r, lmt6, "6b overwrite")
    check_versions(folio, fid, 4, v4, "alice", autosave=True, exitsave=False, modified=True)

    # 7. Ctrl+S (Action_Save): not an autosave; its timestamp is the one just received.
    v5 = docx("Collabora v5 saved")
    r = expect(cool.put_file(t, v5, save_headers(LOCK, True, False, False, timestamp=lmt6b)), 200, "7 save")
    lmt7 = saved_time(r, lmt6b, "7 save")
    check_versions(folio, fid, 5, v5, "alice", autosave=False, exitsave=False, modified=True)
    # Other sessions' CheckFileInfo must now report that time (Collabora's conflict check).
    info2 = json_answer(expect(cool.check_file_info(t2), 200, "7 CheckFileInfo bob"), "7")
    assert instant(info2["LastModifiedTime"]) == instant(lmt7) and info2["Size"] == len(v5), info2

    # 8. Lock refresh = LOCK again with the same id and token (every 900 s).
    r = expect(cool.override(t, "LOCK", [("X-WOPI-Lock", LOCK), ("Content-Length", "0")]), 200, "8 LOCK refresh")
    assert get_lock(folio, fid) == LOCK
    # Another Collabora (another lock id) cannot take it: 409 with the lock in force.
    r = expect(cool.override(t2, "LOCK", [("X-WOPI-Lock", "cool-lockffffffff")]), 409, "8 foreign LOCK")
    assert r.header("X-WOPI-Lock") == LOCK, r

    # 9. Save As: PUT_RELATIVE with a UTF-7 full name holding a path, no lock, the bytes as body.
    export = pdf("hello world")
    r = expect(cool.override(t, "PUT_RELATIVE", [
        ("X-WOPI-SuggestedTarget", "/jan/hole+AWE-ovsk+AP0-/hello world+ACU-1.pdf"),
        ("X-WOPI-Size", str(len(export))), ("Content-Type", "application/octet-stream")], export),
        200, "9 PUT_RELATIVE")
    answer = json_answer(r, "9 PUT_RELATIVE")
    assert answer["Name"] == "hello world%1.pdf", answer
    g = wopi.Token.from_url(answer["Url"], t.ttl)
    assert g.src.startswith(folio.base + "/wopi/files/") and g.file_id != fid, answer
    check_versions(folio, g.file_id, 1, export, "alice")
    check_versions(folio, fid, 5, v5, "alice")            # the source is untouched ...
    assert get_lock(folio, fid) == LOCK                    # ... and still locked

    # 10. The browser reloads on the new Url: CheckFileInfo → LOCK (a new cool-lock) → GetFile.
    info_g = json_answer(expect(cool.check_file_info(g), 200, "10 CheckFileInfo G"), "10")
    assert info_g["BaseFileName"] == "hello world%1.pdf" and info_g["Size"] == len(export), info_g
    assert info_g["UserCanWrite"] is True and info_g["SupportsLocks"] is True, info_g
    expect(cool.override(g, "LOCK", [("X-WOPI-Lock", LOCK_G), ("Content-Length", "0")]), 200, "10 LOCK G")
    assert expect(cool.get_file(g), 200, "10 GetFile G").body == export
    # The old document's last session closes: UNLOCK with its token.
    expect(cool.override(t, "UNLOCK", [("X-WOPI-Lock", LOCK), ("Content-Length", "0")]), 200, "10 UNLOCK F")
    assert get_lock(folio, fid) == ""

    # 11. RENAME_FILE: UTF-7 name without extension, and (quirk) the document bytes as body.
    r = expect(cool.override(g, "RENAME_FILE", [
        ("X-WOPI-Lock", LOCK_G), ("X-WOPI-RequestedName", "hello wörld".encode("utf-7").decode("ascii")),
        ("Content-Type", "application/octet-stream")], export), 200, "11 RENAME_FILE")
    answer = json_answer(r, "11 RENAME_FILE")
    assert answer["Name"] == "hello wörld", answer
    assert isinstance(answer["Url"], str) and isinstance(answer["LastModifiedTime"], str), answer
    lmt11 = answer["LastModifiedTime"]
    instant(lmt11)
    reloaded = wopi.Token.from_url(answer["Url"], g.ttl)
    assert reloaded.src == g.src, answer                  # the file id never changes
    check_versions(folio, g.file_id, 1, export, "alice")  # the body of a rename is not content
    # Collabora reloads from the Url.
    info_g = json_answer(expect(cool.check_file_info(reloaded), 200, "11 reload"), "11 reload")
    assert info_g["BaseFileName"] == "hello wörld.pdf", info_g

    # 12. Exit save of the last session (IsExitSave), on a closing connection.
    final = pdf("hello world, final")
    r = expect(cool.put_file(reloaded, final, save_headers(LOCK_G, True, False, True, timestamp=lmt11)
                             + [("Connection", "close")]), 200, "12 exit save")
    saved_time(r, lmt11, "12 exit save")
    check_versions(folio, g.file_id, 2, final, "alice", autosave=False, exitsave=True, modified=True)

    # 13. UNLOCK with the same token.
    expect(cool.override(reloaded, "UNLOCK", [("X-WOPI-Lock", LOCK_G), ("Content-Length", "0")]), 200, "13 UNLOCK")
    assert get_lock(folio, g.file_id) == ""


def test_comment_role(stack):
    """A comment share: CheckFileInfo says UserCanOnlyComment and not UserCanWrite."""
    fid = stack.new_file("review.pdf", pdf("review me"), shares={"bob": "comment"})["id"]
    cool = stack.client("collabora")
    info = json_answer(expect(cool.check_file_info(stack.folio.token(fid, "bob", editor="collabora")), 200,
                              "CheckFileInfo comment"), "comment")
    assert info["UserCanOnlyComment"] is True and info["UserCanWrite"] is False, info
    assert not info.get("EnableOwnerTermination") and info["PostMessageOrigin"] == stack.folio.base, info


def test_legacy_lool_headers(stack):
    """An older (LibreOffice Online style) build sends the X-LOOL-WOPI-* names: same flags, same
    timestamp check."""
    folio, cool = stack.folio, stack.client("collabora")
    v1 = docx("legacy v1")
    fid = stack.new_file("legacy.docx", v1)["id"]
    t = folio.token(fid, "alice", editor="collabora")
    lmt = json_answer(expect(cool.check_file_info(t), 200, "CheckFileInfo"), "cfi")["LastModifiedTime"]
    expect(cool.override(t, "LOCK", [("X-WOPI-Lock", LOCK)]), 200, "LOCK")
    v2 = docx("legacy v2")
    r = expect(cool.put_file(t, v2, save_headers(LOCK, False, True, False, timestamp=lmt, prefix="X-LOOL-WOPI-")),
               200, "PutFile X-LOOL")
    saved_time(r, lmt, "PutFile X-LOOL")
    check_versions(folio, fid, 2, v2, "alice", autosave=True, exitsave=False, modified=False)
    # lmt is stale now.
    r = expect(cool.put_file(t, docx("legacy v3"), save_headers(LOCK, True, False, True, timestamp=lmt,
                                                                prefix="X-LOOL-WOPI-")), 409, "stale X-LOOL")
    body = json.loads(r.body)
    assert body.get("LOOLStatusCode", body.get("COOLStatusCode")) == 1010, body
    check_versions(folio, fid, 2, v2, "alice")
    expect(cool.override(t, "UNLOCK", [("X-WOPI-Lock", LOCK)]), 200, "UNLOCK")

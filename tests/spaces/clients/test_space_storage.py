"""What the storage does under Folio, per kind: a change made there by another program, seen at
CheckFileInfo and GetFile; and the storage stopped under a running Folio.

Stopping: webdav stops its Apache (TERM) and starts it again from the same httpd.conf (same
port, same files, same lock database); s3 stops only the RADOS gateway (scripts/lib/ceph.sh's
rgw_stop / rgw_start: the cluster and its data stay); http stops examples/connector-app and
starts it again on the same folder, port and secret. A folder cannot be stopped here (Folio
runs as root, so `chmod 000` does not keep it out; a folder that is gone is a missing document,
not a storage that is down): that test is not generated for the folder kind.
"""

import os
import time
import uuid

import pytest

import wopi
from docserver import http
from harness import check_versions, docx, expect, instant, json_answer

BOUND = 15.0        # seconds an answer may take while the storage is down (Folio: connect 5 s)


def office_lock():
    return '{"S":"%s","F":4}' % uuid.uuid4()


def test_outside_change_seen_by_check_file_info(space):
    folio, office = space.folio, space.client("microsoft")
    v1 = docx("outside v1")
    path = space.document("outside-seen", "Budget.docx", v1)
    t = space.token(path, "alice", editor="microsoft")
    info = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo v1"), "v1")
    assert info["Size"] == len(v1), info
    check_versions(folio, t.file_id, 1, v1, "space:docs", source="outside")

    # Another client of the storage replaces the document (nobody holds a lock on it).
    v2 = docx("outside v2: replaced by another client of the storage")
    space.storage.write(path, v2)
    info2 = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo v2"), "v2")
    assert info2["Version"] != info["Version"] and info2["Size"] == len(v2), (info, info2)
    assert instant(info2["LastModifiedTime"]) > instant(info["LastModifiedTime"]), (info, info2)
    r = expect(office.get_file(t), 200, "GetFile v2")
    assert r.body == v2 and r.header("X-WOPI-ItemVersion") == info2["Version"], r
    check_versions(folio, t.file_id, 2, v2, "space:docs", source="outside")
    # Seen once, recorded once.
    again = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo again"), "again")
    assert again["Version"] == info2["Version"], again
    check_versions(folio, t.file_id, 2, v2, "space:docs", source="outside")

    # A change seen first by GetFile (an editor that had its CheckFileInfo before it).
    v3 = docx("outside v3: replaced again, then read before any CheckFileInfo")
    space.storage.write(path, v3)
    r = expect(office.get_file(t), 200, "GetFile v3")
    assert r.body == v3 and r.header("X-WOPI-ItemVersion") not in (None, info2["Version"]), r
    check_versions(folio, t.file_id, 3, v3, "space:docs", source="outside")
    info3 = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo v3"), "v3")
    assert info3["Version"] == r.header("X-WOPI-ItemVersion") and info3["Size"] == len(v3), info3

    # An editor that starts now saves over the change as usual.
    lock = office_lock()
    expect(office.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "LOCK")
    v4 = docx("outside v4: the editor's save over the outside changes")
    expect(office.put_file(t, v4, [("X-WOPI-Lock", lock)]), 200, "PutFile")
    space.stored(path, v4, "PutFile after outside changes")
    vs = check_versions(folio, t.file_id, 4, v4, "alice")
    assert [v["source"] for v in vs] == ["outside", "outside", "outside", "wopi"], vs
    expect(office.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "UNLOCK")


def timed(what, call, seen):
    """(answer, seconds) of one request; it must come within BOUND seconds. Noted in `seen`."""
    started = time.monotonic()
    answer = call()
    took = time.monotonic() - started
    seen.append("%s %d %.1fs" % (what, answer.status, took))
    assert took < BOUND, "%s took %.1fs while the storage was down (bound %ss): %r" % (what, took, BOUND, answer)
    return answer, took


def unavailable(answer, took, what):
    """503 with Retry-After: the storage is down, try again."""
    assert answer.status == 503, "%s while the storage was down: expected 503 within %ss, got %r after %.1fs" % (
        what, BOUND, answer, took)
    retry = answer.header("Retry-After")
    assert retry and retry.isdigit() and int(retry) > 0, "%s: 503 without a Retry-After: %r" % (what, answer)


def healthy(space):
    r = http("GET", space.folio.base + "/healthz", timeout=BOUND)
    assert r.status == 200, "/healthz while the storage was down: %r" % r


@pytest.mark.kinds("webdav", "s3", "http")
def test_storage_stopped_under_a_running_folio(space):
    folio, office, ds = space.folio, space.client("microsoft"), space.ds
    storage = space.storage
    v1 = docx("stopped v1")
    path = space.document("stopped", "Live.docx", v1)
    t = space.token(path, "alice", editor="microsoft")
    info = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo"), "CheckFileInfo")
    lock = office_lock()
    expect(office.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "LOCK")
    assert expect(office.get_file(t), 200, "GetFile").body == v1
    v2 = docx("stopped v2, saved while the storage was up")
    expect(office.put_file(t, v2, [("X-WOPI-Lock", lock)]), 200, "PutFile v2")
    space.stored(path, v2, "PutFile v2")
    version2 = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo v2"), "v2")["Version"]
    # A session of ONLYOFFICE's own API on a second document, open when the storage stops.
    npath = space.document("stopped-native", "Native.docx", docx("stopped native v1"))
    ntok = space.token(npath, "alice")
    alice = expect(wopi.send("GET", ntok.src + "?access_token=" + ntok.token, []), 200, "CFI").json()["UserId"]
    r = http("GET", "%s/office/%s/open?ticket=%s" % (folio.base, ntok.file_id, space.ticket(npath)))
    assert r.status == 200, r
    config = r.json()
    key = config["document"]["key"]
    ds.open(config)

    seen = []
    storage.stop()
    try:
        healthy(space)
        r, took = timed("CheckFileInfo", lambda: office.check_file_info(t), seen)
        unavailable(r, took, "CheckFileInfo")
        r, took = timed("GetFile", lambda: office.get_file(t), seen)
        unavailable(r, took, "GetFile")
        v3 = docx("stopped v3, saved while the storage was down")
        r, took = timed("PutFile", lambda: office.put_file(t, v3, [("X-WOPI-Lock", lock)]), seen)
        unavailable(r, took, "PutFile")
        # ONLYOFFICE's forcesave callback: an error answer (the DS keeps the save and retries).
        nv2 = docx("stopped native v2, forcesaved while the storage was down")
        url = ds.offer(nv2)
        r, took = timed("callback", lambda: ds.callback(key, 6, url=url, users=[alice], forcesavetype=1), seen)
        seen[-1] += " " + r.body.decode("utf-8", "replace").strip()[:80]
        assert r.status != 200 or r.json().get("error") not in (None, 0), \
            "a callback whose save could not reach the storage was answered as done: %r" % r
        healthy(space)
        # Nothing of it became a version.
        check_versions(folio, t.file_id, 2, v2, "alice")
        check_versions(folio, ntok.file_id, 1, docx("stopped native v1"), "space:docs", source="outside")
    finally:
        storage.start()
    with open(os.path.join(os.environ.get("FOLIO_TEST_OUTPUT") or str(space.tmp),
                           "spaces-stopped-%s.txt" % space.kind), "w") as f:
        f.write("".join(line + "\n" for line in seen))

    # The storage is back: the same token, the same lock, without restarting Folio.
    info = json_answer(expect(office.check_file_info(t), 200, "CheckFileInfo after the restart"), "after")
    assert info["Version"] == version2 and info["Size"] == len(v2), info
    assert expect(office.get_file(t), 200, "GetFile after the restart").body == v2
    v3 = docx("stopped v3, saved once the storage was back")
    expect(office.put_file(t, v3, [("X-WOPI-Lock", lock)]), 200, "PutFile after the restart")
    space.stored(path, v3, "PutFile after the restart")
    check_versions(folio, t.file_id, 3, v3, "alice")
    expect(office.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "UNLOCK after the restart")
    # The DS retries its callback: now it is stored.
    r = ds.callback(key, 6, url=url, users=[alice], forcesavetype=1)
    assert r.status == 200 and r.json() == {"error": 0}, r
    space.stored(npath, nv2, "the retried callback")
    check_versions(folio, ntok.file_id, 2, nv2, "alice", source="onlyoffice")

"""Proof keys (PROTOCOL.md §A.11) from each editor, and the unhappy paths: wrong key, stale and
future timestamps, malformed and missing headers, rotated keys, the editor down at start.

A token minted with `--editor` is bound to that editor: every request with it must carry a
valid proof, else 500 with X-WOPI-ServerError. On a failure or an old-key-only success Folio
refetches that editor's discovery (at most once per 5 s) and checks again.
"""

import base64
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

import discovery
import wopi
from harness import check_versions, docx, expect, get_lock

EDITORS = discovery.EDITORS
TWO_KEYS = ("microsoft", "onlyoffice")      # the editors that publish distinct current/old keys


@pytest.fixture(scope="module")
def wrong_key():
    return discovery.new_key()


def bound(stack, editor, content=None, name=None):
    """A new file and an `editor`-bound token for alice on it."""
    body = content if content is not None else docx("proof " + editor)
    fid = stack.new_file(name or "proof-%s-%d.docx" % (editor, time.monotonic_ns()), body)["id"]
    return fid, stack.folio.token(fid, "alice", editor=editor)


def rejected(resp, what):
    expect(resp, 500, what)
    assert resp.header("X-WOPI-ServerError"), "%s: 500 without X-WOPI-ServerError: %r" % (what, resp)


# ---- every editor's own signing is accepted ------------------------------------------

@pytest.mark.parametrize("editor", EDITORS)
def test_signed_requests_accepted(stack, editor):
    fid, t = bound(stack, editor)
    c = stack.client(editor)
    expect(c.check_file_info(t), 200, "CheckFileInfo")
    expect(c.get_file(t), 200, "GetFile")


def test_unbound_token_needs_no_proof(stack):
    """A token minted without --editor (scripts, the validator) works without any proof header."""
    fid = stack.new_file("unbound.docx", docx("unbound"))["id"]
    t = stack.folio.token(fid, "alice")
    expect(wopi.send("GET", t.src + "?access_token=" + t.token, []), 200, "CheckFileInfo, no proof")
    expect(wopi.send("GET", t.src + "/contents?access_token=" + t.token, [("Authorization", "Bearer " + t.token)]),
           200, "GetFile, no proof")


# ---- refused proofs ----------------------------------------------------------------------

def _refusals(c, keys, wrong, t):
    """(name, call kwargs) of requests that must be refused."""
    now = time.time()
    ts = wopi.ticks(now)
    url = c.url(t.src, t)

    def signed(token, signed_url):
        # Both proofs by the right keys, over bytes that are not the request's.
        return dict(ts=ts, replace={"X-WOPI-Proof": wopi.sign(keys.current, token, signed_url, ts),
                                    "X-WOPI-ProofOld": wopi.sign(keys.old, token, signed_url, ts)})

    cases = [
        ("wrong key", dict(sign_with=(wrong, wrong))),
        ("timestamp 21 minutes old", dict(ts=wopi.ticks(now - 21 * 60))),
        ("timestamp 30 minutes ahead", dict(ts=wopi.ticks(now + 30 * 60))),
        ("timestamp not an integer", dict(replace={"X-WOPI-TimeStamp": "63860000000000000x"})),
        ("timestamp with a fraction", dict(replace={"X-WOPI-TimeStamp": str(ts) + ".5"})),
        ("garbage base64", dict(replace={"X-WOPI-Proof": "!!not*base64!!", "X-WOPI-ProofOld": "!!not*base64!!"})),
        ("signature too short", dict(replace={"X-WOPI-Proof": "AAAA", "X-WOPI-ProofOld": "AAAA"})),
        ("no proof headers", dict(replace={"X-WOPI-Proof": None, "X-WOPI-ProofOld": None, "X-WOPI-TimeStamp": None})),
        ("no timestamp", dict(replace={"X-WOPI-TimeStamp": None})),
        ("signed for another URL", signed(t.token, t.src + "/contents" + url[len(t.src):])),
        ("signed for another token", signed("x" + t.token, url)),
        ("URL signed without upper-casing", dict(ts=ts, replace={
            "X-WOPI-Proof": _sign_raw(keys.current, t.token, url, ts),
            "X-WOPI-ProofOld": _sign_raw(keys.old, t.token, url, ts)})),
    ]
    if c.name in TWO_KEYS:
        # ProofOld signed with the old key, and nothing else valid: refused (§A.11).
        cases.append(("only ProofOld, with the old key", dict(sign_with=(wrong, keys.old))))
    return cases


def _sign_raw(key, token, url, ts):
    """A signature over the URL as is, not upper-cased (a client bug Folio must not accept)."""
    t, u = token.encode(), url.encode()
    msg = len(t).to_bytes(4, "big") + t + len(u).to_bytes(4, "big") + u + (8).to_bytes(4, "big") + ts.to_bytes(8, "big")
    return base64.b64encode(key.sign(msg, padding.PKCS1v15(), hashes.SHA256())).decode()


@pytest.mark.parametrize("editor", EDITORS)
def test_refused_proofs(stack, editor, wrong_key):
    fid, t = bound(stack, editor)
    c = stack.client(editor)
    for name, kw in _refusals(c, stack.disco.keys[editor], wrong_key, t):
        rejected(c.check_file_info(t, **kw), "%s: %s" % (editor, name))
    # The same token, signed properly, still works.
    expect(c.check_file_info(t), 200, "%s: valid proof after the refusals" % editor)


@pytest.mark.parametrize("editor", EDITORS)
def test_refused_writes_store_nothing(stack, editor, wrong_key):
    """LOCK and PutFile with a bad proof change nothing."""
    v1 = docx("untouched " + editor)
    fid, t = bound(stack, editor, v1)
    c = stack.client(editor)
    lock = "lock-" + editor
    rejected(c.override(t, "LOCK", [("X-WOPI-Lock", lock)], sign_with=(wrong_key, wrong_key)), "LOCK, wrong key")
    assert get_lock(stack.folio, fid) == ""
    expect(c.override(t, "LOCK", [("X-WOPI-Lock", lock)]), 200, "LOCK")
    rejected(c.put_file(t, docx("forged"), [("X-WOPI-Lock", lock)], ts=wopi.ticks(time.time() - 21 * 60)),
             "PutFile, expired timestamp")
    rejected(c.put_file(t, docx("forged"), [("X-WOPI-Lock", lock)], sign_with=(wrong_key, wrong_key)),
             "PutFile, wrong key")
    check_versions(stack.folio, fid, 1, v1, "alice", source="upload")
    rejected(c.override(t, "UNLOCK", [("X-WOPI-Lock", lock)], replace={"X-WOPI-Proof": None, "X-WOPI-ProofOld": None}),
             "UNLOCK, no proof")
    assert get_lock(stack.folio, fid) == lock
    expect(c.override(t, "UNLOCK", [("X-WOPI-Lock", lock)]), 200, "UNLOCK")


# ---- accepted combinations -------------------------------------------------------------

@pytest.mark.parametrize("editor", TWO_KEYS)
def test_accepted_key_combinations(stack, editor, wrong_key):
    """Proof with the current key, or ProofOld with the current key, is enough; a timestamp a
    little under 20 minutes old is still fresh."""
    fid, t = bound(stack, editor)
    c, keys = stack.client(editor), stack.disco.keys[editor]
    expect(c.check_file_info(t, sign_with=(keys.current, wrong_key)), 200, "Proof current, ProofOld wrong")
    expect(c.check_file_info(t, sign_with=(wrong_key, keys.current)), 200, "Proof wrong, ProofOld current")
    expect(c.check_file_info(t, ts=wopi.ticks(time.time() - 19 * 60)), 200, "timestamp 19 minutes old")


def test_collabora_without_proof_old(stack):
    """Older Collabora builds send X-WOPI-Proof only."""
    fid, t = bound(stack, "collabora")
    expect(stack.client("collabora").check_file_info(t, replace={"X-WOPI-ProofOld": None}), 200, "no ProofOld")


@pytest.mark.parametrize("editor", TWO_KEYS)
def test_proof_with_old_key_accepted_and_refetched(stack, editor, wrong_key):
    """Proof with the old key only (an editor that has not picked up its new key yet): accepted,
    and Folio refetches discovery."""
    fid, t = bound(stack, editor)
    c, keys = stack.client(editor), stack.disco.keys[editor]
    stack.disco.wait_rate_window(editor)
    before = stack.disco.fetches(editor)
    expect(c.check_file_info(t, sign_with=(keys.old, wrong_key)), 200, "Proof with the old key")
    assert stack.disco.wait_fetches(editor, before + 1, timeout=5) > before, "no discovery refetch"


def test_refetch_rate_limited(stack, wrong_key):
    """Refused proofs make Folio refetch discovery, but at most once per 5 seconds per editor."""
    editor = "microsoft"
    fid, t = bound(stack, editor)
    c = stack.client(editor)
    stack.disco.wait_rate_window(editor)
    before = stack.disco.fetches(editor)
    start = time.monotonic()
    for i in range(5):
        rejected(c.check_file_info(t, sign_with=(wrong_key, wrong_key)), "wrong key #%d" % i)
    assert time.monotonic() - start < 4, "the refused requests took too long to test the rate limit"
    stack.disco.wait_fetches(editor, before + 1, timeout=2)
    time.sleep(0.3)
    assert stack.disco.fetches(editor) == before + 1, "expected exactly one refetch, got %d" % (
        stack.disco.fetches(editor) - before)
    stack.disco.wait_rate_window(editor)
    rejected(c.check_file_info(t, sign_with=(wrong_key, wrong_key)), "wrong key after the window")
    assert stack.disco.wait_fetches(editor, before + 2, timeout=2) == before + 2


# ---- rotated keys ---------------------------------------------------------------------------

@pytest.mark.parametrize("editor", TWO_KEYS)
def test_rotated_keys(make_stack, editor):
    s = make_stack()
    fid, t = bound(s, editor)
    c, ring = s.client(editor), s.disco.keys[editor]
    k1, k0 = ring.current, ring.old
    expect(c.check_file_info(t), 200, "before any rotation")

    # Rotation 1: the editor signs Proof with a new key Folio has not seen, ProofOld with K1,
    # which is Folio's current key: accepted as it stands.
    s.disco.rotate(editor)
    assert ring.old is k1
    fetched = s.disco.fetches(editor)
    expect(c.check_file_info(t), 200, "after rotation 1 (ProofOld = Folio's current key)")

    # Rotation 2: neither key is known to Folio any more; it must refetch and then accept.
    # (Should Folio have refetched after rotation 1 anyway, it knows K2: rotate once more.)
    time.sleep(0.5)
    s.disco.rotate(editor)
    if s.disco.fetches(editor) > fetched:
        s.disco.rotate(editor)
    s.disco.wait_rate_window(editor)
    before = s.disco.fetches(editor)
    expect(c.check_file_info(t), 200, "after rotation 2 (refetch needed)")
    assert s.disco.fetches(editor) > before, "Folio accepted unknown keys without refetching discovery"
    expect(c.get_file(t), 200, "GetFile with the new keys")
    k_old = ring.old

    # Keys from before the rotations are worthless now.
    expect(c.check_file_info(t, sign_with=(k1, k0)), 500, "signed with the retired keys")
    # ProofOld with the (new) old key alone is still refused.
    expect(c.check_file_info(t, sign_with=(k1, k_old)), 500, "only ProofOld, with the old key")


def test_rotated_key_collabora(make_stack):
    """Collabora has one key: after it changes, Folio refetches and accepts the new one."""
    s = make_stack()
    fid, t = bound(s, "collabora")
    c, ring = s.client("collabora"), s.disco.keys["collabora"]
    retired = ring.current
    expect(c.check_file_info(t), 200, "before the rotation")
    s.disco.rotate("collabora")
    assert ring.current is ring.old and ring.current is not retired
    s.disco.wait_rate_window("collabora")
    before = s.disco.fetches("collabora")
    expect(c.check_file_info(t), 200, "after the rotation (refetch needed)")
    assert s.disco.fetches("collabora") > before
    expect(c.check_file_info(t, sign_with=(retired, retired)), 500, "signed with the retired key")


# ---- editor down at start ---------------------------------------------------------------------

def test_editor_down_at_start(make_stack):
    """Folio starts while no discovery answers, keeps retrying, and accepts signed requests once
    the editors are up (within 30 s)."""
    s = make_stack(start_discovery=False)      # Stack() already waited for /healthz: start-up succeeded
    tokens = {e: bound(s, e)[1] for e in EDITORS}
    time.sleep(1.5)
    s.disco.start()
    deadline, pending = time.monotonic() + 30, set(EDITORS)
    while pending and time.monotonic() < deadline:
        for e in sorted(pending):
            if s.client(e).check_file_info(tokens[e]).status == 200:
                pending.discard(e)
        time.sleep(0.5)
    assert not pending, "signed requests still refused 30 s after the editors came up: %s" % sorted(pending)
    for e in EDITORS:
        assert s.disco.fetches(e) >= 1


def test_editor_down_refuses_unproven_requests(make_stack):
    """While an editor's discovery has never been fetched, Folio cannot check proofs: a request
    with a token bound to that editor and no proof is not let through."""
    s = make_stack(start_discovery=False)
    for e in EDITORS:
        fid, t = bound(s, e)
        r = wopi.send("GET", t.src + "?access_token=" + t.token, [])
        assert r.status != 200, "%s: request without proof accepted while discovery is down: %r" % (e, r)

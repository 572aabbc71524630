"""Two Folio instances, one installation: every answer must be what one instance alone would
give. Locks, saves, versions and access rights live in PostgreSQL, so nothing one instance
does may be missed, doubled or served stale by the other."""

import html
import json
import os
import random
import re
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit
from concurrent.futures import ThreadPoolExecutor

import pytest

import harness
import twins as tw
import wopi

LOCK_FILES = 50
LOCK_ATTEMPTS = 1000
THREADS = 64


def test_the_installation_lives_in_one_postgres_schema(twins):
    """Both instances were given the same schema, and Folio's tables (with both users, each
    added through a different instance) are there: no instance fell back to SQLite."""
    schema = tw.schema_of(twins.a.env)
    assert twins.b.env["FOLIO_DATABASE"] == twins.a.env["FOLIO_DATABASE"]
    url = os.environ["FOLIO_TEST_POSTGRES_URL"]
    tables = {row[0] for row in tw.psql(url, "SELECT table_name FROM information_schema.tables "
                                             "WHERE table_schema = '%s'" % schema)}
    assert {"users", "files", "versions", "locks", "grants"} <= tables, "schema %s holds %s" % (schema, sorted(tables))
    logins = sorted(row[0] for row in tw.psql(url, "SELECT login FROM %s.users" % schema))
    assert logins == ["alice", "bob"], logins


def test_a_concurrent_locks_have_one_winner_per_file(twins, client):
    """1000 LOCKs with distinct ids over 50 files, alternately on both instances from 64
    threads: per file exactly one 200, every other answer 409 naming the winner's lock."""
    files = twins.import_files([b"lock race %d" % i for i in range(LOCK_FILES)], prefix="lock")
    tokens = twins.tokens(files)
    jobs = [(files[n % LOCK_FILES], "lock-%d" % n, twins.pair[n % 2]) for n in range(LOCK_ATTEMPTS)]
    random.Random(1).shuffle(jobs)      # races on one file mix both instances

    def attempt(job):
        file_id, lock_id, folio = job
        return job, tw.lock(client, folio, file_id, tokens[file_id], lock_id)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(attempt, jobs))

    for file_id in files:
        answers = [(lock_id, folio.base, r) for (f, lock_id, folio), r in results if f == file_id]
        winners = [lock_id for lock_id, _, r in answers if r.status == 200]
        assert len(winners) == 1, "%s: %d LOCKs answered 200: %s" % (file_id, len(winners), winners)
        for lock_id, base, r in answers:
            if lock_id != winners[0]:
                assert (r.status, r.headers.get("x-wopi-lock")) == (409, winners[0]), \
                    "%s: LOCK %s on %s: %r (winner %s)" % (file_id, lock_id, base, r, winners[0])
        for folio in twins.pair:
            assert tw.get_lock(client, folio, file_id, tokens[file_id]) == winners[0], (file_id, folio.base)


def test_b_a_save_on_one_instance_is_read_at_once_on_the_other(twins, client):
    """PutFile through one instance, then GetFile and CheckFileInfo through the other, 20
    times in alternating directions: always exactly the bytes just saved."""
    [file_id] = twins.import_files([b"first"], prefix="b")
    token = twins.token(file_id)
    assert tw.lock(client, twins.a, file_id, token, "b-lock").status == 200
    rnd = random.Random(2)
    version = 1
    for i in range(20):
        writer, reader = (twins.a, twins.b) if i % 2 == 0 else (twins.b, twins.a)
        body = os.urandom(rnd.randint(1, 200_000))
        r = tw.put_file(client, writer, file_id, token, body, "b-lock")
        assert r.status == 200, "PutFile %d on %s: %r" % (i, writer.base, r)
        version += 1
        assert r.headers.get("x-wopi-itemversion") == str(version), r
        got = tw.get_file(client, reader, file_id, token)
        assert got.status == 200 and tw.sha256(got.body) == tw.sha256(body), \
            "GetFile on %s after PutFile %d on %s: %d bytes, sha %s; sent %d bytes" % (
                reader.base, i, writer.base, len(got.body), tw.sha256(got.body), len(body))
        # CheckFileInfo may come from the reader's cache: the change reaches it within a second.
        info, _ = tw.within_a_second(lambda: tw.check_file_info(client, reader, file_id, token),
                                     lambda info: info["Version"] == str(version))
        assert (info["Version"], info["Size"], info["SHA256"]) == (str(version), len(body), tw.sha256_b64(body)), \
            "CheckFileInfo on %s after PutFile %d on %s: %r" % (reader.base, i, writer.base, info)


def test_c_a_lock_taken_on_one_instance_is_honoured_on_the_other(twins, client):
    [file_id] = twins.import_files([b"locked content"], prefix="c")
    token = twins.token(file_id)
    a, b = twins.pair
    assert tw.lock(client, a, file_id, token, "c-lock").status == 200
    for lock_id in (None, "c-wrong"):
        r = tw.put_file(client, b, file_id, token, b"not allowed", lock_id)
        assert (r.status, r.headers.get("x-wopi-lock")) == (409, "c-lock"), "PutFile lock %r on B: %r" % (lock_id, r)
    r = tw.lock(client, b, file_id, token, "c-other")
    assert (r.status, r.headers.get("x-wopi-lock")) == (409, "c-lock"), "LOCK c-other on B: %r" % (r,)
    r = tw.unlock(client, b, file_id, token, "c-wrong")
    assert (r.status, r.headers.get("x-wopi-lock")) == (409, "c-lock"), "UNLOCK c-wrong on B: %r" % (r,)
    got = tw.get_file(client, a, file_id, token)
    assert got.body == b"locked content", "a refused PutFile changed the content: %r" % (got,)

    r = tw.unlock(client, b, file_id, token, "c-lock")
    assert r.status == 200, "UNLOCK c-lock on B: %r" % (r,)
    assert tw.get_lock(client, a, file_id, token) == "", "A still sees a lock after B unlocked"
    # Free again: a new lock through A is seen by B.
    assert tw.lock(client, a, file_id, token, "c-again").status == 200
    assert tw.get_lock(client, b, file_id, token) == "c-again"


def test_d_concurrent_saves_on_both_instances_lose_no_version(twins, client):
    """2×50 PutFiles with the right lock, sent to both instances at once: 101 versions numbered
    1…101, each acknowledged body stored exactly once under the number its answer gave, and
    every version's content downloadable with exactly its bytes."""
    original = b"the original"
    [file_id] = twins.import_files([original], prefix="d")
    token = twins.token(file_id)
    assert tw.lock(client, twins.a, file_id, token, "d-lock").status == 200
    bodies = [b"body %03d " % n + os.urandom(random.Random(n).randint(1, 65_536)) for n in range(100)]

    def save(n):
        return n, tw.put_file(client, twins.pair[n % 2], file_id, token, bodies[n], "d-lock")

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(save, range(len(bodies))))
    refused = [(n, r) for n, r in answers if r.status != 200]
    assert not refused, "PutFiles not acknowledged: %r" % refused[:5]

    versions = twins.b.versions(file_id)
    assert [v["number"] for v in versions] == list(range(1, len(bodies) + 2)), [v["number"] for v in versions]
    assert versions[0]["sha256"] == tw.sha256(original)
    by_sha = {}
    for v in versions[1:]:
        by_sha.setdefault(v["sha256"], []).append(v["number"])
    for n, r in answers:
        numbers = by_sha.get(tw.sha256(bodies[n]), [])
        assert numbers == [int(r.headers["x-wopi-itemversion"])], \
            "body %d (acknowledged as version %s) is stored as versions %s" % (n, r.headers["x-wopi-itemversion"], numbers)

    # Every blob the saves wrote is a version's: garbage collection on the shared folder
    # finds nothing to remove (no save lost its metadata, none left a half-written upload).
    gc = json.loads(twins.a.cli("gc", "--dry-run", "--min-age", "0", "--json"))
    assert (gc["orphansRemoved"], gc["stagedRemoved"]) == (0, 0), gc

    key = twins.api_key("read")
    for v in versions:
        status, content = tw.api(client, twins.pair[v["number"] % 2], key, "GET",
                                 "/files/%s/versions/%d/content" % (file_id, v["number"]))
        assert status == 200 and tw.sha256(content) == v["sha256"], "version %d: %d, %r" % (v["number"], status, content[:100])


def test_e_no_stale_answers_across_instances(twins, client):
    """CheckFileInfo on one instance, warmed just before (so its answer is cached), shows a
    save made on the other within a second; 30 rounds alternating. The lag is printed."""
    [file_id] = twins.import_files([b"e start"], prefix="e")
    token = twins.token(file_id)
    assert tw.lock(client, twins.b, file_id, token, "e-lock").status == 200
    lags = []
    for i in range(30):
        writer, reader = (twins.a, twins.b) if i % 2 == 0 else (twins.b, twins.a)
        before = tw.check_file_info(client, reader, file_id, token)
        tw.check_file_info(client, reader, file_id, token)      # twice: any cache is warm
        body = b"round %d" % i
        r = tw.put_file(client, writer, file_id, token, body, "e-lock")
        assert r.status == 200, r
        info, waited = tw.within_a_second(lambda: tw.check_file_info(client, reader, file_id, token),
                                          lambda info: info["Version"] == r.headers["x-wopi-itemversion"])
        lags.append(waited)
        assert info["Version"] == r.headers["x-wopi-itemversion"] != before["Version"], \
            "round %d: %s saved version %s, %s still answers %r" % (i, writer.base, r.headers["x-wopi-itemversion"],
                                                                     reader.base, info["Version"])
        assert (info["Size"], info["SHA256"]) == (len(body), tw.sha256_b64(body)), info
    print("a save on one instance reached the other's CheckFileInfo after at most %.1f ms (median %.1f ms)" % (
        1000 * max(lags), 1000 * sorted(lags)[len(lags) // 2]))


def test_e_a_share_narrowed_with_the_cli_applies_on_both_instances_at_once(twins, client):
    """`folio share --role view` over an edit share (the command line's way to take editing
    back) stops bob's edit token on both instances within a second."""
    [file_id] = twins.import_files([b"shared"], prefix="share")
    twins.a.share(file_id, "bob", "edit")
    token = twins.token(file_id, "bob")
    assert tw.lock(client, twins.a, file_id, token, "bob-lock").status == 200
    for folio in twins.pair:
        assert tw.check_file_info(client, folio, file_id, token)["UserCanWrite"] is True, folio.base
        r = tw.put_file(client, folio, file_id, token, b"bob on " + folio.base.encode(), "bob-lock")
        assert r.status == 200, "bob's PutFile on %s while he may edit: %r" % (folio.base, r)

    twins.a.share(file_id, "bob", "view")
    for folio in twins.pair:
        info, _ = tw.within_a_second(lambda: tw.check_file_info(client, folio, file_id, token),
                                     lambda info: info["UserCanWrite"] is False)
        assert (info["UserCanWrite"], info["ReadOnly"]) == (False, True), "%s after narrowing: %r" % (folio.base, info)
        r = tw.put_file(client, folio, file_id, token, b"no longer", "bob-lock")
        assert r.status == 401, "bob's PutFile on %s after narrowing to view: %r" % (folio.base, r)
    assert tw.get_file(client, twins.b, file_id, token).body == b"bob on " + twins.b.base.encode()


def test_e_a_grant_taken_back_on_one_instance_stops_the_session_on_both(twins, client):
    """An application's user gets edit through B, opens a Collabora session through A (requests
    signed with Collabora's proof key); the grant taken back through A's API stops the token on
    both instances within a second."""
    [file_id] = twins.import_files([b"app file"], prefix="app")
    key = twins.api_key()
    status, user = tw.api(client, twins.a, key, "PUT", "/users/carol-ext", {"displayName": "Carol"})
    assert status in (200, 201), user
    status, grant = tw.api(client, twins.b, key, "PUT", "/files/%s/grants/carol-ext" % file_id, {"role": "edit"})
    assert status in (200, 201, 204), grant
    status, session = tw.api(client, twins.a, key, "POST", "/files/%s/sessions" % file_id,
                             {"user": "carol-ext", "editor": "collabora"})
    assert status == 201, session
    collabora = wopi.Collabora(twins.disco.keys["collabora"])

    def cfi(folio):
        src = "%s/wopi/files/%s" % (folio.base, file_id)
        return collabora.check_file_info(wopi.Token(src, session["accessToken"], session["accessTokenTtl"]))

    for folio in twins.pair:
        r = cfi(folio)
        assert r.status == 200 and r.json()["UserCanWrite"] is True, "%s before: %r" % (folio.base, r)
    status, body = tw.api(client, twins.a, key, "DELETE", "/files/%s/grants/carol-ext" % file_id)
    assert status == 204, (status, body)
    for folio in (twins.b, twins.a):
        r, _ = tw.within_a_second(lambda: cfi(folio), lambda r: r.status == 401)
        assert r.status == 401, "%s after the grant was taken back: %r" % (folio.base, r)


def test_the_setup_link_is_one_for_the_installation(twins):
    """Until there is an administrator each instance prints a set-up link; behind a load
    balancer the link must work whichever instance the browser reaches, so both print the
    same one (derived from the shared secret) and each accepts it; a wrong key gets 403."""
    links = []
    for folio in twins.pair:
        with open(folio.log_path, errors="replace") as f:
            found = re.findall(r"Set up Folio at (\S+)", f.read())
        assert found, "%s printed no set-up link" % folio.base
        links.append(urlsplit(found[-1]))
    assert links[0].query == links[1].query and links[0].query.startswith("key=")
    for folio in twins.pair:
        with urllib.request.urlopen("%s/setup?%s" % (folio.base, links[0].query), timeout=30) as r:
            assert r.status == 200 and b'action="/setup"' in r.read()
        try:
            urllib.request.urlopen(folio.base + "/setup?key=wrong", timeout=30)
            raise AssertionError("a wrong set-up key was accepted on %s" % folio.base)
        except urllib.error.HTTPError as e:
            assert e.code == 403



# ---- through the web pages ---------------------------------------------------------------
# After the set-up link test: from here on the installation has an administrator, and the set-up
# page (open only while there is none) answers 403.

def form_post(client, folio, path, cookie, form):
    """A form posted the way a browser does, with the session cookie."""
    headers = [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")]
    return client.request(folio.port, "POST", path, headers, urlencode(form).encode())


def page(client, folio, path, cookie):
    return client.request(folio.port, "GET", path, [("Cookie", cookie)] if cookie else [])


def session_cookie(r, what):
    """The `folio_session=…` pair a 303 answer sets (sign-in, a guest joining through a link)."""
    assert r.status == 303 and "set-cookie" in r.headers, "%s: %r" % (what, r)
    cookie = r.headers["set-cookie"].split(";")[0]
    assert cookie.startswith("folio_session=") and len(cookie) > len("folio_session="), "%s: %r" % (what, r)
    return cookie


def sign_in(client, folio, login, password):
    r = client.request(folio.port, "POST", "/login", [("Content-Type", "application/x-www-form-urlencoded")],
                       urlencode({"login": login, "password": password}).encode())
    return session_cookie(r, "%s signing in on %s" % (login, folio.base))


def csrf(answer, what):
    assert answer.status == 200, "%s: %r" % (what, answer)
    m = re.search(r'name="csrf" value="([^"]+)"', answer.body.decode())
    assert m, "%s: no CSRF token on the page" % what
    return html.unescape(m.group(1))


def wopi_status(client, folio, file_id, token):
    """CheckFileInfo's status for a token bound to no editor (`folio token`: no proof needed)."""
    return client.request(folio.port, "GET", "/wopi/files/%s?access_token=%s" % (file_id, token)).status


def test_e_a_user_disabled_on_one_instance_is_stopped_on_both(twins, client):
    """An administrator signed in on A disables a user with the users page's form: the user's
    WOPI token, answered from both instances' CheckFileInfo caches just before, is refused
    (401) on B and on A within a second. The lags are printed."""
    twins.a.cli("user", "add", "--admin", "--password-stdin", "--name", "Ada Admin", positional=["ada"],
                stdin="ada-password-1\n")
    dave = json.loads(twins.a.cli("user", "add", "--name", "Dave Disabled", "--json", positional=["dave"]))
    [file_id] = twins.import_files([b"dave's file"], prefix="disabled")
    twins.a.share(file_id, "dave", "edit")
    token = twins.token(file_id, "dave")
    for folio in twins.pair:
        for _ in range(2):      # twice: the answer is cached on both instances
            info = tw.check_file_info(client, folio, file_id, token)
        assert info["UserCanWrite"] is True, "dave on %s before being disabled: %r" % (folio.base, info)

    cookie = sign_in(client, twins.a, "ada", "ada-password-1")
    users = page(client, twins.a, "/admin/users", cookie)
    token_csrf = csrf(users, "the users page on A")
    action = "/admin/users/%s/disable" % dave["id"]
    assert ('action="%s"' % action) in users.body.decode(), \
        "no disable form for dave (%s) on the users page" % dave["id"]
    r = form_post(client, twins.a, action, cookie, {"csrf": token_csrf})
    assert r.status == 200, "disabling dave on A: %r" % (r,)
    assert ('action="/admin/users/%s/enable"' % dave["id"]) in r.body.decode(), \
        "the users page does not show dave disabled after the form: %r" % (r,)

    lags = {}
    for folio in (twins.b, twins.a):
        asked = []
        status, waited = tw.within_a_second(lambda: asked.append(1) or wopi_status(client, folio, file_id, token),
                                            lambda status: status == 401)
        assert status == 401, "dave's CheckFileInfo on %s after he was disabled on A: %d" % (folio.base, status)
        lags[folio] = "%.1f ms (%d request%s)" % (1000 * waited, len(asked), "" if len(asked) == 1 else "s")
    print("a user disabled on A was refused on B after %s, then on A after %s" % (lags[twins.b], lags[twins.a]))


def test_e_a_link_revoked_on_one_instance_stops_its_guests_on_both(twins, client):
    """Erin makes a view link on A's share page; a guest opens it on B and gets the host page
    with a read-only Collabora token, which CheckFileInfo (proof-signed) accepts on both
    instances. Erin revokes the link on A: the guest's token is refused (401) on B and on A
    within a second; the link answers 404 and the guest is signed out on both. The lags are
    printed. The file is a PDF: Collabora's discovery has a `view` action for it, but only
    `edit` for .docx, and a view link's guest on a .docx gets the "no editor" page (415)."""
    twins.a.cli("user", "add", "--password-stdin", "--name", "Erin Owner", positional=["erin"],
                stdin="erin-password-1\n")
    d = twins.tmp / "link-pdf"
    d.mkdir()
    (d / "handout.pdf").write_bytes(harness.pdf("handout"))
    [entry] = json.loads(twins.a.cli("import", "--owner", "erin", "--json", positional=[str(d / "handout.pdf")]))
    file_id = entry["id"]

    cookie = sign_in(client, twins.a, "erin", "erin-password-1")
    share = "/share/file/%s" % file_id
    r = form_post(client, twins.a, share + "/links", cookie,
                  {"csrf": csrf(page(client, twins.a, share, cookie), "erin's share page on A"),
                   "role": "view", "expires": "", "password": ""})
    assert (r.status, r.headers.get("location")) == (303, share), "making a view link on A: %r" % (r,)
    shown = page(client, twins.a, share, cookie)
    links = sorted(set(re.findall(r"/s/([A-Za-z0-9_-]{8,})", shown.body.decode())))
    assert len(links) == 1, "the share page shows links %r" % links
    [link] = links

    # The guest, on B: the landing page, the name form, then where it leads (redirects by hand).
    landing = page(client, twins.b, "/s/" + link, None)
    assert landing.status == 200 and ('action="/s/%s"' % link) in landing.body.decode(), \
        "the link on B: %r" % (landing,)
    r = client.request(twins.b.port, "POST", "/s/" + link, [("Content-Type", "application/x-www-form-urlencoded")],
                       urlencode({"name": "Gus Guest"}).encode())
    guest = session_cookie(r, "the guest joining on B")
    assert r.headers.get("location") == "/files/%s/view" % file_id, \
        "the guest is sent to %r" % r.headers.get("location")
    host = page(client, twins.b, r.headers["location"], guest)
    assert host.status == 200, "the guest's host page on B: %r" % (host,)
    body = host.body.decode()
    token = re.search(r'name="access_token" value="([^"]+)"', body)
    ttl = re.search(r'name="access_token_ttl" value="(\d+)"', body)
    assert token and ttl, "no access token on the guest's host page: %r" % body[:2000]
    collabora = wopi.Collabora(twins.disco.keys["collabora"])

    def cfi(folio):
        src = "%s/wopi/files/%s" % (folio.base, file_id)
        return collabora.check_file_info(wopi.Token(src, html.unescape(token.group(1)), ttl.group(1)))

    for folio in twins.pair:
        for _ in range(2):      # twice: the answer is cached on both instances
            r = cfi(folio)
        assert r.status == 200, "the guest's CheckFileInfo on %s: %r" % (folio.base, r)
        info = r.json()
        assert (info["UserCanWrite"], info["ReadOnly"]) == (False, True), "the guest on %s: %r" % (folio.base, info)

    r = form_post(client, twins.a, "/share/links/%s/revoke" % link, cookie,
                  {"csrf": csrf(page(client, twins.a, share, cookie), "erin's share page on A")})
    assert (r.status, r.headers.get("location")) == (303, share), "revoking the link on A: %r" % (r,)

    lags = {}
    for folio in (twins.b, twins.a):
        asked = []
        r, waited = tw.within_a_second(lambda: asked.append(1) or cfi(folio), lambda r: r.status == 401)
        assert r.status == 401, \
            "the guest's CheckFileInfo on %s after the link was revoked on A: %r" % (folio.base, r)
        lags[folio] = "%.1f ms (%d request%s)" % (1000 * waited, len(asked), "" if len(asked) == 1 else "s")
    print("a link revoked on A stopped its guest on B after %s, then on A after %s" % (lags[twins.b], lags[twins.a]))
    for folio in twins.pair:
        assert page(client, folio, "/s/" + link, None).status == 404, "the revoked link still opens on %s" % folio.base
        r = page(client, folio, "/files/%s/view" % file_id, guest)
        assert r.status == 303 and r.headers.get("location", "").startswith("/login"), \
            "the guest's host page on %s after the link was revoked (signed out): %r" % (folio.base, r)


def test_z_the_data_folders_hold_no_content(twins):
    """With content in a bucket, neither instance's folder holds a blob: only the secret file
    (outside them) and the database are shared."""
    if not tw.SEPARATE_FOLDERS:
        pytest.skip("content is in the shared data folder (no FOLIO_BLOBS)")
    assert len(twins.folders) == 2
    for folder in twins.folders:
        held = [os.path.join(d, f) for d, _, files in os.walk(folder) for f in files]
        assert not [p for p in held if "/blobs/" in p or os.path.getsize(p) > 4096], held

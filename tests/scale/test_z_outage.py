"""The database goes away under two running instances and comes back (runs last: the file
name sorts after the others). While it is gone each instance's /readyz says 503 within a few
seconds, so a load balancer can take it out, and every request that needs the database gets
503 with Retry-After within 5 s; when it is back both are ready again without a restart, and a
lock, a save and a read work through either instance."""

import os
import subprocess
import time
import urllib.error
import urllib.request

import twins as tw


def pg_ctl(*args):
    """pg_ctl on the stage's cluster (scripts/lib/postgres.sh exports PG_DIR and PG_BINDIR),
    run as the cluster's owner, never as root."""
    pg_dir, bindir = os.environ.get("PG_DIR"), os.environ.get("PG_BINDIR")
    assert pg_dir and bindir, "PG_DIR and PG_BINDIR must come from pg_start (scripts/lib/postgres.sh)"
    command = [os.path.join(bindir, "pg_ctl"), "-D", os.path.join(pg_dir, "data"), *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", os.environ.get("PG_OS_USER", "postgres"), "--"] + command
    subprocess.run(command, check=True, cwd="/", stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


def readyz(folio):
    """(status, seconds it took)."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(folio.base + "/readyz", timeout=30) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, time.monotonic() - start


def wait_ready(folio, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if readyz(folio)[0] == 200:
            return True
        time.sleep(0.5)
    return False


def test_an_outage_is_reported_and_survived(twins, client):
    [file_id] = twins.import_files([b"before the outage"], prefix="outage")
    token = twins.token(file_id)
    for folio in twins.pair:
        assert readyz(folio)[0] == 200
    pg_ctl("-m", "fast", "-w", "stop")
    try:
        for folio in twins.pair:
            status, took = readyz(folio)
            assert status == 503 and took < 6, "%s /readyz with the database down: %d after %.1f s" % (
                folio.base, status, took)
            # Requests that need the database fail clearly and soon instead of waiting for the
            # pool: 503 with Retry-After within 5 s (the pool gives a connection within 4 s or
            # the request gives up its place).
            for what, send in [
                ("Lock", lambda: tw.lock(client, folio, file_id, token, "during")),
                ("GetFile", lambda: tw.get_file(client, folio, file_id, token)),
                ("CheckFileInfo", lambda: client.request(folio.port, "GET", tw._file(file_id, token))),
            ]:
                start = time.monotonic()
                r = send()
                took = time.monotonic() - start
                assert r.status == 503 and r.headers.get("retry-after") and took < 5.5, \
                    "%s %s with the database down: %d after %.1f s (%r)" % (folio.base, what, r.status, took, r.body[:200])
    finally:
        pg_ctl("-l", os.path.join(os.environ["PG_DIR"], "postgres.log"), "-w", "start")
    for folio in twins.pair:
        assert wait_ready(folio), "%s is not ready 30 s after the database came back" % folio.base
    assert tw.lock(client, twins.a, file_id, token, "after").status == 200
    body = b"saved after the outage"
    assert tw.put_file(client, twins.b, file_id, token, body, "after").status == 200
    got = tw.get_file(client, twins.a, file_id, token)
    assert got.status == 200 and got.body == body

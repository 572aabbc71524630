"""Fixtures for two Folio instances sharing one installation: the same --data folder and the
same PostgreSQL schema (FOLIO_TEST_POSTGRES_URL plus a fresh ?schema=). Nothing is skipped:
without a PostgreSQL server the suite fails, since it has nothing else to test."""

import os
import sys

import pytest

# tests/lib (folio_process: the `folio serve` every Python suite starts) is importable by name.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

import twins as tw  # noqa: E402  (after the path above)
from discovery_server import DiscoveryServer  # noqa: E402


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    if not os.environ.get("FOLIO_TEST_POSTGRES_URL"):
        pytest.fail("tests/scale needs FOLIO_TEST_POSTGRES_URL (scripts/test's postgres stage starts a cluster)")
    tmp = tmp_path_factory.mktemp("scale")
    out = os.environ.get("FOLIO_TEST_OUTPUT") or str(tmp)
    os.makedirs(out, exist_ok=True)
    # A Collabora discovery on loopback, for the application API's editing sessions.
    disco = DiscoveryServer()
    disco.start()
    try:
        t = tw.Twins(tmp, out, {"collabora": disco.discovery_url("collabora")})
    except BaseException:
        disco.stop()
        raise
    t.disco = disco
    yield t
    t.stop()
    disco.stop()


@pytest.fixture
def client():
    """Keep-alive connections for one test, closed after it."""
    c = tw.Client()
    yield c
    c.close()

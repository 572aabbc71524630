"""Fixtures for the scripted editors on documents in spaces (tests/spaces/clients.sh).

`space` is one Folio per kind of storage (folder, webdav, s3, http), for the whole session, with
the space `docs` on that storage, the three editors' discovery (tests/clients'
discovery_server) and ONLYOFFICE's native API pointed at a scripted document server
(tests/clients' docserver). Every test that takes `space` runs once per kind
(FOLIO_TEST_SPACE_KINDS narrows them); a test marked `@pytest.mark.kinds("webdav", …)` only on
those. Nothing is skipped: a storage, a variable or a Python module that is missing is an error.
"""

import os

import pytest

from spacekit import ALL_KINDS, DS_SECRET, Space  # also puts tests/lib and tests/clients on sys.path

import discovery_server  # noqa: E402,I100
from docserver import DocServer  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "kinds(*names): run this test only on these kinds of storage")


def kinds_wanted():
    wanted = os.environ.get("FOLIO_TEST_SPACE_KINDS", " ".join(ALL_KINDS)).split()
    unknown = set(wanted) - set(ALL_KINDS)
    assert not unknown, "FOLIO_TEST_SPACE_KINDS: unknown kinds %s" % sorted(unknown)
    return wanted


def pytest_generate_tests(metafunc):
    if "space" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("kinds")
        only = marker.args if marker else ALL_KINDS
        kinds = [k for k in kinds_wanted() if k in only]
        # Session scope: one Folio per kind, shared by every module's tests on it.
        metafunc.parametrize("space", kinds, indirect=True, scope="session")


@pytest.fixture(scope="session")
def disco():
    server = discovery_server.DiscoveryServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ds():
    server = DocServer(DS_SECRET).start()
    yield server
    server.stop()
    assert not server.errors, "the scripted document server failed: %r" % server.errors


@pytest.fixture(scope="session")
def space(request, tmp_path_factory, disco, ds):
    s = Space(request.param, tmp_path_factory.mktemp("space-" + request.param), disco, ds)
    yield s
    s.close()



"""Fixtures for the scripted editor clients (PROTOCOL.md §E): a discovery server for the three
editors and a live Folio pointed at it. Nothing here is skipped when missing: a missing folio
binary or Python module is an error."""

import os
import re
import sys

import pytest

# tests/lib (folio_process: the `folio serve` every Python suite starts) is importable by name.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

from harness import Stack  # noqa: E402  (after the path above)


@pytest.fixture(scope="module")
def stack(request, tmp_path_factory):
    """One discovery server and one Folio per test module (users alice and bob)."""
    name = request.module.__name__.replace("test_", "")
    s = Stack(tmp_path_factory.mktemp(name), name)
    yield s
    s.stop()


@pytest.fixture
def make_stack(request, tmp_path_factory):
    """Private stacks for tests that rotate keys or start the editors late."""
    made = []

    def make(start_discovery=True):
        name = re.sub(r"\W", "_", request.node.name)[:60]
        s = Stack(tmp_path_factory.mktemp(name), name, start_discovery)
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()

"""tests/ops: crash safety and graceful shutdown of a real `folio serve` (test_crash.py), and
the deployment files (test_deploy_files.py)."""

import os
import sys

import pytest

# tests/lib (folio_process: the `folio serve` every Python suite starts) is importable by name.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

import folio_process  # noqa: E402  (after the path above)


@pytest.fixture(autouse=True)
def stop_folios():
    """The tests start and kill their servers themselves; whatever is still running when a
    test ends (say, after a failed assertion) is stopped here."""
    yield
    folio_process.stop_all()

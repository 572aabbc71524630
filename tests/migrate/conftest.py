"""tests/migrate: `folio migrate` from SQLite to a fresh PostgreSQL schema (test_migrate.py)."""

import os
import sys

# tests/lib (folio_process: the `folio serve` every Python suite starts) is importable by name.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

"""One short SQLite connection to the state file (``STATE_DB``), its table made if need be."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

__all__ = ["TIMEOUT", "connect"]

#: Seconds to wait for another writer before giving up.
TIMEOUT = 5.0


@contextlib.contextmanager
def connect(path: Path, schema: str) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` in one transaction (committed, or rolled back on error)."""
    connection = sqlite3.connect(path, timeout=TIMEOUT)
    try:
        with connection:
            connection.execute(schema)
            yield connection
    finally:
        connection.close()

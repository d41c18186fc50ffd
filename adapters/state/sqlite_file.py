"""The SQLite state file (``STATE_DB``): connections in WAL mode, its schema checked and made.

Several processes on one machine may share the file: it is in WAL mode
(readers never wait for a writer) and every connection waits up to
:data:`TIMEOUT` seconds for another writer. The schema is checked, and made
or migrated, under the write lock, once per file and process (see
:mod:`adapters.state.schema`).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from adapters.state.schema import SCHEMA_TABLE, VERSION, check_tables, our_tables, sqlite_schema
from bot.errors import ConfigError

__all__ = ["TIMEOUT", "check_file", "open_connection", "reading", "writing"]

#: Seconds to wait for another writer before giving up.
TIMEOUT = 5.0

_prepared: set[Path] = set()
_preparing = threading.Lock()


def open_connection(
    path: Path, *, timeout: float = TIMEOUT, shared: bool = False
) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly), in WAL mode.

    ``shared``: usable from any thread (the caller serializes its use).
    """
    connection = sqlite3.connect(
        path, timeout=timeout, isolation_level=None, check_same_thread=not shared
    )
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


@contextlib.contextmanager
def writing(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection in one write transaction (committed, or rolled back on error)."""
    connection = open_connection(path)
    try:
        _prepare(connection, path)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()


@contextlib.contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to read from (the schema made first, if need be)."""
    connection = open_connection(path)
    try:
        _prepare(connection, path)
        yield connection
    finally:
        connection.close()


def check_file(path: Path) -> None:
    """Fail at start-up (a :class:`ConfigError` naming ``STATE_DB``) when ``path`` is unusable.

    An existing file is checked, and migrated to the current schema; a missing
    one is made on the first write.
    """
    if not path.parent.is_dir():
        raise ConfigError(f"STATE_DB: the folder {path.parent} does not exist; create it")
    if not path.exists():
        return
    _prepared.discard(_key(path))
    try:
        with reading(path):
            pass
    except sqlite3.Error as error:
        raise ConfigError(
            f"STATE_DB: {path} is not a summary-bot database ({error}); point it at a new file"
        ) from None


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    """Check the schema, and make or migrate it, once per file in this process."""
    key = _key(path)
    if key in _prepared:
        return
    with _preparing:
        if key in _prepared:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            found = _tables(connection)
            version = _version(connection, found, path)
            check_tables(found, version, str(path), rate_window=False)
            if version != VERSION:
                for statement in sqlite_schema(found):
                    connection.execute(statement)
                connection.execute(f"DELETE FROM {SCHEMA_TABLE}")
                connection.execute(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES (?)", (VERSION,))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        _prepared.add(key)


def _tables(connection: sqlite3.Connection) -> dict[str, frozenset[str]]:
    names = [
        str(name)
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    return {
        name: frozenset(str(row[1]) for row in connection.execute(f"PRAGMA table_info({name})"))
        for name in names
        if name in our_tables()
    }


def _version(
    connection: sqlite3.Connection, found: dict[str, frozenset[str]], path: Path
) -> int | None:
    if SCHEMA_TABLE not in found:
        return None
    rows = connection.execute(f"SELECT version FROM {SCHEMA_TABLE}").fetchall()
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        raise ConfigError(
            f"STATE_DB: {path} has a {SCHEMA_TABLE} table that is not summary-bot's; "
            "point STATE_DB at a new file"
        )
    return int(rows[0][0])


def _key(path: Path) -> Path:
    return path.resolve()

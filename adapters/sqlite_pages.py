"""Pages loaded with ``/summary load``, kept in the state file so a restart reads them again.

They live in the same SQLite file as the channels' choices (``STATE_DB``), in
a table of their own: article name, final URL, content type and the body as
fetched (within the fetch size limit), at most as many as the library keeps.
A store that cannot write logs why and carries on; the page then stays
loaded until the bot stops.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from adapters.sqlite_file import connect
from bot.pages import Page

__all__ = ["SqlitePages"]

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS loaded_page (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    loaded_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


class SqlitePages:
    """A :class:`bot.pages.PageStore` in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writing = threading.Lock()

    def __repr__(self) -> str:
        return f"SqlitePages({str(self.path)!r})"

    def save(self, name: str, page: Page) -> None:
        with self._writing:
            try:
                with connect(self.path, _SCHEMA) as connection:
                    connection.execute("DELETE FROM loaded_page WHERE name = ?", (name,))
                    connection.execute(
                        "INSERT INTO loaded_page (name, url, content_type, body) "
                        "VALUES (?, ?, ?, ?)",
                        (name, page.url, page.content_type, page.data),
                    )
            except sqlite3.Error as error:
                log.error("cannot keep the page %s in %s: %s", name, self.path, error)

    def forget(self, names: Iterable[str]) -> None:
        gone = [(name,) for name in names]
        if not gone or not self.path.exists():
            return
        with self._writing:
            try:
                with connect(self.path, _SCHEMA) as connection:
                    connection.executemany("DELETE FROM loaded_page WHERE name = ?", gone)
            except sqlite3.Error as error:
                log.error("cannot forget pages in %s: %s", self.path, error)

    def pages(self) -> list[tuple[str, Page]]:
        if not self.path.exists():
            return []
        try:
            with connect(self.path, _SCHEMA) as connection:
                rows = connection.execute(
                    "SELECT name, url, content_type, body FROM loaded_page "
                    "ORDER BY loaded_at, rowid"
                ).fetchall()
        except sqlite3.Error as error:
            log.warning("cannot read the pages kept in %s: %s", self.path, error)
            return []
        return [
            (str(name), Page(str(url), bytes(body), str(content_type)))
            for name, url, content_type, body in rows
        ]

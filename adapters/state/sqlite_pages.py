"""Pages loaded with ``/summary load``, kept in the state file so every process can read them.

They live in the same SQLite file as the channels' choices (``STATE_DB``), in
a table of their own: article name, final URL, content type and the body as
fetched (within the fetch size limit), at most as many as the library keeps,
each with a ``revision`` that changes when the page under that name does.
A store that cannot write logs why and carries on; the page then stays
loaded in this process until it stops.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from adapters.state.sqlite_file import reading, writing
from bot.errors import ConfigError
from bot.sources.web_pages import Page

__all__ = ["SqlitePages"]

log = logging.getLogger(__name__)


class SqlitePages:
    """A :class:`bot.sources.web_pages.PageStore` in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writing = threading.Lock()

    def __repr__(self) -> str:
        return f"SqlitePages({str(self.path)!r})"

    def save(self, name: str, page: Page) -> None:
        with self._writing:
            try:
                with writing(self.path) as connection:
                    connection.execute(
                        "INSERT INTO loaded_page (name, url, content_type, body, revision) "
                        "VALUES (?, ?, ?, ?, "
                        "(SELECT coalesce(max(revision), 0) + 1 FROM loaded_page)) "
                        "ON CONFLICT (name) DO UPDATE SET url = excluded.url, "
                        "content_type = excluded.content_type, body = excluded.body, "
                        "loaded_at = datetime('now'), revision = excluded.revision",
                        (name, page.url, page.content_type, page.data),
                    )
            except (sqlite3.Error, ConfigError) as error:
                log.error("cannot keep the page %s in %s: %s", name, self.path, error)

    def forget(self, names: Iterable[str]) -> None:
        gone = [(name,) for name in names]
        if not gone or not self.path.exists():
            return
        with self._writing:
            try:
                with writing(self.path) as connection:
                    connection.executemany("DELETE FROM loaded_page WHERE name = ?", gone)
            except (sqlite3.Error, ConfigError) as error:
                log.error("cannot forget pages in %s: %s", self.path, error)

    def pages(self) -> list[tuple[str, Page]]:
        return [
            (name, page) for name in self.listing() or {} if (page := self.page(name)) is not None
        ]

    def listing(self) -> dict[str, int] | None:
        if not self.path.exists():
            return {}
        try:
            with reading(self.path) as connection:
                rows = connection.execute(
                    "SELECT name, revision FROM loaded_page ORDER BY revision, loaded_at, rowid"
                ).fetchall()
        except (sqlite3.Error, ConfigError) as error:
            log.warning("cannot read the pages kept in %s: %s", self.path, error)
            return None
        return {str(name): int(revision) for name, revision in rows}

    def page(self, name: str) -> Page | None:
        try:
            with reading(self.path) as connection:
                row = connection.execute(
                    "SELECT url, content_type, body FROM loaded_page WHERE name = ?", (name,)
                ).fetchone()
        except (sqlite3.Error, ConfigError) as error:
            log.warning("cannot read the page %s kept in %s: %s", name, self.path, error)
            return None
        if row is None:
            return None
        url, content_type, body = row
        return Page(str(url), bytes(body), str(content_type))

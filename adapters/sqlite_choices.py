"""Each channel's article, kept in an SQLite file so it survives a restart.

The file (``STATE_DB``) is created on the first ``/summary use``; until then
nothing is written. The choices are read from the file once and then answered
from memory (the bot is the file's only writer); each write opens its own
short connection, so the store is safe to share between the core's worker
threads, and SQLite serializes writers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from adapters.sqlite_file import connect
from bot.errors import ConfigError, UserFacingError

__all__ = ["SqliteChoices"]

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS channel_article (
    channel TEXT PRIMARY KEY,
    article TEXT NOT NULL,
    chosen_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


class SqliteChoices:
    """A :class:`bot.choices.ChoiceStore` in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._names: dict[str, str] | None = None
        self._lock = threading.Lock()  # guards the names in memory
        self._writing = threading.Lock()  # keeps the file and the memory in the same order

    def __repr__(self) -> str:
        return f"SqliteChoices({str(self.path)!r})"

    def check(self) -> SqliteChoices:
        """Fail at start-up (a :class:`ConfigError`) when the file cannot be used."""
        if not self.path.parent.is_dir():
            raise ConfigError(f"the folder {self.path.parent} does not exist; create it")
        if self.path.exists():
            try:
                with connect(self.path, _SCHEMA) as connection:
                    connection.execute("SELECT count(*) FROM channel_article").fetchone()
            except sqlite3.Error as error:
                raise ConfigError(
                    f"{self.path} is not a summary-bot database ({error}); point it at a new file"
                ) from None
        return self

    def load(self) -> None:
        """Read every choice from the file into memory (tried again on the next ``get``
        when the file cannot be read)."""
        with self._lock:
            self._loaded()

    def get(self, channel: str) -> str | None:
        with self._lock:
            names = self._loaded()
            return names.get(channel) if names is not None else None

    def _loaded(self) -> dict[str, str] | None:
        """The choices in memory, read from the file the first time; call with the lock."""
        if self._names is None:
            self._names = self._read_all()
        return self._names

    def _read_all(self) -> dict[str, str] | None:
        """Every channel's choice in the file; ``None`` when it cannot be read."""
        if not self.path.exists():
            return {}
        try:
            with connect(self.path, _SCHEMA) as connection:
                rows = connection.execute("SELECT channel, article FROM channel_article")
                return {str(channel): str(article) for channel, article in rows}
        except sqlite3.Error as error:
            log.warning("cannot read %s: %s; using the default article", self.path, error)
            return None

    def set(self, channel: str, name: str) -> None:
        with self._writing:
            try:
                with connect(self.path, _SCHEMA) as connection:
                    connection.execute(
                        "INSERT INTO channel_article (channel, article) VALUES (?, ?) "
                        "ON CONFLICT (channel) DO UPDATE SET article = excluded.article, "
                        "chosen_at = datetime('now')",
                        (channel, name),
                    )
            except sqlite3.Error as error:
                log.error("cannot write %s: %s", self.path, error)
                raise UserFacingError(
                    "I couldn't save this channel's choice; please tell the bot's owner."
                ) from None
            with self._lock:
                if self._names is not None:
                    self._names[channel] = name

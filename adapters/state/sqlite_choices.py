"""Each channel's article, kept in an SQLite file so it survives a restart.

The file (``STATE_DB``) is created on the first ``/summary use``; until then
nothing is written. Choices are answered from memory, kept fresh by
:meth:`SqliteChoices.refresh`, which the dispatcher calls before each command:
it asks SQLite whether anything was committed since the last look
(``PRAGMA data_version``, a read of shared memory in WAL mode, a few
microseconds) and only then reads the choices made since (by their
``revision``). So several processes on one file answer every channel alike.
Each write opens its own short connection, so the store is safe to share
between the core's worker threads; SQLite serializes writers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from pathlib import Path

from adapters.state.sqlite_file import check_file, open_connection, reading, writing
from bot.errors import ConfigError, UserFacingError

__all__ = ["SqliteChoices"]

log = logging.getLogger(__name__)

#: Seconds a freshness check waits for the file before answering from memory.
_LOOK_TIMEOUT = 0.05


class SqliteChoices:
    """A :class:`bot.chat.channel_choices.ChoiceStore` in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._names: dict[str, str] | None = None
        self._revision = 0
        self._lock = threading.Lock()  # guards the names in memory and the watching connection
        self._writing = threading.Lock()  # keeps the file and the memory in the same order
        self._watch: sqlite3.Connection | None = None
        self._closing: weakref.finalize[[], SqliteChoices] | None = None
        self._seen_version: int | None = None

    def __repr__(self) -> str:
        return f"SqliteChoices({str(self.path)!r})"

    def check(self) -> SqliteChoices:
        """Fail at start-up (a :class:`ConfigError` naming ``STATE_DB``) if the file is unusable."""
        check_file(self.path)
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

    def refresh(self) -> None:
        """Read the choices other processes committed since the last look, if any.

        Cheap when nothing changed; never raises (the memory answers meanwhile).
        """
        with self._lock:
            if self._names is None:
                self._loaded()
                return
            try:
                if not self._changed():
                    return
                rows = self._watching().execute(
                    "SELECT channel, article, revision FROM channel_article WHERE revision > ?",
                    (self._revision,),
                )
                self._remember(rows)
            except sqlite3.Error as error:
                log.warning("cannot look at %s: %s; answering from memory", self.path, error)
                self._forget_watch()

    def set(self, channel: str, name: str) -> None:
        with self._writing:
            try:
                with writing(self.path) as connection:
                    connection.execute(
                        "INSERT INTO channel_article (channel, article, revision) VALUES (?, ?, "
                        "(SELECT coalesce(max(revision), 0) + 1 FROM channel_article)) "
                        "ON CONFLICT (channel) DO UPDATE SET article = excluded.article, "
                        "chosen_at = datetime('now'), revision = excluded.revision",
                        (channel, name),
                    )
            except (sqlite3.Error, ConfigError) as error:
                log.error("cannot write %s: %s", self.path, error)
                raise UserFacingError(
                    "I couldn't save this channel's choice; please tell the bot's owner."
                ) from None
            with self._lock:
                if self._names is not None:
                    self._names[channel] = name

    def close(self) -> None:
        with self._lock:
            self._forget_watch()

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
            self._changed()
            with reading(self.path) as connection:
                rows = connection.execute("SELECT channel, article, revision FROM channel_article")
                self._names = {}
                self._remember(rows)
                return self._names
        except (sqlite3.Error, ConfigError) as error:
            log.warning("cannot read %s: %s; using the default article", self.path, error)
            self._forget_watch()
            return None

    def _remember(self, rows: sqlite3.Cursor) -> None:
        assert self._names is not None
        for channel, article, revision in rows:
            self._names[str(channel)] = str(article)
            self._revision = max(self._revision, int(revision))

    def _changed(self) -> bool:
        """Whether anything was committed to the file since the last call (True at first)."""
        if not self.path.exists():
            return False
        version = int(self._watching().execute("PRAGMA data_version").fetchone()[0])
        changed = version != self._seen_version
        self._seen_version = version
        return changed

    def _watching(self) -> sqlite3.Connection:
        if self._watch is None:
            # used from any thread, always under the lock
            self._watch = open_connection(self.path, timeout=_LOOK_TIMEOUT, shared=True)
            # A store nobody closed closes its connection when it goes, not the collector.
            self._closing = weakref.finalize(self, self._watch.close)
        return self._watch

    def _forget_watch(self) -> None:
        if self._closing is not None:
            self._closing()  # closes the connection, once
        self._watch = None
        self._closing = None
        self._seen_version = None

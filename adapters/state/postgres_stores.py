"""The core's two stores on PostgreSQL: each channel's choice, and the loaded pages.

Both are called from the core's worker threads and at start-up, and wait for
:class:`~adapters.state.postgres.PostgresState`'s own event loop to run the
statement (:meth:`~adapters.state.postgres.PostgresState.call`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from adapters.state.gate import StoreUnavailable
from bot.errors import UserFacingError
from bot.sources.web_pages import Page

if TYPE_CHECKING:
    from adapters.state.postgres import PostgresState

__all__ = ["PostgresChoices", "PostgresPages"]

log = logging.getLogger(__name__)


class PostgresChoices:
    """A :class:`bot.chat.channel_choices.ChoiceStore` on PostgreSQL, answered from memory.

    The memory holds what :meth:`load` read at start-up, what this process
    wrote, and the channel's choice as the database said at each command's
    admission (:meth:`PostgresState.admit`).
    """

    def __init__(self, state: PostgresState) -> None:
        self._state = state
        self._names: dict[str, str] = {}
        self._loaded = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PostgresChoices({self._state.url.shown!r})"

    def load(self) -> None:
        """Read every choice (once tried, never again on a ``get``: that may run on an
        event loop; the admissions keep each channel fresh)."""
        self._loaded = True
        try:
            rows = self._state.execute("SELECT channel, article FROM channel_article")
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("cannot read the choices in STATE_DB: %s", error)
            return
        with self._lock:
            self._names = {str(channel): str(article) for channel, article in rows}

    def get(self, channel: str) -> str | None:
        if not self._loaded:  # read once, at the first question (start-up loads them first)
            self.load()
        with self._lock:
            return self._names.get(channel)

    def remember(self, channel: str, name: str | None) -> None:
        """What the database says ``channel`` reads now."""
        with self._lock:
            if name is None:
                self._names.pop(channel, None)
            else:
                self._names[channel] = name

    def set(self, channel: str, name: str) -> None:
        try:
            self._state.execute(
                "INSERT INTO channel_article (channel, article) VALUES (%s, %s) "
                "ON CONFLICT (channel) DO UPDATE SET article = excluded.article, "
                "chosen_at = now(), revision = nextval('summary_bot_revision')",
                (channel, name),
            )
        except (StoreUnavailable, TimeoutError) as error:
            log.error("cannot save a choice in STATE_DB: %s", error)
            raise UserFacingError(
                "I couldn't save this channel's choice just now; please try again in a moment."
            ) from None
        self.remember(channel, name)


class PostgresPages:
    """A :class:`bot.sources.web_pages.PageStore` on PostgreSQL."""

    def __init__(self, state: PostgresState) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"PostgresPages({self._state.url.shown!r})"

    def save(self, name: str, page: Page) -> None:
        try:
            self._state.execute(
                "INSERT INTO loaded_page (name, url, content_type, body) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET url = excluded.url, "
                "content_type = excluded.content_type, body = excluded.body, "
                "loaded_at = now(), revision = nextval('summary_bot_revision')",
                (name, page.url, page.content_type, page.data),
            )
        except (StoreUnavailable, TimeoutError) as error:
            log.error("cannot keep the page %s in STATE_DB: %s", name, error)

    def forget(self, names: Iterable[str]) -> None:
        gone = list(names)
        if not gone:
            return
        try:
            self._state.execute("DELETE FROM loaded_page WHERE name = ANY(%s)", (gone,))
        except (StoreUnavailable, TimeoutError) as error:
            log.error("cannot forget pages in STATE_DB: %s", error)

    def listing(self) -> dict[str, int] | None:
        try:
            rows = self._state.execute("SELECT name, revision FROM loaded_page ORDER BY revision")
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("cannot read the pages kept in STATE_DB: %s", error)
            return None
        return {str(name): int(revision) for name, revision in rows}

    def page(self, name: str) -> Page | None:
        try:
            rows = self._state.execute(
                "SELECT url, content_type, body FROM loaded_page WHERE name = %s", (name,)
            )
        except (StoreUnavailable, TimeoutError) as error:
            log.warning("cannot read the page %s kept in STATE_DB: %s", name, error)
            return None
        if not rows:
            return None
        url, content_type, body = rows[0]
        return Page(str(url), bytes(body), str(content_type))

    def pages(self) -> list[tuple[str, Page]]:
        return [
            (name, page) for name in self.listing() or {} if (page := self.page(name)) is not None
        ]

"""Pages loaded from URLs, kept in the web store so they outlive a restart.

:class:`KeptPages` reads the pages the store keeps into the library
(:meth:`KeptPages.restore` at start-up, :meth:`KeptPages.sync` when another
process may have loaded or dropped one) and keeps the pages this process loads
(:meth:`KeptPages.keep`). Each page is read again only when its revision in
the store changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bot.articles.library import Library
from bot.articles.prepared import Unprepared
from bot.sources.web_pages import Page, PageStore

__all__ = ["KeptPages"]

log = logging.getLogger(__name__)


class KeptPages:
    """The web store's pages, matched with the library's loaded pages."""

    def __init__(
        self, store: PageStore, read: Callable[[Page], Unprepared], library: Library
    ) -> None:
        self.store = store
        self._read = read
        self._library = library
        self._kept: dict[str, int] = {}  # the store's revision of each page read from it
        self._syncing = threading.Lock()

    def __repr__(self) -> str:
        return f"KeptPages({self.store!r}, {len(self._kept)} pages)"

    def restore(self) -> KeptPages:
        """Read the pages the store kept (loaded before a restart) into the library."""
        return self.sync()

    def sync(self) -> KeptPages:
        """Match the loaded pages to the store's: read the pages kept since (by any
        process) and drop those it no longer keeps.

        A page that no longer reads (say, a parser change) is logged and forgotten;
        one whose name a folder article took meanwhile is kept under a new name.
        """
        with self._syncing:
            listing = self.store.listing()
            if listing is None:  # the store is away: keep what is here
                return self
            gone = [name for name in self._kept if name not in listing]
            self._library.drop_pages(gone)
            for name in gone:
                del self._kept[name]
            for name, revision in listing.items():
                if self._kept.get(name) != revision:
                    self._read_kept(name)
                    self._kept[name] = revision
        return self

    def keep(self, name: str, page: Page, dropped: list[str]) -> None:
        """Save ``page`` as ``name`` and forget the pages ``dropped`` for it."""
        self.store.save(name, page)
        if dropped:
            self.store.forget(dropped)
        with self._syncing:  # this process's own revisions: not read back
            listing = self.store.listing() or {}
            if name in listing:
                self._kept[name] = listing[name]
            for gone in dropped:
                self._kept.pop(gone, None)

    def _read_kept(self, name: str) -> None:
        page = self.store.page(name)
        if page is None:
            return
        try:
            article = self._read(page)
        except Exception as error:  # a kept page must never stop the bot from starting
            log.warning("a page kept as %s no longer reads (%s); forgetting it", name, error)
            self.store.forget([name])
            return
        if self._library.is_taken(name):  # a folder article took the name meanwhile
            renamed, dropped = self._library.add_page(article.renamed(name))
            self.store.forget([name])
            self.store.save(renamed.name, page)
        else:
            dropped = self._library.put_page(article.renamed(name))
        if dropped:
            self.store.forget(dropped)

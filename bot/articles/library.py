"""The articles the bot knows, by name: prepared, or prepared on first use.

A :class:`Library` holds the default article (always there), the articles of
the articles folder (``shelf``: scanned again by :meth:`Library.refresh`) and
pages loaded from URLs (the newest ``max_loaded``). Each name maps to a
:class:`~bot.articles.prepared.PreparedArticle`, or to an
:class:`~bot.articles.prepared.Unprepared` one that :meth:`Library.article`
prepares when first read (adapters do that in a worker: :meth:`Library.is_ready`
says whether reading an article is only a lookup). The library loads nothing
itself: URL loading and kept pages are in :mod:`bot.sources`, which channel
reads which article in :mod:`bot.chat.channel_articles`. Safe to share between threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from bot.articles.options import Options
from bot.articles.prepared import PreparedArticle, Unprepared

__all__ = ["MAX_LOADED", "Entry", "Library"]

log = logging.getLogger(__name__)

#: Pages loaded from URLs that stay in memory; the oldest is dropped first.
MAX_LOADED = 20

#: What a name maps to: an article prepared, or one to prepare on first use.
Entry = PreparedArticle | Unprepared


class Library:
    """Articles by name (see the module's description)."""

    def __init__(
        self,
        articles: Iterable[Entry],
        default: str | None = None,
        *,
        options: Options | None = None,
        shelf: Callable[[], Iterable[Entry]] | None = None,
        max_loaded: int = MAX_LOADED,
    ) -> None:
        self._fixed = {article.name: article for article in articles}
        if not self._fixed:
            raise ValueError("a library needs at least one article")
        self.default = default or next(iter(self._fixed))
        self.options = options or Options()
        self._shelf = shelf
        self._shelved: dict[str, Entry] = {}
        self._loaded: dict[str, Entry] = {}
        self._max_loaded = max_loaded
        self._lock = threading.Lock()
        self._preparing: dict[str, threading.Lock] = {}
        self.refresh()

    def __repr__(self) -> str:
        return f"Library({list(self.names)!r}, default={self.default!r})"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._all())

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every article, prepared or not, in the order of :attr:`names`."""
        return tuple(self._all().values())

    @property
    def has_shelf(self) -> bool:
        return self._shelf is not None

    def get(self, name: str) -> Entry | None:
        """The article called ``name`` (any case, or by its file name), prepared or not."""
        wanted = name.strip().strip("`'\"“”‘’").lower()
        articles = self._all()
        if name in articles:
            return articles[name]
        for article in articles.values():
            if wanted in {article.name.lower(), _file_name(article.document.source).lower()}:
                return article
        return None

    def default_entry(self) -> Entry:
        return self._fixed[self.default]

    def is_ready(self, entry: Entry) -> bool:
        """Whether reading ``entry`` is a lookup (it is prepared)."""
        return isinstance(entry, PreparedArticle)

    def article(self, entry: Entry) -> PreparedArticle:
        """``entry`` prepared: now, the first time (once, whoever else waits for it)."""
        if isinstance(entry, PreparedArticle):
            return entry
        with self._lock:
            preparing = self._preparing.setdefault(entry.name, threading.Lock())
        with preparing:
            current = self._all().get(entry.name)
            if isinstance(current, PreparedArticle) and current.document is entry.document:
                return current
            prepared = entry.prepare(self.options)
            self._swap(entry, prepared)
        return prepared

    def prepare_all(self) -> Library:
        """Prepare every article now, so commands only read."""
        for entry in self.entries:
            self.article(entry)
        return self

    def is_taken(self, name: str) -> bool:
        """Whether the default article or a folder article has ``name`` (any case)."""
        with self._lock:
            return name.lower() in {n.lower() for n in (*self._fixed, *self._shelved)}

    def add_page(self, page: Entry) -> tuple[Entry, list[str]]:
        """Add a loaded page, renamed if its name is taken; the oldest pages go first.

        The page as added, and the names of the pages dropped for it. The same
        page again (same source) replaces the one loaded before.
        """
        with self._lock:
            loaded = dict(self._loaded)
            same = loaded.get(page.name)
            if same is not None and same.document.source == page.document.source:
                del loaded[page.name]
            taken = {name.lower() for name in (*self._fixed, *self._shelved, *loaded)}
            name, number = page.name, 1
            while name.lower() in taken:
                number += 1
                name = f"{page.name}-{number}"
            if name != page.name:
                page = page.renamed(name)
            loaded[name] = page
            dropped = _oldest_beyond(loaded, self._max_loaded)
            self._loaded = loaded
        return page, dropped

    def put_page(self, page: Entry) -> list[str]:
        """Add (or replace) a page under its own name; the names of the pages dropped."""
        with self._lock:
            loaded = {n: a for n, a in self._loaded.items() if n != page.name}
            loaded[page.name] = page
            dropped = _oldest_beyond(loaded, self._max_loaded)
            self._loaded = loaded
        return dropped

    def drop_pages(self, names: Iterable[str]) -> None:
        gone = set(names)
        with self._lock:
            self._loaded = {n: a for n, a in self._loaded.items() if n not in gone}

    def refresh(self) -> Library:
        """Read the articles folder again (new, changed and removed files)."""
        if self._shelf is None:
            return self
        found: dict[str, Entry] = {}
        for article in self._shelf():
            if article.name in self._fixed:
                log.warning("ARTICLES_DIR: %s has the default article's name", article.name)
                continue
            found[article.name] = article
        with self._lock:
            before = self._shelved
            self._shelved = {name: _kept(before.get(name), entry) for name, entry in found.items()}
        return self

    def _swap(self, entry: Entry, prepared: PreparedArticle) -> None:
        """Put ``prepared`` where ``entry`` is (if it still is)."""
        with self._lock:
            for attribute in ("_fixed", "_shelved", "_loaded"):
                entries: dict[str, Entry] = getattr(self, attribute)
                if entries.get(entry.name) is entry:
                    setattr(self, attribute, {**entries, entry.name: prepared})

    def _all(self) -> dict[str, Entry]:
        return {**self._fixed, **self._shelved, **self._loaded}


def _kept(before: Entry | None, found: Entry) -> Entry:
    """The article prepared before, if the folder still has the same document."""
    if before is not None and before.document is found.document:
        return before
    return found


def _oldest_beyond(loaded: dict[str, Entry], most: int) -> list[str]:
    """Drop the oldest of ``loaded`` (in place) until ``most`` are left; their names."""
    dropped = []
    while len(loaded) > most:
        oldest = next(iter(loaded))
        dropped.append(oldest)
        del loaded[oldest]
    return dropped


def _file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]

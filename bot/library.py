"""Articles ready to answer: a document with its summaries and search index.

An :class:`Article` does the expensive work (summaries of every section and
the search index) once, in :meth:`Article.warm`, which adapters run off
their event loop; afterwards a command is a lookup and some formatting.
A :class:`Library` is every article the bot can read, and which one each
channel reads.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.chat.channel_choices import ChoiceStore, MemoryChoices
from bot.chat.echo import defang
from bot.chat.permissions import LoadPolicy
from bot.errors import UserFacingError
from bot.search.index import SearchIndex, Terms
from bot.sources.web_pages import Fetcher, Page, PageStore, check_url
from bot.summaries.summarizer import (
    COVERAGE,
    DEFAULT_ALGORITHM,
    Summarizer,
    SummaryLength,
    check_algorithm,
)
from bot.text.document import Document, Section
from bot.text.parsing import collector_paused
from bot.text.tokenizer import Tokenizer

__all__ = [
    "OVERVIEW_SECTIONS",
    "OVERVIEW_WORDS",
    "Article",
    "Library",
    "Options",
    "UnknownArticle",
    "WebLoading",
]

log = logging.getLogger(__name__)

#: Pages loaded from URLs that stay in memory; the oldest is dropped first.
MAX_LOADED = 20
#: Article names listed in an "unknown article" message.
MAX_NAMED = 8
#: Words in an overview (``OVERVIEW_WORDS``): about what a reader takes in at a glance.
OVERVIEW_WORDS = 150
#: Sections an overview shows (the others are listed by ``/summary sections``).
OVERVIEW_SECTIONS = 25


@dataclass(frozen=True, slots=True)
class Options:
    """How summaries and answers are made; read from settings by the adapters."""

    algorithm: str = DEFAULT_ALGORITHM
    length: SummaryLength = field(default_factory=lambda: SummaryLength(3))
    answers: int = 3
    #: The overview's word budget (``coverage`` only).
    overview_words: int = OVERVIEW_WORDS

    def __post_init__(self) -> None:
        object.__setattr__(self, "algorithm", check_algorithm(self.algorithm))
        if self.overview_words < 1:
            raise ValueError(f"overview_words must be at least 1, not {self.overview_words}")


class Article:
    """A document plus everything needed to answer commands about it."""

    def __init__(self, name: str, document: Document, options: Options) -> None:
        self.name = name
        self.document = document
        self.options = options
        self.tokenizer = Tokenizer(document.language)
        self.terms = Terms(self.tokenizer)
        self._summarizer = Summarizer(options.algorithm, self.tokenizer)
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._warm = False

    def __repr__(self) -> str:
        return f"Article({self.name!r}, {len(self.document.sections)} sections)"

    @functools.cached_property
    def version(self) -> str:
        """A short stable hash of the article's content: it changes when the text does."""
        sections = "\x1e".join("\x1f".join((s.title, *s.sentences)) for s in self.document.sections)
        return hashlib.sha256(f"{self.document.title}\x1d{sections}".encode()).hexdigest()[:12]

    @property
    def is_warm(self) -> bool:
        """Whether every summary and the index are built (see :meth:`warm`)."""
        return self._warm

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    with collector_paused():  # many small objects, no cycles: as parsing
                        self._index = SearchIndex(self.document, self.terms)
        return self._index

    def overview_length(self, section: Section) -> SummaryLength:
        """With a sumy algorithm: one sentence for a short section, two for a longer one."""
        return SummaryLength(1 if len(section.sentences) <= 3 else 2)

    def overview(self, section: Section) -> tuple[str, ...]:
        """The section's part of the overview (with ``coverage``: none when the
        section's sentences did not fit the word budget, or it comes after the
        first ``OVERVIEW_SECTIONS``, which are all an overview shows)."""
        if self._summarizer.algorithm == COVERAGE:
            if section.number > OVERVIEW_SECTIONS:
                return ()
            picks = self._summarizer.overview(
                self.document, self.options.overview_words, OVERVIEW_SECTIONS
            )
            return tuple(section.sentences[index] for index in picks[section.number - 1])
        return self._summarizer.sentences(
            self.document, section.number, self.overview_length(section)
        )

    def summary(self, section: Section) -> tuple[str, ...]:
        return self._summarizer.sentences(self.document, section.number, self.options.length)

    def warm(self) -> Article:
        """Compute every summary and the index now, so commands only read."""
        _ = self.index, self.version
        for section in self.document.sections:
            self.overview(section)
            self.summary(section)
        self._warm = True
        return self


class UnknownArticle(UserFacingError):
    """``/summary use`` with a name the library does not have."""


@dataclass(frozen=True, slots=True)
class WebLoading:
    """How ``/summary load <url>`` works here: who may, what fetches, what reads, what keeps."""

    fetcher: Fetcher
    read: Callable[[Page], Article]
    policy: LoadPolicy = field(default_factory=LoadPolicy)
    store: PageStore | None = None


class Library:
    """The articles the bot knows, by name, and which one each channel reads.

    The library holds the default article (always there), the articles of the
    articles folder (``shelf``: scanned again by :meth:`refresh`) and pages
    loaded from URLs (the newest ``max_loaded``). A channel reads the article
    its ``choices`` store names, or the default one. Safe to share between
    threads.
    """

    def __init__(
        self,
        articles: Iterable[Article],
        default: str | None = None,
        *,
        choices: ChoiceStore | None = None,
        shelf: Callable[[], Iterable[Article]] | None = None,
        web: WebLoading | None = None,
        max_loaded: int = MAX_LOADED,
    ) -> None:
        self._fixed = {article.name: article for article in articles}
        if not self._fixed:
            raise ValueError("a library needs at least one article")
        self.default = default or next(iter(self._fixed))
        self.choices: ChoiceStore = choices if choices is not None else MemoryChoices()
        self.web = web
        self._shelf = shelf
        self._shelved: dict[str, Article] = {}
        self._loaded: dict[str, Article] = {}
        self._kept: dict[str, int] = {}  # the web store's revision of each page read from it
        self._max_loaded = max_loaded
        self._lock = threading.Lock()
        self._syncing = threading.Lock()
        self.refresh()

    def __repr__(self) -> str:
        return f"Library({list(self.names)!r}, default={self.default!r})"

    @classmethod
    def single(cls, document: Document, options: Options | None = None) -> Library:
        return cls([Article(document.source or "article", document, options or Options())])

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._all())

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(self._all().values())

    def get(self, name: str) -> Article | None:
        """The article called ``name`` (any case, or by its file name)."""
        wanted = name.strip().strip("`'\"“”‘’").lower()
        articles = self._all()
        if name in articles:
            return articles[name]
        for article in articles.values():
            if wanted in {article.name.lower(), _file_name(article.document.source).lower()}:
                return article
        return None

    def article_for(self, channel: str = "") -> Article:
        """The article ``channel`` chose, or the default one."""
        chosen = self.choices.get(channel) if channel else None
        article = self.get(chosen) if chosen else None
        return article or self._fixed[self.default]

    def choose(self, channel: str, name: str) -> Article:
        """Make ``name`` the article of ``channel``; looks in the folder again if need be."""
        article = self.get(name)
        if article is None and self._keeps_pages:
            self.sync_pages()  # another process may have loaded it
            article = self.get(name)
        if article is None and self._shelf is not None:
            self.refresh()
            article = self.get(name)
        if article is None:
            raise UnknownArticle(_unknown(name, self.names))
        self.choices.set(channel, article.name)
        return article

    def knows_choice(self, channel: str) -> bool:
        """Whether ``channel``'s chosen article, if any, is here (in memory, no I/O).

        False when another process chose a page or a folder article this one has
        not read yet: :meth:`catch_up` reads it.
        """
        chosen = self.choices.get(channel) if channel else None
        if chosen is None or self.get(chosen) is not None:
            return True
        return not (self._keeps_pages or self._shelf is not None)

    def catch_up(self, channel: str) -> Library:
        """Read what another process added for ``channel``'s choice: the pages the
        web store keeps, then the articles folder if the name is still unknown."""
        self.sync_pages()
        chosen = self.choices.get(channel) if channel else None
        if chosen is not None and self.get(chosen) is None:
            self.refresh()
        return self

    def add(self, article: Article) -> Article:
        """Add a loaded article, renamed if its name is taken; the oldest loaded go first."""
        return self._add(article)[0]

    def _add(self, article: Article) -> tuple[Article, list[str]]:
        """The article as added (maybe renamed), and the names of those dropped for it."""
        with self._lock:
            loaded = dict(self._loaded)
            same = loaded.get(article.name)
            if same is not None and same.document.source == article.document.source:
                del loaded[article.name]  # the same page again: replace it
            taken = {name.lower() for name in (*self._fixed, *self._shelved, *loaded)}
            name, number = article.name, 1
            while name.lower() in taken:
                number += 1
                name = f"{article.name}-{number}"
            if name != article.name:
                article = Article(name, article.document, article.options)
            loaded[name] = article
            dropped = _oldest_beyond(loaded, self._max_loaded)
            self._loaded = loaded
        return article, dropped

    def load(self, url: str, channel: str) -> Article:
        """Fetch ``url``, read it, add it, and make it ``channel``'s article.

        The page is also kept in the web store, if there is one, so it is
        loaded again when the bot restarts.
        """
        if self.web is None:
            raise UserFacingError("Loading articles from a URL is turned off on this bot.")
        page = self.web.fetcher.fetch(check_url(url))
        read = self.web.read(page)
        self.sync_pages()  # learn the names other processes took meanwhile
        article, dropped = self._add(read)
        article.warm()
        store = self.web.store
        if store is not None:  # kept before it is chosen, so every process finds it
            store.save(article.name, page)
            if dropped:
                store.forget(dropped)
            self._note_kept(store, [article.name], dropped)
        self.choices.set(channel, article.name)
        return article

    def restore(self) -> Library:
        """Read the pages the web store kept (loaded before a restart) back in."""
        return self.sync_pages()

    def sync_pages(self) -> Library:
        """Match the loaded pages to the web store's: read the pages kept since (by any
        process) and drop those it no longer keeps.

        A page that no longer reads (say, a parser change) is logged and forgotten;
        one whose name a folder article took meanwhile is kept under a new name.
        """
        web = self.web
        if web is None or web.store is None:
            return self
        store = web.store
        with self._syncing:
            listing = store.listing()
            if listing is None:  # the store is away: keep what is here
                return self
            self._drop_gone(listing)
            for name, revision in listing.items():
                if self._kept.get(name) != revision:
                    self._read_kept(store, web.read, name)
                    self._kept[name] = revision
        return self

    def _drop_gone(self, listing: dict[str, int]) -> None:
        """Forget here the pages read from the store that it no longer keeps."""
        gone = [name for name in self._kept if name not in listing]
        with self._lock:
            loaded = {name: a for name, a in self._loaded.items() if name not in gone}
            self._loaded = loaded
        for name in gone:
            del self._kept[name]

    def _read_kept(self, store: PageStore, read: Callable[[Page], Article], name: str) -> None:
        page = store.page(name)
        if page is None:
            return
        try:
            article = read(page)
        except Exception as error:  # a kept page must never stop the bot from starting
            log.warning("a page kept as %s no longer reads (%s); forgetting it", name, error)
            store.forget([name])
            return
        with self._lock:
            taken = name.lower() in {n.lower() for n in (*self._fixed, *self._shelved)}
        if taken:  # a folder article took the name meanwhile
            renamed, dropped = self._add(Article(name, article.document, article.options))
            store.forget([name])
            store.save(renamed.name, page)
        else:
            dropped = self._put(Article(name, article.document, article.options))
        if dropped:
            store.forget(dropped)

    def _put(self, article: Article) -> list[str]:
        """Add (or replace) a page read from the store under its own name."""
        with self._lock:
            loaded = {n: a for n, a in self._loaded.items() if n != article.name}
            loaded[article.name] = article
            dropped = _oldest_beyond(loaded, self._max_loaded)
            self._loaded = loaded
        return dropped

    def _note_kept(self, store: PageStore, saved: list[str], dropped: list[str]) -> None:
        """Remember the revisions of pages this process just saved, so it does not read them
        back."""
        with self._syncing:
            listing = store.listing() or {}
            for name in saved:
                if name in listing:
                    self._kept[name] = listing[name]
            for name in dropped:
                self._kept.pop(name, None)

    @property
    def _keeps_pages(self) -> bool:
        return self.web is not None and self.web.store is not None

    def refresh(self) -> Library:
        """Read the articles folder again (new, changed and removed files)."""
        if self._shelf is None:
            return self
        shelved: dict[str, Article] = {}
        for article in self._shelf():
            if article.name in self._fixed:
                log.warning("ARTICLES_DIR: %s has the default article's name", article.name)
                continue
            shelved[article.name] = article
        self._shelved = shelved
        return self

    def warm(self) -> Library:
        """Warm every article, and load the channel choices (a store may keep them)."""
        for article in self.articles:
            article.warm()
        self.choices.load()
        return self

    def _all(self) -> dict[str, Article]:
        return {**self._fixed, **self._shelved, **self._loaded}


def _oldest_beyond(loaded: dict[str, Article], most: int) -> list[str]:
    """Drop the oldest of ``loaded`` (in place) until ``most`` are left; their names."""
    dropped = []
    while len(loaded) > most:
        oldest = next(iter(loaded))
        dropped.append(oldest)
        del loaded[oldest]
    return dropped


def _file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def _unknown(name: str, names: tuple[str, ...]) -> str:
    shown = defang(name if len(name) <= 40 else name[:40] + "…")
    known = ", ".join(f"`{known}`" for known in names[:MAX_NAMED])
    more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
    return (
        f"There is no article called “{shown}”. Try one of {known}{more} "
        "(`/summary articles` lists them)."
    )

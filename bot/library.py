"""Articles ready to answer: a document with its summaries and search index.

An :class:`Article` does the expensive work (summaries of every section and
the search index) once, in :meth:`Article.warm`, which adapters run off
their event loop; afterwards a command is a lookup and some formatting.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.models import Document, Section
from bot.searching import SearchIndex, Terms
from bot.summarizing import Summarizer, SummaryLength, check_algorithm
from bot.tokenizing import Tokenizer

__all__ = ["Article", "Library", "Options"]


@dataclass(frozen=True, slots=True)
class Options:
    """How summaries and answers are made; read from settings by the adapters."""

    algorithm: str = "lex-rank"
    length: SummaryLength = field(default_factory=lambda: SummaryLength(3))
    answers: int = 3

    def __post_init__(self) -> None:
        object.__setattr__(self, "algorithm", check_algorithm(self.algorithm))


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

    def __repr__(self) -> str:
        return f"Article({self.name!r}, {len(self.document.sections)} sections)"

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = SearchIndex(self.document, self.terms)
        return self._index

    def overview_length(self, section: Section) -> SummaryLength:
        """One sentence for a short section, two for a longer one."""
        return SummaryLength(1 if len(section.sentences) <= 3 else 2)

    def overview(self, section: Section) -> tuple[str, ...]:
        return self._summarizer.sentences(
            self.document, section.number, self.overview_length(section)
        )

    def summary(self, section: Section) -> tuple[str, ...]:
        return self._summarizer.sentences(self.document, section.number, self.options.length)

    def warm(self) -> Article:
        """Compute every summary and the index now, so commands only read."""
        _ = self.index
        for section in self.document.sections:
            self.overview(section)
            self.summary(section)
        return self


class Library:
    """The articles the bot knows, by name, and which one is the default."""

    def __init__(self, articles: Iterable[Article], default: str | None = None) -> None:
        self._articles = {article.name: article for article in articles}
        if not self._articles:
            raise ValueError("a library needs at least one article")
        self.default = default or next(iter(self._articles))

    def __repr__(self) -> str:
        return f"Library({list(self._articles)!r}, default={self.default!r})"

    @classmethod
    def single(cls, document: Document, options: Options | None = None) -> Library:
        return cls([Article(document.source or "article", document, options or Options())])

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._articles)

    def get(self, name: str) -> Article | None:
        return self._articles.get(name)

    def article_for(self, channel: str = "") -> Article:
        return self._articles[self.default]

    def warm(self) -> Library:
        for article in self._articles.values():
            article.warm()
        return self

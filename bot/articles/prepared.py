"""A prepared article: a document with every summary and its search index, built once.

:func:`prepare` does the expensive work (the search index, then each section's
overview and summary picks) and returns a frozen :class:`PreparedArticle`;
afterwards a command only reads it. Nothing in it changes, so threads share it
freely. An :class:`Unprepared` article is a parsed document waiting for
:func:`prepare` (the library prepares it on first use, in a worker).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from bot.articles.options import OVERVIEW_SECTIONS, Options
from bot.search.index import SearchIndex
from bot.search.terms import Terms
from bot.summaries.summarizer import COVERAGE, Summarizer, SummaryLength
from bot.text.chunks import Chunks, sentence_chunks
from bot.text.document import Document, Section
from bot.text.parsing import collector_paused
from bot.text.tokenizer import Tokenizer

__all__ = [
    "PreparedArticle",
    "Unprepared",
    "content_version",
    "index_of",
    "overview_length",
    "picks_of",
    "prepare",
]

Picks = tuple[tuple[int, ...], ...]

#: Hex digits of :func:`content_version` (48 bits: no two versions of an article collide).
VERSION_DIGITS = 12


@dataclass(frozen=True, slots=True, eq=False)
class PreparedArticle:
    """A document plus everything needed to answer commands about it, all computed.

    ``overviews`` and ``summaries`` hold each section's picked sentences (indexes
    into the section's sentences, in order); ``version`` changes when, and only
    when, the document's text does.
    """

    name: str
    document: Document
    options: Options
    terms: Terms
    index: SearchIndex
    overviews: Picks
    summaries: Picks
    version: str

    def __repr__(self) -> str:
        return f"PreparedArticle({self.name!r}, {len(self.document.sections)} sections)"

    @property
    def tokenizer(self) -> Tokenizer:
        return self.terms.tokenizer

    def overview(self, section: Section) -> tuple[str, ...]:
        """The section's part of the overview (with ``coverage``: none when the
        section's sentences did not fit the word budget, or it comes after the
        first ``OVERVIEW_SECTIONS``, which are all an overview shows)."""
        return _picked(section, self.overviews)

    def summary(self, section: Section) -> tuple[str, ...]:
        return _picked(section, self.summaries)

    def renamed(self, name: str) -> PreparedArticle:
        """The same article under another name (nothing is computed again)."""
        return replace(self, name=name)


@dataclass(frozen=True, slots=True, eq=False)
class Unprepared:
    """An article parsed but not prepared yet: its name and document."""

    name: str
    document: Document

    def __repr__(self) -> str:
        return f"Unprepared({self.name!r}, {len(self.document.sections)} sections)"

    @property
    def terms(self) -> Terms:
        """The terms section titles are matched with (cheap: the tokenizer is shared)."""
        return Terms(Tokenizer(self.document.language))

    def renamed(self, name: str) -> Unprepared:
        return replace(self, name=name)

    def prepare(self, options: Options) -> PreparedArticle:
        return prepare(self.name, self.document, options)


def prepare(name: str, document: Document, options: Options) -> PreparedArticle:
    """Build ``document``'s index and every section's overview and summary, once."""
    terms = Terms(Tokenizer(document.language))
    with collector_paused():  # many small objects, no cycles: as parsing
        chunks = sentence_chunks(document)  # read by the index and the summaries alike
    index = index_of(document, terms, chunks)
    overviews, summaries = picks_of(document, options, terms.tokenizer, chunks)
    version = content_version(document)
    return PreparedArticle(name, document, options, terms, index, overviews, summaries, version)


def index_of(document: Document, terms: Terms, chunks: Chunks | None = None) -> SearchIndex:
    """The search index of ``document`` (the first half of :func:`prepare`)."""
    with collector_paused():  # many small objects, no cycles: as parsing
        return SearchIndex(document, terms, chunks)


def picks_of(
    document: Document, options: Options, tokenizer: Tokenizer, chunks: Chunks | None = None
) -> tuple[Picks, Picks]:
    """Every section's overview and summary picks (the second half of :func:`prepare`)."""
    summarizer = Summarizer(options.algorithm, tokenizer)
    basis = summarizer.basis(document, chunks)
    sections = document.sections
    summaries = summarizer.pick_each(document, [options.length] * len(sections), basis)
    if summarizer.algorithm == COVERAGE:
        concepts = basis if not isinstance(basis, list) else None
        shown = summarizer.overview(document, options.overview_words, OVERVIEW_SECTIONS, concepts)
        return tuple(shown) + ((),) * (len(sections) - len(shown)), summaries
    lengths = [overview_length(section) for section in sections]
    return summarizer.pick_each(document, lengths, basis), summaries


def overview_length(section: Section) -> SummaryLength:
    """With a sumy algorithm: one sentence for a short section, two for a longer one."""
    return SummaryLength(1 if len(section.sentences) <= 3 else 2)


def content_version(document: Document) -> str:
    """A short hash of the document's text: its title, language and sections."""
    digest = hashlib.blake2b(digest_size=VERSION_DIGITS // 2)
    digest.update(f"{document.title}\x1f{document.language}".encode())
    for section in document.sections:
        digest.update(f"\x1e{section.title}".encode())
        for paragraph in section.paragraphs:
            digest.update(("\x1d" + "\x1f".join(paragraph)).encode())
    return digest.hexdigest()


def _picked(section: Section, picks: Picks) -> tuple[str, ...]:
    sentences = section.sentences
    return tuple(sentences[index] for index in picks[section.number - 1])

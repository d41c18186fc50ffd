"""Section summaries and overviews: which sentences each algorithm picks.

``coverage``, the default, is the bot's own method (:mod:`bot.summaries.coverage`):
sentences that cover the article's key terms within a word budget, leads
first; it gives the overview (every section at once) and each section's
summary.  The others are sumy's algorithms, with sumy's picks.
LexRank (``lex-rank``) runs on :func:`bot.summaries.lexrank.rank_sections`: every
section of a document is ranked in one vectorised pass, from words tokenized
and stemmed once per document, and picks exactly what sumy's LexRank picks.
It imports neither sumy's summarizers nor NLTK.  The other algorithms are
sumy's own, imported when first used: each section becomes a small sumy
document (its heading plus its paragraphs) and is summarized.  Either way the
picked sentences come back in document order as indexes into the section's
sentences.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.errors import ConfigError
from bot.summaries.coverage import Concepts, pick_each_section, pick_overview
from bot.summaries.lexrank import SectionRanks, Terms, pick_all, rank_sections
from bot.text.chunks import Chunks
from bot.text.document import Document, Section
from bot.text.stemmers import WordTerms, stemmer_for, stop_words_for
from bot.text.term_ids import TermIds, document_terms, term_ids
from bot.text.tokenizer import Tokenizer

__all__ = [
    "ALGORITHMS",
    "COVERAGE",
    "DEFAULT_ALGORITHM",
    "Basis",
    "Summarizer",
    "SummaryLength",
    "check_algorithm",
    "stop_words_for",
]

SumyFactory = Callable[[Callable[[str], str]], Any]
#: What an algorithm computes once per document before picking (see Summarizer.basis).
Basis = Concepts | list[SectionRanks] | None


def _lazy(module: str, name: str) -> SumyFactory:
    """A factory for a sumy summarizer class, imported on first use (sumy imports NLTK)."""

    def build(stemmer: Callable[[str], str]) -> Any:
        return getattr(importlib.import_module(module), name)(stemmer)

    build.__qualname__ = build.__name__ = name
    return build


#: Algorithm names as users type them, and the sumy summarizer behind each.
#: (LexRank's is the sumy-compatible drop-in; the bot ranks with bot.summaries.lexrank.)
ALGORITHMS: dict[str, SumyFactory] = {
    "lex-rank": _lazy("bot.summaries.sumy_lexrank", "FastLexRankSummarizer"),
    "text-rank": _lazy("sumy.summarizers.text_rank", "TextRankSummarizer"),
    "lsa": _lazy("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": _lazy("sumy.summarizers.luhn", "LuhnSummarizer"),
    "edmundson": _lazy("sumy.summarizers.edmundson", "EdmundsonSummarizer"),
    "kl": _lazy("sumy.summarizers.kl", "KLSummarizer"),
    "sum-basic": _lazy("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "reduction": _lazy("sumy.summarizers.reduction", "ReductionSummarizer"),
}

#: The bot's own method (bot.summaries.coverage), and the default.
COVERAGE = "coverage"
DEFAULT_ALGORITHM = COVERAGE

_LENGTH = re.compile(r"^\s*(\d{1,3})\s*(%?)\s*$")


@dataclass(frozen=True, slots=True)
class SummaryLength:
    """A summary's length: a number of sentences, or a percentage of the section."""

    value: int
    percent: bool = False

    @classmethod
    def parse(cls, text: str) -> SummaryLength:
        """``"3"`` is three sentences, ``"20%"`` a fifth of the section."""
        match = _LENGTH.match(text)
        value = int(match.group(1)) if match else 0
        percent = bool(match and match.group(2))
        if not match or value < 1 or (percent and value > 100):
            raise ConfigError(
                f"summary length {text!r} is not a number of sentences (like 3) "
                "or a percentage (like 20%)"
            )
        return cls(value, percent)

    def count_for(self, available: int) -> int:
        """How many of ``available`` sentences to keep (at least one, never more)."""
        if available <= 0:
            return 0
        wanted = max(1, available * self.value // 100) if self.percent else self.value
        return min(wanted, available)

    def __str__(self) -> str:
        return f"{self.value}%" if self.percent else str(self.value)


def check_algorithm(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    if key != COVERAGE and key not in ALGORITHMS:
        known = ", ".join((COVERAGE, *ALGORITHMS))
        raise ConfigError(f"unknown summary algorithm {name!r}; choose one of: {known}")
    return key


class Summarizer:
    """Summarizes a document's sections with one algorithm; keeps nothing between calls.

    :meth:`basis` is what an algorithm computes once per document before it picks
    (``coverage``'s concepts, LexRank's ranks; nothing for sumy's others): pass it to
    :meth:`pick_each` and :meth:`overview` to pick several lengths from one pass.
    A prepared article (:func:`bot.articles.prepared.prepare`) keeps the picks.
    """

    def __init__(self, algorithm: str, tokenizer: Tokenizer) -> None:
        self.algorithm = check_algorithm(algorithm)
        self._tokenizer = tokenizer
        self._stop_words = stop_words_for(tokenizer.language)
        # sumy lower-cases its stop words (LexRankSummarizer.stop_words).
        self._terms = WordTerms(
            tokenizer.language, frozenset(word.lower() for word in self._stop_words)
        )

    def __repr__(self) -> str:
        return f"Summarizer({self.algorithm!r}, {self._tokenizer!r})"

    def basis(self, document: Document, chunks: Chunks | None = None) -> Basis:
        """What :meth:`pick_each` starts from for ``document`` (computed now; ``chunks``,
        when given, are the document's :func:`~bot.text.chunks.sentence_chunks`)."""
        if self.algorithm == COVERAGE:
            return self.concepts(document, chunks)
        if self.algorithm == "lex-rank":
            return self.ranks(document)
        return None

    def pick(self, document: Document, number: int, length: SummaryLength) -> tuple[int, ...]:
        """Indexes of the chosen sentences of section ``number``, in order."""
        if self.algorithm in {COVERAGE, "lex-rank"}:
            return self.pick_all(document, length)[number - 1]
        section = document.section(number)
        return self._pick_with_sumy(document, section, length)

    def pick_all(self, document: Document, length: SummaryLength) -> tuple[tuple[int, ...], ...]:
        """Every section's pick at ``length``, by section."""
        return self.pick_each(document, [length] * len(document.sections))

    def pick_each(
        self, document: Document, lengths: Sequence[SummaryLength], basis: Basis = None
    ) -> tuple[tuple[int, ...], ...]:
        """Each section's pick at its own length (``lengths``, by section), from ``basis``
        (:meth:`basis` of ``document``, computed here when not given)."""
        if basis is None:
            basis = self.basis(document)
        counts = [
            length.count_for(_size(section))
            for length, section in zip(lengths, document.sections, strict=True)
        ]
        if isinstance(basis, Concepts):
            return tuple(pick_each_section(basis, counts))
        if basis is not None:
            return tuple(pick_all(basis, counts))
        return tuple(
            self._pick_with_sumy(document, section, length)
            for length, section in zip(lengths, document.sections, strict=True)
        )

    def overview(
        self,
        document: Document,
        words: int,
        sections: int | None = None,
        concepts: Concepts | None = None,
    ) -> list[tuple[int, ...]]:
        """``coverage``: the picked sentences (indexes, in order) of each of the first
        ``sections`` sections (all by default) for an overview of at most ``words`` words."""
        shown = (
            len(document.sections) if sections is None else min(sections, len(document.sections))
        )
        found = concepts if concepts is not None else self.concepts(document)
        return pick_overview(found, shown, words)

    def concepts(self, document: Document, chunks: Chunks | None = None) -> Concepts:
        """The concepts of every sentence of ``document``."""
        found, words = document_terms(self._tokenizer, document, self._terms.many, chunks)
        sizes = np.array([_size(s) for s in document.sections], np.int64)
        return Concepts.build(found.ids, found.sentence, sizes, words)

    def _terms_of(self, texts: list[str]) -> TermIds:
        return term_ids(self._tokenizer, texts, self._terms.many)

    def sentences(self, document: Document, number: int, length: SummaryLength) -> tuple[str, ...]:
        all_sentences = document.section(number).sentences
        return tuple(all_sentences[index] for index in self.pick(document, number, length))

    def _pick_with_sumy(
        self, document: Document, section: Section, length: SummaryLength
    ) -> tuple[int, ...]:
        available = len(section.sentences)
        count = length.count_for(available)
        if count >= available:
            return tuple(range(available))
        return self._summarize_with_sumy(document, section, count)

    def ranks(self, document: Document) -> list[SectionRanks]:
        """LexRank scores of every section of ``document``."""
        return self._rank(document)

    def _rank(self, document: Document) -> list[SectionRanks]:
        texts = [sentence.text for sentence in document.sentences]
        found = self._terms_of(texts)
        keys: list[list[str]] = []  # sumy's Sentence is its stripped text
        position = 0
        for section in document.sections:
            count = sum(map(len, section.paragraphs))
            keys.append([text.strip() for text in texts[position : position + count]])
            position += count
        sizes = np.array([len(section_keys) for section_keys in keys], dtype=np.int64)
        return rank_sections(Terms(found.ids, found.sentence, sizes, found.vocabulary), keys)

    def _summarize_with_sumy(
        self, document: Document, section: Section, count: int
    ) -> tuple[int, ...]:
        sumy_document, originals = self._to_sumy(section)
        summarizer = self._build(document, section)
        picked = summarizer(sumy_document, count)
        position = {id(sentence): index for index, sentence in enumerate(originals)}
        return tuple(sorted(position[id(sentence)] for sentence in picked))

    def _to_sumy(self, section: Section) -> tuple[Any, list[Any]]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph
        from sumy.models.dom import Sentence as SumySentence

        originals: list[Any] = []
        paragraphs = []
        for index, texts in enumerate(section.paragraphs):
            sentences = [SumySentence(text, self._tokenizer) for text in texts]
            originals.extend(sentences)
            if index == 0 and not section.untitled:
                heading = SumySentence(section.title, self._tokenizer, is_heading=True)
                sentences = [heading, *sentences]
            paragraphs.append(Paragraph(sentences))
        return ObjectDocumentModel(paragraphs), originals

    def _build(self, document: Document, section: Section) -> Any:
        summarizer = ALGORITHMS[self.algorithm](stemmer_for(self._tokenizer.language))
        if self.algorithm == "edmundson":
            title_words = self._tokenizer.to_words(f"{document.title} {section.title}")
            bonus = [word for word in title_words if word.lower() not in self._stop_words]
            summarizer.bonus_words = bonus or title_words or ("summary",)
            summarizer.stigma_words = ("however", "perhaps", "maybe")
            summarizer.null_words = self._stop_words or frozenset({"the"})
        else:
            summarizer.stop_words = self._stop_words
        return summarizer


def _size(section: Section) -> int:
    """The section's sentence count (without building its tuple of sentences)."""
    return sum(map(len, section.paragraphs))

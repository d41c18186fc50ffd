"""Section summaries through sumy's algorithms, computed once and cached.

Each section becomes a small sumy document (its heading plus its paragraphs),
is summarized with the configured algorithm, and the picked sentences are
returned in document order as indexes into the section's sentences.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from bot.errors import ConfigError
from bot.lexrank import FastLexRankSummarizer
from bot.models import Document, Section
from bot.tokenizing import Tokenizer

__all__ = ["ALGORITHMS", "Summarizer", "SummaryLength", "stop_words_for"]

SumyFactory = Callable[[Stemmer], Any]

#: Algorithm names as users type them, and the sumy summarizer behind each.
ALGORITHMS: dict[str, SumyFactory] = {
    "lex-rank": FastLexRankSummarizer,
    "text-rank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "edmundson": EdmundsonSummarizer,
    "kl": KLSummarizer,
    "sum-basic": SumBasicSummarizer,
    "reduction": ReductionSummarizer,
}

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


def stop_words_for(language: str) -> frozenset[str]:
    try:
        return frozenset(get_stop_words(language))
    except LookupError:
        return frozenset()


def check_algorithm(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    if key not in ALGORITHMS:
        known = ", ".join(ALGORITHMS)
        raise ConfigError(f"unknown summary algorithm {name!r}; choose one of: {known}")
    return key


class Summarizer:
    """Summarizes a document's sections with one algorithm, caching each result.

    The cache key is (document, section, algorithm, length); a summary is
    computed once and then read. Safe to share between threads.
    """

    def __init__(self, algorithm: str, tokenizer: Tokenizer) -> None:
        self.algorithm = check_algorithm(algorithm)
        self._tokenizer = tokenizer
        self._stemmer = Stemmer(tokenizer.language)
        self._stop_words = stop_words_for(tokenizer.language)
        self._cache: dict[tuple[int, int, SummaryLength], tuple[int, ...]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Summarizer({self.algorithm!r}, {self._tokenizer!r})"

    def pick(self, document: Document, number: int, length: SummaryLength) -> tuple[int, ...]:
        """Indexes of the chosen sentences of section ``number``, in order."""
        key = (id(document), number, length)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._summarize(document, document.section(number), length)
            with self._lock:
                self._cache[key] = cached
        return cached

    def sentences(self, document: Document, number: int, length: SummaryLength) -> tuple[str, ...]:
        all_sentences = document.section(number).sentences
        return tuple(all_sentences[index] for index in self.pick(document, number, length))

    def _summarize(
        self, document: Document, section: Section, length: SummaryLength
    ) -> tuple[int, ...]:
        available = len(section.sentences)
        count = length.count_for(available)
        if count >= available:
            return tuple(range(available))
        sumy_document, originals = self._to_sumy(section)
        summarizer = self._build(document, section)
        picked = summarizer(sumy_document, count)
        position = {id(sentence): index for index, sentence in enumerate(originals)}
        return tuple(sorted(position[id(sentence)] for sentence in picked))

    def _to_sumy(self, section: Section) -> tuple[ObjectDocumentModel, list[SumySentence]]:
        originals: list[SumySentence] = []
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
        summarizer = ALGORITHMS[self.algorithm](self._stemmer)
        if isinstance(summarizer, EdmundsonSummarizer):
            title_words = self._tokenizer.to_words(f"{document.title} {section.title}")
            bonus = [word for word in title_words if word.lower() not in self._stop_words]
            summarizer.bonus_words = bonus or title_words or ("summary",)
            summarizer.stigma_words = ("however", "perhaps", "maybe")
            summarizer.null_words = self._stop_words or frozenset({"the"})
        else:
            summarizer.stop_words = self._stop_words
        return summarizer

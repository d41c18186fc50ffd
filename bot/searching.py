"""Keyword search over an article's sentences (Okapi BM25 on stems).

Words are lower-cased and stemmed with sumy's stemmer for the article's
language (bot.stemming's own copy for English, so no NLTK); stop words are
ignored. The index is built once per document.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.models import Document, Sentence
from bot.stemming import WordTerms, stemmer_for, stop_words_for
from bot.tokenizing import Tokenizer

__all__ = ["Hit", "SearchIndex", "Terms"]

_K1 = 1.2
_B = 0.75


@dataclass(frozen=True, slots=True)
class Hit:
    """A matching sentence, its score, and the stems it matched."""

    sentence: Sentence
    score: float
    matched: frozenset[str]


class Terms:
    """Turns text into the stems the index uses (language-aware)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        self._stem = stemmer_for(tokenizer.language)
        self._stop_words = stop_words_for(tokenizer.language)
        self._terms = WordTerms(tokenizer.language, self._stop_words)

    def stem(self, word: str) -> str:
        return str(self._stem(word.lower()))

    def is_stop_word(self, word: str) -> bool:
        return word.lower() in self._stop_words

    def words(self, text: str) -> tuple[str, ...]:
        return self._tokenizer.to_words(text)

    def of(self, text: str) -> list[str]:
        """The content stems of ``text``, in order, stop words left out."""
        return [term for term in map(self._terms, self.words(text)) if term is not None]


class SearchIndex:
    """An inverted index of a document's sentences, ranked with BM25."""

    def __init__(self, document: Document, terms: Terms) -> None:
        self.document = document
        self.terms = terms
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._lengths: list[int] = []
        for position, sentence in enumerate(document.sentences):
            stems = terms.of(sentence.text)
            self._lengths.append(len(stems))
            for stem, count in Counter(stems).items():
                self._postings[stem].append((position, count))
        total = len(self._lengths)
        self._average_length = (sum(self._lengths) / total) if total else 0.0
        self._idf = {
            stem: math.log(1 + (total - len(hits) + 0.5) / (len(hits) + 0.5))
            for stem, hits in self._postings.items()
        }

    def __repr__(self) -> str:
        return f"SearchIndex({self.document.title!r}, {len(self._postings)} terms)"

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The ``limit`` best sentences for ``query``; ties keep document order."""
        stems = set(self.terms.of(query))
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, set[str]] = defaultdict(set)
        for stem in stems:
            for position, count in self._postings.get(stem, ()):
                scores[position] += self._score(stem, position, count)
                matched[position].add(stem)
        # A sentence that matches more of the query's words ranks first.
        ranked = sorted(scores, key=lambda p: (-len(matched[p]), -scores[p], p))
        return [
            Hit(self.document.sentences[p], scores[p], frozenset(matched[p]))
            for p in ranked[: max(0, limit)]
        ]

    def known(self, stems: Iterable[str]) -> bool:
        return any(stem in self._postings for stem in stems)

    def _score(self, stem: str, position: int, count: int) -> float:
        norm = 1 - _B + _B * self._lengths[position] / (self._average_length or 1.0)
        return self._idf[stem] * count * (_K1 + 1) / (count + _K1 * norm)

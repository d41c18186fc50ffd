"""Keyword search over an article's sentences (Okapi BM25 on stems).

Words are lower-cased and stemmed with sumy's stemmer for the article's
language (bot.stemming's own copy for English, so no NLTK); stop words
(:mod:`bot.stop_words`) are ignored. The index is built once per document.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.models import Document, Sentence
from bot.stemming import WordTerms, stemmer_for
from bot.stop_words import search_stop_words
from bot.term_ids import term_ids
from bot.tokenizing import Tokenizer

__all__ = ["Hit", "SearchIndex", "Terms"]

_K1 = 1.2
_B = 0.75
#: Texts whose stems :meth:`Terms.of` remembers (section titles, repeated questions).
_MEMO_TEXTS: Final = 4096


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
        self._stop_words = search_stop_words(tokenizer.language)
        self._terms = WordTerms(tokenizer.language, self._stop_words)
        self._of: dict[str, tuple[str, ...]] = {}

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer

    def stem(self, word: str) -> str:
        return str(self._stem(word.lower()))

    def is_stop_word(self, word: str) -> bool:
        return word.lower() in self._stop_words

    def words(self, text: str) -> tuple[str, ...]:
        return self._tokenizer.to_words(text)

    def term(self, word: str) -> str | None:
        """The stem of ``word``, or None for a stop word."""
        return self._terms(word)

    def terms(self, words: Sequence[str]) -> list[str | None]:
        """:meth:`term` of each of ``words``."""
        return self._terms.many(words)

    def of(self, text: str) -> list[str]:
        """The content stems of ``text``, in order, stop words left out."""
        found = self._of.get(text)
        if found is None:
            found = tuple(term for term in map(self._terms, self.words(text)) if term is not None)
            if len(self._of) >= _MEMO_TEXTS:
                self._of.clear()
            self._of[text] = found
        return list(found)


class SearchIndex:
    """An inverted index of a document's sentences, ranked with BM25.

    Each stem's postings are kept as arrays (sentence positions and their
    BM25 contributions, which do not depend on the query), so a question is
    a few vectorised sums whatever the document's size.
    """

    def __init__(self, document: Document, terms: Terms) -> None:
        self.document = document
        self.terms = terms
        stems, sentence, vocabulary = _stems_of(document, terms)
        total = len(document.sentences)
        width = max(total, 1)
        lengths = np.bincount(sentence, minlength=total)
        average = float(lengths.sum()) / total if total else 0.0
        pairs, counts = np.unique(stems * width + sentence, return_counts=True)
        pair_stem, pair_sentence = pairs // width, pairs % width
        bounds = np.searchsorted(pair_stem, np.arange(len(vocabulary) + 1)).tolist()
        norms = (1 - _B) + _B * lengths[pair_sentence] / (average or 1.0)
        hits = np.diff(bounds)
        idf = {
            stem: math.log(1 + (total - n + 0.5) / (n + 0.5))
            for stem, n in zip(vocabulary, hits.tolist(), strict=True)
        }
        idf_of_pair = np.repeat(np.array([idf[stem] for stem in vocabulary]), hits)
        scores = idf_of_pair * counts * (_K1 + 1) / (counts + _K1 * norms)
        self._postings: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {
            stem: (pair_sentence[low:high], scores[low:high])
            for stem, low, high in zip(vocabulary, bounds, bounds[1:], strict=False)
        }
        self._total = total

    def __repr__(self) -> str:
        return f"SearchIndex({self.document.title!r}, {len(self._postings)} terms)"

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The ``limit`` best sentences for ``query``; ties keep document order."""
        stems = [stem for stem in set(self.terms.of(query)) if stem in self._postings]
        scores = np.zeros(self._total, dtype=np.float64)
        matched = np.zeros(self._total, dtype=np.int64)
        for stem in stems:
            positions, contributions = self._postings[stem]
            scores[positions] += contributions
            matched[positions] += 1
        candidates = np.flatnonzero(matched)
        # A sentence that matches more of the query's words ranks first.
        order = np.lexsort((candidates, -scores[candidates], -matched[candidates]))
        best = candidates[order[: max(0, limit)]].tolist()
        return [
            Hit(self.document.sentences[p], float(scores[p]), self._matched(stems, p)) for p in best
        ]

    def known(self, stems: Iterable[str]) -> bool:
        return any(stem in self._postings for stem in stems)

    def _matched(self, stems: list[str], position: int) -> frozenset[str]:
        found = set()
        for stem in stems:
            positions = self._postings[stem][0]
            at = int(np.searchsorted(positions, position))
            if at < len(positions) and positions[at] == position:
                found.add(stem)
        return frozenset(found)


def _stems_of(
    document: Document, terms: Terms
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
    """Every content stem of the document (as ids into the vocabulary) and its sentence."""
    found = term_ids(terms.tokenizer, [s.text for s in document.sentences], terms.terms)
    return found.ids, found.sentence, found.vocabulary

"""BM25 postings: per term, the units (sentences or paragraphs) that hold it, as arrays.

Built once per document with numpy; a question's scores are then a few
vectorised sums, whatever the document's size (see :mod:`bot.search.index`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["Postings"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_K1: Final = 1.2
_B: Final = 0.75


@dataclass(frozen=True, slots=True)
class Postings:
    """Per term, the units (sentences or paragraphs) holding it and its BM25 part in each."""

    bounds: IntArray  # term t's postings are [bounds[t], bounds[t + 1])
    units: IntArray
    scores: FloatArray
    idf: FloatArray

    @classmethod
    def build(cls, terms: IntArray, units: IntArray, unit_count: int, term_count: int) -> Postings:
        width = max(unit_count, 1)
        lengths = np.bincount(units, minlength=unit_count)
        average = float(lengths.sum()) / unit_count if unit_count else 0.0
        pairs, counts = np.unique(terms * width + units, return_counts=True)
        pair_unit = pairs % width
        pairs //= width  # each pair's term
        bounds = np.searchsorted(pairs, np.arange(term_count + 1))
        del pairs
        hits = np.diff(bounds)
        idf = np.log1p((unit_count - hits + 0.5) / (hits + 0.5))
        norms = (1 - _B) + _B * lengths[pair_unit] / (average or 1.0)
        scores = np.repeat(idf, hits) * counts * (_K1 + 1) / (counts + _K1 * norms)
        return cls(bounds.astype(np.int64, copy=False), pair_unit, scores, idf)

    def scores_of(self, terms: Sequence[int], weights: Iterable[float], units: int) -> FloatArray:
        """Each unit's BM25 for ``terms``, each term's part times its weight."""
        found = np.zeros(units, dtype=np.float64)
        for term, weight in zip(terms, weights, strict=True):
            low, high = int(self.bounds[term]), int(self.bounds[term + 1])
            found[self.units[low:high]] += weight * self.scores[low:high]
        return found

    def scale(self, scores: FloatArray, terms: Sequence[int], weights: Iterable[float]) -> float:
        """What ``scores`` are divided by: the best of them, or what a full match would score.

        A full match is a unit of average length holding each term once (its
        BM25 is then the sum of the terms' idf), so when no unit matches the
        question well, no unit's score is blown up to 1.
        """
        full = sum(w * float(self.idf[t]) for t, w in zip(terms, weights, strict=True))
        return max(float(scores.max()) if len(scores) else 0.0, full) or 1.0

    def holds(self, term: int, unit: int) -> bool:
        low, high = int(self.bounds[term]), int(self.bounds[term + 1])
        at = low + int(np.searchsorted(self.units[low:high], unit))
        return at < high and int(self.units[at]) == unit

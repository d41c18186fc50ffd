"""Sentences that cover an article's key terms in a word budget, leads first.

The bot's own picking method (``coverage``), for the overview and for one
section's summary.  A sentence's *concepts* are its terms (stems, stop words
left out) and each pair of terms that follow each other in it.  A concept's
weight is the number of the article's sentences that hold it, and a concept
found in only one sentence weighs nothing: key terms are the ones the article
comes back to.  A summary is worth the weight of the distinct concepts it
covers, so repeating what an earlier pick said earns nothing (redundancy
across sections is paid for once).

Sentences are picked greedily by what they add per word, times a lead prior
of ``1 / sqrt(1 + position in the section)`` (writers open sections with what
the section is about), while they fit the word budget.  Sentences of fewer
than ``MIN_WORDS`` words are fragments, and come last.  In an overview every
section first gets its best sentence, best sections first, as long as one of
its sentences fits; the words left then go to the best sentences anywhere.
(Keeping room for the shortest sentence of every section still waiting was
tried: it fills overviews with short, empty sentences and scores worse.)

Everything is vectorised with numpy: one pass of a greedy step scores every
sentence of the document, and the summaries of all sections run their greedy
steps side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["Concepts", "pick_each_section", "pick_overview"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: A concept held by fewer sentences than this weighs nothing.
MIN_SENTENCES: Final = 2
#: Shorter sentences are fragments (labels, table cells, text extraction leftovers):
#: an overview takes one only when nothing else is left, a section's summary last.
MIN_WORDS: Final = 6


@dataclass(frozen=True, slots=True)
class Concepts:
    """Which concepts each sentence of a document holds, and what each picked one adds.

    ``matrix`` is sentences x concepts (1 where the sentence holds the
    concept; only concepts held by at least two sentences, the others weigh
    nothing); ``weights`` the weight of each concept; ``words`` each
    sentence's length in words (at least 1); ``section`` each sentence's
    section (0-based) and ``position`` its place in that section; ``prior``
    the lead prior.
    """

    matrix: sp.csr_matrix
    weights: FloatArray
    words: FloatArray
    section: IntArray
    position: IntArray
    prior: FloatArray

    @classmethod
    def build(
        cls, ids: IntArray, sentence: IntArray, sizes: IntArray, words: Sequence[int]
    ) -> Concepts:
        """From every sentence's terms (``ids[k]`` in sentence ``sentence[k]``, in word
        order), the sentence count of each section, and each sentence's word count."""
        count = int(sizes.sum())
        width = int(ids.max()) + 1 if len(ids) else 1
        span = width * (width + 1)  # terms are 0..width-1, pairs of terms above
        follows = sentence[1:] == sentence[:-1]
        pairs = width + ids[:-1][follows] * width + ids[1:][follows]
        cells = np.concatenate((sentence * span + ids, sentence[:-1][follows] * span + pairs))
        cells.sort()  # (a sort is faster here than numpy's hash-based unique)
        cells = cells[np.diff(cells, prepend=-1) != 0]  # each (sentence, concept) once
        rows, keys = cells // span, cells % span
        _, column, held = np.unique(keys, return_inverse=True, return_counts=True)
        # Concepts held by one sentence weigh nothing: leave them out.
        kept = held >= MIN_SENTENCES
        renumber = np.cumsum(kept) - 1
        cell_kept = kept[column.ravel()]
        rows, columns = rows[cell_kept], renumber[column.ravel()[cell_kept]]
        indptr = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=count), out=indptr[1:])
        matrix = sp.csr_matrix(
            (np.ones(len(rows)), columns, indptr), shape=(count, int(kept.sum()))
        )
        weights = held[kept].astype(np.float64)
        section = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        position = np.arange(count, dtype=np.int64) - starts[section]
        lengths = np.maximum(np.asarray(words, dtype=np.float64), 1.0)
        prior = 1.0 / np.sqrt(1.0 + position)
        return cls(matrix, weights, lengths, section, position, prior)

    @property
    def whole(self) -> BoolArray:
        """Sentences of at least ``MIN_WORDS`` words (the others are fragments)."""
        whole: BoolArray = self.words >= MIN_WORDS
        return whole

    def held_by(self, sentence: int) -> IntArray:
        """The concepts sentence ``sentence`` holds."""
        indptr = self.matrix.indptr
        return np.asarray(self.matrix.indices[indptr[sentence] : indptr[sentence + 1]], np.int64)

    def values(self, covered: BoolArray) -> FloatArray:
        """Each sentence's worth: weight of the concepts it adds, per word, times its prior."""
        gains = self.matrix @ np.where(covered, 0.0, self.weights)
        return np.asarray(gains, dtype=np.float64) / self.words * self.prior


def pick_overview(concepts: Concepts, sections: int, budget: int) -> list[tuple[int, ...]]:
    """The picked sentences (indexes within the section) of each of the first ``sections``
    sections, in at most ``budget`` words: one for every section that fits first, then
    the best of the rest.  Sentences of later sections are not picked (but their terms
    count among the key terms).

    Never empty when those sections have sentences: if no sentence fits the
    budget, the best one is taken anyway.
    """
    count = int(np.searchsorted(concepts.section, sections))
    # Only the sentences of those sections are scored (the rows of the others are left out).
    rows = concepts.matrix[:count]
    by_concept = rows.tocsc()
    gains = np.asarray(rows @ concepts.weights, dtype=np.float64)
    words, prior, section = concepts.words[:count], concepts.prior[:count], concepts.section[:count]
    covered = np.zeros(len(concepts.weights), dtype=np.bool_)
    free = concepts.whole[:count].copy()
    unseen = np.ones(int(concepts.section.max(initial=sections - 1)) + 1, dtype=np.bool_)
    chosen: list[int] = []
    left = float(budget)
    while count:
        fits = free & (words <= left)
        fresh = fits & unseen[section]
        candidates = fresh if fresh.any() else fits
        if not candidates.any():
            break
        values = gains / words * prior
        best = int(np.argmax(np.where(candidates, values, -1.0)))
        if not fresh.any() and values[best] <= 0.0:
            break  # nothing new to say, and every section that fits has its sentence
        chosen.append(best)
        new = concepts.held_by(best)
        new = new[~covered[new]]
        covered[new] = True  # what they held now adds nothing, in any sentence
        gains -= by_concept[:, new] @ concepts.weights[new]
        free[best] = False
        unseen[section[best]] = False
        left -= words[best]
    if not chosen and count:  # nothing fits, or only fragments: the best sentence anyway
        chosen.append(int(np.argmax(concepts.values(covered)[:count])))
    return _by_section(concepts, sections, chosen)


def pick_each_section(concepts: Concepts, counts: Sequence[int]) -> list[tuple[int, ...]]:
    """Every section's own summary: ``counts[s]`` sentences of section ``s``.

    The sections' greedy steps run side by side: each step scores all the
    sentences at once, with what each section has covered so far.  Once a
    section's sentences add nothing new, its earliest ones are taken.
    """
    count = len(concepts.words)
    matrix = concepts.matrix
    # Column by column, rows ascending: entry k is (concept, row) = divmod(key[k], count).
    by_concept = matrix.tocsc()
    by_concept.sort_indices()
    entry_concept = np.repeat(np.arange(by_concept.shape[1]), np.diff(by_concept.indptr))
    key = entry_concept * count + by_concept.indices
    starts = np.searchsorted(concepts.section, np.arange(len(counts) + 1))
    gains = np.asarray(matrix @ concepts.weights, dtype=np.float64)
    done = np.zeros(0, dtype=np.int64)  # (section, concept) pairs covered so far
    free = np.ones(count, dtype=np.bool_)
    whole = concepts.whole
    wanted = np.asarray(counts, dtype=np.int64).copy()
    chosen: list[int] = []
    while True:
        candidates = free & (wanted[concepts.section] > 0)
        if not candidates.any():
            break
        values = gains / concepts.words * concepts.prior
        values[~whole] = -0.5  # after every whole sentence, even one that adds nothing
        best = _best_in_each(np.where(candidates, values, -1.0), concepts.section)
        best = best[candidates[best]]
        chosen.extend(best.tolist())
        free[best] = False
        owners = concepts.section[best]
        wanted[owners] -= 1
        # What the picks hold adds nothing more to their own sections' sentences.
        held = _ranges(matrix.indptr[best], matrix.indptr[best + 1])
        held_section = np.repeat(owners, np.diff(matrix.indptr)[best])
        held_concept = matrix.indices[held].astype(np.int64)
        pairs = held_section * len(concepts.weights) + held_concept
        new = ~np.isin(pairs, done)
        done = np.concatenate((done, pairs[new]))
        section, concept = held_section[new], held_concept[new]
        low = np.searchsorted(key, concept * count + starts[section])
        high = np.searchsorted(key, concept * count + starts[section + 1])
        entries = _ranges(low, high)
        lost = np.repeat(concepts.weights[concept], high - low)
        gains -= np.bincount(by_concept.indices[entries], weights=lost, minlength=count)
    return _by_section(concepts, len(wanted), chosen)


def _ranges(low: IntArray, high: IntArray) -> IntArray:
    """``low[0]..high[0]-1``, then ``low[1]..high[1]-1``, and so on, as one array."""
    lengths = high - low
    total = int(lengths.sum())
    offsets = np.repeat(low - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return (offsets + np.arange(total)).astype(np.int64)


def _best_in_each(values: FloatArray, section: IntArray) -> IntArray:
    """In each section, the sentence of highest value (the earliest of equals).

    ``section`` is sorted (each section's sentences are together)."""
    heads = np.flatnonzero(np.diff(section, prepend=-1))
    top = np.full(int(section[-1]) + 1 if len(section) else 0, -np.inf)
    top[section[heads]] = np.maximum.reduceat(values, heads) if len(heads) else []
    hits: IntArray = np.flatnonzero(values == top[section])
    first: IntArray = hits[np.diff(section[hits], prepend=-1) != 0]
    return first


def _by_section(concepts: Concepts, sections: int, chosen: Sequence[int]) -> list[tuple[int, ...]]:
    picks: list[list[int]] = [[] for _ in range(sections)]
    for index in sorted(chosen):
        picks[int(concepts.section[index])].append(int(concepts.position[index]))
    return [tuple(pick) for pick in picks]

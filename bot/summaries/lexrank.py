"""LexRank for every section of a document at once, picking exactly what sumy picks.

sumy's :class:`~sumy.summarizers.lex_rank.LexRankSummarizer` compares every
pair of a section's sentences in pure Python: quadratic, with a large
constant.  :func:`rank_sections` computes the same scores for all sections of
a document in a few vectorised passes (numpy and ``scipy.sparse``) and needs
nothing from sumy or NLTK, so the default summaries start fast and run fast.

Input is each sentence's terms (stemmed, stop words dropped, repeats kept, in
word order: sumy's ``_to_words_set``) as ids into a vocabulary.  What is
reproduced from sumy 0.13:

* **tf** is a term's count in its sentence over the sentence's largest count;
  **idf** is ``math.log(N / (1 + n_j))`` per section (``n_j`` sentences of
  the section hold the term; ``np.log`` here, which may differ in the last
  bit, and ``math.log`` in the exact recomputation below).  Both are computed
  document-wide: a term's column is the pair (section, term), so sections
  never meet in a product.
* **Similarity** is the idf-modified cosine; pairs above ``threshold`` are
  edges and a row is divided by its edge count (1 for none).  The vectorised
  sum can differ from sumy's ``frozenset``-ordered sum in the last bits, so a
  pair within 1e-9 of the threshold is recomputed exactly as sumy does it, in
  both directions (sumy computes them separately).
* **Power method**: start at ``1/N``, multiply by the transposed matrix,
  divide by the norm, stop once the step is no longer above ``epsilon``; all
  sections iterate together, each stopping on its own.  A section without
  edges gets NaN scores, as in sumy.
* **Ranking** sorts with Python's stable ``sorted`` on the same values, in
  reverse, as sumy's ``_get_best_sentences`` does; sentences with the same
  text share the score of the last one (sumy keys its ratings by text).

Sparse and dense arithmetic can only choose differently at a near-tie: when
the last picked and the first rejected score are within 1e-9 (a tie that is
not exact in sumy as well), or a power-method step lands within 1e-9 of
``epsilon``, the section's power method is rerun on sumy's dense matrix with
sumy's own operations, which reproduces its scores bit for bit.  That costs
N² memory, so it is done up to ``max_dense_sentences`` (4,096) sentences;
above that the sparse scores decide, which can differ from sumy's choice among
exactly tied sentences.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.summaries.lexrank_graph import (
    TIE_MARGIN,
    Graph,
    TermMatrix,
    Terms,
    power_method,
    similarity_graph,
)

__all__ = ["LexRankSettings", "SectionRanks", "Terms", "pick_all", "rank_sections"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class LexRankSettings:
    """sumy's LexRank parameters, and the size limit of the exact tie-breaker."""

    threshold: float = 0.1
    epsilon: float = 0.1
    max_dense_sentences: int = 4096


class SectionRanks:
    """One section's LexRank scores, and sumy's pick for any summary length."""

    __slots__ = (
        "_dense", "_graph", "_keys", "_last", "_settings", "_start", "_stop", "ambiguous_stop",
    )  # fmt: skip

    def __init__(
        self,
        graph: Graph,
        start: int,
        stop: int,
        keys: Sequence[Hashable],
        ambiguous_stop: bool,
        settings: LexRankSettings,
    ) -> None:
        self._graph = graph
        self._start = start
        self._stop = stop
        self._keys = keys
        #: A power-method step came within 1e-9 of epsilon.
        self.ambiguous_stop = ambiguous_stop
        self._settings = settings
        self._last: IntArray | None = None
        self._dense: FloatArray | None = None

    def __len__(self) -> int:
        return self._stop - self._start

    @property
    def scores(self) -> FloatArray:
        """Sparse-path scores in sentence order (agree with sumy's to ~1e-15)."""
        return self._graph.scores[self._start : self._stop]

    @property
    def last(self) -> IntArray:
        """For each sentence, the last one with the same text (whose score sumy uses)."""
        if self._last is None:
            keys = self._keys
            last = dict(zip(keys, range(len(keys)), strict=True))  # a repeat overwrites
            if len(last) == len(keys):
                self._last = np.arange(len(keys), dtype=np.int64)
            else:
                self._last = np.fromiter(map(last.__getitem__, keys), np.int64, len(keys))
        return self._last

    def ratings(self, picked: int) -> FloatArray:
        """Each sentence's score as sumy rates it, exact wherever the cut at ``picked`` needs it.

        Sentences with the same text get the score of the last one.
        """
        scores = self.scores[self.last]
        exact_needed = self.ambiguous_stop or self._ambiguous_cut(scores, picked)
        if exact_needed and len(self) <= self._settings.max_dense_sentences:
            scores = self.dense_scores()[self.last]
        return scores

    def pick(self, count: int) -> tuple[int, ...]:
        """The ``count`` best sentences' indexes in document order, as sumy picks them."""
        total = len(self)
        count = max(0, min(count, total))
        ratings: list[float] = self.ratings(count).tolist()
        best = sorted(range(total), key=ratings.__getitem__, reverse=True)[:count]
        return tuple(sorted(best))

    def dense_scores(self) -> FloatArray:
        """sumy's dense matrix and power method: bit-identical scores."""
        if self._dense is None:
            start, stop = self._start, self._stop
            adjacency = self._graph.adjacency  # block diagonal: the section's edges stay in it
            rows = np.repeat(np.arange(stop - start), np.diff(adjacency.indptr[start : stop + 1]))
            columns = adjacency.indices[adjacency.indptr[start] : adjacency.indptr[stop]] - start
            dense = np.zeros((stop - start, stop - start), dtype=np.float64)
            dense[rows, columns] = 1.0
            dense /= self._graph.degrees[start:stop, np.newaxis]
            self._dense = _dense_power_method(dense, self._settings.epsilon)
        return self._dense

    def _ambiguous_cut(self, scores: FloatArray, picked: int) -> bool:
        """Whether rounding noise could move a sentence across the cut."""
        total = len(scores)
        if picked <= 0 or picked >= total or np.isnan(scores).any():
            return False  # nothing cut, or all NaN (no edges): identical in sumy
        order = np.argsort(-scores, kind="stable")
        last_in = float(scores[order[picked - 1]])
        first_out = float(scores[order[picked]])
        tolerance = TIE_MARGIN * max(abs(last_in), abs(first_out))
        if last_in - first_out > tolerance or last_in == 0.0:
            return False  # a clear gap, or zero scores (no incoming edge): exact in sumy
        band = np.flatnonzero((scores >= first_out - tolerance) & (scores <= last_in + tolerance))
        if len(set(self.last[band].tolist())) <= 1:
            return False  # repeats of one sentence share one rating
        self_only = self._graph.self_only[self._start : self._stop]
        return not bool(self_only[band].all())


def pick_all(ranks: Sequence[SectionRanks], counts: Sequence[int]) -> list[tuple[int, ...]]:
    """``ranks[i].pick(counts[i])`` for every section, with one sort for all of them.

    A section whose cut is clear (no NaN score, no power-method step near
    epsilon, the last picked and the first left out more than the tie margin
    apart) takes its best sentences from a stable sort of every section's
    ratings at once, as :meth:`SectionRanks.pick` would; any other section is
    picked by :meth:`SectionRanks.pick` itself.
    """
    if not ranks:
        return []
    graph = ranks[0]._graph
    if any(rank._graph is not graph for rank in ranks):
        return [rank.pick(count) for rank, count in zip(ranks, counts, strict=True)]
    sizes = np.array([len(rank) for rank in ranks], dtype=np.int64)
    total = int(sizes.sum())
    if not total:
        return [() for _ in ranks]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    wanted = np.clip(np.array(counts, dtype=np.int64), 0, sizes)
    section = np.repeat(np.arange(len(ranks), dtype=np.int64), sizes)
    ratings = graph.scores[np.concatenate([rank.last + rank._start for rank in ranks])]
    # Descending within each section; equal ratings keep sentence order (a stable sort).
    ranked = np.lexsort((-ratings, section))
    last_in = ratings[ranked[np.clip(starts + wanted - 1, 0, total - 1)]]
    first_out = ratings[ranked[np.minimum(starts + wanted, total - 1)]]
    tolerance = TIE_MARGIN * np.maximum(np.abs(last_in), np.abs(first_out))
    clear = (last_in - first_out > tolerance) | (last_in == 0.0)
    nan = np.bincount(section, weights=np.isnan(ratings), minlength=len(ranks)) > 0
    stops = np.array([rank.ambiguous_stop for rank in ranks], dtype=np.bool_)
    exact = (wanted > 0) & (wanted < sizes) & (nan | stops | ~clear)
    picks: list[tuple[int, ...]] = []
    for index, (start, count, slow) in enumerate(
        zip(starts.tolist(), wanted.tolist(), exact.tolist(), strict=True)
    ):
        if slow:
            picks.append(ranks[index].pick(count))
        else:
            best = ranked[start : start + count] - start
            picks.append(tuple(sorted(best.tolist())))
    return picks


def _dense_power_method(matrix: FloatArray, epsilon: float) -> FloatArray:
    """sumy's ``power_method``, operation for operation (so its rounding too)."""
    transposed = matrix.T
    count = len(matrix)
    p_vector = np.array([1.0 / count] * count)
    lambda_val: Any = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        while lambda_val > epsilon:
            next_p = np.dot(transposed, p_vector)
            next_p /= np.linalg.norm(next_p)
            lambda_val = np.linalg.norm(np.subtract(next_p, p_vector))
            p_vector = next_p
    return p_vector


# -- the whole document at once ---------------------------------------------------


def rank_sections(
    terms: Terms,
    keys: Sequence[Sequence[Hashable]],
    settings: LexRankSettings = LexRankSettings(),
) -> list[SectionRanks]:
    """LexRank scores of every section's sentences.

    ``keys[s][i]`` is what makes sentence ``i`` of section ``s`` the same as
    another for sumy (its text).
    """
    sizes = terms.sizes
    starts = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    matrix = TermMatrix(terms, starts)
    adjacency = similarity_graph(matrix, sizes, starts, settings.threshold)
    degrees = np.diff(adjacency.indptr).astype(np.float64)
    degrees[degrees == 0] = 1.0
    scores, ambiguous = power_method(adjacency, degrees, sizes, settings.epsilon)
    graph = Graph(adjacency, degrees, scores)
    bounds = starts.tolist()
    return [
        SectionRanks(graph, bounds[index], bounds[index + 1], section_keys, stop, settings)
        for index, (section_keys, stop) in enumerate(zip(keys, ambiguous.tolist(), strict=True))
    ]

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

import itertools
import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["LexRankSettings", "SectionRanks", "Terms", "pick_all", "rank_sections"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Cosines this close to the threshold are recomputed exactly as sumy does.
_COSINE_MARGIN: Final = 1e-9
#: Relative gap between scores (or between a step and epsilon) below which the
#: sparse power method might disagree with sumy's dense one.
_TIE_MARGIN: Final = 1e-9
#: Largest similarity block (rows x columns) computed at once.
_BLOCK_CELLS: Final = 250_000


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms of a document's sentences, flat: sumy's ``_to_words_set`` of each.

    ``ids[k]`` is the k-th term (an index into ``vocabulary``) and
    ``sentence[k]`` the sentence it belongs to, counting from the document's
    first sentence; terms are in sentence order and, within one, in word order
    (repeats kept).  ``sizes`` holds the sentence count of each section.
    """

    ids: IntArray
    sentence: IntArray
    sizes: IntArray
    vocabulary: Sequence[str]

    @classmethod
    def from_lists(
        cls, sections: Sequence[Sequence[Sequence[int]]], vocabulary: Sequence[str]
    ) -> Terms:
        """From each section's sentences' term ids."""
        sentences = [ids for section in sections for ids in section]
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        ids = np.fromiter(
            (term for ids in sentences for term in ids), dtype=np.int64, count=int(lengths.sum())
        )
        return cls(
            ids,
            np.repeat(np.arange(len(sentences), dtype=np.int64), lengths),
            np.array([len(section) for section in sections], dtype=np.int64),
            vocabulary,
        )


@dataclass(frozen=True, slots=True)
class LexRankSettings:
    """sumy's LexRank parameters, and the size limit of the exact tie-breaker."""

    threshold: float = 0.1
    epsilon: float = 0.1
    max_dense_sentences: int = 4096


class _Graph:
    """The similarity graph and sparse-path scores of a whole document."""

    __slots__ = ("adjacency", "degrees", "scores", "self_only")

    def __init__(self, adjacency: sp.csr_matrix, degrees: FloatArray, scores: FloatArray) -> None:
        #: 0/1 matrix, block diagonal: ``adjacency[i, j]`` = 1 when cos(i, j) > threshold.
        self.adjacency = adjacency
        #: Edges per sentence, 0 replaced by 1 (sumy's row divisor).
        self.degrees = degrees
        #: Sparse-path scores in sentence order (agree with sumy's to ~1e-15).
        self.scores = scores
        count = adjacency.shape[0]
        in_edges = np.bincount(adjacency.indices, minlength=count)
        out_edges = np.diff(adjacency.indptr)
        diagonal = adjacency.diagonal() > 0
        #: Sentences similar only to themselves: their scores tie exactly in sumy too.
        self.self_only: BoolArray = diagonal & (in_edges == 1) & (out_edges == 1)


class SectionRanks:
    """One section's LexRank scores, and sumy's pick for any summary length."""

    __slots__ = (
        "_dense", "_graph", "_keys", "_last", "_settings", "_start", "_stop", "ambiguous_stop",
    )  # fmt: skip

    def __init__(
        self,
        graph: _Graph,
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
        tolerance = _TIE_MARGIN * max(abs(last_in), abs(first_out))
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
    tolerance = _TIE_MARGIN * np.maximum(np.abs(last_in), np.abs(first_out))
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
    matrix = _TermMatrix(terms, starts)
    adjacency = _similarity_graph(matrix, sizes, starts, settings.threshold)
    degrees = np.diff(adjacency.indptr).astype(np.float64)
    degrees[degrees == 0] = 1.0
    scores, ambiguous = _power_method(adjacency, degrees, sizes, settings.epsilon)
    graph = _Graph(adjacency, degrees, scores)
    bounds = starts.tolist()
    return [
        SectionRanks(graph, bounds[index], bounds[index + 1], section_keys, stop, settings)
        for index, (section_keys, stop) in enumerate(zip(keys, ambiguous.tolist(), strict=True))
    ]


class _TermMatrix:
    """tf-idf weights with one column per (section, term), and each row's norm."""

    def __init__(self, terms: Terms, starts: IntArray) -> None:
        self.terms = terms
        self.starts = starts
        self._words: dict[int, list[list[str]]] = {}
        sizes = terms.sizes
        total = int(starts[-1])
        width = max(len(terms.vocabulary), 1)
        pairs, counts = np.unique(terms.sentence * width + terms.ids, return_counts=True)
        pair_sentence = pairs // width
        # Pairs are sorted by sentence: each sentence's largest count, by segments.
        firsts = np.flatnonzero(np.diff(pair_sentence, prepend=-1))
        segment_max = np.maximum.reduceat(counts, firsts) if len(firsts) else counts
        tf = counts / np.repeat(segment_max, np.diff(np.append(firsts, len(counts))))

        sentence_section = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        pair_section = sentence_section[pair_sentence]
        columns, column, df = np.unique(
            pair_section * width + pairs % width, return_inverse=True, return_counts=True
        )
        # np.log may differ from sumy's math.log in the last bit: only pairs far from
        # the threshold are decided with it (the others are recomputed exactly).
        # log(1.0) is exactly 0.0 either way, so zero weights are the same.
        idf = np.log(sizes[pair_section] / (1 + df[column]))

        weights = tf * idf
        keep = weights != 0.0  # zero-idf terms add exactly 0.0 to sumy's sums
        weights, kept_sentence, kept_column = weights[keep], pair_sentence[keep], column[keep]
        norms = np.sqrt(np.bincount(kept_sentence, weights=weights**2, minlength=total))
        # Rows divided by their norms: a product of two rows is their cosine.  Pairs
        # are sorted by sentence, then column: the arrays are the matrix's own.
        indptr = np.zeros(total + 1, dtype=np.int64)
        np.cumsum(np.bincount(kept_sentence, minlength=total), out=indptr[1:])
        self.matrix = sp.csr_matrix(
            (weights / norms[kept_sentence], kept_column, indptr), shape=(total, len(columns))
        )

    def section_words(self, section: int) -> list[list[str]]:
        """Each sentence's terms as strings, in order (what sumy's sets are built from)."""
        words = self._words.get(section)
        if words is None:
            first, stop = int(self.starts[section]), int(self.starts[section + 1])
            bounds = np.searchsorted(self.terms.sentence, np.arange(first, stop + 1)).tolist()
            ids = self.terms.ids[bounds[0] : bounds[-1]].tolist()
            vocabulary = self.terms.vocabulary
            words = self._words[section] = [
                [vocabulary[t] for t in ids[low - bounds[0] : high - bounds[0]]]
                for low, high in itertools.pairwise(bounds)
            ]
        return words

    def exact_cosine(self, section: int, first: int, second: int) -> float:
        """sumy's ``cosine_similarity`` of two sentences of a section, summed in its order."""
        words = self.section_words(section)
        tf1, tf2 = _tf(words[first]), _tf(words[second])
        unique_words1 = frozenset(words[first])
        unique_words2 = frozenset(words[second])
        idf = _idf(words, unique_words1 | unique_words2)
        numerator = 0.0
        for term in unique_words1 & unique_words2:
            numerator += tf1[term] * tf2[term] * idf[term] ** 2
        denominator1 = sum((tf1[t] * idf[t]) ** 2 for t in unique_words1)
        denominator2 = sum((tf2[t] * idf[t]) ** 2 for t in unique_words2)
        if denominator1 > 0 and denominator2 > 0:
            return numerator / (math.sqrt(denominator1) * math.sqrt(denominator2))
        return 0.0


def _tf(words: list[str]) -> dict[str, float]:
    counts = Counter(words)
    most = max(counts.values()) if counts else 1
    return {term: n / most for term, n in counts.items()}


def _idf(sentences: list[list[str]], terms: frozenset[str]) -> dict[str, float]:
    sets = [frozenset(words) for words in sentences]
    return {
        term: math.log(len(sentences) / (1 + sum(1 for s in sets if term in s))) for term in terms
    }


def _similarity_graph(
    terms: _TermMatrix, sizes: IntArray, starts: IntArray, threshold: float
) -> sp.csr_matrix:
    """The 0/1 adjacency of all sections (block diagonal): cos(i, j) > threshold."""
    total = int(starts[-1])
    matrix = terms.matrix
    edges_per_row: list[IntArray] = []
    edge_columns: list[IntArray] = []
    for row_start, row_stop, column_start, column_stop in _blocks(sizes, starts):
        rows = matrix[row_start:row_stop]
        same = (column_start, column_stop) == (row_start, row_stop)
        columns = rows if same else matrix[column_start:column_stop]
        block = rows @ columns.T  # cosines, in rows of the CSR structure
        cosine = block.data
        edge = cosine > threshold + _COSINE_MARGIN
        near = np.flatnonzero(np.abs(cosine - threshold) <= _COSINE_MARGIN)
        if len(near):
            near_rows = np.searchsorted(block.indptr, near, side="right") - 1 + row_start
            near_columns = block.indices[near] + column_start
            for index, row, column in zip(
                near.tolist(), near_rows.tolist(), near_columns.tolist(), strict=True
            ):
                section = int(np.searchsorted(starts, row, side="right")) - 1
                first = int(starts[section])
                exact = terms.exact_cosine(section, row - first, column - first)
                edge[index] = exact > threshold
        before = np.concatenate(([0], np.cumsum(edge)))
        edges_per_row.append(np.diff(before[block.indptr]))
        edge_columns.append(block.indices[edge].astype(np.int64) + column_start)
    indptr = np.zeros(total + 1, dtype=np.int64)
    if edges_per_row:
        np.cumsum(np.concatenate(edges_per_row), out=indptr[1:])
    indices = np.concatenate(edge_columns) if edge_columns else np.zeros(0, dtype=np.int64)
    return sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float64), indices, indptr), shape=(total, total)
    )


def _blocks(sizes: IntArray, starts: IntArray) -> list[tuple[int, int, int, int]]:
    """Row ranges and the columns they can meet: runs of small sections, slices of big ones."""
    blocks: list[tuple[int, int, int, int]] = []
    run_start, run_cells = 0, 0
    for index, size in enumerate(sizes.tolist()):
        start, stop = int(starts[index]), int(starts[index + 1])
        cells = size * size
        if run_cells and run_cells + cells > _BLOCK_CELLS:
            blocks.append((run_start, start, run_start, start))
            run_cells = 0
        if cells > _BLOCK_CELLS:
            rows = max(1, _BLOCK_CELLS // size)
            for row in range(start, stop, rows):
                blocks.append((row, min(row + rows, stop), start, stop))
            continue
        if not run_cells:
            run_start = start
        run_cells += cells
    if run_cells:
        blocks.append((run_start, int(starts[-1]), run_start, int(starts[-1])))
    return blocks


def _power_method(
    adjacency: sp.csr_matrix, degrees: FloatArray, sizes: IntArray, epsilon: float
) -> tuple[FloatArray, BoolArray]:
    """sumy's power method for every section at once, each stopping on its own.

    Also says, per section, whether a step came so close to ``epsilon`` that
    the dense computation might have stopped one iteration earlier or later.
    """
    sections = len(sizes)
    ambiguous = np.zeros(sections, dtype=np.bool_)
    present = sizes > 0
    if not present.any():
        return np.zeros(0, dtype=np.float64), ambiguous
    # Row i of sumy's matrix holds 1.0 / degree[i] on its edges; multiply by its transpose
    # (whose rows list their columns in order, as the products are summed).
    rows = np.repeat(np.arange(len(degrees)), np.diff(adjacency.indptr))
    scaled = sp.csr_matrix(
        ((1.0 / degrees)[rows], adjacency.indices, adjacency.indptr), shape=adjacency.shape
    )
    transposed = scaled.T.tocsr()
    used = sizes[present]
    offsets = np.concatenate(([0], np.cumsum(used)[:-1]))
    p_vector = np.repeat(1.0 / used, used)
    active = np.full(len(used), epsilon < 1.0)
    ambiguous_used = np.zeros(len(used), dtype=np.bool_)
    with np.errstate(divide="ignore", invalid="ignore"):
        while active.any():
            next_p = np.asarray(transposed @ p_vector, dtype=np.float64)
            next_p /= np.repeat(np.sqrt(np.add.reduceat(next_p * next_p, offsets)), used)
            step = next_p - p_vector
            lambda_val = np.sqrt(np.add.reduceat(step * step, offsets))
            ambiguous_used |= active & (np.abs(lambda_val - epsilon) <= _TIE_MARGIN * epsilon)
            rows = np.repeat(active, used)
            p_vector[rows] = next_p[rows]
            active &= lambda_val > epsilon
    ambiguous[present] = ambiguous_used
    return p_vector, ambiguous

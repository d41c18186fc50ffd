"""LexRank's similarity graph and power method for every section of a document at once.

The vectorised half of :mod:`bot.summaries.lexrank` (which explains what is
reproduced from sumy, and how): each sentence's tf-idf row (one column per
section and term), the edges between a section's sentences whose cosine is
above the threshold (block by block, pairs near it recomputed exactly as sumy
does), and sumy's power method run for all sections together.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = ["TIE_MARGIN", "Graph", "TermMatrix", "Terms", "power_method", "similarity_graph"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Cosines this close to the threshold are recomputed exactly as sumy does.
_COSINE_MARGIN: Final = 1e-9
#: Relative gap between scores (or between a step and epsilon) below which the
#: sparse power method might disagree with sumy's dense one.
TIE_MARGIN: Final = 1e-9
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


class Graph:
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


class TermMatrix:
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


def similarity_graph(
    terms: TermMatrix, sizes: IntArray, starts: IntArray, threshold: float
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


def power_method(
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
            ambiguous_used |= active & (np.abs(lambda_val - epsilon) <= TIE_MARGIN * epsilon)
            rows = np.repeat(active, used)
            p_vector[rows] = next_p[rows]
            active &= lambda_val > epsilon
    ambiguous[present] = ambiguous_used
    return p_vector, ambiguous

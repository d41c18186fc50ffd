"""A vectorised LexRank that selects exactly the sentences sumy's LexRank selects.

sumy's :class:`~sumy.summarizers.lex_rank.LexRankSummarizer` compares every
pair of sentences in pure Python, so it is quadratic with a large constant
(about a minute for a 3,000-sentence section).  :class:`FastLexRankSummarizer`
is a drop-in subclass: it is built, configured (``stop_words``, ``threshold``,
``epsilon``) and called the same way and returns the same sentences, but it
computes the similarity graph with ``scipy.sparse`` and runs the power method
on a sparse matrix, so time and memory follow the number of similar pairs
rather than the square of the sentence count.

What is reproduced from sumy 0.13, step by step:

* **Terms.** Each word is lower-cased (``normalize_word``), dropped if it is a
  stop word, then stemmed with ``stem_word`` (which lower-cases again).  A
  sentence keeps its repeated terms.  Normalised and stemmed forms are cached
  on the instance across calls, which assumes the stemmer is a pure function
  (sumy's are).
* **tf** is a term's count in its sentence divided by the sentence's largest
  count; **idf** is ``math.log(N / (1 + n_j))`` (natural log, ``n_j`` sentences
  contain the term).  It is zero for a term in ``N - 1`` sentences and negative
  for a term in every sentence; only its square is ever used.
* **Similarity** is the idf-modified cosine, 0.0 when either sentence has no
  weight (no words, or only zero-idf terms; such a sentence is not even
  similar to itself).  Pairs above ``threshold`` (0.1) become edges; a row is
  divided by its edge count (1 for a row with none).  sumy sums the cosine in
  ``frozenset`` order; the vectorised sum can differ in the last bits, so every
  pair within 1e-9 of the threshold is recomputed with sumy's own
  ``cosine_similarity`` on the same inputs (in both directions, which sumy
  computes separately), giving the same edge set bit for bit.
* **Power method**: start at ``1/N`` everywhere, multiply by the transposed
  matrix, divide by the Euclidean norm, stop once the step's norm is no longer
  above ``epsilon`` (0.1).  A graph without edges gives NaN scores, as in sumy
  (the NaN arithmetic is silenced here; sumy lets numpy warn).
* **Ranking** goes through sumy's own ``_get_best_sentences`` with a rating
  dict keyed by sentence, so ``ItemsCount`` values ("30%", "3", floats,
  callables), the stable sort and NaN ordering behave identically.  Because
  sumy's :class:`~sumy.models.dom.Sentence` hashes by its text, repeated
  sentences all get the score of their *last* occurrence; that is kept.

The only place where sparse and dense arithmetic can choose differently is a
tie or near-tie at the cut: sumy multiplies by the dense matrix through BLAS,
whose summation order (blocked, fused multiply-add) differs from a sparse
product in the last bits, and that noise decides mathematically tied scores.
When the last selected and the first rejected score are within 1e-9 of each
other (and the tie is not one that is exact in both, such as zero scores or
sentences similar only to themselves), or a power-method step lands within
1e-9 of ``epsilon``, the power method is rerun with sumy's own dense
``power_method`` on the same matrix, which reproduces its scores exactly.  That
fallback costs N² memory, as sumy always does, so it is used only up to
``max_dense_sentences`` (4,096 sentences, 128 MiB); above that a tie is broken
by the sparse scores (exact twins then keep document order), which can differ
from sumy's choice among tied sentences.  On real prose the fallback runs for
a minority of sections (mostly small ones, where near-duplicate sentences such
as "pattern." and "patterns," tie).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sumy.models.dom import ObjectDocumentModel, Sentence
from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import ItemsCount

__all__ = ["FastLexRankSummarizer"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Cosines this close to the threshold are recomputed exactly as sumy does.
_COSINE_MARGIN: Final = 1e-9
#: Relative gap between scores (or between a step and epsilon) below which the
#: sparse power method might disagree with sumy's dense one.
_TIE_MARGIN: Final = 1e-9
#: Rows of the similarity matrix computed at once (bounds peak memory).
_BLOCK_ROWS: Final = 512


class _Graph:
    """The thresholded similarity graph of one document."""

    __slots__ = ("adjacency", "degrees", "self_only")

    def __init__(self, adjacency: sp.csr_matrix, degrees: FloatArray) -> None:
        #: 0/1 matrix, ``adjacency[i, j]`` = 1 when cos(i, j) > threshold.
        self.adjacency = adjacency
        #: Edges per row, with 0 replaced by 1 (sumy's row divisor).
        self.degrees = degrees
        in_edges = np.diff(adjacency.tocsc().indptr)
        out_edges = np.diff(adjacency.indptr)
        diagonal = adjacency.diagonal() > 0
        #: Sentences similar only to themselves: their score is exactly the
        #: previous one, so ties between them are exact in sumy too.
        self.self_only: npt.NDArray[np.bool_] = diagonal & (in_edges == 1) & (out_edges == 1)


class FastLexRankSummarizer(LexRankSummarizer):  # type: ignore[misc]  # sumy is untyped
    """LexRank with sumy's exact selections, computed with sparse matrices.

    Use it like sumy's class::

        summarizer = FastLexRankSummarizer(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        sentences = summarizer(document, 3)  # or "30%"
    """

    #: Largest section for which a near-tie at the cut is settled with sumy's
    #: dense power method (N² float64 memory: 4,096 sentences is 128 MiB).
    max_dense_sentences: int = 4096
    #: Words whose normalised and stemmed forms are remembered between calls.
    stem_cache_size: int = 200_000

    def __init__(self, stemmer: Callable[[str], str] = null_stemmer) -> None:
        super().__init__(stemmer)
        self._stem_cache: dict[str, tuple[str, str]] = {}

    def __call__(self, document: ObjectDocumentModel, sentences_count: Any) -> tuple[Sentence, ...]:
        sentences: tuple[Sentence, ...] = tuple(document.sentences)
        if not sentences:
            return ()
        graph = self._graph(self._terms(sentences))
        scores, ambiguous_stop = self._sparse_power_method(graph)
        ratings = dict(zip(sentences, scores.tolist(), strict=True))
        if len(sentences) <= self.max_dense_sentences and (
            ambiguous_stop or self._ambiguous_cut(sentences, ratings, sentences_count, graph)
        ):
            scores = self._dense_power_method(graph)
            ratings = dict(zip(sentences, scores.tolist(), strict=True))
        best: tuple[Sentence, ...] = self._get_best_sentences(sentences, sentences_count, ratings)
        return best

    def rate_sentences(self, document: ObjectDocumentModel) -> FloatArray:
        """The LexRank score of each sentence in document order (sparse path).

        The scores agree with sumy's to about 1e-15; only exact ties can be
        ordered differently, which :meth:`__call__` takes care of.
        """
        sentences = tuple(document.sentences)
        if not sentences:
            return np.zeros(0, dtype=np.float64)
        scores, _ = self._sparse_power_method(self._graph(self._terms(sentences)))
        return scores

    # -- terms, tf and idf --------------------------------------------------

    def _terms(self, sentences: Sequence[Sentence]) -> list[list[str]]:
        """Each sentence's stemmed, stop-word-free terms (sumy's ``_to_words_set``)."""
        stop_words: frozenset[str] = self._stop_words
        normalize: Callable[[str], str] = self.normalize_word
        stem: Callable[[str], str] = self.stem_word
        cache = self._stem_cache
        if len(cache) > self.stem_cache_size:
            cache.clear()
        result: list[list[str]] = []
        for sentence in sentences:
            terms: list[str] = []
            for word in sentence.words:
                forms = cache.get(word)
                if forms is None:
                    normalized = normalize(word)
                    forms = cache[word] = (normalized, stem(normalized))
                if forms[0] not in stop_words:
                    terms.append(forms[1])
            result.append(terms)
        return result

    def _graph(self, terms: list[list[str]]) -> _Graph:
        count = len(terms)
        vocabulary: dict[str, int] = {}
        tf_dicts: list[dict[str, float]] = []
        rows: list[int] = []
        columns: list[int] = []
        values: list[float] = []
        for row, sentence_terms in enumerate(terms):
            counts = Counter(sentence_terms)
            max_tf = max(counts.values()) if counts else 1
            tf = {term: n / max_tf for term, n in counts.items()}
            tf_dicts.append(tf)
            for term, value in tf.items():
                rows.append(row)
                columns.append(vocabulary.setdefault(term, len(vocabulary)))
                values.append(value)

        column_index = np.asarray(columns, dtype=np.int64)
        document_frequency = np.bincount(column_index, minlength=len(vocabulary))
        idf_values = [math.log(count / (1 + int(n))) for n in document_frequency]
        idf = np.asarray(idf_values, dtype=np.float64)

        # tf-idf weights; zero-idf terms add exactly 0.0 to sumy's sums, drop them.
        weights = np.asarray(values, dtype=np.float64) * idf[column_index]
        keep = weights != 0.0
        tfidf = sp.csr_matrix(
            (weights[keep], (np.asarray(rows, dtype=np.int64)[keep], column_index[keep])),
            shape=(count, len(vocabulary)),
        )
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1), dtype=np.float64).ravel())
        tfidf_t = tfidf.T.tocsc()

        idf_metrics: dict[str, float] | None = None
        threshold = float(self.threshold)
        edge_rows: list[IntArray] = []
        edge_columns: list[IntArray] = []
        for start in range(0, count, _BLOCK_ROWS):
            stop = min(start + _BLOCK_ROWS, count)
            block = (tfidf[start:stop] @ tfidf_t).tocoo()
            block_rows = block.row.astype(np.int64) + start
            block_columns = block.col.astype(np.int64)
            with np.errstate(divide="ignore", invalid="ignore"):
                cosine = block.data / (norms[block_rows] * norms[block_columns])
            edge = cosine > threshold + _COSINE_MARGIN
            near = np.flatnonzero(np.abs(cosine - threshold) <= _COSINE_MARGIN)
            if near.size:
                if idf_metrics is None:
                    idf_metrics = dict(zip(vocabulary, idf_values, strict=True))
                for index in near.tolist():
                    i = int(block_rows[index])
                    j = int(block_columns[index])
                    exact = self.cosine_similarity(
                        terms[i], terms[j], tf_dicts[i], tf_dicts[j], idf_metrics
                    )
                    edge[index] = exact > threshold
            edge_rows.append(block_rows[edge])
            edge_columns.append(block_columns[edge])

        edge_row = np.concatenate(edge_rows) if edge_rows else np.zeros(0, dtype=np.int64)
        edge_column = np.concatenate(edge_columns) if edge_columns else np.zeros(0, dtype=np.int64)
        adjacency = sp.csr_matrix(
            (np.ones(edge_row.size, dtype=np.float64), (edge_row, edge_column)),
            shape=(count, count),
        )
        degrees = np.diff(adjacency.indptr).astype(np.float64)
        degrees[degrees == 0] = 1.0
        return _Graph(adjacency, degrees)

    # -- power method -------------------------------------------------------

    def _sparse_power_method(self, graph: _Graph) -> tuple[FloatArray, bool]:
        """sumy's ``power_method`` on the sparse matrix.

        Also says whether a step came so close to ``epsilon`` that the dense
        computation might have stopped one iteration earlier or later.
        """
        count = graph.adjacency.shape[0]
        # Row i of the matrix holds 1.0 / degree[i] on its edges (as sumy divides).
        matrix = sp.csr_matrix(
            (
                (1.0 / graph.degrees)[np.repeat(np.arange(count), np.diff(graph.adjacency.indptr))],
                graph.adjacency.indices,
                graph.adjacency.indptr,
            ),
            shape=(count, count),
        )
        transposed = matrix.T.tocsr()
        epsilon = float(self.epsilon)
        p_vector = np.array([1.0 / count] * count, dtype=np.float64)
        lambda_val = 1.0
        ambiguous = False
        with np.errstate(divide="ignore", invalid="ignore"):
            while lambda_val > epsilon:
                next_p = np.asarray(transposed @ p_vector, dtype=np.float64)
                next_p /= np.linalg.norm(next_p)
                lambda_val = float(np.linalg.norm(np.subtract(next_p, p_vector)))
                if abs(lambda_val - epsilon) <= _TIE_MARGIN * epsilon:
                    ambiguous = True
                p_vector = next_p
        return p_vector, ambiguous

    def _dense_power_method(self, graph: _Graph) -> FloatArray:
        """sumy's dense matrix and its own ``power_method``: bit-identical scores."""
        dense = graph.adjacency.toarray()
        dense /= graph.degrees[:, np.newaxis]
        with np.errstate(divide="ignore", invalid="ignore"):
            scores: FloatArray = LexRankSummarizer.power_method(dense, self.epsilon)
        return scores

    # -- ties ---------------------------------------------------------------

    @staticmethod
    def _ambiguous_cut(
        sentences: tuple[Sentence, ...],
        ratings: dict[Sentence, float],
        sentences_count: Any,
        graph: _Graph,
    ) -> bool:
        """Whether rounding noise could move a sentence across the cut."""
        total = len(sentences)
        counter = sentences_count if callable(sentences_count) else ItemsCount(sentences_count)
        picked = len(counter(list(range(total))))
        if picked <= 0 or picked >= total:
            return False
        scores = np.array([ratings[sentence] for sentence in sentences], dtype=np.float64)
        if np.isnan(scores).any():
            return False  # all NaN (no edges): identical in sumy
        order = np.argsort(-scores, kind="stable")
        last_in = float(scores[order[picked - 1]])
        first_out = float(scores[order[picked]])
        tolerance = _TIE_MARGIN * max(abs(last_in), abs(first_out))
        if last_in - first_out > tolerance:
            return False
        if last_in == 0.0:
            return False  # zero scores (no incoming edge) are exact in sumy too
        band = np.flatnonzero(
            (scores >= first_out - tolerance) & (scores <= last_in + tolerance)
        )
        if len({sentences[i] for i in band.tolist()}) <= 1:
            return False  # repeats of one sentence share one rating
        return not bool(graph.self_only[band].all())

"""A drop-in for sumy's LexRank that selects exactly the sentences sumy selects.

:class:`FastLexRankSummarizer` is a subclass of sumy's
:class:`~sumy.summarizers.lex_rank.LexRankSummarizer`: it is built, configured
(``stop_words``, ``threshold``, ``epsilon``) and called the same way and
returns the same sentences, but the scores come from :mod:`bot.summaries.lexrank`,
which computes the similarity graph with ``scipy.sparse`` and settles
near-ties with sumy's own dense arithmetic (its docstring says how).  Time and
memory follow the number of similar pairs rather than the square of the
sentence count.

Terms are sumy's: each word is lower-cased (``normalize_word``), dropped if it
is a stop word, then stemmed with ``stem_word``; repeats are kept.  Normalised
and stemmed forms are cached on the instance across calls, which assumes the
stemmer is a pure function (sumy's are).  Ranking goes through sumy's own
``_get_best_sentences``, so ``ItemsCount`` values ("30%", "3", floats,
callables) behave identically; repeated sentences all get the score of their
*last* occurrence, as in sumy, whose ``Sentence`` hashes by its text.

The bot's own summaries do not go through this class (it imports sumy, and
sumy imports NLTK): :class:`bot.summaries.summarizer.Summarizer` calls
:func:`bot.summaries.lexrank.rank_sections` for a whole document at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sumy.models.dom import ObjectDocumentModel, Sentence
from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import ItemsCount

from bot.summaries.lexrank import LexRankSettings, SectionRanks, Terms, rank_sections

__all__ = ["FastLexRankSummarizer"]

FloatArray = npt.NDArray[np.float64]


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
        counter = sentences_count if callable(sentences_count) else ItemsCount(sentences_count)
        picked = len(counter(list(range(len(sentences)))))
        ratings = dict(zip(sentences, self._rank(sentences).ratings(picked).tolist(), strict=True))
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
        return self._rank(sentences).scores

    def _rank(self, sentences: tuple[Sentence, ...]) -> SectionRanks:
        vocabulary: dict[str, int] = {}
        ids = [
            [vocabulary.setdefault(term, len(vocabulary)) for term in terms]
            for terms in self._terms(sentences)
        ]
        settings = LexRankSettings(
            float(self.threshold), float(self.epsilon), self.max_dense_sentences
        )
        return rank_sections(Terms.from_lists([ids], list(vocabulary)), [sentences], settings)[0]

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

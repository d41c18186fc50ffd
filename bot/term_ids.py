"""Every term of many sentences as ids into a vocabulary, each distinct word looked at once.

Summaries (:mod:`bot.summarizing`) and search (:mod:`bot.searching`) both
turn a document's sentences into terms: the words (:meth:`Tokenizer.word_ids`),
each mapped to its term (a stem) or to none (a stop word), repeats kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.tokenizing import Tokenizer

__all__ = ["TermIds", "term_ids"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TermIds:
    """Terms of many sentences: ``vocabulary[ids[k]]`` is the k-th, in sentence ``sentence[k]``.

    Terms are in sentence order and, within a sentence, in word order;
    ``vocabulary`` lists each term once, in order of first appearance.
    """

    ids: IntArray
    sentence: IntArray
    vocabulary: list[str]


def term_ids(
    tokenizer: Tokenizer, sentences: Sequence[str], term: Callable[[str], str | None]
) -> TermIds:
    """The terms of ``sentences``: ``term(word)`` of each word, words whose term is None left out.

    ``term`` is called once for each distinct word.
    """
    words = tokenizer.word_ids(sentences)
    term_of_word = np.full(len(words.words), -1, dtype=np.int64)
    vocabulary: dict[str, int] = {}
    for index, word in enumerate(words.words):
        found = term(word)
        if found is not None:
            term_of_word[index] = vocabulary.setdefault(found, len(vocabulary))
    ids = term_of_word[words.ids]
    kept = ids >= 0
    return TermIds(ids[kept], words.sentence[kept], list(vocabulary))

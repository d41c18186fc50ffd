"""Every term of many sentences as ids into a vocabulary, each distinct word looked at once.

Summaries (:mod:`bot.summaries.summarizer`) and search (:mod:`bot.search.index`) both
turn a document's sentences into terms: the words (:meth:`Tokenizer.word_ids`),
each mapped to its term (a stem) or to none (a stop word), repeats kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.text.chunks import Chunks
from bot.text.tokenizer import Tokenizer

__all__ = ["TermIds", "chunk_term_ids", "term_ids"]

IntArray = npt.NDArray[np.int64]

_SLICE = 1 << 14


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
    tokenizer: Tokenizer,
    sentences: Sequence[str],
    terms: Callable[[list[str]], Sequence[str | None]],
) -> TermIds:
    """The terms of ``sentences``; words whose term is None are left out.

    ``terms`` gives the term of each word of a list; it is called once, with
    each distinct word once.
    """
    words = tokenizer.word_ids(sentences)
    vocabulary: dict[str, int] = {}
    term_of_word = np.fromiter(
        (-1 if term is None else vocabulary.setdefault(term, len(vocabulary))
         for term in terms(words.words)),
        dtype=np.int64,
        count=len(words.words),
    )  # fmt: skip
    # A slice at a time, so that the temporary arrays stay small.
    ids: list[IntArray] = []
    sentence: list[IntArray] = []
    for word_ids, word_sentence in words.parts:
        for start in range(0, len(word_ids), _SLICE):
            found = term_of_word[word_ids[start : start + _SLICE]]
            kept = found >= 0
            ids.append(found[kept])
            sentence.append(word_sentence[start : start + _SLICE][kept])
    if not ids:
        return TermIds(words.ids, words.sentence, list(vocabulary))
    return TermIds(np.concatenate(ids), np.concatenate(sentence), list(vocabulary))


def chunk_term_ids(
    tokenizer: Tokenizer,
    chunks: Chunks,
    terms: Callable[[list[str]], Sequence[str | None]],
) -> TermIds:
    """:func:`term_ids` of the sentences whose chunks are ``chunks`` (the same terms).

    No word crosses a space, so a sentence's words are its chunks' words
    (:meth:`Tokenizer.to_words` of each distinct chunk, once); taking the chunks
    in order of first appearance takes the words in theirs too, so the
    vocabulary is numbered as :func:`term_ids` numbers it.
    """
    words: dict[str, int] = {}
    chunk_words = [
        [words.setdefault(chunk, len(words))]
        if chunk.isalpha()  # letters only (any script): one word
        else [words.setdefault(word, len(words)) for word in tokenizer.to_words(chunk)]
        for chunk in chunks.surfaces
    ]
    vocabulary: dict[str, int] = {}
    term_of_word = [
        -1 if term is None else vocabulary.setdefault(term, len(vocabulary))
        for term in terms(list(words))
    ]
    chunk_terms = [
        [term_of_word[word]]
        if len(found) == 1 and term_of_word[word := found[0]] >= 0
        else [term for term in map(term_of_word.__getitem__, found) if term >= 0]
        for found in chunk_words
    ]
    ids, sentence = chunks.expand(chunk_terms)
    return TermIds(ids, sentence, list(vocabulary))

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
from bot.text.document import Document
from bot.text.parsing import collector_paused
from bot.text.tokenizer import Tokenizer, WordIds

__all__ = ["TermIds", "document_terms", "term_ids"]

IntArray = npt.NDArray[np.int64]

_SLICE = 1 << 14
#: Characters that are never part of a word, often at a chunk's ends ("(word),").
_EDGES = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»–—…"


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
    return _terms_of(tokenizer.word_ids(sentences), terms)


def document_terms(
    tokenizer: Tokenizer,
    document: Document,
    terms: Callable[[list[str]], Sequence[str | None]],
    chunks: Chunks | None = None,
) -> tuple[TermIds, list[int]]:
    """:func:`term_ids` of the document's sentences, and each sentence's word count
    (``len(sentence.split())``).

    When the document's ``chunks`` are given (found once for its search index too,
    see :func:`~bot.text.chunks.sentence_chunks`), the words are read from them: each distinct
    chunk's words once (no word crosses a space), the chunks' counts the
    word counts.  The same words, in the same order, numbered alike.
    """
    with collector_paused():  # many small objects, no cycles: as reading
        if chunks is None:
            texts = [sentence.text for sentence in document.sentences]
            return term_ids(tokenizer, texts, terms), [len(text.split()) for text in texts]
        if chunks.nul_free:
            counts: list[int] = chunks.counts.tolist()
        else:
            counts = [len(sentence.text.split()) for sentence in document.sentences]
        return _terms_of(_chunk_words(tokenizer, chunks), terms), counts


def _chunk_words(tokenizer: Tokenizer, chunks: Chunks) -> WordIds:
    """The words of the sentences, from their chunks (as :meth:`Tokenizer.word_ids`).

    Words are numbered in order of first appearance: that is the order of the
    chunks' first appearances, and of the words within each chunk.
    """
    ids: dict[str, int] = {}
    number = ids.setdefault
    words: list[list[int]] = []
    for chunk in chunks.surfaces:
        if chunk.isalpha():  # letters only (any script): one word
            words.append([number(chunk, len(ids))])
            continue
        core = chunk.strip(_EDGES)
        if core.isalpha():  # letters between punctuation ("(word),"): that word
            words.append([number(core, len(ids))])
        else:
            words.append([number(word, len(ids)) for word in tokenizer.to_words(chunk)])
    flat, sentence = chunks.expand(words)
    return WordIds(list(ids), [(flat, sentence)])


def _terms_of(words: WordIds, terms: Callable[[list[str]], Sequence[str | None]]) -> TermIds:
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

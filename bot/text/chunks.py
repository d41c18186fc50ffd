"""Every chunk (text between spaces, as ``str.split`` cuts it) of many sentences, numbered.

The search index reads a document's words chunk by chunk (no word crosses a
space), each distinct chunk once (:mod:`bot.search.words`).

The chunks are found with numpy in the sentences' UTF-8 bytes and numbered
with a :class:`~bot.text.token_table.TokenTable` (:func:`~bot.text.token_table.number_runs`);
text holding a space other than ASCII's (found among the distinct chunks: the numpy pass
leaves it inside one), or a NUL, is read with ``str.split``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, count
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from bot.text.token_table import number_runs

if TYPE_CHECKING:
    from bot.text.document import Document

__all__ = ["Chunks", "text_chunks"]

IntArray = npt.NDArray[np.int64]

#: What sentences are joined with: no chunk holds it (it is a space) in the numpy pass ...
_SEPARATOR: Final = "\x00"
#: ... 1 for a byte inside a chunk: any but ASCII's spaces (``str.split``'s) and NUL; every
#: byte of a character beyond ASCII (text with a space beyond ASCII is read by ``str.split``).
_IN_CHUNKS: Final = bytes(
    0 if code == 0 or (code < 0x80 and chr(code).isspace()) else 1 for code in range(256)
)
#: The spaces ``str.split`` cuts at beyond ASCII.
_OTHER_SPACE: Final = re.compile(r"[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
#: ... and in the plain pass: a chunk of its own between sentences.
_BREAK: Final = f" {_SEPARATOR} "


@dataclass(frozen=True, slots=True)
class Chunks:
    """The chunks of many sentences: ``surfaces[ids[k]]`` is the k-th, in ``sentence[k]``.

    ``surfaces`` holds each distinct chunk once, in order of first appearance;
    ``counts`` the number of chunks of each sentence.
    """

    surfaces: list[str]
    ids: npt.NDArray[np.int32]
    counts: npt.NDArray[np.int32]
    #: Whether no sentence holds a NUL (a space here, not for ``str.split``): then
    #: ``counts`` are ``len(sentence.split())``.
    nul_free: bool = True

    @property
    def sentence(self) -> IntArray:
        """The sentence of each chunk."""
        return np.repeat(np.arange(len(self.counts), dtype=np.int64), self.counts)

    def expand(self, values: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray]:
        """``values[c]`` (ints) for each occurrence of each chunk ``c``, flat, and the
        sentence of each one (in the order of the chunks: sentence by sentence)."""
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        flat = np.fromiter(chain.from_iterable(values), dtype=np.int64, count=int(lengths.sum()))
        repeat = lengths[self.ids]
        ends = np.cumsum(repeat)
        # Occurrence k of chunk c: flat[start(c) + j], j < lengths[c], at ends[k] - lengths[c] + j.
        shift = (np.cumsum(lengths) - lengths)[self.ids] - (ends - repeat)
        total = int(ends[-1]) if len(ends) else 0
        at = np.arange(total, dtype=np.int64) + np.repeat(shift, repeat)
        sentence = np.repeat(np.repeat(np.arange(len(self.counts)), self.counts), repeat)
        return flat[at], sentence.astype(np.int64)


def text_chunks(sentences: Sequence[str]) -> Chunks:
    """Every chunk of ``sentences``: ``sentence.split()`` of each, numbered by distinct chunk.

    A NUL is a space here (it is never part of a word).
    """
    runs = number_runs(sentences, _IN_CHUNKS, _SEPARATOR) if sentences else None
    # A space beyond ASCII is inside a chunk there: looked for in the distinct chunks only.
    if runs is None or _OTHER_SPACE.search("".join(runs.table.tokens)):
        return _split_chunks(sentences)
    order = runs.order()
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    tokens = runs.table.tokens
    ids = _joined([rank[numbers] for _, _, numbers, _ in runs.parts])
    counts = _joined([counts.astype(np.int32) for _, _, _, counts in runs.parts])
    return Chunks([tokens[index] for index in order.tolist()], ids, counts)


def _joined(parts: list[npt.NDArray[np.int32]]) -> npt.NDArray[np.int32]:
    return np.concatenate(parts) if parts else np.zeros(0, np.int32)


def _split_chunks(sentences: Sequence[str]) -> Chunks:
    """The same with ``str.split`` over the sentences joined by a chunk of their own."""
    text = _BREAK.join(s.replace(_SEPARATOR, " ") for s in sentences)
    found = text.split()
    numbers: defaultdict[str, int] = defaultdict(count().__next__)  # numbered on first sight
    ids = np.fromiter(map(numbers.__getitem__, found), dtype=np.int32, count=len(found))
    is_break = ids == numbers.get(_SEPARATOR, -1)
    del found
    surfaces = list(numbers)
    if _SEPARATOR in numbers:  # the break chunk: no surface of the sentences
        del surfaces[numbers[_SEPARATOR]]
        ids -= ids > numbers[_SEPARATOR]
    breaks = np.flatnonzero(is_break)
    counts = np.diff(breaks - np.arange(len(breaks)), prepend=0, append=len(ids) - len(breaks))
    counts = counts.astype(np.int32) if len(sentences) else np.zeros(0, np.int32)
    return Chunks(
        surfaces, ids[~is_break], counts, nul_free=not any(_SEPARATOR in s for s in sentences)
    )


def sentence_chunks(document: Document) -> Chunks:
    """:func:`text_chunks` of ``document``'s sentences: what its search index and its
    summaries read their words from (found once by :func:`~bot.articles.prepared.prepare`
    and given to both)."""
    return text_chunks([sentence.text for sentence in document.sentences])

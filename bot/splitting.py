"""Sentences of many paragraphs at once: sentencex plus two rules, line by line.

A paragraph's sentences are found line by line, so no sentence crosses a line:
each line goes through ``sentencex``, and each sentence it finds is split
again where one of two boundaries sentencex misses occurs (see
``_MISSED_BOUNDARY``); sentences are stripped and empty ones dropped.

:func:`split_paragraphs` does the same for many paragraphs with one
``sentencex`` call per batch of lines: the lines are joined by a blank line,
which sentencex treats as a paragraph break: it splits the text there first
and reads each part on its own, with no state carried from one to the next (a
quote or parenthesis left open on one line does not reach the next).  The
sentences it returns are consecutive slices of the text, one ``"\\n\\n"`` item
between two lines; the batch is checked to be exactly that (every character
accounted for, one separator per line break) and read line by line
otherwise.  The two extra rules are tried only on the few sentences that hold
one of their markers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate, pairwise

from sentencex import segment

__all__ = ["line_sentences", "split_paragraphs"]

# Two boundaries sentencex misses, measured on the sentence-boundary gold set:
# "etc." closing a sentence before a capitalised word, and a sentence that
# ends inside parentheses.
_MISSED_BOUNDARY = re.compile(r"(?<=\betc\.)\s+(?=[A-Z])|(?<=[.!?][)\]])\s+(?=[A-Z\"“(])")
#: Where _MISSED_BOUNDARY can match: a sentence without one of these never splits.
_MISSED_MARKER = re.compile(r"etc\.|[.!?][)\]]")
#: Every character at which ``str.splitlines`` breaks a line.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_SEPARATOR = "\n\n"
#: Lines are handed to sentencex about this many characters at a time.
_BATCH_CHARS = 1 << 20


@lru_cache(maxsize=4096)
def line_sentences(code: str, text: str) -> tuple[str, ...]:
    """The sentences of ``text`` (one paragraph, maybe of several lines), one call a line."""
    found: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for sentence in segment(code, line):
            found.extend(part.strip() for part in _MISSED_BOUNDARY.split(sentence))
    return tuple(sentence for sentence in found if sentence)


def split_paragraphs(code: str, paragraphs: Sequence[str]) -> list[tuple[str, ...]]:
    """The sentences of each paragraph, as :func:`line_sentences` finds them, in batches."""
    if _LINE_BREAK.search("".join(paragraphs)):
        return [line_sentences(code, paragraph) for paragraph in paragraphs]
    # One line each: blank ones have no sentences, the others are read in batches.
    result: list[tuple[str, ...]] = [()] * len(paragraphs)
    lines = [index for index, paragraph in enumerate(paragraphs) if paragraph.strip()]
    start = 0
    while start < len(lines):
        end, size = start, 0
        while end < len(lines) and (size < _BATCH_CHARS or end == start):
            size += len(paragraphs[lines[end]]) + len(_SEPARATOR)
            end += 1
        batch = [paragraphs[index] for index in lines[start:end]]
        for index, sentences in zip(lines[start:end], _split_lines(code, batch), strict=True):
            result[index] = sentences
        start = end
    return result


def _split_lines(code: str, lines: list[str]) -> list[tuple[str, ...]]:
    """The sentences of each of ``lines`` (none blank, none with a line break)."""
    text = _SEPARATOR.join(lines)
    pieces: list[str] = segment(code, text)
    breaks = [index for index, piece in enumerate(pieces) if piece == _SEPARATOR]
    if len(breaks) != len(lines) - 1 or "".join(pieces) != text:
        return [line_sentences(code, line) for line in lines]
    stripped = [piece.strip() for piece in pieces]
    # The few sentences that hold a marker of a missed boundary are split again.
    resplit: dict[int, list[str]] = {}
    markers = [match.start() for match in _MISSED_MARKER.finditer(text)]
    if markers:
        starts = [0, *accumulate(map(len, pieces))]
        for position in markers:
            index = bisect_right(starts, position) - 1
            if index not in resplit:
                resplit[index] = [part.strip() for part in _MISSED_BOUNDARY.split(pieces[index])]
    bounds = [-1, *breaks, len(pieces)]
    result = [tuple(filter(None, stripped[low + 1 : high])) for low, high in pairwise(bounds)]
    for line in sorted({bisect_right(breaks, index) for index in resplit}):
        found: list[str] = []
        for index in range(bounds[line] + 1, bounds[line + 1]):
            parts = resplit.get(index)
            found.extend([stripped[index]] if parts is None else parts)
        result[line] = tuple(filter(None, found))
    return result

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
sentences it returns are consecutive slices of the text; they are matched to
the lines by length, and the batch is checked to be exactly that (every
character accounted for, no sentence across two lines) and read line by line
otherwise.  The two extra rules are tried only on the few sentences that hold
one of their markers.  A line that can only be one sentence in any language
(ASCII prose with no sentence end but at its end, and none of the marks of a
list item; see ``_one_sentence``) is not handed to sentencex at all: it is
its one sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import deque
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate, pairwise

import numpy as np
import numpy.typing as npt
from sentencex import segment

__all__ = ["line_sentences", "split_paragraphs"]

# Two boundaries sentencex misses, measured on the sentence-boundary gold set:
# "etc." closing a sentence before a capitalised word, and a sentence that
# ends inside parentheses.
_MISSED_BOUNDARY = re.compile(r"(?<=\betc\.)\s+(?=[A-Z])|(?<=[.!?][)\]])\s+(?=[A-Z\"“(])")
#: Where _MISSED_BOUNDARY can match: a sentence without "etc." or one of
#: these never splits (")" or "]" after ".", "!" or "?"; each starts with its
#: bracket, which the search finds faster than a class of characters).
_CLOSING = (re.compile(r"\)(?<=[.!?]\))"), re.compile(r"\](?<=[.!?]\])"))
#: Every character at which ``str.splitlines`` breaks a line.
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_SEPARATOR = "\n\n"
#: Each byte's part in :func:`_one_sentence`: a sentence end, a byte that makes a line
#: more than plain prose (``;``, ``)``, a control character, any byte beyond
#: ASCII), the end of a line, or plain.
_PLAIN, _STOP, _NEVER, _END = 0, 1, 2, 3
_BYTE_KINDS = bytes(
    _END
    if code == 0x0A
    else _STOP
    if chr(code) in ".!?"
    else _NEVER
    if chr(code) in ";)" or (code < 0x20 and code != 0x09) or code >= 0x7F
    else _PLAIN
    for code in range(256)
)
#: Lines are handed to sentencex about this many characters at a time.
_BATCH_CHARS = 1 << 18


@lru_cache(maxsize=4096)
def line_sentences(code: str, text: str) -> tuple[str, ...]:
    """The sentences of ``text`` (one paragraph, maybe of several lines), one call a line."""
    found: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for sentence in _segment_line(code, line):
            found.extend(part.strip() for part in _MISSED_BOUNDARY.split(sentence))
    return tuple(sentence for sentence in found if sentence)


class _Panic(Exception):
    """sentencex failed on a text (its Rust code panicked)."""


def _segment(code: str, text: str) -> list[str]:
    """``sentencex.segment``, its panics (not Exceptions in Python) raised as :class:`_Panic`."""
    try:
        pieces: list[str] = segment(code, text)
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise _Panic(str(error)) from None
    return pieces


def _segment_line(code: str, line: str) -> list[str]:
    """The sentences sentencex finds in one line, even where it would fail.

    sentencex panics on a few texts with a space other than ASCII's before a
    full stop (``"Z\\u00a0."``).  Such a line is read again with those spaces
    made plain (the same number of characters), and its sentences are cut from
    the line itself at the same places; if that fails too, the line is one
    sentence.
    """
    try:
        return _segment(code, line)
    except _Panic:
        pass
    plain = "".join(" " if char.isspace() else char for char in line)
    try:
        pieces = _segment(code, plain)
    except _Panic:
        return [line]
    if "".join(pieces) != plain:
        return [line]
    cuts = [0, *accumulate(map(len, pieces))]
    return [line[low:high] for low, high in pairwise(cuts)]


def split_paragraphs(code: str, paragraphs: Sequence[str]) -> list[tuple[str, ...]]:
    """The sentences of each paragraph, as :func:`line_sentences` finds them, in batches."""
    joined = "".join(paragraphs)
    if any(map(joined.__contains__, _LINE_BREAKS)):
        return [line_sentences(code, paragraph) for paragraph in paragraphs]
    # One line each: blank ones have no sentences, the others are read in batches.
    if all(map(str.strip, paragraphs)):
        return _split_batches(code, list(paragraphs))
    lines = [index for index, paragraph in enumerate(paragraphs) if paragraph.strip()]
    result: list[tuple[str, ...]] = [()] * len(paragraphs)
    found = _split_batches(code, [paragraphs[index] for index in lines])
    for index, sentences in zip(lines, found, strict=True):
        result[index] = sentences
    return result


def _split_batches(code: str, lines: list[str]) -> list[tuple[str, ...]]:
    """The sentences of each of ``lines`` (none blank), about ``_BATCH_CHARS`` at a time.

    A line that can only be one sentence (see :func:`_one_sentence`) is that
    sentence; sentencex reads the others.
    """
    sizes = np.fromiter(map(len, lines), np.int64, len(lines)) + len(_SEPARATOR)
    cuts = np.flatnonzero(np.diff(np.cumsum(sizes) // _BATCH_CHARS)) + 1
    result: list[tuple[str, ...]] = []
    for start, end in pairwise([0, *cuts.tolist(), len(lines)]):
        batch = lines[start:end]
        found: list[tuple[str, ...]] = list(zip(map(str.strip, batch)))
        others = np.flatnonzero(~_one_sentence(batch)).tolist()
        if others:
            split = _split_lines(code, [batch[index] for index in others])
            deque(map(found.__setitem__, others, split), maxlen=0)
        result += found
    return result


def _one_sentence(lines: list[str]) -> npt.NDArray[np.bool_]:
    """Whether each of ``lines`` (none holding a line break) is one sentence for sentencex,
    whatever the language: ASCII with no sentence end but at its end (``.``, ``!``
    or ``?``) and none of ``;`` (a question mark in Greek), ``)`` (a list item's mark)
    or a control character.

    Found in the lines' bytes with numpy, for all of them at once.
    """
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    kinds = np.frombuffer(data.translate(_BYTE_KINDS), dtype=np.uint8)
    ends = np.flatnonzero(kinds == _END)
    if len(ends) != len(lines):
        return np.zeros(len(lines), dtype=np.bool_)
    last = np.zeros(len(kinds), dtype=np.bool_)  # the last character of a line
    last[ends[ends > 0] - 1] = True
    unsafe = (kinds == _NEVER) | ((kinds == _STOP) & ~last)
    one = np.ones(len(lines), dtype=np.bool_)
    one[np.searchsorted(ends, np.flatnonzero(unsafe))] = False
    return one


def _split_lines(code: str, lines: list[str]) -> list[tuple[str, ...]]:
    """The sentences of each of ``lines`` (none blank, none with a line break)."""
    try:
        segmented = _segment(code, _SEPARATOR.join(lines))
    except _Panic:
        return [line_sentences(code, line) for line in lines]
    pieces = list(filter(_SEPARATOR.__ne__, segmented))
    # sentencex may leave out a separator (it reads long texts in parts, cut
    # at paragraph breaks), so pieces are matched to lines by their lengths.
    text = "".join(pieces)
    ends = np.cumsum(np.fromiter(map(len, pieces), np.int64, len(pieces)))
    line_ends = np.cumsum(np.fromiter(map(len, lines), np.int64, len(lines)))
    cuts = np.searchsorted(ends, line_ends, side="right")  # the pieces up to each line's end
    if text != "".join(lines) or not np.array_equal(ends[np.maximum(cuts - 1, 0)], line_ends):
        return [line_sentences(code, line) for line in lines]
    bounds: list[int] = [0, *cuts.tolist()]
    # A line that is one piece is that piece (its text): the line itself, stripped
    # (the same string when it has no spaces around: one string less to make and
    # hold).  Only the lines of several pieces are read piece by piece.
    result: list[tuple[str, ...]] = list(zip(map(str.strip, lines)))
    if len(pieces) != len(lines):  # some line holds several sentences
        for line in _several(bounds):
            kept = map(str.strip, pieces[bounds[line] : bounds[line + 1]])
            result[line] = tuple(filter(None, kept))
    # The few sentences that hold a marker of a missed boundary are split again.
    resplit: dict[int, list[str]] = {}
    starts = [0, *ends.tolist()]
    for position in _missed_markers(text):
        index = bisect_right(starts, position) - 1
        if index not in resplit:
            resplit[index] = [part.strip() for part in _MISSED_BOUNDARY.split(pieces[index])]
    for line in sorted({bisect_right(bounds, index) - 1 for index in resplit}):
        found: list[str] = []
        for index in range(bounds[line], bounds[line + 1]):
            parts = resplit.get(index)
            found.extend([pieces[index].strip()] if parts is None else parts)
        result[line] = tuple(filter(None, found))
    return result


def _several(bounds: list[int]) -> list[int]:
    """The lines (between consecutive ``bounds``, in pieces) made of more than one piece."""
    sizes = np.diff(np.array(bounds, dtype=np.int64))
    several: list[int] = np.flatnonzero(sizes != 1).tolist()
    return several


def _missed_markers(text: str) -> list[int]:
    """Where ``etc.``, or ``)`` or ``]`` after ``.``, ``!`` or ``?``, starts in ``text``."""
    found = []
    at = text.find("etc.")
    while at >= 0:
        found.append(at)
        at = text.find("etc.", at + 1)
    for closing in _CLOSING:
        found.extend(match.start() - 1 for match in closing.finditer(text))
    return found

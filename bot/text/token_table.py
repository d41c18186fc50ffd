"""Runs of bytes of many texts, numbered with numpy: equal runs, equal number.

:func:`number_runs` finds, in the UTF-8 bytes of many texts, the runs of
bytes a table marks as inside (letters for words, anything but spaces for
chunks), about ``CHUNK_CHARS`` characters at a time (so that numpy's
temporary arrays stay small), and numbers equal runs alike with a
:class:`TokenTable`.  The tokenizer's words (:meth:`bot.text.tokenizer.Tokenizer.word_ids`)
and the search index's chunks (:func:`bot.text.chunks.text_chunks`) are both found so.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CHUNK_CHARS", "TextRuns", "TokenTable", "number_runs"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Texts are read about this many characters at a time.
CHUNK_CHARS = 1 << 18
_KEY_BYTES = 16  # tokens up to this long are compared as two 64-bit integers
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
_MIX_HIGH = np.uint64(0xC2B2AE3D27D4EB4F)
_MIXES = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xD6E8FEB86659FD93))  # one per table


@dataclass(frozen=True, slots=True)
class TextRuns:
    """The runs of many texts: ``table.tokens[number]`` is a run's text.

    ``parts`` holds, for consecutive texts ``low`` to ``high`` (exclusive),
    the number of each of their runs in order and how many runs each text has.
    """

    table: TokenTable
    parts: list[tuple[int, int, IntArray, IntArray]]

    def order(self) -> IntArray:
        """The numbers of the distinct runs, in order of first appearance."""
        ordered: IntArray = np.argsort(self.table.first(), kind="stable")
        return ordered


def number_runs(texts: Sequence[str], inside: bytes, separator: str) -> TextRuns | None:
    """The runs of ``texts``: maximal runs of bytes ``b`` with ``inside[b]`` set.

    ``separator`` (a character ``inside`` leaves out) is put between texts;
    None when a text holds it.
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    table = TokenTable(int(lengths.sum()))
    parts: list[tuple[int, int, IntArray, IntArray]] = []
    for low, high in _chunks(lengths):
        joined = separator.join(texts[low:high])
        if joined.count(separator) != high - low - 1:
            return None
        data = joined.encode("utf-8", "surrogatepass")
        marks = np.frombuffer(data.translate(inside), dtype=np.bool_)
        bounds = np.flatnonzero(np.diff(marks, prepend=False, append=False))
        starts, ends = bounds[0::2], bounds[1::2]
        if len(data) == len(joined):  # ASCII: a character is a byte
            breaks = np.cumsum(lengths[low : high - 1] + 1) - 1
        else:
            breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord(separator))
        counts = np.diff(np.searchsorted(starts, breaks), prepend=0, append=len(starts))
        parts.append((low, high, table.number(data, starts, ends), counts))
    return TextRuns(table, parts)


def _chunks(lengths: IntArray) -> list[tuple[int, int]]:
    """Consecutive ranges of texts (of these lengths) of about ``CHUNK_CHARS`` characters."""
    ends = np.cumsum(lengths + 1)
    cuts = (np.flatnonzero(np.diff(ends // CHUNK_CHARS)) + 1).tolist()
    bounds = [0, *cuts, len(lengths)]
    return list(itertools.pairwise(bounds))


class TokenTable:
    """Numbers tokens, a chunk of text at a time: equal bytes, equal number.

    A token of up to 16 bytes is two 64-bit integers (its bytes zero-padded;
    no byte of a token is zero).  Its hash picks a slot of a table; the first
    token to find the slot empty takes it, and with it a new number, and the
    tokens equal to it take that number.  A token whose slot holds another
    tries a second table; the rare token whose slot is taken in both, and any
    longer token, is numbered through a dictionary of its bytes.
    """

    __slots__ = ("_by_bytes", "_first", "_high", "_low", "_seen", "_shift", "_tables", "tokens")

    def __init__(self, size: int) -> None:
        bits = min(max((size // 32).bit_length(), 10), 24)  # a slot for every 16-32 characters
        self._shift = np.uint64(64 - bits)
        self._tables = [np.full(1 << bits, -1, dtype=np.int32) for _ in _MIXES]
        self._low = np.zeros(1024, dtype=np.uint64)  # each number's token (0 when by bytes)
        self._high = np.zeros(1024, dtype=np.uint64)
        self._first: list[IntArray] = []  # where each number's token first appears
        self._by_bytes: dict[bytes, int] = {}
        self._seen = 0  # tokens numbered before this chunk
        #: Each number's token, decoded.
        self.tokens: list[str] = []

    def first(self) -> IntArray:
        """Where each number's token first appears (counting tokens from the first chunk)."""
        return np.concatenate(self._first) if self._first else np.zeros(0, dtype=np.int64)

    def number(self, data: bytes, starts: IntArray, ends: IntArray) -> IntArray:
        """The number of each token ``data[starts[k]:ends[k]]`` of the next chunk."""
        lengths = ends - starts
        run = np.full(len(starts), -1, dtype=np.int64)
        short = np.flatnonzero(lengths <= _KEY_BYTES)
        padded = data + bytes(_KEY_BYTES)
        words = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
        at, size = starts[short], lengths[short]
        low = words[at] & _LOW_BYTES[np.minimum(size, 8)]
        high = np.zeros(len(short), dtype=np.uint64)
        longer = np.flatnonzero(size > 8)
        high[longer] = words[at[longer] + 8] & _LOW_BYTES[size[longer] - 8]
        for table, mix in zip(self._tables, _MIXES, strict=True):
            if not len(short):
                break
            held, same = self._look_up(table, mix, low, high, data, at, at + size, short)
            run[short] = held
            missed = np.flatnonzero(~same)
            run[short[missed]] = -1
            short, at, size = short[missed], at[missed], size[missed]
            low, high = low[missed], high[missed]
        rest = np.flatnonzero(run < 0)
        if len(rest):
            # Looked up in C; only the tokens not seen yet take new numbers one by one.
            keys = list(
                map(data.__getitem__, map(slice, starts[rest].tolist(), ends[rest].tolist()))
            )
            found = list(map(self._by_bytes.get, keys))
            for index in [index for index, number in enumerate(found) if number is None]:
                found[index] = self._by_bytes_number(keys[index], int(rest[index]))
            run[rest] = np.array(found, dtype=np.int64)  # every one numbered now
        self._seen += len(starts)
        return run

    def _look_up(
        self,
        table: npt.NDArray[np.int32],
        mix: np.uint64,
        low: npt.NDArray[np.uint64],
        high: npt.NDArray[np.uint64],
        data: bytes,
        starts: IntArray,
        ends: IntArray,
        tokens: IntArray,
    ) -> tuple[npt.NDArray[np.int32], BoolArray]:
        """Each token's number through one table, and whether it is (its slot may hold another)."""
        slot = ((((high * _MIX_HIGH) ^ low) * mix) >> self._shift).astype(np.intp)
        held = table[slot]
        empty = np.flatnonzero(held < 0)
        if len(empty):
            # The first token to find a slot empty takes it, with a new number.
            wanted = slot[empty]
            table[wanted] = len(slot)
            np.minimum.at(table, wanted, empty.astype(np.int32))
            first = np.zeros(len(slot), dtype=np.bool_)
            first[table[wanted]] = True
            taking = np.flatnonzero(first)
            count = len(self.tokens)
            table[slot[taking]] = np.arange(count, count + len(taking), dtype=np.int32)
            self._grow(count + len(taking))
            self._low[count : count + len(taking)] = low[taking]
            self._high[count : count + len(taking)] = high[taking]
            self._first.append(tokens[taking] + self._seen)
            self.tokens.extend(_decode_each(data, starts[taking], ends[taking]))
            held[empty] = table[slot[empty]]
        same = (self._low[held] == low) & (self._high[held] == high)
        return held, same

    def _by_bytes_number(self, token: bytes, position: int) -> int:
        number = self._by_bytes.get(token)
        if number is not None:
            return number
        number = self._by_bytes[token] = len(self.tokens)
        self._grow(number + 1)  # its integers stay 0, which no token's are
        self._first.append(np.array([position + self._seen], dtype=np.int64))
        self.tokens.append(token.decode("utf-8", "surrogatepass"))
        return number

    def _grow(self, count: int) -> None:
        if count > len(self._low):
            size = max(count, 2 * len(self._low))
            self._low = np.concatenate((self._low, np.zeros(size - len(self._low), np.uint64)))
            self._high = np.concatenate((self._high, np.zeros(size - len(self._high), np.uint64)))


def _decode_each(data: bytes, starts: IntArray, ends: IntArray) -> list[str]:
    """``data[start:end]`` of each pair, decoded (one gather and one decode for all)."""
    lengths = ends - starts
    spans = lengths + 1  # each followed by a space (never inside a token)
    stops = np.cumsum(spans)
    joined = np.full(int(stops[-1]) if len(stops) else 0, ord(" "), dtype=np.uint8)
    within = np.arange(len(joined), dtype=np.int64) - np.repeat(stops - spans, spans)
    source = np.repeat(starts, spans) + within
    copied = within < np.repeat(lengths, spans)
    joined[copied] = np.frombuffer(data, dtype=np.uint8)[source[copied]]
    return joined.tobytes().decode("utf-8", "surrogatepass").split(" ")[:-1]

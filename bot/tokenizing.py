"""Offline sentence and word tokenization.

sumy's stock ``Tokenizer`` loads NLTK's punkt data for both sentences and
words, which is a download that fails on a fresh or offline machine.
:class:`Tokenizer` offers the same two methods (``to_sentences`` and
``to_words``) with no data to fetch: sentences come from ``sentencex``
(a rule-based splitter that ships its abbreviation lists in its wheel), words
from a Unicode regular expression.

Text is split on line breaks before sentences are looked for, so a sentence
never crosses a line (headings and list items stay on their own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from sentencex import segment

from bot.errors import ConfigError

__all__ = ["LANGUAGES", "Tokenizer", "WordIds", "language_code"]

IntArray = npt.NDArray[np.int64]

#: sumy's language names (stop words and stemmers) and the ISO 639-1 codes
#: that sentencex takes.
LANGUAGES: dict[str, str] = {
    "arabic": "ar",
    "czech": "cs",
    "english": "en",
    "french": "fr",
    "german": "de",
    "greek": "el",
    "hebrew": "he",
    "italian": "it",
    "portuguese": "pt",
    "slovak": "sk",
    "spanish": "es",
    "swedish": "sv",
    "ukrainian": "uk",
}

# A word is a run of letters, optionally joined by apostrophes or hyphens
# ("don't", "well-known"); digits and punctuation are not words, as in sumy.
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# The same words, faster, in ASCII text without apostrophes or hyphens: every
# character but a letter becomes a space, and the text is split on spaces.
_ASCII_SEPARATORS = (
    bytes(code if chr(code).isalpha() or chr(code) in "'-" else 0x20 for code in range(128))
    + b" " * 128
)
# For many sentences at once (UTF-8 bytes, joined by \x01): 1 for a byte that
# may be part of a word (a letter, an apostrophe, a hyphen or any byte of a
# non-ASCII character), 0 for the rest of ASCII, which never is.
_SENTENCE_BREAK = "\x01"
_IN_WORDS = bytes(
    1 if code >= 0x80 or chr(code).isalpha() or chr(code) in "'-" else 0 for code in range(256)
)
_KEY_BYTES = 16  # tokens up to this long are compared as two 64-bit integers
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
_MIX_HIGH = np.uint64(0xC2B2AE3D27D4EB4F)
_MIXES = tuple(
    np.uint64(mix) for mix in (0x9E3779B97F4A7C15, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD)
)
_FEW_TOKENS = 64  # fewer tokens than this left to number: a dictionary does it

# Two boundaries sentencex misses, measured on the sentence-boundary gold set:
# "etc." closing a sentence before a capitalised word, and a sentence that
# ends inside parentheses.
_MISSED_BOUNDARY = re.compile(r"(?<=\betc\.)\s+(?=[A-Z])|(?<=[.!?][)\]])\s+(?=[A-Z\"“(])")


def language_code(language: str) -> str:
    """The ISO code for one of sumy's language names, or a ConfigError."""
    try:
        return LANGUAGES[language.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ConfigError(f"unsupported language {language!r}; choose one of: {known}") from None


class Tokenizer:
    """A download-free tokenizer with the interface sumy's parsers expect."""

    __slots__ = ("_code", "_language")

    def __init__(self, language: str = "english") -> None:
        self._code = language_code(language)
        self._language = language.strip().lower()

    @property
    def language(self) -> str:
        return self._language

    def __repr__(self) -> str:
        return f"Tokenizer({self._language!r})"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return _sentences(self._code, paragraph)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        if "'" in sentence or "’" in sentence:
            return tuple(_POSSESSIVE.sub("", word) for word in _WORD.findall(sentence))
        if not sentence.isascii() or "-" in sentence:
            return tuple(_WORD.findall(sentence))
        return tuple(sentence.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split())

    def words_of(self, sentences: Sequence[str]) -> tuple[list[str], list[int]]:
        """The words of many sentences, flat, and how many each sentence has.

        The same words as :meth:`to_words` gives one sentence at a time (they
        come from :meth:`word_ids`).
        """
        found = self.word_ids(sentences)
        words = found.words
        counts = np.bincount(found.sentence, minlength=len(sentences)).tolist()
        return [words[index] for index in found.ids.tolist()], counts

    def word_ids(self, sentences: Sequence[str]) -> WordIds:
        """The words of many sentences as ids into their distinct words.

        The same words as :meth:`to_words` gives one sentence at a time, found
        in the UTF-8 bytes of all the sentences at once.  A token is a run of
        bytes that are letters, apostrophes, hyphens or part of a non-ASCII
        character (no other ASCII character belongs to a word); equal tokens
        are found with numpy, and each distinct token is split into words
        once: a run of letters is one word, any other token goes through the
        regular expression.
        """
        if not sentences:
            return WordIds([], _no_ids(), _no_ids())
        joined = _SENTENCE_BREAK.join(sentences)
        if joined.count(_SENTENCE_BREAK) != len(sentences) - 1:
            return WordIds.of_lists([self.to_words(sentence) for sentence in sentences])
        data = joined.encode("utf-8", "surrogatepass")
        inside = np.frombuffer(data.translate(_IN_WORDS), dtype=np.bool_)
        bounds = np.flatnonzero(np.diff(inside, prepend=False, append=False))
        starts, ends = bounds[0::2], bounds[1::2]
        breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord(_SENTENCE_BREAK))
        per_sentence = np.diff(np.searchsorted(starts, breaks), prepend=0, append=len(starts))
        sentence = np.repeat(np.arange(len(sentences), dtype=np.int64), per_sentence)
        run, first = _distinct_tokens(data, starts, ends)
        # Distinct tokens in order of first appearance, so that words are
        # numbered in order of first appearance too.
        order = np.argsort(first)
        at = first[order]
        ids: dict[str, int] = {}
        word_of_run = np.empty(len(first), dtype=np.int64)
        several: dict[int, list[int]] = {}  # tokens of no word or more than one
        tokens = _decode_each(data, starts[at], ends[at])
        for index, token in zip(order.tolist(), tokens, strict=True):
            if token.isalpha():  # letters only (any script): one word, as the expression finds
                word_of_run[index] = ids.setdefault(token, len(ids))
                continue
            found = [ids.setdefault(word, len(ids)) for word in _run_words(token)]
            if len(found) == 1:
                word_of_run[index] = found[0]
            else:
                several[index] = found
                word_of_run[index] = -1
        word_ids = word_of_run[run]
        if several:
            word_ids, sentence = _spread(word_ids, sentence, run, several)
        return WordIds(list(ids), word_ids, sentence)


@dataclass(frozen=True, slots=True)
class WordIds:
    """The words of many sentences: ``words[ids[k]]`` is the k-th word, in sentence ``sentence[k]``.

    ``words`` holds each distinct word once, in order of first appearance;
    ``ids`` and ``sentence`` follow the words in order, repeats kept.
    """

    words: list[str]
    ids: IntArray
    sentence: IntArray

    @classmethod
    def of_lists(cls, sentences: Sequence[Sequence[str]]) -> WordIds:
        """From each sentence's words."""
        ids: dict[str, int] = {}
        flat = [ids.setdefault(word, len(ids)) for words in sentences for word in words]
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        return cls(
            list(ids),
            np.array(flat, dtype=np.int64),
            np.repeat(np.arange(len(sentences), dtype=np.int64), lengths),
        )


def _no_ids() -> IntArray:
    return np.zeros(0, dtype=np.int64)


def _distinct_tokens(data: bytes, starts: IntArray, ends: IntArray) -> tuple[IntArray, IntArray]:
    """Each token's number (equal bytes, equal number) and the first token of each number.

    A token of up to 16 bytes is two 64-bit integers, its bytes zero-padded
    (no byte of a token is zero), hashed into a table that keeps each slot's
    first token: the tokens equal to it take its number.  Tokens whose slot
    another token holds are hashed again; the last few, and longer tokens,
    are numbered with a dictionary of their bytes.
    """
    lengths = ends - starts
    run = np.full(len(starts), -1, dtype=np.int64)
    pending = np.flatnonzero(lengths <= _KEY_BYTES)
    words = np.ndarray(
        (len(data) + _KEY_BYTES - 7,), dtype="<u8", buffer=data + bytes(_KEY_BYTES), strides=(1,)
    )
    at, size = starts[pending], lengths[pending]
    low = words[at] & _LOW_BYTES[np.minimum(size, 8)]
    high = np.zeros(len(pending), dtype=np.uint64)
    longer = np.flatnonzero(size > 8)
    high[longer] = words[at[longer] + 8] & _LOW_BYTES[size[longer] - 8]
    firsts: list[IntArray] = []
    numbered = 0
    for mix in _MIXES:
        if len(pending) < _FEW_TOKENS:
            break
        count = len(pending)
        bits = max(count.bit_length(), 8)
        slot = (((high * _MIX_HIGH) ^ low) * mix) >> np.uint64(64 - bits)
        table = np.full(1 << bits, count, dtype=np.int64)
        np.minimum.at(table, slot, np.arange(count, dtype=np.int64))
        held = table[slot]
        same = (low == low[held]) & (high == high[held])
        holder = np.zeros(count, dtype=np.bool_)
        holder[held[same]] = True
        distinct = np.flatnonzero(holder)
        number = np.empty(count, dtype=np.int64)
        number[distinct] = np.arange(numbered, numbered + len(distinct), dtype=np.int64)
        run[pending[same]] = number[held[same]]
        firsts.append(pending[distinct])
        numbered += len(distinct)
        pending, low, high = pending[~same], low[~same], high[~same]
    rest = np.flatnonzero(run < 0)
    numbers: dict[bytes, int] = {}
    rest_firsts: list[int] = []
    found: list[int] = []
    for token, start, end in zip(
        rest.tolist(), starts[rest].tolist(), ends[rest].tolist(), strict=True
    ):
        key = data[start:end]
        value = numbers.get(key)
        if value is None:
            value = numbers[key] = numbered + len(rest_firsts)
            rest_firsts.append(token)
        found.append(value)
    run[rest] = found
    return run, np.concatenate((*firsts, np.array(rest_firsts, dtype=np.int64)))


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


def _spread(
    word_ids: IntArray, sentence: IntArray, run: IntArray, several: dict[int, list[int]]
) -> tuple[IntArray, IntArray]:
    """Word ids and sentences when some tokens hold no word (id -1) or more than one.

    A token of several words keeps the first in its place; the others are
    inserted after it.
    """
    many = {index: found for index, found in several.items() if found}
    if many:
        spread = np.zeros(int(run.max()) + 1, dtype=np.bool_)
        spread[list(many)] = True
        places = np.flatnonzero(spread[run])
        inserted: list[int] = []
        after: list[int] = []
        for place, index in zip(places.tolist(), run[places].tolist(), strict=True):
            first, *others = many[index]
            word_ids[place] = first
            inserted.extend(others)
            after.extend([place + 1] * len(others))
        word_ids = np.insert(word_ids, after, inserted)
        sentence = np.insert(sentence, after, sentence[np.array(after, dtype=np.int64) - 1])
    kept = word_ids >= 0
    return word_ids[kept], sentence[kept]


def _run_words(run: str) -> Sequence[str]:
    """The words in a run of letters, apostrophes, hyphens and non-ASCII characters.

    ASCII punctuation, digits and spaces never belong to a word, so splitting
    on them first leaves the same words as the regular expression finds.
    """
    words: list[str] = _WORD.findall(run)
    if "'" in run or "’" in run:
        return [_POSSESSIVE.sub("", word) for word in words]
    return words


@lru_cache(maxsize=4096)
def _sentences(code: str, text: str) -> tuple[str, ...]:
    found: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for sentence in segment(code, line):
            found.extend(part.strip() for part in _MISSED_BOUNDARY.split(sentence))
    return tuple(sentence for sentence in found if sentence)

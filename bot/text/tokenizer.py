"""Offline sentence and word tokenization.

sumy's stock ``Tokenizer`` loads NLTK's punkt data for both sentences and
words, which is a download that fails on a fresh or offline machine.
:class:`Tokenizer` offers the same two methods (``to_sentences`` and
``to_words``) with no data to fetch: sentences come from ``sentencex``
(a rule-based splitter that ships its abbreviation lists in its wheel), words
from a Unicode regular expression.

Text is split on line breaks before sentences are looked for, so a sentence
never crosses a line (headings and list items stay on their own).

:meth:`Tokenizer.word_ids` finds the same words in many sentences at once,
numbered by distinct word, with numpy over the text's UTF-8 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.errors import ConfigError
from bot.text.sentences import line_sentences, split_paragraphs
from bot.text.token_table import number_runs

__all__ = ["LANGUAGES", "Tokenizer", "WordIds", "language_code"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

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


def language_code(language: str) -> str:
    """The ISO code for one of sumy's language names, or a ConfigError."""
    try:
        return LANGUAGES[language.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ConfigError(f"unsupported language {language!r}; choose one of: {known}") from None


class Tokenizer:
    """A download-free tokenizer with the interface sumy's parsers expect."""

    __slots__ = ("_code", "_detects", "_language")

    def __init__(self, language: str = "english") -> None:
        self._code = language_code(language)
        self._language = language.strip().lower()
        self._detects = False

    @classmethod
    def detecting(cls, fallback: str = "english") -> Tokenizer:
        """A tokenizer for text whose language is not known yet.

        It reads as ``fallback``; a parser that is handed one detects the
        text's language (see :func:`bot.text.parsing.assemble_outline`) and reads it in that.
        """
        tokenizer = cls(fallback)
        tokenizer._detects = True
        return tokenizer

    @property
    def detects(self) -> bool:
        """Whether the reader of a text should detect its language (see :meth:`detecting`)."""
        return self._detects

    @property
    def language(self) -> str:
        return self._language

    def __repr__(self) -> str:
        if self._detects:
            return f"Tokenizer.detecting({self._language!r})"
        return f"Tokenizer({self._language!r})"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return line_sentences(self._code, paragraph)

    def to_sentences_many(self, paragraphs: Sequence[str]) -> list[tuple[str, ...]]:
        """:meth:`to_sentences` of each paragraph (in batches, see :mod:`bot.text.sentences`)."""
        return split_paragraphs(self._code, paragraphs)

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
        in the UTF-8 bytes of the sentences.  A token is a run of bytes
        that are letters, apostrophes, hyphens or part of a non-ASCII
        character (no other ASCII character belongs to a word); equal tokens
        are numbered by :func:`bot.text.token_table.number_runs`, and each distinct token is
        split into words once: a run of letters is one word, any other token
        goes through the regular expression.
        """
        if not sentences:
            return WordIds([], [])
        runs = number_runs(sentences, _IN_WORDS, _SENTENCE_BREAK)
        if runs is None:  # a sentence holds the separator
            return WordIds.of_lists([self.to_words(sentence) for sentence in sentences])
        table, chunks = runs.table, runs.parts
        # Distinct tokens in order of first appearance, so that words are
        # numbered in order of first appearance too.
        ids: dict[str, int] = {}
        word_of_run = np.empty(len(table.tokens), dtype=np.int64)
        several: dict[int, list[int]] = {}  # tokens of more than one word
        for index in runs.order().tolist():
            token = table.tokens[index]
            if token.isalpha():  # letters only (any script): one word, as the expression finds
                word_of_run[index] = ids.setdefault(token, len(ids))
                continue
            found = [ids.setdefault(word, len(ids)) for word in _run_words(token)]
            word_of_run[index] = found[0] if found else -1  # -1: no word
            if len(found) > 1:
                several[index] = found
        spread = np.zeros(len(word_of_run), dtype=np.bool_)
        spread[list(several)] = True
        all_ids: list[IntArray] = []
        all_sentences: list[IntArray] = []
        for low, high, run, counts in chunks:
            word_ids = word_of_run[run]
            sentence = np.repeat(np.arange(low, high, dtype=np.int64), counts)
            if several:
                word_ids, sentence = _spread(word_ids, sentence, run, spread, several)
            kept = word_ids >= 0
            if not kept.all():
                word_ids, sentence = word_ids[kept], sentence[kept]
            all_ids.append(word_ids)
            all_sentences.append(sentence)
        return WordIds(list(ids), list(zip(all_ids, all_sentences, strict=True)))


@dataclass(frozen=True, slots=True)
class WordIds:
    """The words of many sentences: ``words[ids[k]]`` is the k-th word, in sentence ``sentence[k]``.

    ``words`` holds each distinct word once, in order of first appearance;
    ``ids`` and ``sentence`` follow the words in order, repeats kept.  They
    are kept in ``parts``: (ids, sentence) of consecutive runs of words.
    """

    words: list[str]
    parts: list[tuple[IntArray, IntArray]]

    @property
    def ids(self) -> IntArray:
        return np.concatenate([ids for ids, _ in self.parts]) if self.parts else _no_ids()

    @property
    def sentence(self) -> IntArray:
        return np.concatenate([found for _, found in self.parts]) if self.parts else _no_ids()

    @classmethod
    def of_lists(cls, sentences: Sequence[Sequence[str]]) -> WordIds:
        """From each sentence's words."""
        ids: dict[str, int] = {}
        flat = [ids.setdefault(word, len(ids)) for words in sentences for word in words]
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        sentence = np.repeat(np.arange(len(sentences), dtype=np.int64), lengths)
        return cls(list(ids), [(np.array(flat, dtype=np.int64), sentence)])


def _no_ids() -> IntArray:
    return np.zeros(0, dtype=np.int64)


def _spread(
    word_ids: IntArray,
    sentence: IntArray,
    run: IntArray,
    spread: BoolArray,
    several: dict[int, list[int]],
) -> tuple[IntArray, IntArray]:
    """Word ids and sentences where some tokens (``spread[run]``) hold several words.

    Such a token keeps its first word in its place; the others are inserted
    after it.
    """
    places = np.flatnonzero(spread[run])
    inserted: list[int] = []
    after: list[int] = []
    for place, index in zip(places.tolist(), run[places].tolist(), strict=True):
        others = several[index][1:]
        inserted.extend(others)
        after.extend([place + 1] * len(others))
    if not inserted:
        return word_ids, sentence
    at = np.array(after, dtype=np.int64)
    return np.insert(word_ids, at, inserted), np.insert(sentence, at, sentence[at - 1])


def _run_words(run: str) -> Sequence[str]:
    """The words in a run of letters, apostrophes, hyphens and non-ASCII characters.

    ASCII punctuation, digits and spaces never belong to a word, so splitting
    on them first leaves the same words as the regular expression finds.
    """
    words: list[str] = _WORD.findall(run)
    if "'" in run or "’" in run:
        return [_POSSESSIVE.sub("", word) for word in words]
    return words

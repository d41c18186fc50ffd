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
from functools import lru_cache

from sentencex import segment

from bot.errors import ConfigError

__all__ = ["LANGUAGES", "Tokenizer", "language_code"]

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
_ASCII_SEPARATORS = bytes(
    code if chr(code).isalpha() or chr(code) in "'-" else 0x20 for code in range(128)
) + b" " * 128
# For many sentences at once (UTF-8 bytes): the same, keeping the sentence
# separator \x01 and every byte of a multi-byte character.
_SENTENCE_BREAK = "\x01"
_UTF8_SEPARATORS = bytes(
    code if code >= 0x80 or code == 1 or chr(code).isalpha() or chr(code) in "'-" else 0x20
    for code in range(256)
)

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

        The same words as :meth:`to_words` gives one sentence at a time, found
        with one translation of all the text: every ASCII character that is not
        a letter, an apostrophe or a hyphen becomes a space, each sentence is
        split on spaces, and only the runs that hold an apostrophe, a hyphen
        or a non-ASCII character go through the regular expression.
        """
        if not sentences:
            return [], []
        joined = _SENTENCE_BREAK.join(sentences)
        if joined.count(_SENTENCE_BREAK) != len(sentences) - 1:
            words = [self.to_words(sentence) for sentence in sentences]
            return [word for group in words for word in group], [len(group) for group in words]
        translated = (
            joined.encode("utf-8", "surrogatepass")
            .translate(_UTF8_SEPARATORS)
            .decode("utf-8", "surrogatepass")
        )
        flat: list[str] = []
        counts: list[int] = []
        for part in translated.split(_SENTENCE_BREAK):
            found = part.split()
            if not (part.isascii() and "'" not in part and "-" not in part):
                # A run of letters only (any script) is one word, as the expression finds it.
                found = [w for run in found for w in ((run,) if run.isalpha() else _run_words(run))]
            flat.extend(found)
            counts.append(len(found))
        return flat, counts


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

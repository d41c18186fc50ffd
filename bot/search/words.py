"""The words search looks for: every word, number, hyphen part and acronym of a text.

Summaries keep sumy's words (letters only) and stop words; search needs more,
since a question may be a year, a figure or a name:

- numbers are kept: ``2023``, ``16%`` and ``$11`` are ``2023``, ``16`` and
  ``11``; ``1,000`` is ``1000``; ``5.4`` stays ``5.4``;
- words with digits stay whole: ``49ers``, ``1990s``, ``COVID-19``;
- a hyphenated word is each of its parts and the whole: ``gold-themed`` is
  ``gold``, ``themed`` and ``gold-themed``;
- an acronym with dots is its letters: ``U.S.`` is ``us``, never a stop word;
  so is a word in capitals (``US``, ``IT``);
- possessives go: ``Levi's`` is ``levi``; accents go in languages written
  in Latin letters: ``Gospić`` is ``gospic``;
- an English irregular past form is its verb: ``won`` is ``win``
  (:mod:`bot.search.irregular_verbs`);
- the other words are lower-cased and stemmed, and stop words
  (:func:`bot.text.stop_words.search_stop_words`, where number words and
  ordinals are not stop words) are left out.

A document's text is split at spaces in one pass; each distinct chunk is
split into tokens once, and each distinct token turned into terms once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.search.irregular_verbs import base_form
from bot.text.chunks import Chunks, text_chunks
from bot.text.stemmers import stemmer_for
from bot.text.stop_words import search_stop_words

__all__ = ["TOKEN", "SearchWords", "Tokens", "is_name_like"]

IntArray = npt.NDArray[np.int64]

# A chunk is letters and digits, joined by an apostrophe before a letter
# ("don't", "Levi's") or by a point or comma between digits ("5.4", "1,000").
_CHUNK: Final = r"[^\W_]+(?:(?:['’](?=[^\W\d_])|(?<=\d)[.,](?=\d))[^\W_]+)*"
#: A token: an acronym with dots, or chunks joined by hyphens, with "$" or "%" around.
TOKEN: Final = re.compile(rf"(?:[^\W\d_]\.){{2,}}|\$?{_CHUNK}(?:-{_CHUNK})*%?")
# Runs of letters and digits within a chunk; no token spans two runs.
_RUN: Final = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*")
# Characters that are never part of a run, often at a chunk's ends ("(word),").
_EDGES: Final = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»–—…"
_POSSESSIVE_ENDS: Final = ("'s", "’s")
# A run that is an acronym whose last point the run left out ("U.S").
_DOTTED: Final = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_ACRONYM: Final = re.compile(r"(?:[^\W\d_]\.){2,}")
_POSSESSIVE: Final = re.compile(r"['’]s$", re.IGNORECASE)
_LATIN_SCRIPT: Final = frozenset(
    [
        "czech",
        "english",
        "french",
        "german",
        "italian",
        "portuguese",
        "slovak",
        "spanish",
        "swedish",
    ]
)
_HAS_DIGIT: Final = re.compile(r"\d")
_DIGIT_GROUPS: Final = re.compile(r"(?<=\d),(?=\d{3})")


def is_name_like(token: str) -> bool:
    """Whether ``token`` is written as a name: a capital first, or in capitals."""
    return token[:1].isupper()


def _is_capitals(part: str) -> bool:
    return len(part) >= 2 and part.isupper() and part.isalpha()


#: The chunks of many sentences (:func:`bot.text.chunks.text_chunks`).
Tokens = Chunks


class SearchWords:
    """Turns tokens into search terms for one language; each distinct token is looked at once."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._stem = stemmer_for(language)
        self._stop_words = search_stop_words(language)
        self._memo: dict[str, tuple[str, ...]] = {}
        self._english = language == "english"
        self._latin = language in _LATIN_SCRIPT

    def is_stop_word(self, word: str) -> bool:
        return word.lower() in self._stop_words

    def stem(self, word: str) -> str:
        return str(self._stem(word.lower()))

    def tokens(self, text: str) -> list[str]:
        return TOKEN.findall(text)

    def terms(self, token: str) -> tuple[str, ...]:
        """The terms of one token (none for a stop word), in order, the whole compound last."""
        found = self._memo.get(token)
        if found is None:
            found = self._terms(token)
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[token] = found
        return found

    def part_term(self, part: str) -> str | None:
        """The term of one part of a token (no hyphens), or None for a stop word."""
        if not part.isalpha():
            part = _POSSESSIVE.sub("", part).strip("'’$%")
            if not part:
                return None
            if _HAS_DIGIT.search(part):
                return _DIGIT_GROUPS.sub("", part).lower()
        lower = part.lower()
        if self._english:
            lower = base_form(lower)
        if lower in self._stop_words and not _is_capitals(part):
            return None
        return self.fold(str(self._stem(lower)))

    def fold(self, term: str) -> str:
        """``term`` without accents, in a language written in Latin letters ("gospić": "gospic")."""
        if term.isascii() or not self._latin:
            return term
        return "".join(
            c for c in unicodedata.normalize("NFKD", term) if not unicodedata.combining(c)
        )

    def _terms(self, token: str) -> tuple[str, ...]:
        if token.isalpha():
            term = self.part_term(token)
            return () if term is None else (term,)
        if _ACRONYM.fullmatch(token):
            return (token.replace(".", "").lower(),)
        parts = [part for part in token.split("-") if part.strip("$%")]
        found = [term for term in map(self.part_term, parts) if term is not None]
        if len(parts) > 1:
            whole = "-".join(_POSSESSIVE.sub("", p).strip("$%").lower() for p in parts)
            found.append(whole)
        return tuple(found)

    def chunk_tokens(self, chunk: str) -> list[str]:
        """The tokens of a chunk of :meth:`document_chunks` (text between spaces)."""
        if chunk.isalnum():
            return [chunk]
        core = chunk.strip(_EDGES)
        if core.isalnum():  # letters and digits between punctuation: one token
            return [core]
        if not core:
            return []
        if "--" not in core and core.replace("-", "").isalnum():  # "gold-themed": one token
            return [core]
        if core[-2:] in _POSSESSIVE_ENDS and core[:-2].isalnum():  # "Levi's": one token
            return [core]
        return [
            token
            for run in _RUN.findall(chunk)
            for token in TOKEN.findall(run + "." if _DOTTED.fullmatch(run) else run)
        ]

    def document_chunks(self, sentences: Sequence[str]) -> Tokens:
        """Every chunk of ``sentences`` (text between spaces), found in one pass over their text.

        No token spans a space, so each distinct chunk is split into tokens
        once (:meth:`chunk_tokens`): first into runs of letters and digits
        joined by hyphens, apostrophes, points and commas, then each run by
        :data:`TOKEN`.
        """
        return text_chunks(sentences)

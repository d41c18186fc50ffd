"""The terms search uses for a text: words turned into stems, stop words left out.

:class:`Terms` is the language's :class:`~bot.search.words.SearchWords`, each
term's related terms (:mod:`bot.search.related_words`), and a memory of the
terms of texts read again and again (section titles, repeated questions).
Names are the index's own (:mod:`bot.search.index`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.search.related_words import related_groups
from bot.search.words import SearchWords
from bot.text.tokenizer import Tokenizer

__all__ = ["Terms"]

#: Texts whose terms :meth:`Terms.of` remembers (section titles, repeated questions).
_MEMO_TEXTS: Final = 4096


class Terms:
    """Turns text into the terms search uses (language-aware); no names (see the index)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        self.words = SearchWords(tokenizer.language)
        self._of: dict[str, tuple[str, ...]] = {}
        #: Each term's related terms (:mod:`bot.search.related_words`).
        self.related: dict[str, tuple[str, ...]] = {}
        for group in related_groups(tokenizer.language):
            stems = [self.words.stem(word) for word in group]
            for stem in stems:
                self.related[stem] = tuple(s for s in stems if s != stem)

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer

    @property
    def language(self) -> str:
        return self._tokenizer.language

    def stem(self, word: str) -> str:
        return self.words.stem(word)

    def is_stop_word(self, word: str) -> bool:
        return self.words.is_stop_word(word)

    def term(self, word: str) -> str | None:
        """The term of one word (no hyphens), or None for a stop word."""
        return self.words.part_term(word)

    def terms(self, words: Sequence[str]) -> list[str | None]:
        """:meth:`term` of each of ``words``."""
        return [self.term(word) for word in words]

    def of(self, text: str) -> list[str]:
        """The terms of ``text``, in order, stop words left out."""
        found = self._of.get(text)
        if found is None:
            found = tuple(t for token in self.words.tokens(text) for t in self.words.terms(token))
            if len(self._of) >= _MEMO_TEXTS:
                self._of.clear()
            self._of[text] = found
        return list(found)

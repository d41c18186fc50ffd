"""The name of an article's untitled first section.

Text before an article's first heading is its introduction. It is called
"Introduction" in the article's language (``Introducción`` in Spanish,
``Einleitung`` in German, ...); when the language is not known (too little
text to tell it, with ``LANGUAGE=auto``), it is called by its first words.
``/summary intro``, or the word for introduction in any of these languages,
finds it whatever it is called.
"""

from __future__ import annotations

import unicodedata

__all__ = ["INTRO_TITLES", "first_words", "intro_title", "is_intro_word"]

#: "Introduction", as a section heading, in each language the bot reads.
INTRO_TITLES: dict[str, str] = {
    "arabic": "مقدمة",
    "czech": "Úvod",
    "english": "Introduction",
    "french": "Introduction",
    "german": "Einleitung",
    "greek": "Εισαγωγή",
    "hebrew": "מבוא",
    "italian": "Introduzione",
    "portuguese": "Introdução",
    "slovak": "Úvod",
    "spanish": "Introducción",
    "swedish": "Inledning",
    "ukrainian": "Вступ",
}
_FIRST_WORDS = 6
_TRAILING = " ,;:.!?…-–—"


def _folded(text: str) -> str:
    """Case-folded, without accents: ``"Introducción"`` -> ``"introduccion"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_INTRO_WORDS = frozenset(
    _folded(word)
    for word in ("intro", "introduction", "opening", "beginning", *INTRO_TITLES.values())
)


def is_intro_word(text: str) -> bool:
    """Whether ``text`` asks for the introduction (``intro``, ``Einleitung``, ``introduccion``)."""
    return _folded(text.strip()) in _INTRO_WORDS


def intro_title(language: str, first_sentence: str) -> str:
    """The introduction's name in ``language``, or its first words for another language."""
    return INTRO_TITLES.get(language) or first_words(first_sentence)


def first_words(sentence: str) -> str:
    """The first six words, then "…" if there are more: ``"The study began in 2019 and…"``."""
    words = sentence.split()
    shown = " ".join(words[:_FIRST_WORDS]).rstrip(_TRAILING)
    return f"{shown}…" if len(words) > _FIRST_WORDS else shown

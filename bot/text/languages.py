"""Which language an article is written in: from its file name, a setting, or its text.

An article's language picks sumy's stop words and stemmer and the sentence
rules. It is, in order of precedence:

1. a language code before the extension of a file name (``eternauta.es.md``);
2. the ``LANGUAGE`` setting, unless it is ``auto``;
3. detected from the text: the language whose stop-word list (sumy's) covers
   the most of the article's words. Detection is offline and needs a few dozen
   words; with too little evidence it answers the fallback (English).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import PurePath

from bot.text.stemmers import stop_words_for
from bot.text.tokenizer import LANGUAGES

__all__ = [
    "AUTO",
    "FALLBACK",
    "SAMPLE_CHARS",
    "detect_language",
    "language_in_name",
    "language_shares",
    "set_language",
]

AUTO = "auto"
FALLBACK = "english"

#: Fewer words than this and detection does not guess.
MIN_WORDS = 20
#: The winner must cover at least this share of the words...
MIN_SHARE = 0.15
#: ...and beat the runner-up by this factor.
MIN_LEAD = 1.2
#: Detection reads this many characters of the text.
SAMPLE_CHARS = 50_000

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CODES = {code: language for language, code in LANGUAGES.items()}


@cache
def _stop_words(language: str) -> frozenset[str]:
    return frozenset(map(str.lower, stop_words_for(language)))


def language_shares(text: str) -> dict[str, float]:
    """For each supported language, the share of ``text``'s words that are its stop words."""
    return _shares(_WORD.findall(text[:SAMPLE_CHARS]))


def _shares(words: list[str]) -> dict[str, float]:
    counts = Counter(map(str.lower, words))
    total = sum(counts.values())
    if not total:
        return {language: 0.0 for language in LANGUAGES}
    return {
        language: sum(map(counts.__getitem__, _stop_words(language).intersection(counts))) / total
        for language in LANGUAGES
    }


def detect_language(text: str, fallback: str = FALLBACK) -> str:
    """The language of ``text`` by stop-word overlap, or ``fallback`` when unsure."""
    words = _WORD.findall(text[:SAMPLE_CHARS])
    if len(words) < MIN_WORDS:
        return fallback
    ranked = sorted(_shares(words).items(), key=lambda item: -item[1])
    (best, share), (_, runner_up) = ranked[0], ranked[1]
    if share < MIN_SHARE or share < runner_up * MIN_LEAD:
        return fallback
    return best


def language_in_name(name: str) -> str | None:
    """``"eternauta.es.md"`` -> ``"spanish"``; ``None`` when the name has no code."""
    suffixes = PurePath(name).suffixes
    if len(suffixes) < 2:
        return None
    return _CODES.get(suffixes[-2].lstrip(".").lower())


def set_language(setting: str, *, name: str = "") -> str | None:
    """The language file ``name`` is read in when its name or the setting says it;
    ``None`` when it is detected from the text (the setting is ``auto``)."""
    return language_in_name(name) or (setting if setting != AUTO else None)

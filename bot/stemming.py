"""Stemmers and stop words, without importing NLTK or sumy's heavy modules.

sumy stems English with NLTK's Snowball ``EnglishStemmer``, and importing any
of sumy's stemmers imports all of ``nltk`` (about 1.5 s of start-up, most of
it libraries the bot never calls).  :func:`english_stem` is our own
implementation of the Snowball English ("Porter2") algorithm that reproduces
NLTK's version exactly, including the way NLTK keeps the R1 and R2 regions as
strings and trims them alongside the word (which makes a few stems, such as
``realization`` -> ``realize``, differ from the reference Snowball code and
from the ``snowballstemmer`` package).  ``tests/test_stemming.py`` compares it
with NLTK's stemmer word for word.

Other languages use sumy's stemmer, imported only when asked for.  Stop words
are sumy's lists, read as package data (``sumy/data/stopwords``) without
importing ``sumy.utils`` (which imports ``requests`` and ``pycountry``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any, Final

__all__ = ["WordTerms", "english_stem", "forget_stems", "stemmer_for", "stop_words_for"]

Stem = Callable[[str], str]

_VOWELS: Final = frozenset("aeiouy")
_DOUBLES: Final = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_LI_ENDINGS: Final = frozenset("cdeghkmnrt")
_VOWEL_CONSONANT: Final = re.compile(r"[aeiouy][^aeiouy]", re.DOTALL)
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201b": "'"})

#: Words with a fixed stem (checked before anything else).
_EXCEPTIONS: Final = {
    "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
    "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
    "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
    "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    **{word: stem for stem in ("inning", "outing", "canning", "herring", "earring")
       for word in (stem, stem + "s")},
    **{word: stem for stem in ("proceed", "exceed", "succeed")
       for word in (stem, stem + "s", stem + "ed", stem + "ing")},
}  # fmt: skip

# A rule of steps 2-4 is ("cut", n) to drop n letters, or ("swap", ending,
# r2_when_short) to replace the suffix, or a conditional variant.  Suffixes
# are tried in this order and only the first one the word ends with counts.
Rule = tuple[Any, ...]
_STEP2: Final[dict[str, Rule]] = {
    "ization": ("swap", "ize", ""), "ational": ("swap", "ate", "e"),
    "fulness": ("cut", 4), "ousness": ("swap", "ous", ""), "iveness": ("swap", "ive", "e"),
    "tional": ("cut", 2), "biliti": ("swap", "ble", ""), "lessli": ("cut", 2),
    "entli": ("cut", 2), "ation": ("swap", "ate", "e"), "alism": ("swap", "al", ""),
    "aliti": ("swap", "al", ""), "ousli": ("swap", "ous", ""), "iviti": ("swap", "ive", "e"),
    "fulli": ("cut", 2), "enci": ("last", "e"), "anci": ("last", "e"), "abli": ("last", "e"),
    "izer": ("swap", "ize", ""), "ator": ("swap", "ate", "e"), "alli": ("swap", "al", ""),
    "bli": ("swap", "ble", ""), "ogi": ("ogi",), "li": ("li",),
}  # fmt: skip
_STEP3: Final[dict[str, Rule]] = {
    "ational": ("swap", "ate", ""), "tional": ("cut", 2), "alize": ("cut", 3),
    "icate": ("swap", "ic", ""), "iciti": ("swap", "ic", ""), "ative": ("ative",),
    "ical": ("swap", "ic", ""), "ness": ("cut", 4), "ful": ("cut", 3),
}  # fmt: skip
_STEP2_SUFFIXES: Final = tuple(_STEP2)
_STEP3_SUFFIXES: Final = tuple(_STEP3)
_STEP4: Final = (
    "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism",
    "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic",
)  # fmt: skip
_STEP1B: Final = ("eedly", "ingly", "edly", "eed", "ing", "ed")
#: Every ending some step looks at (step 0's apostrophe, 1a's s, 1b, 1c's y, 2-4, 5's e and l).
_ANY_SUFFIX: Final = ("'", "s", "ed", "ing", "y", *_STEP2, *_STEP3, *_STEP4, "e", "l")


class _Word:
    """A word being stemmed, with its R1 and R2 regions trimmed alongside it."""

    __slots__ = ("r1", "r2", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        if text.startswith(("gener", "arsen")):
            self.r1 = text[5:]
        elif text.startswith("commun"):
            self.r1 = text[6:]
        else:
            self.r1 = _after_vowel_consonant(text)
        self.r2 = _after_vowel_consonant(self.r1)

    def cut(self, count: int) -> None:
        self.text = self.text[:-count]
        self.r1 = self.r1[:-count]
        self.r2 = self.r2[:-count]

    def swap(self, length: int, ending: str, r2_when_short: str = "") -> None:
        """Replace the last ``length`` letters with ``ending`` (regions too, if long enough)."""
        self.text = self.text[:-length] + ending
        self.r1 = self.r1[:-length] + ending if len(self.r1) >= length else ""
        self.r2 = self.r2[:-length] + ending if len(self.r2) >= length else r2_when_short


def _after_vowel_consonant(text: str) -> str:
    """The region after the first non-vowel that follows a vowel (R1 of ``text``)."""
    found = _VOWEL_CONSONANT.search(text)
    return text[found.end() :] if found else ""


def _has_vowel(text: str) -> bool:
    return not _VOWELS.isdisjoint(text)


def _mark_consonant_y(word: str) -> str:
    """Initial y, and y after a vowel, become Y (a consonant), left to right."""
    if word.startswith("y"):
        word = "Y" + word[1:]
    if "y" not in word:
        return word
    letters = list(word)
    for index in range(1, len(letters)):
        if letters[index] == "y" and letters[index - 1] in _VOWELS:
            letters[index] = "Y"
    return "".join(letters)


def english_stem(word: str) -> str:
    """The Snowball English stem of ``word``, exactly as NLTK's ``EnglishStemmer`` gives it."""
    word = word.lower()
    if len(word) <= 2:
        return word
    fixed = _EXCEPTIONS.get(word)
    if fixed is not None:
        return fixed
    if not word.isascii():
        word = word.translate(_APOSTROPHES)
    if word.startswith("'"):
        word = word[1:]
    if not word.endswith(_ANY_SUFFIX):
        return word  # no step can apply: Y marks would be undone, regions unused
    state = _Word(_mark_consonant_y(word))
    _step0(state)
    _step1a(state)
    _step1b(state)
    _step1c(state)
    _step2(state)
    _step3(state)
    _step4(state)
    _step5(state)
    return state.text.replace("Y", "y")


def _step0(word: _Word) -> None:
    if "'" not in word.text[-3:]:
        return
    for suffix in ("'s'", "'s", "'"):
        if word.text.endswith(suffix):
            word.cut(len(suffix))
            return


def _step1a(word: _Word) -> None:
    text = word.text
    if text.endswith("sses"):
        word.cut(2)
    elif text.endswith(("ied", "ies")):
        word.cut(2 if len(text) > 4 else 1)
    elif text.endswith(("us", "ss")):
        return
    elif text.endswith("s") and _has_vowel(text[:-2]):
        word.cut(1)


def _step1b(word: _Word) -> None:
    if not word.text.endswith(_STEP1B):
        return
    suffix = next(s for s in _STEP1B if word.text.endswith(s))
    if suffix in ("eed", "eedly"):
        if word.r1.endswith(suffix):
            word.swap(len(suffix), "ee")
        return
    if not _has_vowel(word.text[: -len(suffix)]):
        return
    word.cut(len(suffix))
    text = word.text
    if text.endswith(("at", "bl", "iz")):
        word.text += "e"
        word.r1 += "e"
        if len(word.text) > 5 or len(word.r1) >= 3:
            word.r2 += "e"
    elif text.endswith(_DOUBLES):
        word.cut(1)
    elif word.r1 == "" and _is_short(text):
        word.text += "e"
        if word.r2:
            word.r2 += "e"


def _is_short(text: str) -> bool:
    """Ends in a short syllable (the word's R1 being empty is checked by the caller)."""
    if len(text) >= 3:
        return (
            text[-1] not in _VOWELS
            and text[-1] not in "wxY"
            and text[-2] in _VOWELS
            and text[-3] not in _VOWELS
        )
    return len(text) == 2 and text[0] in _VOWELS and text[1] not in _VOWELS


def _step1c(word: _Word) -> None:
    text = word.text
    if len(text) > 2 and text[-1] in "yY" and text[-2] not in _VOWELS:
        word.swap(1, "i")


def _step2(word: _Word) -> None:
    if not word.text.endswith(_STEP2_SUFFIXES):
        return
    suffix = next(s for s in _STEP2 if word.text.endswith(s))
    if word.r1.endswith(suffix):
        _apply(word, suffix, _STEP2[suffix])


def _step3(word: _Word) -> None:
    if not word.text.endswith(_STEP3_SUFFIXES):
        return
    suffix = next(s for s in _STEP3 if word.text.endswith(s))
    if word.r1.endswith(suffix):
        _apply(word, suffix, _STEP3[suffix])


def _apply(word: _Word, suffix: str, rule: Rule) -> None:
    kind = rule[0]
    if kind == "cut":
        word.cut(rule[1])
    elif kind == "swap":
        word.swap(len(suffix), rule[1], rule[2])
    elif kind == "last":
        word.swap(1, rule[1])
    elif kind == "ogi":
        if word.text[-4] == "l":
            word.cut(1)
    elif kind == "li":
        if word.text[-3] in _LI_ENDINGS:
            word.cut(2)
    elif kind == "ative" and word.r2.endswith(suffix):
        word.cut(5)


def _step4(word: _Word) -> None:
    if not word.text.endswith(_STEP4):
        return
    suffix = next(s for s in _STEP4 if word.text.endswith(s))
    if not word.r2.endswith(suffix):
        return
    if suffix != "ion":
        word.cut(len(suffix))
    elif word.text[-4] in "st":
        word.cut(3)


def _step5(word: _Word) -> None:
    if _drops_final_letter(word):
        word.text = word.text[:-1]


def _drops_final_letter(word: _Word) -> bool:
    text = word.text
    if word.r2.endswith("l") and text[-2] == "l":
        return True
    if word.r2.endswith("e"):
        return True
    return (
        word.r1.endswith("e")
        and len(text) >= 4
        and (
            text[-2] in _VOWELS
            or text[-2] in "wxY"
            or text[-3] not in _VOWELS
            or text[-4] in _VOWELS
        )
    )


# -- per language ---------------------------------------------------------------

#: Languages whose sumy stemmer is reproduced here (the rest import sumy's).
NATIVE_STEMMERS: Final[dict[str, Stem]] = {"english": english_stem}


#: Stems remembered per native stemmer (shared by summaries and search).
STEM_MEMO_SIZE: Final = 1 << 18


@lru_cache(maxsize=32)
def stemmer_for(language: str) -> Stem:
    """The stemmer sumy uses for ``language`` (ours where we have it, else sumy's).

    Ours remember their stems (they are pure functions): every article in a
    language shares the work.  :func:`forget_stems` empties that memory.
    """
    key = language.strip().lower()
    native = NATIVE_STEMMERS.get(key)
    if native is not None:
        return lru_cache(maxsize=STEM_MEMO_SIZE)(native)
    from sumy.nlp.stemmers import Stemmer  # imports nltk: only for other languages

    stemmer: Stem = Stemmer(key)
    return stemmer


def forget_stems() -> None:
    """Empty the native stemmers' memory (so a benchmark can start cold)."""
    stemmer_for.cache_clear()


class WordTerms:
    """A word's term: its lower-cased stem, or None for a stop word; remembered.

    This is sumy's ``_to_words_set`` for one word (lower-case, drop stop
    words, stem).  Stems are pure functions of the word, so the memo is safe
    to share between threads; it is emptied when it reaches ``max_words``.
    """

    __slots__ = ("_memo", "_stem", "_stop_words", "max_words")

    def __init__(self, language: str, stop_words: frozenset[str], max_words: int = 500_000) -> None:
        self._stem = stemmer_for(language)
        self._stop_words = stop_words
        self._memo: dict[str, str | None] = {}
        self.max_words = max_words

    def __repr__(self) -> str:
        return f"WordTerms({len(self._memo)} words)"

    def __call__(self, word: str) -> str | None:
        memo = self._memo
        if word in memo:
            return memo[word]
        lower = word.lower()
        term = None if lower in self._stop_words else str(self._stem(lower))
        if len(memo) >= self.max_words:
            memo.clear()
        memo[word] = term
        return term


@lru_cache(maxsize=32)
def stop_words_for(language: str) -> frozenset[str]:
    """sumy's stop words for ``language`` (empty when it has none)."""
    name = language.strip().lower()
    if not name.isalpha():
        return frozenset()
    try:
        data = resources.files("sumy").joinpath(f"data/stopwords/{name}.txt").read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return frozenset()
    return frozenset(line.rstrip() for line in data.decode("utf-8").splitlines() if line)

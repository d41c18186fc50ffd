"""The Snowball English ("Porter2") stemmer, exactly as NLTK's ``EnglishStemmer`` stems.

Our own implementation of the algorithm that reproduces NLTK's version
exactly, including the way NLTK keeps the R1 and R2 regions as strings and
trims them alongside the word (which makes a few stems, such as
``realization`` -> ``realize``, differ from the reference Snowball code and
from the ``snowballstemmer`` package).  ``tests/chat/test_fast_path.py`` compares
it with NLTK's stemmer word for word.  Importing it imports nothing else.
"""

from __future__ import annotations

import re
from typing import Any, Final

__all__ = ["english_stem"]

_VOWELS: Final = frozenset("aeiouy")
_DOUBLES: Final = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_LI_ENDINGS: Final = frozenset("cdeghkmnrt")
_VOWEL_CONSONANT: Final = re.compile(r"[aeiouy][^aeiouy]", re.DOTALL)
#: R1 starts after the first non-vowel that follows a vowel, R2 after the next one.
_REGIONS: Final = re.compile(r".*?[aeiouy][^aeiouy](.*?[aeiouy][^aeiouy])?", re.DOTALL)
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
_STEP4: Final = (
    "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism",
    "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic",
)  # fmt: skip
#: Every ending some step looks at (step 0's apostrophe, 1a's s, 1b, 1c's y, 2-4, 5's e and l).
_ANY_SUFFIX: Final = ("'", "s", "ed", "ing", "y", *_STEP2, *_STEP3, *_STEP4, "e", "l")


def _by_ending(suffixes: Any, letters: int) -> dict[str, tuple[Any, ...]]:
    """Suffixes (or (suffix, rule) pairs) grouped by their last ``letters`` letters, in order.

    Only the suffixes that end in a word's last letters can end the word, so
    the first of those the word ends with is the first of all.
    """
    groups: dict[str, list[Any]] = {}
    for item in suffixes:
        suffix = item if isinstance(item, str) else item[0]
        assert len(suffix) >= letters
        groups.setdefault(suffix[-letters:], []).append(item)
    return {ending: tuple(items) for ending, items in groups.items()}


_ANY_BY_LAST: Final = _by_ending(_ANY_SUFFIX, 1)
_STEP2_BY_END: Final = _by_ending(_STEP2.items(), 2)
_STEP3_BY_END: Final = _by_ending(_STEP3.items(), 2)
_STEP4_BY_END: Final = _by_ending(_STEP4, 2)


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


def english_stem(word: str) -> str:
    """The Snowball English stem of ``word``, exactly as NLTK's ``EnglishStemmer`` gives it.

    NLTK keeps the R1 and R2 regions as strings and trims them alongside the
    word; they stay suffixes of the word, so here they are their lengths
    (``r1`` and ``r2``): cutting ``n`` letters shortens each by up to ``n``,
    and replacing a suffix replaces it in a region only when the region is
    at least as long (otherwise the region becomes empty, or for R2 in a few
    rules the final "e").  A region ends with a suffix the word ends with
    when it is at least as long.
    """
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
    if not word.endswith(_ANY_BY_LAST.get(word[-1:], ())):
        return word  # no step can apply: Y marks would be undone, regions unused
    if "y" in word:
        word = _mark_consonant_y(word)
    size = len(word)
    if word.startswith(("gener", "arsen", "commun")):
        start = 6 if word.startswith("commun") else 5
        found = _VOWEL_CONSONANT.search(word, start)
        r1, r2 = size - start, size - found.end() if found else 0
    else:
        regions = _REGIONS.match(word)
        if regions is None:
            r1 = r2 = 0
        elif regions.start(1) < 0:
            r1, r2 = size - regions.end(), 0
        else:
            r1, r2 = size - regions.start(1), size - regions.end(1)

    # Step 0: apostrophes.
    if "'" in word[-3:]:
        for suffix in ("'s'", "'s", "'"):
            if word.endswith(suffix):
                cut = len(suffix)
                word, r1, r2 = word[:-cut], max(r1 - cut, 0), max(r2 - cut, 0)
                break

    # Step 1a: plurals.
    if word.endswith("s"):
        if word.endswith("sses"):
            word, r1, r2 = word[:-2], max(r1 - 2, 0), max(r2 - 2, 0)
        elif word.endswith("ies"):
            cut = 2 if len(word) > 4 else 1
            word, r1, r2 = word[:-cut], max(r1 - cut, 0), max(r2 - cut, 0)
        elif not word.endswith(("us", "ss")) and not _VOWELS.isdisjoint(word[:-2]):
            word, r1, r2 = word[:-1], max(r1 - 1, 0), max(r2 - 1, 0)
    elif word.endswith("ied"):
        cut = 2 if len(word) > 4 else 1
        word, r1, r2 = word[:-cut], max(r1 - cut, 0), max(r2 - cut, 0)

    # Step 1b: -ed, -ing and their -ly forms.
    suffix = ""
    if word.endswith("ed"):
        suffix = "eed" if word.endswith("eed") else "ed"
    elif word.endswith("ing"):
        suffix = "ing"
    elif word.endswith("ly"):
        for ending in ("eedly", "ingly", "edly"):
            if word.endswith(ending):
                suffix = ending
                break
    if suffix:
        cut = len(suffix)
        if suffix.startswith("ee"):
            if r1 >= cut:
                word = word[:-cut] + "ee"
                r1 = r1 - cut + 2
                r2 = r2 - cut + 2 if r2 >= cut else 0
        elif not _VOWELS.isdisjoint(word[:-cut]):
            word, r1, r2 = word[:-cut], max(r1 - cut, 0), max(r2 - cut, 0)
            if word.endswith(("at", "bl", "iz")):
                word += "e"
                r1 += 1
                if len(word) > 5 or r1 >= 3:
                    r2 += 1
            elif word.endswith(_DOUBLES):
                word, r1, r2 = word[:-1], max(r1 - 1, 0), max(r2 - 1, 0)
            elif r1 == 0 and _is_short(word):
                word += "e"
                if r2:
                    r2 += 1

    # Step 1c: y after a consonant (the regions keep their lengths).
    if len(word) > 2 and word[-1] in "yY" and word[-2] not in _VOWELS:
        word = word[:-1] + "i"

    # Steps 2 and 3: the first suffix the word ends with, if it lies in R1.
    for table in (_STEP2_BY_END, _STEP3_BY_END):
        for suffix, rule in table.get(word[-2:], ()):
            if not word.endswith(suffix):
                continue
            if r1 >= len(suffix):
                kind = rule[0]
                if kind == "cut":
                    cut = rule[1]
                    word, r1, r2 = word[:-cut], max(r1 - cut, 0), max(r2 - cut, 0)
                elif kind == "swap" or kind == "last":
                    cut, ending = (len(suffix), rule[1]) if kind == "swap" else (1, rule[1])
                    short = len(rule[2]) if kind == "swap" else 0
                    word = word[:-cut] + ending
                    r1 = r1 - cut + len(ending)  # r1 >= len(suffix) >= cut
                    r2 = r2 - cut + len(ending) if r2 >= cut else short
                elif kind == "ogi":
                    if word[-4] == "l":
                        word, r1, r2 = word[:-1], max(r1 - 1, 0), max(r2 - 1, 0)
                elif kind == "li":
                    if word[-3] in _LI_ENDINGS:
                        word, r1, r2 = word[:-2], max(r1 - 2, 0), max(r2 - 2, 0)
                elif kind == "ative" and r2 >= 5:
                    word, r1, r2 = word[:-5], max(r1 - 5, 0), max(r2 - 5, 0)
            break

    # Step 4: the first suffix the word ends with, if it lies in R2.
    for suffix in _STEP4_BY_END.get(word[-2:], ()):
        if not word.endswith(suffix):
            continue
        if r2 >= len(suffix):
            if suffix != "ion":
                cut = len(suffix)
                word, r1, r2 = word[:-cut], max(r1 - cut, 0), max(r2 - cut, 0)
            elif word[-4] in "st":
                word, r1, r2 = word[:-3], max(r1 - 3, 0), max(r2 - 3, 0)
        break

    # Step 5: a final e, or the second l of a final ll.
    last = word[-1:]
    if (
        (r2 and last == "l" and word[-2] == "l")
        or (r2 and last == "e")
        or (
            r1
            and last == "e"
            and len(word) >= 4
            and (
                word[-2] in _VOWELS
                or word[-2] in "wxY"
                or word[-3] not in _VOWELS
                or word[-4] in _VOWELS
            )
        )
    ):
        word = word[:-1]
    return word.replace("Y", "y")

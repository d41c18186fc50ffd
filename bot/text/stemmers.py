"""Stemmers and stop words, without importing NLTK or sumy's heavy modules.

sumy stems English with NLTK's Snowball ``EnglishStemmer``, and importing any
of sumy's stemmers imports all of ``nltk`` (about 1.5 s of start-up, most of
it libraries the bot never calls): English is stemmed by our own copy of it
(:mod:`bot.text.english_stemmer`).

Other languages use sumy's stemmer, imported only when asked for.  Stop words
are sumy's lists, read as package data (``sumy/data/stopwords``) without
importing ``sumy.utils`` (which imports ``requests`` and ``pycountry``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Final

from bot.text.english_stemmer import english_stem

__all__ = ["WordTerms", "english_stem", "forget_stems", "stemmer_for", "stop_words_for"]

Stem = Callable[[str], str]

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

    def many(self, words: Sequence[str]) -> list[str | None]:
        """The term of each of ``words`` (the same as calling this object on each)."""
        stop_words, stem = self._stop_words, self._stem
        lowers = [word.lower() for word in words]
        terms = [None if lower in stop_words else str(stem(lower)) for lower in lowers]
        if len(self._memo) + len(words) > self.max_words:
            self._memo.clear()
        if len(words) <= self.max_words:
            self._memo.update(zip(words, terms, strict=True))
        return terms


@lru_cache(maxsize=32)
def stop_words_for(language: str) -> frozenset[str]:
    """sumy's stop words for ``language`` (empty when it has none)."""
    name = language.strip().lower()
    if not name.isalpha():
        return frozenset()
    try:
        data = _stop_word_file(name)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return frozenset()
    return frozenset(map(str.rstrip, filter(None, data.decode("utf-8").splitlines())))


def _stop_word_file(name: str) -> bytes:
    """sumy's ``data/stopwords/NAME.txt``: from its folder, found without importing sumy
    (or ``importlib.resources``, which takes longer to import than to read every list),
    or through ``importlib.resources`` when sumy is not installed as files."""
    folder = _stop_words_folder()
    if folder is not None:
        return (folder / f"{name}.txt").read_bytes()
    from importlib import resources

    return resources.files("sumy").joinpath(f"data/stopwords/{name}.txt").read_bytes()


@lru_cache(maxsize=1)
def _stop_words_folder() -> Path | None:
    spec = find_spec("sumy")
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "data" / "stopwords"
    return folder if folder.is_dir() else None

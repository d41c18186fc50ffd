"""The document model: an article as a title and ordered sections.

Values are immutable; a parsed document is shared by every command that reads it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from itertools import chain, repeat

import numpy as np

__all__ = ["Document", "Section", "Sentence", "slugify"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the article, where it stands, and its words."""

    text: str
    section: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (or the untitled introduction) and the paragraphs under it.

    ``paragraphs`` holds each paragraph as its tuple of sentences.
    """

    number: int
    title: str
    slug: str
    paragraphs: tuple[tuple[str, ...], ...]
    untitled: bool = False

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(chain.from_iterable(self.paragraphs))


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed article."""

    title: str
    sections: tuple[Section, ...]
    language: str = "english"
    source: str = ""
    _sentences: tuple[Sentence, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        texts = list(chain.from_iterable(chain.from_iterable(s.paragraphs for s in self.sections)))
        object.__setattr__(self, "_sentences", _sentences(self.sections, texts))

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self._sentences

    @property
    def paragraph_count(self) -> int:
        return sum(len(section.paragraphs) for section in self.sections)

    def section(self, number: int) -> Section:
        return self.sections[number - 1]


def _sentences(sections: tuple[Section, ...], texts: list[str]) -> tuple[Sentence, ...]:
    """``Sentence(text, section, paragraph)`` of each sentence (``texts``) of ``sections``.

    Each field is set for all the sentences at once, in loops that run in C
    (the slots' own setters, which a frozen class's ``__setattr__`` does not
    stand in front of): less work than an ``__init__`` call a sentence.  Each
    sentence's section and paragraph (within the section) are counted with numpy.
    """
    paragraphs = np.fromiter(map(len, chain.from_iterable(s.paragraphs for s in sections)), int)
    per_section = np.fromiter((len(s.paragraphs) for s in sections), np.int64, len(sections))
    numbers = np.fromiter((s.number for s in sections), np.int64, len(sections))
    first = np.cumsum(per_section) - per_section  # each section's first paragraph
    within = np.arange(len(paragraphs)) - np.repeat(first, per_section)
    made = list(map(object.__new__, repeat(Sentence, len(texts))))
    deque(map(_SET_TEXT, made, texts), maxlen=0)
    sentence_section = np.repeat(np.repeat(numbers, per_section), paragraphs)
    deque(map(_SET_SECTION, made, sentence_section.tolist()), maxlen=0)
    deque(map(_SET_PARAGRAPH, made, np.repeat(within, paragraphs).tolist()), maxlen=0)
    return tuple(made)


_SET_TEXT = vars(Sentence)["text"].__set__
_SET_SECTION = vars(Sentence)["section"].__set__
_SET_PARAGRAPH = vars(Sentence)["paragraph"].__set__

_NON_WORD = re.compile(r"[^\w]+")


def slugify(text: str) -> str:
    """``"Labor Tensions & Ethics"`` -> ``"labor-tensions-ethics"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub("-", ascii_text.lower()).strip("-_") or "section"

"""The document model: an article as a title and ordered sections.

Values are immutable; a parsed document is shared by every command that reads it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from itertools import chain, repeat

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
        texts: list[str] = []
        numbers: list[int] = []
        indexes: list[int] = []
        for section in self.sections:
            for index, paragraph in enumerate(section.paragraphs):
                texts += paragraph
                numbers += repeat(section.number, len(paragraph))
                indexes += repeat(index, len(paragraph))
        object.__setattr__(self, "_sentences", _sentences(texts, numbers, indexes))

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self._sentences

    @property
    def paragraph_count(self) -> int:
        return sum(len(section.paragraphs) for section in self.sections)

    def section(self, number: int) -> Section:
        return self.sections[number - 1]


def _sentences(
    texts: list[str], sections: list[int], paragraphs: list[int]
) -> tuple[Sentence, ...]:
    """``Sentence(text, section, paragraph)`` of each, its fields set field by field.

    Each field is set for all the sentences at once, in loops that run in C
    (the slots' own setters, which a frozen class's ``__setattr__`` does not
    stand in front of): much less work than an ``__init__`` call a sentence.
    """
    made = list(map(object.__new__, repeat(Sentence, len(texts))))
    for setter, values in (
        (_SET_TEXT, texts),
        (_SET_SECTION, sections),
        (_SET_PARAGRAPH, paragraphs),
    ):
        deque(map(setter, made, values), maxlen=0)
    return tuple(made)


_SET_TEXT = vars(Sentence)["text"].__set__
_SET_SECTION = vars(Sentence)["section"].__set__
_SET_PARAGRAPH = vars(Sentence)["paragraph"].__set__

_NON_WORD = re.compile(r"[^\w]+")


def slugify(text: str) -> str:
    """``"Labor Tensions & Ethics"`` -> ``"labor-tensions-ethics"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub("-", ascii_text.lower()).strip("-_") or "section"

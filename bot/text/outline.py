"""An article before its sentences: its title, headings and paragraphs, in order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Block", "Kind", "Outline"]

Kind = Literal["heading", "paragraph"]


@dataclass(frozen=True, slots=True)
class Block:
    kind: Kind
    text: str


@dataclass(frozen=True, slots=True)
class Outline:
    """An article before its sentences: its title, and its headings and paragraphs in order.

    ``kinds[k]`` and ``texts[k]`` are the k-th block's kind and text (two
    lists rather than a :class:`Block` each, so that a long article is quick
    to read and light to hold).
    """

    title: str | None
    kinds: list[Kind]
    texts: list[str]

    @classmethod
    def of(cls, title: str | None, blocks: Iterable[Block]) -> Outline:
        blocks = list(blocks)
        return cls(title, [block.kind for block in blocks], [block.text for block in blocks])

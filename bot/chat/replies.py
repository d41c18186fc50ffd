"""The platform-neutral reply that every adapter renders.

A :class:`Reply` has a title, blocks of headed paragraphs and quotes, and a
short note. Quotes carry their citation (section number and title) and the
words that matched a question, as marked spans. :meth:`Reply.plain_text` is
the fallback every platform gets; richer renderings live in the adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.chat.places import Place

__all__ = ["Block", "Kind", "Quote", "Reply", "Span"]


class Kind(StrEnum):
    OVERVIEW = "overview"
    SECTION = "section"
    ANSWER = "answer"
    SECTIONS = "sections"
    ARTICLES = "articles"
    HELP = "help"
    NOT_FOUND = "not_found"
    NOTICE = "notice"
    ERROR = "error"


#: Replies meant only for the person who asked (ephemeral where the platform can).
PRIVATE_KINDS = frozenset({Kind.HELP, Kind.NOT_FOUND, Kind.ERROR})


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    marked: bool = False


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence of the article, cited by its section."""

    spans: tuple[Span, ...]
    section: int
    section_title: str

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @property
    def citation(self) -> str:
        return f"Section {self.section}: {self.section_title}"


@dataclass(frozen=True, slots=True)
class Block:
    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    kind: Kind
    title: str
    blocks: tuple[Block, ...] = ()
    note: str = ""
    #: The part of an article the reply shows, for its buttons and menus (none: no controls).
    place: Place | None = None

    @property
    def private(self) -> bool:
        return self.kind in PRIVATE_KINDS

    def plain_text(self, mark: str = "*") -> str:
        """The whole reply as plain text; matched words are wrapped in ``mark``."""
        lines = [self.title]
        for block in self.blocks:
            lines.append("")
            if block.heading:
                lines.append(block.heading)
            lines.extend(block.paragraphs)
            for quote in block.quotes:
                lines.append(f"> {_marked(quote, mark)}")
                lines.append(f"  ({quote.citation})")
        if self.note:
            lines.extend(("", self.note))
        return "\n".join(lines)


def _marked(quote: Quote, mark: str) -> str:
    return "".join(f"{mark}{s.text}{mark}" if s.marked else s.text for s in quote.spans)

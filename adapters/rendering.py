"""The rendering kit the chat renderers share: escaped text fitted into a platform's limits.

A renderer turns a :class:`~bot.chat.replies.Reply` into messages in four steps,
and only the first and last are its own:

1. the platform's pieces (Slack blocks, Discord embeds) are built from the reply;
2. text is fitted with a :class:`Markup`, which knows the platform's escaping
   and bold marker: :meth:`Markup.chunks` splits long text at spaces so each
   escaped chunk fits a limit, :meth:`Markup.shorten` cuts a short line with an
   ellipsis, :meth:`Markup.marked` shows a quote on one line with its matched
   words in bold;
3. :func:`paginate` packs the pieces into pages under a :class:`Budget` (pieces
   and characters a message), and past the last page allowed it cuts the rest,
   ending the last page with a note;
4. each page becomes one message, titled with :func:`page_suffix` when there
   are several.

Escaping happens here, once, for every piece of article or user text, so
nothing a reply quotes can form a mention or markup.

Controls (buttons, menus) ride on the reply's last message. :func:`paginate`
takes them as ``last``, a piece that is kept on the last page whatever is cut
(a Slack ``actions`` block counts against the 50 blocks, so it must be packed
like the rest); where a platform keeps controls apart from the content (Discord's
``components``), the renderer simply sets them on its last message. Each
renderer's ``render(reply, controls=...)`` does one or the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.chat.replies import Quote

__all__ = [
    "ELLIPSIS",
    "Budget",
    "Markup",
    "Piece",
    "flat",
    "page_suffix",
    "paginate",
    "shorten_plain",
]

ELLIPSIS = "…"


class Piece(Protocol):
    """What a page is packed from: it takes ``count`` of the message's slots and ``size`` chars."""

    @property
    def count(self) -> int: ...

    @property
    def size(self) -> int: ...


P = TypeVar("P", bound=Piece)


@dataclass(frozen=True, slots=True)
class Budget:
    """What one message holds: ``count`` slots (blocks, embeds) and ``size`` characters."""

    count: int
    size: int

    def holds(self, page: Sequence[Piece], *more: Piece) -> bool:
        pieces = [*page, *more]
        return (
            sum(p.count for p in pieces) <= self.count and sum(p.size for p in pieces) <= self.size
        )


@dataclass(frozen=True, slots=True)
class Markup:
    """A platform's text rules: its escaping and the marker that makes words bold.

    ``escape`` must show text as typed and never make it shorter; a prefix of a
    text must escape to no more than the whole (true of any escaping that works
    character by character, or on runs that a cut only shortens).
    """

    escape: Callable[[str], str]
    bold: str

    def fitting(self, text: str, limit: int) -> int:
        """The length of the longest prefix of ``text`` whose escaped form fits ``limit``."""
        if len(text) <= limit and len(self.escape(text)) <= limit:  # most text: all of it
            return len(text)
        low, high = 0, min(len(text), limit)
        while low < high:
            middle = (low + high + 1) // 2
            if len(self.escape(text[:middle])) <= limit:
                low = middle
            else:
                high = middle - 1
        return low

    def chunks(self, text: str, limit: int) -> list[str]:
        """``text`` (unescaped) in pieces whose escaped forms fit ``limit``.

        Pieces break at a space or a line break in the second half of the room
        when there is one, mid-word otherwise; the spaces at a break are dropped.
        """
        chunks: list[str] = []
        rest = text.strip()
        while (cut := self.fitting(rest, limit)) < len(rest):
            space = max(rest.rfind(" ", cut // 2, cut + 1), rest.rfind("\n", cut // 2, cut + 1))
            cut = space if space > 0 else max(cut, 1)
            chunks.append(rest[:cut].rstrip())
            rest = rest[cut:].strip()
        if rest:
            chunks.append(rest)
        return chunks

    def shorten(self, text: str, limit: int) -> str:
        """``text`` escaped, and cut with an ellipsis when its escaped form passes ``limit``."""
        if len(text) <= limit and len(escaped := self.escape(text)) <= limit:
            return escaped
        cut = self.fitting(text, limit - len(ELLIPSIS))
        return self.escape(text[:cut].rstrip()) + ELLIPSIS

    def marked(self, quote: Quote, limit: int) -> str:
        """The quote escaped on one line, matched words in bold, at most ``limit`` characters.

        Past the limit the quote ends with an ellipsis: a plain span is cut
        mid-way, a bold one is left out whole (a cut bold span would show half
        a match).
        """
        out: list[str] = []
        used = 0
        for span in quote.spans:
            line = " ".join(span.text.splitlines())
            bold = span.marked and bool(line.strip())
            escaped = self.escape(line)
            piece = f"{self.bold}{escaped}{self.bold}" if bold else escaped
            if used + len(piece) > limit - len(ELLIPSIS):
                cut = 0 if bold else self.fitting(line, limit - used - len(ELLIPSIS))
                out.append(self.escape(line[:cut].rstrip()) + ELLIPSIS)
                break
            out.append(piece)
            used += len(piece)
        return "".join(out).strip() or ELLIPSIS


def flat(text: str) -> str:
    """``text`` on one line, runs of white space as one space."""
    return " ".join(text.split())


def shorten_plain(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut (no escaping)."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def page_suffix(number: int, total: int) -> str:
    """`` (2/3)`` after the title of page 2 of 3; nothing for a one-message reply."""
    return f" ({number}/{total})" if total > 1 else ""


def paginate(
    pieces: Sequence[P],
    budget: Budget,
    max_pages: int,
    cut: P,
    last: P | None = None,
    *,
    limit: Budget | None = None,
) -> list[list[P]]:
    """``pieces`` packed in order into at most ``max_pages`` pages within ``budget``.

    A piece that does not fit the page being filled starts the next page (a
    piece bigger than a whole page gets a page to itself). Past ``max_pages``
    the rest is left out and the last page ends with ``cut``, a note saying so.
    ``last`` (controls) ends the last page in every case. These closing pieces
    may fill the page up to ``limit`` (the platform's hard limit, when
    ``budget`` keeps room below it); pieces are dropped from the end of the last
    page when they still do not fit.
    """
    hard = limit or budget
    pages: list[list[P]] = [[]]
    for piece in pieces:
        if pages[-1] and not budget.holds(pages[-1], piece):
            pages.append([piece])
        else:
            pages[-1].append(piece)
    closing = [] if last is None else [last]
    if len(pages) > max_pages:
        pages = pages[:max_pages]
        closing.insert(0, cut)
    elif closing and not hard.holds(pages[-1], *closing):
        if len(pages) < max_pages:
            pages.append([])
        else:
            closing.insert(0, cut)
    if closing:
        page = pages[-1]
        while page and not hard.holds(page, *closing):
            page = page[:-1]
        pages[-1] = [*page, *closing]
    return pages

"""Render a :class:`~bot.chat.replies.Reply` as Discord messages: bold title plus embeds.

The reply's title is the message content, in bold. Each block becomes an embed:
its heading is the embed title and its paragraphs and quotes the description.
A quote is a ``>`` line with the matched words in ``**bold**``, followed by its
citation in italics. The note closes the last embed.

Article and user text is escaped, so it shows as written: markdown characters
get a backslash (code spans are left alone), and ``@everyone``, ``@here`` and
``<@…>``/``<#…>``/``</…>`` get a zero-width space so they can never form a
mention, even though every message is also sent with ``allowed_mentions`` that
allow nothing.

Discord's limits are kept exactly: content 2,000, title 256, description 4,096,
10 embeds and 6,000 embed characters a message. A long description goes on in
the next embed, and embeds past a message's budget in the next message; past
``max_messages`` the rest is cut with a note.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.chat.replies import Block, Quote, Reply

__all__ = [
    "MAX_MESSAGES",
    "DiscordMessage",
    "escape",
    "neutralise_mentions",
    "render",
]

MAX_CONTENT = 2000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_EMBEDS = 10
MAX_EMBED_CHARS = 6000
#: Messages one reply may take; a mention or an interaction rarely needs more than two.
MAX_MESSAGES = 5
MAX_CITATION = 300

CUT_NOTE = (
    "This reply is too long for Discord, so the rest is left out. "
    "Ask for one section with `/summary <number>`."
)
EMPTY_TITLE = "Summary"
ELLIPSIS = "…"
_ZWSP = "\u200b"
_COLOR = 0x5865F2

_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_MARKDOWN = re.compile(r"([\\*_~|\[\]`])")
_LINE_START = re.compile(r"(?m)^([ \t]*)([>#\-+])")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_ANGLE_MENTION = re.compile(r"<([@#/])")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class DiscordMessage:
    """One message: its content and embeds (as Discord's embed JSON objects)."""

    content: str
    embeds: tuple[dict[str, Any], ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Discord receives (before ``allowed_mentions`` and flags)."""
        return {"content": self.content, "embeds": [dict(embed) for embed in self.embeds]}


@dataclass(frozen=True, slots=True)
class _Box:
    """What becomes one embed: an (escaped) title and description."""

    title: str
    description: str

    @property
    def size(self) -> int:
        return len(self.title) + len(self.description)

    def embed(self) -> dict[str, Any]:
        embed: dict[str, Any] = {"type": "rich", "color": _COLOR}
        if self.title:
            embed["title"] = self.title
        if self.description:
            embed["description"] = self.description
        return embed


# ---------------------------------------------------------------- escaping


def neutralise_mentions(text: str) -> str:
    """``text`` with every would-be mention broken by a zero-width space."""
    text = _MASS_MENTION.sub(lambda m: f"@{_ZWSP}{m.group(1)}", text)
    return _ANGLE_MENTION.sub(lambda m: f"<{_ZWSP}{m.group(1)}", text)


@functools.lru_cache(maxsize=2048)
def escape(text: str) -> str:
    """``text`` as Discord markdown that shows it as written and pings nobody.

    Code spans (`` `like this` ``) stay code: the core's own notes use them.
    The same summaries are shown again and again, so recent results are kept.
    """
    text = _UNSAFE.sub(_replace_unsafe, text)
    pieces = _CODE_SPAN.split(text)
    for i in range(0, len(pieces), 2):
        pieces[i] = _MARKDOWN.sub(r"\\\1", pieces[i])
    joined = "".join(pieces)
    return neutralise_mentions(_LINE_START.sub(r"\1\\\2", joined))


def _replace_unsafe(found: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= found.group(0) <= "\udfff" else " "


def _fitting(text: str, limit: int, render: Callable[[str], str] = escape) -> int:
    """The length of the longest prefix of ``text`` whose rendering fits ``limit``."""
    low, high = 0, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if len(render(text[:middle])) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _chunks(text: str, limit: int) -> Iterator[str]:
    """``text`` escaped, in pieces of at most ``limit``, broken at spaces when possible."""
    rest = text.strip()
    while rest:
        # Most text is one piece, escaped once. Escaping never shortens text, so a
        # longer one is not escaped whole (a huge paragraph would be, chunk after chunk).
        if len(rest) <= limit and len(whole := escape(rest)) <= limit:
            yield whole
            return
        cut = _fitting(rest, limit)
        if cut < len(rest):
            space = max(rest.rfind(" ", cut // 2, cut + 1), rest.rfind("\n", cut // 2, cut + 1))
            cut = space if space > 0 else max(cut, 1)
        yield escape(rest[:cut].rstrip())
        rest = rest[cut:].strip()


def _shorten(text: str, limit: int) -> str:
    """``text`` escaped and cut (with an ellipsis) to fit ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit and len(escaped := escape(flat)) <= limit:
        return escaped
    return escape(flat[: _fitting(flat, limit - len(ELLIPSIS))].rstrip()) + ELLIPSIS


# ---------------------------------------------------------------- boxes


def render(reply: Reply, *, max_messages: int = MAX_MESSAGES) -> list[DiscordMessage]:
    """The messages that show ``reply``, each within Discord's limits."""
    title = " ".join(reply.title.split()) or EMPTY_TITLE
    boxes = [box for block in reply.blocks for box in _block_boxes(block)]
    if reply.note:
        boxes = _with_note(boxes, reply.note)
    pages = _paginate(boxes, max_messages)
    return [_message(title, page, n, len(pages)) for n, page in enumerate(pages, 1)]


def _block_boxes(block: Block) -> list[_Box]:
    pieces = [p for paragraph in block.paragraphs for p in _chunks(paragraph, MAX_DESCRIPTION)]
    pieces.extend(_quote(quote) for quote in block.quotes)
    heading = _shorten(block.heading, MAX_TITLE) if block.heading.strip() else ""
    descriptions = _pack(pieces, MAX_DESCRIPTION) or [""]
    if not heading and descriptions == [""]:
        return []
    return [_Box(heading if i == 0 else "", d) for i, d in enumerate(descriptions)]


def _with_note(boxes: list[_Box], note: str) -> list[_Box]:
    pieces = list(_chunks(note, MAX_DESCRIPTION))
    if boxes and pieces:
        last = boxes[-1]
        joined = f"{last.description}\n\n{pieces[0]}" if last.description else pieces[0]
        if len(joined) <= MAX_DESCRIPTION:
            boxes = [*boxes[:-1], _Box(last.title, joined)]
            pieces = pieces[1:]
    return boxes + [_Box("", piece) for piece in pieces]


def _quote(quote: Quote) -> str:
    citation = f"*{_shorten(quote.citation, MAX_CITATION)}*"
    room = MAX_DESCRIPTION - len(citation) - len("> \n")
    return f"> {_marked(quote, room)}\n{citation}"


def _marked(quote: Quote, limit: int) -> str:
    """The quote on one line, matched words in bold, at most ``limit`` characters."""
    out: list[str] = []
    used = 0
    for span in quote.spans:
        flat = " ".join(span.text.splitlines())
        bold = span.marked and flat.strip()
        piece = f"**{escape(flat)}**" if bold else escape(flat)
        if used + len(piece) > limit - len(ELLIPSIS):
            room = limit - used - len(ELLIPSIS)
            cut = 0 if bold else _fitting(flat, room)
            out.append(escape(flat[:cut]) + ELLIPSIS)
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).strip() or ELLIPSIS


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Pieces joined by blank lines into texts of at most ``limit`` characters."""
    texts: list[str] = []
    for piece in pieces:
        if texts and len(texts[-1]) + 2 + len(piece) <= limit:
            texts[-1] = f"{texts[-1]}\n\n{piece}"
        else:
            texts.append(piece)
    return texts


# ---------------------------------------------------------------- messages


def _paginate(boxes: list[_Box], max_messages: int) -> list[list[_Box]]:
    """Boxes packed into messages of at most 10 embeds and 6,000 embed characters."""
    pages: list[list[_Box]] = [[]]
    for box in boxes:
        page = pages[-1]
        if page and (
            len(page) >= MAX_EMBEDS or sum(b.size for b in page) + box.size > MAX_EMBED_CHARS
        ):
            pages.append([box])
        else:
            page.append(box)
    if len(pages) > max_messages:
        pages = pages[:max_messages]
        pages[-1] = _cut(pages[-1])
    return pages


def _cut(page: list[_Box]) -> list[_Box]:
    """``page`` with the cut note as its last embed, dropping embeds to make room."""
    note = _Box("", escape(CUT_NOTE))
    while page and (
        len(page) >= MAX_EMBEDS or sum(b.size for b in page) + note.size > MAX_EMBED_CHARS
    ):
        page = page[:-1]
    return [*page, note]


def _message(title: str, page: list[_Box], number: int, total: int) -> DiscordMessage:
    suffix = f" ({number}/{total})" if total > 1 else ""
    content = f"**{_shorten(title, MAX_CONTENT - len(suffix) - 4)}**{suffix}"
    return DiscordMessage(content, tuple(box.embed() for box in page))

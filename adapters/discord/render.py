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
``max_messages`` the rest is cut with a note. The fitting and paging are the
shared kit's (:mod:`adapters.rendering`).

Controls: ``render(reply, controls=[...])`` sets the given action rows (buttons,
menus; five at most) as the last message's ``components``, which
:meth:`DiscordMessage.to_payload` sends beside its embeds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from adapters.rendering import Budget, Markup, flat, page_suffix, paginate
from bot.chat.replies import Block, Quote, Reply

__all__ = [
    "MAX_MESSAGES",
    "DiscordMessage",
    "escape",
    "neutralise_mentions",
    "render",
    "unescape",
]

MAX_CONTENT = 2000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_EMBEDS = 10
MAX_EMBED_CHARS = 6000
#: Messages one reply may take; a mention or an interaction rarely needs more than two.
MAX_MESSAGES = 5
MAX_CITATION = 300
MAX_ACTION_ROWS = 5

CUT_NOTE = (
    "This reply is too long for Discord, so the rest is left out. "
    "Ask for one section with `/summary <number>`."
)
EMPTY_TITLE = "Summary"
#: A message's embeds and their characters.
PAGE = Budget(count=MAX_EMBEDS, size=MAX_EMBED_CHARS)
_ZWSP = "\u200b"
_COLOR = 0x5865F2

_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_MARKDOWN = re.compile(r"([\\*_~|\[\]`])")
_LINE_START = re.compile(r"(?m)^([ \t]*)([>#\-+])")
_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_ANGLE_MENTION = re.compile(r"<([@#/])")
_ESCAPED = re.compile(r"\\([\\*_~|\[\]`>#\-+])")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class DiscordMessage:
    """One message: its content and embeds (as Discord's embed JSON objects)."""

    content: str
    embeds: tuple[dict[str, Any], ...] = ()
    #: Message components (action rows of buttons or menus), as Discord's JSON objects.
    components: tuple[dict[str, Any], ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """The JSON body Discord receives (before ``allowed_mentions`` and flags)."""
        payload = {"content": self.content, "embeds": [dict(embed) for embed in self.embeds]}
        if self.components:
            payload["components"] = [dict(row) for row in self.components]
        return payload


@dataclass(frozen=True, slots=True)
class _Box:
    """What becomes one embed: an (escaped) title and description."""

    title: str
    description: str

    @property
    def count(self) -> int:
        return 1

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


def unescape(shown: str) -> str:
    """Text :func:`escape` made, as it was (but for unsafe characters and code spans,
    which are rare in a title; whoever reads it back checks it)."""
    return _ESCAPED.sub(r"\1", shown.replace(f"@{_ZWSP}", "@").replace(f"<{_ZWSP}", "<"))


def _replace_unsafe(found: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= found.group(0) <= "\udfff" else " "


MARKDOWN = Markup(escape=escape, bold="**")


def _chunks(text: str, limit: int) -> list[str]:
    """``text`` escaped, in pieces of at most ``limit``, broken at spaces when possible."""
    return [escape(chunk) for chunk in MARKDOWN.chunks(text, limit)]


def _shorten(text: str, limit: int) -> str:
    """``text`` on one line, escaped and cut (with an ellipsis) to fit ``limit``."""
    return MARKDOWN.shorten(flat(text), limit)


# ---------------------------------------------------------------- boxes


def render(
    reply: Reply,
    *,
    max_messages: int = MAX_MESSAGES,
    controls: Sequence[dict[str, Any]] = (),
) -> list[DiscordMessage]:
    """The messages that show ``reply``, each within Discord's limits.

    ``controls`` (at most five action rows) go on the last message, beside its embeds.
    """
    title = flat(reply.title) or EMPTY_TITLE
    boxes = [box for block in reply.blocks for box in _block_boxes(block)]
    if reply.note:
        boxes = _with_note(boxes, reply.note)
    pages = paginate(boxes, PAGE, max_messages, _Box("", escape(CUT_NOTE)))
    messages = [_message(title, page, n, len(pages)) for n, page in enumerate(pages, 1)]
    if controls:
        messages[-1] = replace(messages[-1], components=tuple(controls[:MAX_ACTION_ROWS]))
    return messages


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
    return f"> {MARKDOWN.marked(quote, room)}\n{citation}"


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


def _message(title: str, page: list[_Box], number: int, total: int) -> DiscordMessage:
    suffix = page_suffix(number, total)
    content = f"**{_shorten(title, MAX_CONTENT - len(suffix) - 4)}**{suffix}"
    return DiscordMessage(content, tuple(box.embed() for box in page))

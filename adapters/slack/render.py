"""Render a :class:`~bot.chat.replies.Reply` as Slack messages: Block Kit plus a text fallback.

A reply becomes a header, a section per summary section (its number and title
in bold, then the summary), each quote as a block quote with its matched words
in ``*bold*`` and its citation in a context block, and the note in a context
block. Every message also carries a plain ``text`` for notifications.

Article and user text is escaped (``&``, ``<``, ``>``), so nothing from either
can become a mention (``<!channel>``, ``<@U123>``) or a link. Long text is split
across section blocks of at most 3,000 characters, and long replies across
messages of at most 50 blocks; past ``max_messages`` the rest is cut with a note
(a slash command's ``response_url`` takes five posts). The fitting and paging
are the shared kit's (:mod:`adapters.rendering`).

Controls: ``render(reply, controls=[...])`` ends the last message with the given
Block Kit blocks (an ``actions`` block of buttons or menus); they count against
its 50 blocks and survive any cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from adapters.rendering import Budget, Markup, flat, page_suffix, paginate, shorten_plain
from bot.chat.replies import Block, Quote, Reply

__all__ = ["MAX_MESSAGES", "SlackMessage", "escape", "render"]

MAX_BLOCKS = 50
MAX_HEADER_TEXT = 150
MAX_SECTION_TEXT = 3000
MAX_CONTEXT_TEXT = 2000
MAX_HEADING = 300
#: Block text in one message; past it the reply goes on in the next message.
MAX_MESSAGE_CHARS = 12_000
MAX_FALLBACK_TEXT = 3000
#: A slash command's response_url takes five posts.
MAX_MESSAGES = 5
#: The blocks after a message's header, and their text, as packed: one block is
#: kept for the cut note or the controls.
PAGE = Budget(count=MAX_BLOCKS - 2, size=MAX_MESSAGE_CHARS)
#: What Slack itself takes: 50 blocks, the header included (their text is not capped).
LIMIT = Budget(count=MAX_BLOCKS - 1, size=MAX_BLOCKS * MAX_SECTION_TEXT)

CUT_NOTE = (
    "This reply is too long for Slack, so the rest is left out. "
    "Ask for one section with `/summary <number>`."
)


class SlackMessage(TypedDict):
    """A message payload for ``chat.postMessage`` or a ``response_url``."""

    text: str
    blocks: list[dict[str, Any]]


def escape(text: str) -> str:
    """``text`` with Slack's control characters as entities: it shows as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


MRKDWN = Markup(escape=escape, bold="*")


@dataclass(frozen=True, slots=True)
class _Part:
    """Blocks that stay together in one message, and their plain text."""

    blocks: tuple[dict[str, Any], ...]
    plain: str

    @property
    def count(self) -> int:
        return len(self.blocks)

    @property
    def size(self) -> int:
        return sum(len(_block_text(block)) for block in self.blocks)


def render(
    reply: Reply,
    *,
    max_messages: int = MAX_MESSAGES,
    controls: Sequence[dict[str, Any]] = (),
) -> list[SlackMessage]:
    """The messages that show ``reply``, each within Slack's limits.

    ``controls`` (Block Kit blocks, such as an ``actions`` block) end the last message.
    """
    title = flat(reply.title) or "Summary"
    parts = _title_parts(title) + [p for block in reply.blocks for p in _block_parts(block)]
    if reply.note:
        parts.extend(_context_parts(reply.note))
    (cut,) = _context_parts(CUT_NOTE)
    last = _Part(tuple(controls), "") if controls else None
    pages = paginate(parts, PAGE, max_messages, cut, last, limit=LIMIT)
    return [_message(title, page, i, len(pages)) for i, page in enumerate(pages, 1)]


# ---------------------------------------------------------------- parts


def _title_parts(title: str) -> list[_Part]:
    """The whole title as a section, when the header has to shorten it."""
    if len(escape(title)) <= MAX_HEADER_TEXT:
        return []
    chunks = MRKDWN.chunks(title, MAX_SECTION_TEXT - 2)
    return [_section_part(f"*{escape(chunk)}*", chunk) for chunk in chunks]


def _block_parts(block: Block) -> list[_Part]:
    parts: list[_Part] = []
    heading = shorten_plain(flat(block.heading), MAX_HEADING)
    prefix = f"*{escape(heading)}*\n" if heading else ""
    body = "\n\n".join(p.strip() for p in block.paragraphs if p.strip())
    if body:
        for i, chunk in enumerate(MRKDWN.chunks(body, MAX_SECTION_TEXT - len(prefix))):
            lead, plain_lead = (prefix, heading + "\n") if i == 0 else ("", "")
            parts.append(_section_part(lead + escape(chunk), plain_lead + chunk))
    elif heading:
        parts.append(_section_part(prefix.rstrip(), heading))
    parts.extend(_quote_part(quote) for quote in block.quotes)
    return parts


def _quote_part(quote: Quote) -> _Part:
    marked = MRKDWN.marked(quote, MAX_SECTION_TEXT - 2)
    citation = escape(shorten_plain(quote.citation, MAX_CONTEXT_TEXT // 2))
    blocks = (_section(f"> {marked}"), _context(citation))
    return _Part(blocks, f"> {quote.text}\n  ({quote.citation})")


def _context_parts(note: str) -> list[_Part]:
    chunks = MRKDWN.chunks(note, MAX_CONTEXT_TEXT)
    return [_Part((_context(escape(chunk)),), chunk) for chunk in chunks]


def _section_part(mrkdwn: str, plain: str) -> _Part:
    return _Part((_section(mrkdwn),), plain)


# ---------------------------------------------------------------- messages


def _message(title: str, page: list[_Part], number: int, total: int) -> SlackMessage:
    suffix = page_suffix(number, total)
    header = MRKDWN.shorten(title, MAX_HEADER_TEXT - len(suffix)) + suffix
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": header}}]
    blocks.extend(block for part in page for block in part.blocks)
    plain = "\n\n".join([title + suffix, *(part.plain for part in page if part.plain)])
    return {"text": MRKDWN.shorten(plain, MAX_FALLBACK_TEXT), "blocks": blocks}


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def _block_text(block: dict[str, Any]) -> str:
    """The text a block shows (a control's labels are not counted: they are short)."""
    if block["type"] == "context":
        return "".join(str(element.get("text", "")) for element in block["elements"])
    text = block.get("text")
    return str(text["text"]) if isinstance(text, dict) else ""

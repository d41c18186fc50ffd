"""Render a :class:`~bot.chat.replies.Reply` as Slack messages: Block Kit plus a text fallback.

A reply becomes a header, a section per summary section (its number and title
in bold, then the summary), each quote as a block quote with its matched words
in ``*bold*`` and its citation in a context block, and the note in a context
block. Every message also carries a plain ``text`` for notifications.

Article and user text is escaped (``&``, ``<``, ``>``), so nothing from either
can become a mention (``<!channel>``, ``<@U123>``) or a link. Long text is split
across section blocks of at most 3,000 characters, and long replies across
messages of at most 50 blocks; past ``max_messages`` the rest is cut with a note
(a slash command's ``response_url`` takes five posts).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, TypedDict

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

CUT_NOTE = (
    "This reply is too long for Slack, so the rest is left out. "
    "Ask for one section with `/summary <number>`."
)
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ELLIPSIS = "…"


class SlackMessage(TypedDict):
    """A message payload for ``chat.postMessage`` or a ``response_url``."""

    text: str
    blocks: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class _Part:
    """Blocks that stay together in one message, and their plain text."""

    blocks: tuple[dict[str, Any], ...]
    plain: str

    @property
    def size(self) -> int:
        return sum(len(_block_text(block)) for block in self.blocks)


def escape(text: str) -> str:
    """``text`` with Slack's control characters as entities: it shows as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(reply: Reply, *, max_messages: int = MAX_MESSAGES) -> list[SlackMessage]:
    """The messages that show ``reply``, each within Slack's limits."""
    title = " ".join(reply.title.split()) or "Summary"
    parts = _title_parts(title) + [p for block in reply.blocks for p in _block_parts(block)]
    if reply.note:
        parts.extend(_context_parts(reply.note))
    pages = _paginate(parts, max_messages)
    return [_message(title, page, i, len(pages)) for i, page in enumerate(pages, 1)]


# ---------------------------------------------------------------- parts


def _title_parts(title: str) -> list[_Part]:
    """The whole title as a section, when the header has to shorten it."""
    if _escaped_len(title) <= MAX_HEADER_TEXT:
        return []
    chunks = _chunks(title, MAX_SECTION_TEXT - 2)
    return [_section_part(f"*{escape(chunk)}*", chunk) for chunk in chunks]


def _block_parts(block: Block) -> list[_Part]:
    parts: list[_Part] = []
    heading = _shorten(" ".join(block.heading.split()), MAX_HEADING)
    prefix = f"*{escape(heading)}*\n" if heading else ""
    body = "\n\n".join(p.strip() for p in block.paragraphs if p.strip())
    if body:
        for i, chunk in enumerate(_chunks(body, MAX_SECTION_TEXT - len(prefix))):
            lead, plain_lead = (prefix, heading + "\n") if i == 0 else ("", "")
            parts.append(_section_part(lead + escape(chunk), plain_lead + chunk))
    elif heading:
        parts.append(_section_part(prefix.rstrip(), heading))
    parts.extend(_quote_part(quote) for quote in block.quotes)
    return parts


def _quote_part(quote: Quote) -> _Part:
    marked = _marked(quote, MAX_SECTION_TEXT - 2)
    citation = escape(_shorten(quote.citation, MAX_CONTEXT_TEXT // 2))
    blocks = (_section(f"> {marked}"), _context(citation))
    return _Part(blocks, f"> {quote.text}\n  ({quote.citation})")


def _context_parts(note: str) -> list[_Part]:
    return [_Part((_context(escape(chunk)),), chunk) for chunk in _chunks(note, MAX_CONTEXT_TEXT)]


def _section_part(mrkdwn: str, plain: str) -> _Part:
    return _Part((_section(mrkdwn),), plain)


def _marked(quote: Quote, limit: int) -> str:
    """The quote, matched words in bold, one line, at most ``limit`` characters."""
    out: list[str] = []
    used = 0
    for span in quote.spans:
        flat = " ".join(span.text.splitlines())
        piece = f"*{escape(flat)}*" if span.marked and flat.strip() else escape(flat)
        if used + len(piece) > limit - len(_ELLIPSIS):
            room = limit - used
            fits = not span.marked and room > len(_ELLIPSIS)
            out.append(_shorten_escaped(flat, room) if fits else _ELLIPSIS)
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).strip() or _ELLIPSIS


# ---------------------------------------------------------------- messages


def _paginate(parts: list[_Part], max_messages: int) -> list[list[_Part]]:
    """Parts packed into pages: 49 blocks (one for the header) and a size budget."""
    pages: list[list[_Part]] = [[]]
    for part in parts:
        page = pages[-1]
        blocks = sum(len(p.blocks) for p in page) + len(part.blocks)
        size = sum(p.size for p in page) + part.size
        if page and (blocks > MAX_BLOCKS - 2 or size > MAX_MESSAGE_CHARS):
            pages.append([part])
        else:
            page.append(part)
    if len(pages) > max_messages:
        pages = pages[:max_messages]
        pages[-1] = [*pages[-1], *_context_parts(CUT_NOTE)]
    return pages


def _message(title: str, page: list[_Part], number: int, total: int) -> SlackMessage:
    suffix = f" ({number}/{total})" if total > 1 else ""
    header = _shorten_escaped(title, MAX_HEADER_TEXT - len(suffix)) + suffix
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": header}}]
    blocks.extend(block for part in page for block in part.blocks)
    plain = "\n\n".join([title + suffix, *(part.plain for part in page)])
    return {"text": _shorten_escaped(plain, MAX_FALLBACK_TEXT), "blocks": blocks}


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def _block_text(block: dict[str, Any]) -> str:
    if block["type"] == "context":
        return "".join(str(element["text"]) for element in block["elements"])
    return str(block["text"]["text"])


# ---------------------------------------------------------------- text sizes


def _escaped_len(text: str) -> int:
    return len(text) + sum(text.count(c) * (len(escaped) - 1) for c, escaped in _ESCAPES.items())


def _fitting(text: str, limit: int) -> int:
    """The length of the longest prefix of ``text`` whose escaped form fits ``limit``."""
    if len(text) <= limit and _escaped_len(text) <= limit:  # most text: all of it
        return len(text)
    costs = accumulate(len(_ESCAPES.get(c, c)) for c in text[:limit])
    return bisect_right(list(costs), limit)


def _chunks(text: str, limit: int) -> list[str]:
    """``text`` in pieces whose escaped forms fit ``limit``, broken at spaces if possible."""
    chunks: list[str] = []
    rest = text.strip()
    while (cut := _fitting(rest, limit)) < len(rest):
        space = max(rest.rfind(" ", cut // 2, cut + 1), rest.rfind("\n", cut // 2, cut + 1))
        cut = space if space > 0 else max(cut, 1)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        chunks.append(rest)
    return chunks


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` raw characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def _shorten_escaped(text: str, limit: int) -> str:
    """``text`` escaped and cut so the escaped form fits ``limit``."""
    if _escaped_len(text) <= limit:
        return escape(text)
    return escape(text[: _fitting(text, limit - 1)].rstrip()) + _ELLIPSIS

"""Markdown's headings and paragraphs, read a whole document at a time.

``#`` and underlined headings; the first heading is the title. Code blocks
(fenced) are skipped, rules and blank lines end paragraphs, a list item is a
paragraph of its own, quotes lose their ``>``; links, images, tags, code spans
and emphasis keep their text.

Only the lines that may be markup (their first character, after spaces, can
open a fence, heading, underline, rule, list item or quote) go through the
regular expressions one by one; they are found with one search over the
text, and the runs of text and blank lines between them are read in a tight
loop. The inline marks are rewritten for many paragraphs at once, one a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import methodcaller

from bot.text.outline import Kind, Outline

__all__ = ["markdown_outline"]

_ATX_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
# The inline marks; no pattern reaches across a line break, so that the
# paragraphs of a whole document are rewritten at once, one a line.
_GROUP_1, _GROUP_2 = methodcaller("group", 1), methodcaller("group", 2)
_INLINE: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str] | str], ...] = (
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), _GROUP_1),
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), _GROUP_1),
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), _GROUP_1),
    (re.compile(r"<[^>\n]+>"), ""),
    (re.compile(r"`([^`\n]*)`"), _GROUP_1),
    (re.compile(r"(\*\*|__)(.+?)\1"), _GROUP_2),
    # A lone * or _ not after a word character or *: the lookbehind comes
    # after the mark so that the search can skip to the next * or _.
    (re.compile(r"([*_])(?<![\w*][*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), _GROUP_2),
)
#: The characters other than ``\n`` at which ``str.splitlines`` breaks a line.
_OTHER_LINE_BREAKS = ("\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
#: Characters of Markdown paragraphs rewritten at a time (see _markdown_inline).
_INLINE_CHARS = 1 << 18
# A line that may be markup: its first character (after spaces) may open a
# fence, a heading, an underline, a rule, a list item or a quote.  Every
# other line is blank or a line of text.  (Searched for in the lines joined
# by line breaks, after one more at the start.)
_MAYBE_MARKUP = re.compile(r"\n[^\S\n]*[`~#=*_+>\-\d]")


def _one_line_break(text: str) -> str:
    """``"\\n".join(text.splitlines())``: every line break a ``\\n``, none at the end.

    Without the list of lines when ``\\n`` is the only line break in the text.
    """
    if any(other in text for other in _OTHER_LINE_BREAKS):
        return "\n".join(text.splitlines())
    return text[:-1] if text.endswith("\n") else text


def _markdown_inline(texts: list[str]) -> list[str]:
    """Links, images, tags, code spans and emphasis reduced to their text, in every text.

    The texts are rewritten about ``_INLINE_CHARS`` characters at a time, one
    a line (no text holds a line break), so that the temporary strings stay small.
    """
    found: list[str] = []
    start = 0
    while start < len(texts):
        end, size = start, 0
        while end < len(texts) and size < _INLINE_CHARS:
            size += len(texts[end]) + 1
            end += 1
        joined = "\n".join(texts[start:end])
        for pattern, replacement in _INLINE:
            joined = pattern.sub(replacement, joined)
        found += map(str.strip, joined.split("\n"))
        start = end
    return found


class _MarkdownBlocks:
    """Headings and paragraphs of Markdown, as the lines come.

    Only the lines that may be markup go through the regular expressions;
    runs of lines of text and blank lines are read in a tight loop.
    """

    __slots__ = ("in_fence", "kinds", "paragraph", "texts")

    def __init__(self) -> None:
        self.kinds: list[Kind] = []
        self.texts: list[str] = []  # before the inline marks are read
        self.paragraph: list[str] = []  # the open paragraph's lines
        self.in_fence = False

    def flush(self) -> None:
        if self.paragraph:
            self.kinds.append("paragraph")
            self.texts.append(" ".join(self.paragraph))
            self.paragraph.clear()

    def text(self, run: str) -> None:
        """Lines of text and blank lines (one or more, none markup)."""
        if self.in_fence:
            return
        paragraph = self.paragraph
        for raw in run.split("\n"):
            line = raw.strip()
            if line:
                paragraph.append(line)
            elif paragraph:
                self.kinds.append("paragraph")
                self.texts.append(" ".join(paragraph))
                paragraph.clear()

    def markup(self, raw: str) -> None:
        """A line that may be markup, as the straightforward reading takes it."""
        if _FENCE.match(raw):
            self.flush()
            self.in_fence = not self.in_fence
            return
        if self.in_fence:
            return
        line = raw.strip()
        atx = _ATX_HEADING.match(raw)
        if atx:
            self.flush()
            self.kinds.append("heading")
            self.texts.append(atx.group(2))
        elif self.paragraph and _SETEXT_UNDERLINE.match(raw) and len(self.paragraph) == 1:
            self.kinds.append("heading")
            self.texts.append(self.paragraph.pop())
        elif _RULE.match(raw):
            self.flush()
        elif _LIST_ITEM.match(raw):
            self.flush()
            self.paragraph.append(_LIST_ITEM.sub("", raw))
        else:
            self.paragraph.append(line.lstrip("> ").strip() if line.startswith(">") else line)


def markdown_outline(text: str) -> Outline:
    """Headings and paragraphs; only the lines that may be markup are looked at one by one."""
    joined = "\n" + _one_line_break(text.replace("\ufeff", ""))
    if joined == "\n":
        return Outline(None, [], [])
    reader = _MarkdownBlocks()
    position = 1  # where the next line starts
    for match in _MAYBE_MARKUP.finditer(joined):
        start = match.start() + 1
        if start > position:
            reader.text(joined[position : start - 1])
        end = joined.find("\n", start)
        position = len(joined) + 1 if end < 0 else end + 1
        reader.markup(joined[start : position - 1])
    if position <= len(joined):
        reader.text(joined[position:])
    reader.flush()
    del joined
    kinds: list[Kind] = []
    texts: list[str] = []
    for kind, inline in zip(reader.kinds, _markdown_inline(reader.texts), strict=True):
        if inline:
            kinds.append(kind)
            texts.append(inline)
    title = None
    if kinds and kinds[0] == "heading":
        del kinds[0]
        title = texts.pop(0)
    return Outline(title, kinds, texts)

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
from collections import deque
from collections.abc import Callable
from itertools import compress, pairwise
from operator import methodcaller

import numpy as np
import numpy.typing as npt

from bot.text.outline import Kind, Outline

__all__ = ["markdown_outline"]

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
#: Fences, headings, underlines, rules and list items, tried in that order (the first
#: that matches names the line; an underline under no single line may be a rule or an item).
_MARKUP_LINE = re.compile(
    r"(?P<fence>\s{0,3}(?:```|~~~))"
    r"|(?P<atx>\s{0,3}#{1,6}\s+(?P<heading>.*?)\s*#*\s*$)"
    r"|(?P<setext>\s{0,3}(?:=+|-+)\s*$)"
    r"|(?P<rule>\s{0,3}(?:[-*_]\s*){3,}$)"
    r"|(?P<item>\s*(?:[-*+]|\d+[.)])\s+)"
)
# The inline marks; no pattern reaches across a line break, so that the
# paragraphs of a whole document are rewritten at once, one a line.
_GROUP_1, _GROUP_2 = methodcaller("group", 1), methodcaller("group", 2)
Replacement = Callable[[re.Match[str]], str] | str
# The marks a text may hold (bits): each inline pattern needs one of them.
_IMAGE, _LINK, _TAG, _CODE, _STAR, _UNDERSCORE = 1, 2, 4, 8, 16, 32
_EMPHASIS = _STAR | _UNDERSCORE
#: The byte of each mark: "!" of an image, "[" of a link, "<" of a tag, "`" of code, ...
_MARK_OF = {"!": _IMAGE, "[": _LINK, "<": _TAG, "`": _CODE, "*": _STAR, "_": _UNDERSCORE}
_MARKS = bytes(_MARK_OF.get(chr(code), 0) for code in range(256))
_NEWLINE = ord("\n")
#: The inline patterns in the order they apply, each with what it is replaced
#: by and the marks a text must hold (all of them) for it to be tried there.
#: Emphasis is one pattern for ``*`` and ``_``; the same pattern for one of
#: them only, in a text without the other, is the same and starts with a
#: plain character, which the search finds faster.
_INLINE: tuple[tuple[re.Pattern[str], Replacement, int], ...] = (
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), _GROUP_1, _IMAGE | _LINK),
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), _GROUP_1, _LINK),
    (re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), _GROUP_1, _LINK),
    (re.compile(r"<[^>\n]+>"), "", _TAG),
    (re.compile(r"`([^`\n]*)`"), _GROUP_1, _CODE),
)
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
# A lone * or _ not after a word character or *: the lookbehind comes
# after the mark so that the search can skip to the next * or _.
_LONE = re.compile(r"([*_])(?<![\w*][*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
#: The two emphasis patterns for a text with ``*`` but no ``_``, and the other way round.
_ONE_EMPHASIS = {
    _STAR: (
        re.compile(r"\*\*(.+?)\*\*"),
        re.compile(r"\*(?<![\w*]\*)(?!\s)(.+?)(?<!\s)\*(?![\w*])"),
    ),
    _UNDERSCORE: (
        re.compile(r"__(.+?)__"),
        re.compile(r"_(?<![\w*]_)(?!\s)(.+?)(?<!\s)_(?![\w*])"),
    ),
}
#: The characters other than ``\n`` at which ``str.splitlines`` breaks a line.
_OTHER_LINE_BREAKS = ("\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
#: Characters of Markdown paragraphs rewritten at a time (see _markdown_inline).
_INLINE_CHARS = 1 << 18
# A line that may be markup: its first character (after spaces) may open a
# fence, a heading, an underline, a rule, a list item or a quote.  Every
# other line is blank or a line of text.  (Searched for in the lines joined
# by line breaks, after one more at the start.)
_MAYBE_MARKUP = re.compile(r"\n([^\S\n]*[`~#=*_+>\-\d][^\n]*)")


def _one_line_break(text: str) -> str:
    """``"\\n".join(text.splitlines())``: every line break a ``\\n``, none at the end.

    Without the list of lines when ``\\n`` is the only line break in the text.
    """
    if any(other in text for other in _OTHER_LINE_BREAKS):
        return "\n".join(text.splitlines())
    return text[:-1] if text.endswith("\n") else text


def _markdown_inline(texts: list[str]) -> list[str]:
    """Links, images, tags, code spans and emphasis reduced to their text, in every text.

    The texts are read about ``_INLINE_CHARS`` characters at a time (so that
    the temporary strings stay small), and in groups of the same marks: the
    texts of a group are rewritten together, one a line (no text holds a line
    break), by the patterns their marks allow.  A pattern only takes
    characters out, so a text without a mark is still without it after the
    patterns before.
    """
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    ends = np.cumsum(sizes)
    cuts = np.flatnonzero(np.diff(ends // _INLINE_CHARS)) + 1
    found: list[str] = []
    for start, end in pairwise([0, *cuts.tolist(), len(texts)]):
        batch = texts[start:end]
        marks = _marks_of(batch)
        order = np.argsort(marks, kind="stable")
        ordered = marks[order]
        cuts = np.flatnonzero(np.diff(ordered)) + 1
        for low, high in pairwise([int(np.searchsorted(ordered, 1)), *cuts.tolist(), len(order)]):
            if low < high:
                _rewrite(batch, order[low:high].tolist(), int(ordered[low]))
        found += map(str.strip, batch)
    return found


def _marks_of(texts: list[str]) -> npt.NDArray[np.uint8]:
    """The marks (bits of :data:`_MARKS`) of each of ``texts``; every mark for every
    text when one holds a line break."""
    data = ("\n".join(texts) + "\n").encode("utf-8", "surrogatepass")
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _NEWLINE)
    if len(ends) != len(texts):
        return np.full(len(texts), 0xFF, dtype=np.uint8)
    marks = np.frombuffer(data.translate(_MARKS), dtype=np.uint8)
    # Each text with the line break after it (never empty).
    found: npt.NDArray[np.uint8] = np.bitwise_or.reduceat(marks, np.r_[0, ends[:-1] + 1])
    return found


def _rewrite(texts: list[str], which: list[int], marks: int) -> None:
    """The inline patterns that ``marks`` allow, applied to ``texts[k]`` for each ``k``
    of ``which`` (in place)."""
    patterns = [(p, r) for p, r, needed in _INLINE if marks & needed == needed]
    emphasis = marks & _EMPHASIS
    if emphasis == _EMPHASIS:
        patterns += [(_STRONG, _GROUP_2), (_LONE, _GROUP_2)]
    elif emphasis:
        patterns += [(pattern, _GROUP_1) for pattern in _ONE_EMPHASIS[emphasis]]
    joined = "\n".join([texts[k] for k in which])
    for pattern, replacement in patterns:
        joined = pattern.sub(replacement, joined)
    lines = joined.split("\n")
    if len(lines) == len(which):
        deque(map(texts.__setitem__, which, lines), maxlen=0)
        return
    for k in which:  # a text holds a line break: each on its own
        for pattern, replacement in patterns:
            texts[k] = pattern.sub(replacement, texts[k])


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
        """A line that may be markup, as the straightforward reading takes it
        (:data:`_MARKUP_LINE` stands for the five expressions tried one by one)."""
        found = _MARKUP_LINE.match(raw)
        kind = found.lastgroup if found else None
        if kind == "fence":
            self.flush()
            self.in_fence = not self.in_fence
        elif self.in_fence:
            return
        elif kind == "atx":
            assert found is not None
            self.flush()
            self.kinds.append("heading")
            self.texts.append(found.group("heading"))
        elif kind == "item":
            assert found is not None
            self.flush()
            self.paragraph.append(raw[found.end() :])
        elif kind == "setext" and self.paragraph and len(self.paragraph) == 1:
            self.kinds.append("heading")
            self.texts.append(self.paragraph.pop())
        elif kind == "rule" or (kind == "setext" and _RULE.match(raw)):
            self.flush()
        elif kind == "setext" and _LIST_ITEM.match(raw):
            self.flush()
            self.paragraph.append(_LIST_ITEM.sub("", raw))
        else:
            line = raw.strip()
            self.paragraph.append(line.lstrip("> ").strip() if line.startswith(">") else line)


def markdown_outline(text: str) -> Outline:
    """Headings and paragraphs; only the lines that may be markup are looked at one by one."""
    joined = "\n" + _one_line_break(text.replace("\ufeff", ""))
    if joined == "\n":
        return Outline(None, [], [])
    reader = _MarkdownBlocks()
    position = 1  # where the next line starts
    for match in _MAYBE_MARKUP.finditer(joined):  # the whole line, without its line break
        start = match.start() + 1
        if start > position:
            reader.text(joined[position : start - 1])
        position = match.end() + 1
        reader.markup(match.group(1))
    if position <= len(joined):
        reader.text(joined[position:])
    reader.flush()
    del joined
    texts = _markdown_inline(reader.texts)
    kinds = reader.kinds
    if not all(texts):  # those left empty go
        kinds = list(compress(kinds, texts))
        texts = list(filter(None, texts))
    title = None
    if kinds and kinds[0] == "heading":
        del kinds[0]
        title = texts.pop(0)
    return Outline(title, kinds, texts)

"""Parse an article (plain text, Markdown or HTML) into a :class:`Document`.

Each format is first reduced to a title and a flat list of headings and
paragraphs; :func:`assemble` then groups paragraphs under their headings,
splits sentences and numbers the sections. Text before the first heading
becomes an untitled introduction.

Plain text is read the way the bundled article is written: the first line is
the title when it looks like one, headings are short lines with no closing
punctuation (or lines in capitals), and a paragraph is a line, or a block of
lines between blank lines.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from operator import methodcaller
from typing import Literal

from bot.errors import ArticleError
from bot.languages import SAMPLE_CHARS, detect_language
from bot.models import Document, Section, slugify
from bot.tokenizing import Tokenizer

__all__ = [
    "Block",
    "Outline",
    "assemble",
    "assemble_outline",
    "parse",
    "parse_html",
    "parse_markdown",
    "parse_text",
    "read_outline",
]

INTRO_TITLE = "Introduction"
_MAX_HEADING_CHARS = 120
_MAX_HEADING_WORDS = 14
_CLOSING_PUNCTUATION = tuple('.!?,;:…"”’)]»')
#: Characters of paragraphs split beyond the sample for detecting the language.
_DETECT_SLACK = 1000


Sentences = tuple[str, ...]


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


def parse(text: str, *, kind: str, name: str, tokenizer: Tokenizer) -> Document:
    """Parse ``text`` of the given kind (``"text"``, ``"markdown"`` or ``"html"``)."""
    with collector_paused():
        outline = read_outline(text, kind=kind)
        return assemble_outline(outline, name=name, tokenizer=tokenizer)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while an article is read.

    Reading makes hundreds of thousands of strings, tuples and small objects
    and no reference cycles: every collection would walk the growing
    document again, and for nothing, so a long article would cost more than
    its length.  The collector runs again afterwards (if it ran before).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def read_outline(text: str, *, kind: str) -> Outline:
    """The title (if the text has one) and the headings and paragraphs, before sentences."""
    if kind == "markdown":
        return _markdown_outline(text)
    parsers = {"text": _text_blocks, "html": _html_blocks}
    return Outline.of(*parsers[kind](text))


def parse_text(text: str, *, name: str = "article", tokenizer: Tokenizer) -> Document:
    return parse(text, kind="text", name=name, tokenizer=tokenizer)


def parse_markdown(text: str, *, name: str = "article", tokenizer: Tokenizer) -> Document:
    return parse(text, kind="markdown", name=name, tokenizer=tokenizer)


def parse_html(text: str, *, name: str = "article", tokenizer: Tokenizer) -> Document:
    return parse(text, kind="html", name=name, tokenizer=tokenizer)


def assemble(
    title: str | None, blocks: Iterable[Block], *, name: str, tokenizer: Tokenizer
) -> Document:
    """Group paragraphs under headings into numbered sections."""
    return assemble_outline(Outline.of(title, blocks), name=name, tokenizer=tokenizer)


def assemble_outline(outline: Outline, *, name: str, tokenizer: Tokenizer) -> Document:
    """Group paragraphs under headings into numbered sections.

    Sentences are split for all paragraphs at once.  With a tokenizer that
    detects the language (:meth:`Tokenizer.detecting`), the language is
    detected from the title and the first sentences, as split in the
    fallback language, and the paragraphs are split in the language found.
    """
    title = outline.title or _title_from_name(name)
    kinds, texts = outline.kinds, outline.texts
    paragraph_texts = [text for kind, text in zip(kinds, texts, strict=True) if kind == "paragraph"]
    split, language = _split(title, paragraph_texts, tokenizer)
    del paragraph_texts
    # Each heading, and the paragraphs up to the next one (those with sentences).
    headings = [index for index, kind in enumerate(kinds) if kind == "heading"]
    bounds = [0, *(index - count for count, index in enumerate(headings)), len(split)]
    titles: list[str | None] = [None, *(texts[index] for index in headings)]
    groups = [
        (heading, list(filter(None, split[low:high])))
        for heading, low, high in zip(titles, bounds, bounds[1:], strict=False)
    ]
    sections = _number([(heading, paragraphs) for heading, paragraphs in groups if paragraphs])
    if not sections:
        raise ArticleError(f"{name}: no paragraphs to summarize (only headings or blank lines)")
    return Document(title=title, sections=sections, language=language, source=name)


def _split(title: str, texts: list[str], tokenizer: Tokenizer) -> tuple[list[Sentences], str]:
    """Each paragraph's sentences, and the language they were split in."""
    if not tokenizer.detects:
        return tokenizer.to_sentences_many(texts), tokenizer.language
    split: list[Sentences] = []
    # The language is detected from the start of the text the fallback reads:
    # the title and the sentences, joined by spaces (see bot.languages).
    fallback = Tokenizer(tokenizer.language)
    length, count = len(title), 0
    while count < len(texts) and length < SAMPLE_CHARS:
        # Enough paragraphs for the sample (their sentences are about as long), and more.
        take, wanted = 0, SAMPLE_CHARS - length
        for take, text in enumerate(islice(texts, count, None), start=1):  # noqa: B007
            wanted -= len(text) + 1
            if wanted < -_DETECT_SLACK:
                break
        more = texts[count : count + take]
        found = fallback.to_sentences_many(more)
        split.extend(found)
        length += sum(len(sentence) + 1 for sentences in found for sentence in sentences)
        count += len(more)
    sample = " ".join([title, *(sentence for sentences in split for sentence in sentences)])
    language = detect_language(sample, fallback.language)
    if language == fallback.language:
        split.extend(fallback.to_sentences_many(texts[count:]))
    else:
        split = Tokenizer(language).to_sentences_many(texts)
    return split, language


def _number(groups: list[tuple[str | None, list[tuple[str, ...]]]]) -> tuple[Section, ...]:
    sections: list[Section] = []
    seen_slugs: set[str] = set()
    for number, (heading, paragraphs) in enumerate(groups, start=1):
        title = heading or INTRO_TITLE
        slug = slugify(title)
        if slug in seen_slugs:
            slug = f"{slug}-{number}"
        seen_slugs.add(slug)
        sections.append(Section(number, title, slug, tuple(paragraphs), untitled=heading is None))
    return tuple(sections)


def _title_from_name(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])
    return re.sub(r"[-_]+", " ", stem).strip() or "Untitled article"


# --- plain text -----------------------------------------------------------


def looks_like_heading(line: str) -> bool:
    """A short line with no closing punctuation, or a line in capitals."""
    line = line.strip()
    if not line or len(line) > _MAX_HEADING_CHARS:
        return False
    if line.isupper():
        return True
    words = line.split()
    return len(words) <= _MAX_HEADING_WORDS and not line.endswith(_CLOSING_PUNCTUATION)


def _text_blocks(text: str) -> tuple[str | None, list[Block]]:
    lines = [line.strip() for line in text.replace("\ufeff", "").splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    title = None
    if lines and looks_like_heading(lines[0]):
        title = lines.pop(0)
    if lines and all(looks_like_heading(line) for line in lines if line):
        return title, []  # only headings: nothing to summarize
    chunks = _chunks(lines)
    wrapped = any(len(chunk) > 1 for chunk in chunks) and "" in lines
    blocks: list[Block] = []
    for chunk in chunks:
        blocks.extend(_wrapped_chunk(chunk) if wrapped else _line_chunk(chunk))
    return title, _drop_trailing_headings(blocks)


def _chunks(lines: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line:
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _line_chunk(chunk: list[str]) -> Iterator[Block]:
    """One paragraph a line; a heading-like line followed by text is a heading."""
    for index, line in enumerate(chunk):
        is_last = index == len(chunk) - 1
        kind: Literal["heading", "paragraph"] = (
            "heading" if looks_like_heading(line) and not is_last else "paragraph"
        )
        if is_last and len(chunk) == 1 and looks_like_heading(line):
            kind = "heading"
        yield Block(kind, line)


def _wrapped_chunk(chunk: list[str]) -> Iterator[Block]:
    """Blank-line separated text: a block's lines make one paragraph."""
    if len(chunk) == 1:
        yield Block("heading" if looks_like_heading(chunk[0]) else "paragraph", chunk[0])
        return
    first, rest = chunk[0], chunk[1:]
    if looks_like_heading(first) and _title_cased(first):
        yield Block("heading", first)
        yield Block("paragraph", " ".join(rest))
    else:
        yield Block("paragraph", " ".join(chunk))


def _title_cased(line: str) -> bool:
    words = [word for word in line.split() if len(word) > 3 and word[0].isalpha()]
    return bool(words) and sum(word[0].isupper() for word in words) * 2 >= len(words)


def _drop_trailing_headings(blocks: list[Block]) -> list[Block]:
    while blocks and blocks[-1].kind == "heading" and len(blocks) > 1:
        last = blocks.pop()
        if not looks_like_heading(last.text) or last.text.isupper():
            blocks.append(Block("paragraph", last.text))
            break
    return blocks


# --- Markdown ---------------------------------------------------------------

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


def _markdown_blocks(text: str) -> tuple[str | None, list[Block]]:
    outline = _markdown_outline(text)
    return outline.title, [Block(*pair) for pair in zip(outline.kinds, outline.texts, strict=True)]


def _markdown_outline(text: str) -> Outline:
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


# --- HTML ---------------------------------------------------------------------

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PUNCTUATION_START = tuple(".,;:!?)]}»”’%")


def _html_blocks(text: str) -> tuple[str | None, list[Block]]:
    """Main-content extraction with breadability, as sumy's HtmlParser does it."""
    from breadability.readable import Article

    if not text.strip():
        return None, []
    article = Article(text)
    title = _html_title(text)
    blocks: list[Block] = []
    for paragraph in article.main_text:
        current = ""
        for fragment, marks in paragraph:
            tags = set(marks or ())
            if tags & _HEADING_TAGS:
                if current.strip():
                    blocks.append(Block("paragraph", current.strip()))
                current = ""
                blocks.append(Block("heading", " ".join(fragment.split())))
            elif "pre" not in tags:
                joiner = "" if fragment.startswith(_PUNCTUATION_START) else " "
                current += joiner + fragment
        if current.strip():
            blocks.append(Block("paragraph", " ".join(current.split())))
    if blocks and blocks[0].kind == "heading" and (title is None or blocks[0].text == title):
        title = blocks.pop(0).text
    return title, blocks


def _html_title(text: str) -> str | None:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(text)
    except (ValueError, SyntaxError):  # lxml raises ParserError, a SyntaxError
        return None
    for xpath in ("//h1", "//title"):
        found = tree.xpath(xpath)
        if found:
            title = " ".join(found[0].text_content().split())
            if title:
                return str(title)
    return None

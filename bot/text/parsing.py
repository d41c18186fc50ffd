"""Parse an article (plain text, Markdown or HTML) into a :class:`Document`.

Each format is first reduced to an :class:`~bot.text.outline.Outline` (a title and
a flat list of headings and paragraphs; Markdown's is read by
:mod:`bot.text.markdown`); :func:`assemble_outline` then groups paragraphs under
their headings, splits the sentences of all paragraphs at once and numbers the
sections. Text before the first heading becomes an untitled introduction,
named by :mod:`bot.text.intro`.

Plain text is read the way the bundled article is written: the first line is
the title when it looks like one, headings are short lines with no closing
punctuation (or lines in capitals), and a paragraph is a line, or a block of
lines between blank lines.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import compress, islice
from typing import Literal

from bot.errors import ArticleError
from bot.text.document import Document, Section, slugify
from bot.text.intro import intro_title
from bot.text.languages import SAMPLE_CHARS, detect_language
from bot.text.markdown import markdown_outline
from bot.text.outline import Block, Outline
from bot.text.tokenizer import Tokenizer

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

_MAX_HEADING_CHARS = 120
_MAX_HEADING_WORDS = 14
_CLOSING_PUNCTUATION = tuple('.!?,;:…"”’)]»')
#: Characters of paragraphs split beyond the sample for detecting the language.
_DETECT_SLACK = 1000


Sentences = tuple[str, ...]


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

    What was made is long-lived (the document, its index): unless some
    objects are frozen already (the bot freezes what start-up built), every
    object goes to the oldest generation at once (``gc.freeze`` then
    ``gc.unfreeze``, which moves none of them), so that the next young
    collections do not walk it all again on its way there.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def read_outline(text: str, *, kind: str) -> Outline:
    """The title (if the text has one) and the headings and paragraphs, before sentences."""
    if kind == "markdown":
        return markdown_outline(text)
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
    if len(kinds) != len(texts):
        raise ValueError("an outline needs a kind for each text")
    paragraph_texts = list(compress(texts, map("paragraph".__eq__, kinds)))
    split, language, known = _split(title, paragraph_texts, tokenizer)
    del paragraph_texts
    # Each heading, and the paragraphs up to the next one (those with sentences).
    headings = list(compress(range(len(kinds)), map("heading".__eq__, kinds)))
    bounds = [0, *(index - count for count, index in enumerate(headings)), len(split)]
    titles: list[str | None] = [None, *(texts[index] for index in headings)]
    groups = [
        (heading, list(filter(None, split[low:high])))
        for heading, low, high in zip(titles, bounds, bounds[1:], strict=False)
    ]
    # An introduction in a language too little text tells is named by its first words.
    sections = _number(
        [(heading, paragraphs) for heading, paragraphs in groups if paragraphs],
        language if known else "",
    )
    if not sections:
        raise ArticleError(f"{name}: no paragraphs to summarize (only headings or blank lines)")
    return Document(title=title, sections=sections, language=language, source=name)


def _split(title: str, texts: list[str], tokenizer: Tokenizer) -> tuple[list[Sentences], str, bool]:
    """Each paragraph's sentences, the language they were split in, and whether that
    language is known (set, or detected; not the fallback for text too short to tell)."""
    if not tokenizer.detects:
        return tokenizer.to_sentences_many(texts), tokenizer.language, True
    split: list[Sentences] = []
    # The language is detected from the start of the text the fallback reads:
    # the title and the sentences, joined by spaces (see bot.text.languages).
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
    detected = detect_language(sample, fallback="")
    language = detected or fallback.language
    if language == fallback.language:
        split.extend(fallback.to_sentences_many(texts[count:]))
    else:
        split = Tokenizer(language).to_sentences_many(texts)
    return split, language, bool(detected)


def _number(
    groups: list[tuple[str | None, list[tuple[str, ...]]]], language: str
) -> tuple[Section, ...]:
    sections: list[Section] = []
    seen_slugs: set[str] = set()
    for number, (heading, paragraphs) in enumerate(groups, start=1):
        title = heading or intro_title(language, paragraphs[0][0])
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


# --- HTML ---------------------------------------------------------------------


def _html_blocks(text: str) -> tuple[str | None, list[Block]]:
    """Main-content extraction (bot.text.html), imported only when HTML is read."""
    from bot.text.html import html_blocks

    return html_blocks(text)

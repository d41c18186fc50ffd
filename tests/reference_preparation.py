"""Today's preparation path, kept as the oracle the faster one is compared with.

A straightforward version of reading an article: plain text and Markdown
reduced to blocks line by line, every paragraph split into sentences line by
line with one ``sentencex`` call each, and, with ``LANGUAGE=auto``, the whole
article read in English, its language detected, and read again when it is
another.  ``tests/text/test_preparation.py`` checks that the bot's own path gives
the same documents.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Literal

from sentencex import segment

from bot.errors import ArticleError
from bot.text.document import Document, Section, slugify
from bot.text.intro import intro_title
from bot.text.languages import FALLBACK, MIN_LEAD, MIN_SHARE, MIN_WORDS
from bot.text.parsing import Block
from bot.text.stemmers import stop_words_for
from bot.text.tokenizer import LANGUAGES, Tokenizer, language_code

_MAX_HEADING_CHARS = 120
_MAX_HEADING_WORDS = 14
_CLOSING_PUNCTUATION = tuple('.!?,;:…"”’)]»')
_MISSED_BOUNDARY = re.compile(r"(?<=\betc\.)\s+(?=[A-Z])|(?<=[.!?][)\]])\s+(?=[A-Z\"“(])")


def parse(text: str, *, kind: str, name: str, tokenizer: Tokenizer) -> Document:
    """Parse plain text or Markdown the straightforward way."""
    parsers = {"text": _text_blocks, "markdown": _markdown_blocks}
    title, blocks = parsers[kind](text)
    return assemble(title, blocks, name=name, tokenizer=tokenizer)


def read_in_language(read: Callable[[Tokenizer], Document], language: str) -> Document:
    """Read in ``language``; ``auto``: in English, detect, and read again if it is another."""
    if language != "auto":
        return read(Tokenizer(language))
    first = read(Tokenizer(FALLBACK))
    text = " ".join([first.title, *(sentence.text for sentence in first.sentences)])
    detected = detect_language(text, fallback="")
    if not detected:  # too little to tell: English, the introduction named by its first words
        return _with_sections(first, "")
    return first if detected == FALLBACK else read(Tokenizer(detected))


def _with_sections(document: Document, language: str) -> Document:
    """``document`` with its sections numbered and named again for ``language``."""
    groups = [(None if s.untitled else s.title, list(s.paragraphs)) for s in document.sections]
    return dataclasses.replace(document, sections=_number(groups, language))


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, fallback: str = FALLBACK) -> str:
    if len(_WORD.findall(text[:50_000])) < MIN_WORDS:
        return fallback
    words = Counter(word.lower() for word in _WORD.findall(text[:50_000]))
    total = sum(words.values())
    shares = {
        language: sum(
            n for word, n in words.items() if word in {w.lower() for w in stop_words_for(language)}
        )
        / total
        for language in LANGUAGES
    }
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    (best, share), (_, runner_up) = ranked[0], ranked[1]
    if share < MIN_SHARE or share < runner_up * MIN_LEAD:
        return fallback
    return best


def to_sentences(tokenizer: Tokenizer, paragraph: str) -> tuple[str, ...]:
    return _sentences(language_code(tokenizer.language), paragraph)


def assemble(
    title: str | None, blocks: Iterable[Block], *, name: str, tokenizer: Tokenizer
) -> Document:
    """Group paragraphs under headings into numbered sections."""
    groups: list[tuple[str | None, list[tuple[str, ...]]]] = [(None, [])]
    for block in blocks:
        if block.kind == "heading":
            groups.append((block.text, []))
            continue
        sentences = to_sentences(tokenizer, block.text)
        if sentences:
            groups[-1][1].append(sentences)
    sections = _number(
        [(heading, paragraphs) for heading, paragraphs in groups if paragraphs],
        tokenizer.language,
    )
    if not sections:
        raise ArticleError(f"{name}: no paragraphs to summarize (only headings or blank lines)")
    return Document(
        title=title or _title_from_name(name),
        sections=sections,
        language=tokenizer.language,
        source=name,
    )


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


# --- Markdown ---------------------------------------------------------------

_ATX_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),
)


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text.strip()


def _markdown_blocks(text: str) -> tuple[str | None, list[Block]]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", _markdown_inline(" ".join(paragraph))))
            paragraph.clear()

    for raw in text.replace("\ufeff", "").splitlines():
        if _FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = raw.strip()
        atx = _ATX_HEADING.match(raw)
        if atx:
            flush()
            blocks.append(Block("heading", _markdown_inline(atx.group(2))))
        elif paragraph and _SETEXT_UNDERLINE.match(raw) and len(paragraph) == 1:
            blocks.append(Block("heading", _markdown_inline(paragraph.pop())))
        elif not line or _RULE.match(raw):
            flush()
        elif _LIST_ITEM.match(raw):
            flush()
            paragraph.append(_LIST_ITEM.sub("", raw))
        else:
            paragraph.append(line.lstrip("> ").strip() if line.startswith(">") else line)
    flush()
    blocks = [block for block in blocks if block.text]
    title = None
    if blocks and blocks[0].kind == "heading":
        title = blocks.pop(0).text
    return title, blocks


@lru_cache(maxsize=4096)
def _sentences(code: str, text: str) -> tuple[str, ...]:
    found: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        for sentence in segment(code, line):
            found.extend(part.strip() for part in _MISSED_BOUNDARY.split(sentence))
    return tuple(sentence for sentence in found if sentence)

"""A ~1 MB article of real prose: Python's reference topics, as a plain-text article.

(:func:`markdown_article` writes the same prose as Markdown, of any size.)

``pydoc_data.topics`` (the text behind ``help()``, shipped with CPython) holds
about 465 KB of English reference prose.  :func:`large_article` cuts its
sentence stream into paragraphs of a few sentences and sections of about
``size / sections`` characters, in the bot's plain-text format (first line the
title, one heading line per section, one paragraph per line).  The stream is
read round more than once, each round shifted by half a section, so no two
sections are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from pydoc_data.topics import topics

from bot.text.document import Document, Section, slugify
from bot.text.tokenizer import Tokenizer

__all__ = [
    "large_article",
    "markdown_article",
    "sentence_sections",
    "topic_sentences",
    "write_large_article",
    "write_markdown_article",
]

TITLE = "The Python language reference, section by section"
_PARAGRAPH_SENTENCES = 6


def topic_sentences(tokenizer: Tokenizer | None = None) -> list[str]:
    """Every sentence of the reference topics, in topic order."""
    tokenizer = tokenizer or Tokenizer("english")
    return [s for name in sorted(topics) for s in tokenizer.to_sentences(topics[name])]


def large_article(size: int = 1_000_000, sections: int = 200) -> str:
    """The article's text: ``sections`` sections, about ``size`` characters in all."""
    sentences = topic_sentences()
    per_section = size // sections
    average = sum(len(s) + 1 for s in sentences) / len(sentences)
    shift = max(1, int(per_section / average / 2))
    lines = [TITLE]
    position = rounds = 0
    for number in range(1, sections + 1):
        lines.append(f"Part {number} of the reference")
        body: list[str] = []
        length = 0
        while length < per_section:
            if position >= len(sentences):
                rounds += 1
                position = (shift * rounds) % len(sentences)
            sentence = sentences[position]
            position += 1
            body.append(sentence)
            length += len(sentence) + 1
        lines.extend(_paragraphs(body))
    return "\n".join(lines) + "\n"


def _paragraphs(sentences: Sequence[str]) -> list[str]:
    """Lines of a few sentences; each ends like prose so it never reads as a heading."""
    lines = []
    for start in range(0, len(sentences), _PARAGRAPH_SENTENCES):
        line = " ".join(sentences[start : start + _PARAGRAPH_SENTENCES])
        if not line.endswith((".", "!", "?", ":", ";")):
            line += "."
        lines.append(line)
    return lines


def sentence_sections(size: int = 1_000_000, sections: int = 200) -> Document:
    """The same prose with every sentence of the topics kept as it was split (no parsing).

    This is how the performance issue measured sumy (24,039 sentences in 200
    sections): code lines stay sentences of their own, so sections hold about
    twice as many, shorter, sentences as the parsed article.
    """
    sentences = topic_sentences()
    per_section = size // sections
    average = sum(len(s) + 1 for s in sentences) / len(sentences)
    shift = max(1, int(per_section / average / 2))
    chunks: list[list[str]] = [[]]
    length = position = rounds = 0
    while len(chunks) <= sections:
        if position >= len(sentences):
            rounds += 1
            position = (shift * rounds) % len(sentences)
        chunks[-1].append(sentences[position])
        position += 1
        length += len(sentences[position - 1]) + 1
        if length >= per_section:
            chunks.append([])
            length = 0
    return Document(
        TITLE,
        tuple(
            Section(n, f"Part {n}", slugify(f"Part {n}"), (tuple(chunk),))
            for n, chunk in enumerate(chunks[:sections], start=1)
        ),
    )


def write_large_article(folder: Path, size: int = 1_000_000, sections: int = 200) -> Path:
    path = folder / "python-reference.txt"
    path.write_text(large_article(size, sections), encoding="utf-8")
    return path


#: Characters of a section of :func:`markdown_article` (1 MB: 250 sections).
SECTION_CHARS = 4_000
_MARKUP = tuple("#~`=*-+>_|")


def markdown_article(size: int) -> str:
    """The reference prose as a Markdown article of about ``size`` characters.

    A ``#`` title, a ``##`` heading every ``SECTION_CHARS`` characters, and
    the topics' sentences as they were split, each a paragraph of its own
    (blank lines between them), every sixth run of five a bulleted list;
    some sentences carry inline marks (emphasis, code, a link).  This is the
    shape the performance issue measured (about 95 sentences a section).
    The sentence stream is read round as often as the size needs, each round
    shifted by half a section.
    """
    # Lines that Markdown would read as markup (rst underlines, comments) are left out.
    sentences = [s for s in topic_sentences() if not s.startswith(_MARKUP)]
    average = sum(len(s) + 1 for s in sentences) / len(sentences)
    shift = max(1, int(SECTION_CHARS / average / 2))
    lines = [f"# {TITLE}", ""]
    position = rounds = length = number = 0
    while length < size:
        number += 1
        lines += [f"## Part {number} of the reference", ""]
        section = 0
        while section < SECTION_CHARS:
            if position >= len(sentences):
                rounds += 1
                position = (shift * rounds) % len(sentences)
            sentence = _marked(sentences[position], position)
            if position // 5 % 6 == 5:
                lines.append(f"- {sentence}")
            else:
                lines += [sentence, ""]
            position += 1
            section += len(sentence) + 1
        lines.append("")
        length += section
    return "\n".join(lines)


def _marked(sentence: str, position: int) -> str:
    """Some sentences with inline Markdown: a word in emphasis or code, or a link."""
    words = sentence.split(" ")
    if len(words) < 4 or position % 3:
        return sentence
    mark = ("*{}*", "`{}`", "[{}](https://docs.python.org/3/)", "**{}**")[position // 3 % 4]
    words[2] = mark.format(words[2])
    return " ".join(words)


def write_markdown_article(folder: Path, size: int) -> Path:
    path = folder / f"python-reference-{size // 1000}k.md"
    path.write_text(markdown_article(size), encoding="utf-8")
    return path

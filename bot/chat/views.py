"""The views of an article a reply shows: its overview, its sections, one section, answers.

Each view that shows part of an article carries a :class:`~bot.chat.places.Place`
(the article, its version and where in it the reply stands), from which the
adapters offer the next steps as buttons and menus (:mod:`bot.chat.controls`).
Typed commands (:mod:`bot.chat.routing`) and clicks (:mod:`bot.chat.clicks`)
build their replies here alike.
"""

from __future__ import annotations

import re

from bot.articles.library import Entry
from bot.articles.options import OVERVIEW_SECTIONS
from bot.articles.prepared import PreparedArticle
from bot.chat.echo import defang
from bot.chat.places import Place, View
from bot.chat.replies import Block, Kind, Quote, Reply, Span
from bot.errors import UserFacingError
from bot.search.index import Hit
from bot.text.document import Section

__all__ = [
    "MAX_ANSWERS_SHOWN",
    "MAX_LISTED_SECTIONS",
    "MAX_OVERVIEW_SECTIONS",
    "answer",
    "asked_in",
    "heading",
    "more_answers",
    "overview",
    "section_summary",
    "sections",
]

MAX_OVERVIEW_SECTIONS = OVERVIEW_SECTIONS
MAX_LISTED_SECTIONS = 100
#: Answers "more answers" goes through at most, for one question.
MAX_ANSWERS_SHOWN = 60
_ON = re.compile(r"(?:More from|From) the article, on “(.+)”", re.DOTALL)


def overview(article: PreparedArticle, page: int = 0) -> Reply:
    """The title and a short summary of each section; ``page`` is its section menu's page."""
    document = article.document
    shown = document.sections[:MAX_OVERVIEW_SECTIONS]
    texts = [" ".join(article.overview(section)) for section in shown]
    # A section whose sentences did not fit the overview's words shows its title alone.
    blocks = tuple(
        Block(heading(section), (text,) if text else ())
        for section, text in zip(shown, texts, strict=True)
    )
    note = "Ask `/summary <section>` for more of one section, or `/summary <question>`."
    hidden = len(document.sections) - len(shown)
    if hidden > 0:
        note = f"…and {hidden:,} more sections: `/summary sections` lists them all. " + note
    titles = tuple(section.title for section in document.sections)
    place = Place(article.name, article.version, View.OVERVIEW, len(titles), page, titles=titles)
    return Reply(Kind.OVERVIEW, document.title, blocks, note, place)


def sections(article: Entry) -> Reply:
    document = article.document
    listed = document.sections[:MAX_LISTED_SECTIONS]
    lines = "\n".join(heading(section) for section in listed)
    hidden = len(document.sections) - len(listed)
    note = f"…and {hidden:,} more." if hidden > 0 else "Ask `/summary <number>` for one."
    return Reply(Kind.SECTIONS, document.title, (Block("Sections", (lines,)),), note)


def section_summary(article: PreparedArticle, section: Section) -> Reply:
    summary = article.summary(section)
    shown, total = len(summary), len(section.sentences)
    block = Block(heading(section), (" ".join(summary),))
    note = f"{shown} of the section's {total} sentences."
    count = len(article.document.sections)
    place = Place(article.name, article.version, View.SECTION, count, section.number)
    return Reply(Kind.SECTION, article.document.title, (block,), note, place)


def answer(article: PreparedArticle, question: str) -> Reply:
    hits = article.index.search(question, article.options.answers)
    if not hits:
        listing = sections(article).blocks
        note = "Try other words, or pick a section by number."
        title = f"Nothing in the article matches “{defang(question)}”."
        return Reply(Kind.NOT_FOUND, title, listing, note)
    quotes = tuple(_quote(article, hit) for hit in hits)
    block = Block(f"From the article, on “{defang(question)}”", quotes=quotes)
    count, full = len(article.document.sections), len(hits) >= article.options.answers
    place = Place(article.name, article.version, View.ANSWER, count, 0, question, full)
    return Reply(Kind.ANSWER, article.document.title, (block,), place=place)


def more_answers(article: PreparedArticle, question: str, shown: int) -> Reply:
    """The answers to ``question`` after the first ``shown``, in rank order."""
    count = article.options.answers
    if shown >= MAX_ANSWERS_SHOWN:
        raise UserFacingError("That is as many answers as I show; try other words.")
    hits = article.index.search(question, shown + count)[shown:]
    if not hits:
        raise UserFacingError("There are no more answers to that question; try other words.")
    quotes = tuple(_quote(article, hit) for hit in hits)
    block = Block(f"More from the article, on “{defang(question)}”", quotes=quotes)
    full = len(hits) >= count and shown + count < MAX_ANSWERS_SHOWN
    sections_count = len(article.document.sections)
    place = Place(article.name, article.version, View.ANSWER, sections_count, shown, question, full)
    note = f"Answers {shown + 1} to {shown + len(hits)}."
    return Reply(Kind.ANSWER, article.document.title, (block,), note, place)


def asked_in(block_heading: str) -> str:
    """The question an answer's block heading repeats ("" when it is no answer's)."""
    found = _ON.fullmatch(block_heading)
    return found.group(1) if found else ""


def heading(section: Section) -> str:
    return f"{section.number}. {section.title}"


def _quote(article: PreparedArticle, hit: Hit) -> Quote:
    section = article.document.section(hit.sentence.section)
    spans = tuple(_spans(article, hit.sentence.text, hit.matched))
    return Quote(spans, section.number, section.title)


def _spans(article: PreparedArticle, text: str, matched: frozenset[str]) -> list[Span]:
    spans: list[Span] = []
    last = 0
    for start, end in article.index.marks(text, matched):
        if start > last:
            spans.append(Span(text[last:start]))
        spans.append(Span(text[start:end], marked=True))
        last = end
    if last < len(text):
        spans.append(Span(text[last:]))
    return spans

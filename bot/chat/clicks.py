"""A click on a button or a menu, answered from the library: the same replies as typed commands.

:func:`answer_click` reads the control's id (:mod:`bot.chat.control_ids`),
finds the article it names and answers: a section, the overview (with its
section menu on another page), or the next answers to a question. It never
raises for anything a click can carry: a malformed or forged id, a section out
of range or a question with nothing more to show become a short error reply. A
control whose article has changed since (another version) or is gone gets the
current overview with a note saying so, never another article's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.chat.control_ids import Action, Click, article_key, read_control, version_tag
from bot.chat.echo import defang
from bot.chat.places import Place, View
from bot.chat.replies import Block, Kind, Quote, Reply, Span
from bot.chat.routing import overview, section_summary
from bot.errors import UserFacingError
from bot.library import Article, Library
from bot.search.index import Hit

__all__ = ["MAX_ANSWERS_SHOWN", "answer_click", "find_article", "more_answers"]

#: Answers "more answers" goes through at most, for one question.
MAX_ANSWERS_SHOWN = 60
STALE_NOTE = "That message showed an earlier version of this article; here it is as it is now."
GONE_NOTE = "The article that message showed is gone; here is this channel's article."


def answer_click(control: str, chosen: Sequence[str], channel: str, library: Library) -> Reply:
    """The reply to a click on ``control`` (with a menu's ``chosen`` values) in ``channel``."""
    try:
        click = read_control(control, chosen)
        article = find_article(library, click.article)
        if article is None:  # maybe a page another process loaded since
            article = find_article(library.sync_pages(), click.article)
        if article is None:
            return _noted(overview(library.article_for(channel)), GONE_NOTE)
        if version_tag(article.version) != click.version:
            return _noted(overview(article), STALE_NOTE)
        return _answer(click, article)
    except UserFacingError as error:
        return Reply(Kind.ERROR, "Sorry, I can't do that", note=str(error))


def find_article(library: Library, key: str) -> Article | None:
    """The article whose :func:`~bot.chat.control_ids.article_key` is ``key``."""
    found = library.get(key) if not key.startswith("~") else None
    if found is not None and article_key(found.name) == key:
        return found
    return next((a for a in library.articles if article_key(a.name) == key), None)


def _answer(click: Click, article: Article) -> Reply:
    sections = article.document.sections
    match click.action:
        case Action.SECTION:
            if not 1 <= click.number <= len(sections):
                raise UserFacingError(
                    f"There is no such section: this article has sections 1 to {len(sections)}."
                )
            return section_summary(article, article.document.section(click.number))
        case Action.OVERVIEW:
            if click.number > len(sections):
                raise UserFacingError("That page of sections is not there any more.")
            shown = overview(article)
            assert shown.place is not None
            return replace(shown, place=replace(shown.place, number=click.number))
        case Action.MORE:
            return more_answers(article, click.question, click.number)
    raise UserFacingError("That button does nothing any more.")  # pragma: no cover


def more_answers(article: Article, question: str, shown: int) -> Reply:
    """The answers to ``question`` after the first ``shown``, in rank order."""
    count = article.options.answers
    if shown >= MAX_ANSWERS_SHOWN:
        raise UserFacingError("That is as many answers as I show; try other words.")
    hits = article.index.search(question, shown + count)[shown:]
    if not hits:
        raise UserFacingError("There are no more answers to that question; try other words.")
    quotes = tuple(_quote(article, hit) for hit in hits)
    heading = f"More from the article, on “{defang(question)}”"
    place = Place(
        article.name,
        article.version,
        View.ANSWER,
        len(article.document.sections),
        shown,
        question,
        full=len(hits) >= count and shown + count < MAX_ANSWERS_SHOWN,
    )
    note = f"Answers {shown + 1} to {shown + len(hits)}."
    return Reply(Kind.ANSWER, article.document.title, (Block(heading, quotes=quotes),), note, place)


def _noted(reply: Reply, note: str) -> Reply:
    return replace(reply, note=f"{note} {reply.note}".strip())


def _quote(article: Article, hit: Hit) -> Quote:
    section = article.document.section(hit.sentence.section)
    text = hit.sentence.text
    spans: list[Span] = []
    last = 0
    for start, end in article.index.marks(text, hit.matched):
        if start > last:
            spans.append(Span(text[last:start]))
        spans.append(Span(text[start:end], marked=True))
        last = end
    if last < len(text):
        spans.append(Span(text[last:]))
    return Quote(tuple(spans), section.number, section.title)

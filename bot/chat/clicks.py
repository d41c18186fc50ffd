"""A click on a button or a menu, answered from the library: the same views as typed commands.

:func:`answer` takes the :class:`~bot.chat.commands.Click` command that
:func:`~bot.chat.control_ids.read_click` read from a control's id, finds the
article it names and shows the view it asks for: a section, the overview (with
its section menu on another page), or the next answers to a question. A
section out of range or a question with nothing more to show is a
:class:`~bot.errors.UserFacingError`, which :func:`bot.chat.routing.handle`
answers with a short note. A control whose article has changed since (another
version) or is gone gets the current overview with a note saying so, never
another article's text.
"""

from __future__ import annotations

from dataclasses import replace

from bot.articles.library import Entry
from bot.articles.prepared import PreparedArticle
from bot.articles.sections import section_by_number
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import Action, Click, Command
from bot.chat.control_ids import article_key, version_tag
from bot.chat.replies import Reply
from bot.chat.requests import Request
from bot.chat.views import more_answers, overview, section_summary
from bot.errors import UserFacingError

__all__ = ["GONE_NOTE", "STALE_NOTE", "answer", "find_entry", "is_askers", "is_quick"]

STALE_NOTE = "That message showed an earlier version of this article; here it is as it is now."
GONE_NOTE = "The article that message showed is gone; here is this channel's article."


def answer(click: Click, channel: str, library: ChannelArticles) -> Reply:
    """The view ``click`` asks for, of the article it names (or a note and an overview)."""
    entry = find_entry(library, click.article)
    if entry is None:  # maybe a page another process loaded, or a new file in the folder
        entry = find_entry(_looked_again(library), click.article)
    if entry is None:
        return _noted(overview(library.article_for(channel)), GONE_NOTE)
    article = library.library.article(entry)
    if version_tag(article.version) != click.version:
        return _noted(overview(article), STALE_NOTE)
    return _view(click, article)


def is_quick(click: Click, library: ChannelArticles) -> bool:
    """Whether :func:`answer` is a lookup: the article it names is here, prepared."""
    entry = find_entry(library, click.article)
    return entry is not None and library.library.is_ready(entry)


def is_askers(command: Command, request: Request) -> bool:
    """Whether ``command`` is a click on controls made for its sender (which may change
    the message they are on; anyone else's click is answered to them alone)."""
    return isinstance(command, Click) and bool(request.user) and command.asker == request.user


def find_entry(library: ChannelArticles, key: str) -> Entry | None:
    """The article whose :func:`~bot.chat.control_ids.article_key` is ``key``."""
    found = library.library.get(key) if not key.startswith("~") else None
    if found is not None and article_key(found.name) == key:
        return found
    return next((a for a in library.library.entries if article_key(a.name) == key), None)


def _looked_again(library: ChannelArticles) -> ChannelArticles:
    if library.kept is not None:
        library.kept.sync()
    if library.library.has_shelf:
        library.library.refresh()
    return library


def _view(click: Click, article: PreparedArticle) -> Reply:
    match click.action:
        case Action.SECTION:
            return section_summary(article, section_by_number(article, click.number))
        case Action.OVERVIEW:
            if click.number > len(article.document.sections):
                raise UserFacingError("That page of sections is not there any more.")
            return overview(article, click.number)
        case Action.MORE:
            return more_answers(article, click.question, click.number)
    raise UserFacingError("That button does nothing any more.")


def _noted(reply: Reply, note: str) -> Reply:
    return replace(reply, note=f"{note} {reply.note}".strip())

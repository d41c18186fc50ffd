"""Turn a command into a reply: the core's one entry point.

``handle(command, request, library)`` reads the prepared summaries or the search
index for the :class:`~bot.chat.commands.Command` an adapter read from the
text, and builds a :class:`~bot.chat.replies.Reply`. It never raises for
anything a user can type or click: an :class:`~bot.chat.commands.Invalid` command or a
:class:`UserFacingError` becomes an error reply.
"""

from __future__ import annotations

from bot.articles.library import Entry
from bot.articles.prepared import PreparedArticle
from bot.articles.sections import match_section, section_by_number
from bot.chat import clicks, notices
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import (
    Ask,
    Click,
    Command,
    Help,
    Invalid,
    ListArticles,
    ListSections,
    LoadUrl,
    MoreAnswers,
    Overview,
    PickSection,
    UseArticle,
)
from bot.chat.echo import defang
from bot.chat.replies import Block, Kind, Reply
from bot.chat.requests import Request
from bot.chat.views import answer, more_answers, overview, section_summary, sections
from bot.errors import UserFacingError

__all__ = ["HELP_TEXT", "handle", "is_quick"]

MAX_LISTED_ARTICLES = 50

HELP_TEXT = (
    "`/summary` - the title and a short summary of every section",
    "`/summary sections` - the numbered list of sections",
    "`/summary 2` or `/summary labor` - a longer summary of one section",
    "`/summary what did Sarandos say?` - the article's sentences that answer it",
    "`/summary more 3 <question>` - the answers after the first three",
    "`/summary articles` - the articles I know; `/summary use <name>` - read one here",
    "`/summary load <url>` - read a web page here (if the bot's owner allows you)",
    "`/summary help` - this help",
    "Mention me, or write to me directly, with the same words.",
)


def handle(command: Command, request: Request, library: ChannelArticles) -> Reply:
    """Answer ``command`` from ``library``; user mistakes become error replies."""
    try:
        match command:
            case Invalid(note=note):
                return notices.error(note)
            case ListArticles():
                return articles(library, request.channel)
            case UseArticle(name=name):
                return switched(library.choose(request.channel, name))
            case LoadUrl(url=url):
                return loaded(_load(library, request, url))
            case Click():
                return clicks.answer(command, request.channel, library)
        return _dispatch(command, library.article_for(request.channel))
    except UserFacingError as error:
        return notices.error(str(error))


def is_quick(command: Command, request: Request, library: ChannelArticles) -> bool:
    """Whether :func:`handle` answers ``command`` from memory: no file, network or summary.

    True when the channel's article is prepared (every summary and the index
    built) and the command only reads it; ``articles`` and ``use`` (which read
    the articles folder) and ``load`` (which fetches a page) are never quick.
    """
    match command:
        case ListArticles() | UseArticle() | LoadUrl():
            return False
        case Help() | Invalid():
            return True
        case Click():
            return clicks.is_quick(command, library)
    return library.is_ready(request.channel)


def _load(library: ChannelArticles, request: Request, url: str) -> PreparedArticle:
    if library.web is None:
        raise UserFacingError(notices.URL_LOADING_OFF)
    policy = library.web.policy
    if not policy.allows(request.user, is_admin=request.is_admin):
        raise UserFacingError(policy.refusal())
    return library.load(url, request.channel)


def _dispatch(command: Command, article: PreparedArticle) -> Reply:
    match command:
        case Overview():
            return overview(article)
        case ListSections():
            return sections(article)
        case Help():
            return help_reply()
        case PickSection(words=words, number=number) if number is not None:
            if _is_asked_number(article, words, number):
                return answer(article, words)
            return section_summary(article, section_by_number(article, number))
        case MoreAnswers(words=words, shown=shown):
            return more_answers(article, words, shown)
        case PickSection(words=words) | Ask(words=words):
            found = match_section(article, words)
            if found is not None:
                return section_summary(article, found)
            return answer(article, words)
    raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover


def articles(library: ChannelArticles, channel: str) -> Reply:
    """The articles this bot knows, with the channel's marked."""
    current = library.entry_for(channel).name
    listed = library.every_article()
    lines = "\n".join(
        f"- `{a.name}`: {a.document.title} ({a.document.language})"
        + (" - this channel's" if a.name == current else "")
        for a in listed[:MAX_LISTED_ARTICLES]
    )
    note = "`/summary use <name>` reads one in this channel."
    if len(listed) > MAX_LISTED_ARTICLES:
        note = f"…and {len(listed) - MAX_LISTED_ARTICLES:,} more. " + note
    if library.web is not None and not library.web.policy.nobody:
        note += " `/summary load <url>` adds a web page."
    return Reply(Kind.ARTICLES, "Articles", (Block(paragraphs=(lines,)),), note)


def switched(article: Entry) -> Reply:
    """The answer to ``use``: what this channel reads now, and its sections."""
    title = f"This channel now reads “{article.document.title}” (`{article.name}`)"
    note = "`/summary` summarizes it; `/summary <question>` asks it."
    return Reply(Kind.NOTICE, title, sections(article).blocks, note)


def loaded(article: PreparedArticle) -> Reply:
    """The answer to ``load``: the page read, and its sections."""
    document = article.document
    title = f"Loaded “{document.title}”"
    about = (
        f"From {defang(document.source)}: {len(document.sections)} sections, "
        f"in {document.language}. "
        f"This channel now reads it; `/summary use {article.name}` picks it elsewhere."
    )
    blocks = (Block(paragraphs=(about,)), *sections(article).blocks)
    return Reply(Kind.NOTICE, title, blocks, "`/summary` summarizes it.")


def help_reply() -> Reply:
    return Reply(Kind.HELP, "How to use /summary", (Block(paragraphs=HELP_TEXT),))


def _is_asked_number(article: PreparedArticle, words: str, number: int) -> bool:
    """Whether a bare number is a question: it is no section, and the article has it."""
    in_range = 1 <= number <= len(article.document.sections)
    return words.isdigit() and not in_range and bool(article.index.search(words, 1))

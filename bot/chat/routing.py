"""Turn a command into a reply: the core's one entry point.

``handle(command, request, library)`` reads the prepared summaries or the search
index for the :class:`~bot.chat.commands.Command` an adapter read from the
text, and builds a :class:`~bot.chat.replies.Reply`. It never raises for
anything a user can type: an :class:`~bot.chat.commands.Invalid` command or a
:class:`UserFacingError` becomes an error reply.
"""

from __future__ import annotations

from bot.articles.library import Entry
from bot.articles.options import OVERVIEW_SECTIONS
from bot.articles.prepared import PreparedArticle
from bot.articles.sections import match_section, section_by_number
from bot.chat import notices
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import (
    Ask,
    Command,
    Help,
    Invalid,
    ListArticles,
    ListSections,
    LoadUrl,
    Overview,
    PickSection,
    UseArticle,
)
from bot.chat.echo import defang
from bot.chat.replies import Block, Kind, Quote, Reply, Span
from bot.chat.requests import Request
from bot.errors import UserFacingError
from bot.search.index import Hit
from bot.text.document import Section

__all__ = ["HELP_TEXT", "handle", "is_quick"]

MAX_OVERVIEW_SECTIONS = OVERVIEW_SECTIONS
MAX_LISTED_SECTIONS = 100
MAX_LISTED_ARTICLES = 50

HELP_TEXT = (
    "`/summary` - the title and a short summary of every section",
    "`/summary sections` - the numbered list of sections",
    "`/summary 2` or `/summary labor` - a longer summary of one section",
    "`/summary what did Sarandos say?` - the article's sentences that answer it",
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


def overview(article: PreparedArticle) -> Reply:
    document = article.document
    shown = document.sections[:MAX_OVERVIEW_SECTIONS]
    texts = [" ".join(article.overview(section)) for section in shown]
    # A section whose sentences did not fit the overview's words shows its title alone.
    blocks = tuple(
        Block(_heading(section), (text,) if text else ())
        for section, text in zip(shown, texts, strict=True)
    )
    note = "Ask `/summary <section>` for more of one section, or `/summary <question>`."
    hidden = len(document.sections) - len(shown)
    if hidden > 0:
        note = f"…and {hidden:,} more sections: `/summary sections` lists them all. " + note
    return Reply(Kind.OVERVIEW, document.title, blocks, note)


def sections(article: Entry) -> Reply:
    document = article.document
    listed = document.sections[:MAX_LISTED_SECTIONS]
    lines = "\n".join(_heading(section) for section in listed)
    hidden = len(document.sections) - len(listed)
    note = f"…and {hidden:,} more." if hidden > 0 else "Ask `/summary <number>` for one."
    return Reply(Kind.SECTIONS, document.title, (Block("Sections", (lines,)),), note)


def section_summary(article: PreparedArticle, section: Section) -> Reply:
    summary = article.summary(section)
    shown, total = len(summary), len(section.sentences)
    block = Block(_heading(section), (" ".join(summary),))
    note = f"{shown} of the section's {total} sentences."
    return Reply(Kind.SECTION, article.document.title, (block,), note)


def answer(article: PreparedArticle, question: str) -> Reply:
    hits = article.index.search(question, article.options.answers)
    if not hits:
        listing = sections(article).blocks
        note = "Try other words, or pick a section by number."
        title = f"Nothing in the article matches “{defang(question)}”."
        return Reply(Kind.NOT_FOUND, title, listing, note)
    quotes = tuple(_quote(article, hit) for hit in hits)
    block = Block(f"From the article, on “{defang(question)}”", quotes=quotes)
    return Reply(Kind.ANSWER, article.document.title, (block,))


def help_reply() -> Reply:
    return Reply(Kind.HELP, "How to use /summary", (Block(paragraphs=HELP_TEXT),))


def _is_asked_number(article: PreparedArticle, words: str, number: int) -> bool:
    """Whether a bare number is a question: it is no section, and the article has it."""
    in_range = 1 <= number <= len(article.document.sections)
    return words.isdigit() and not in_range and bool(article.index.search(words, 1))


def _heading(section: Section) -> str:
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

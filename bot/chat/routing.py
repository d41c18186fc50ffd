"""Turn a message into a reply: the one entry point adapters call.

``handle(message, library)`` parses the command, reads the cached summaries
or the search index, and builds a :class:`~bot.chat.replies.Reply`. It never
raises for anything a user can type: a :class:`UserFacingError` becomes an
error reply.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chat.commands import (
    Ask,
    Command,
    Help,
    ListArticles,
    ListSections,
    LoadUrl,
    Overview,
    PickSection,
    UseArticle,
    parse_command,
)
from bot.chat.echo import defang
from bot.chat.places import Place, View
from bot.chat.replies import Block, Kind, Quote, Reply, Span
from bot.errors import UserFacingError
from bot.library import OVERVIEW_SECTIONS, Article, Library
from bot.search.index import Hit
from bot.text.document import Section
from bot.text.intro import is_intro_word

__all__ = ["HELP_TEXT", "Message", "handle", "is_quick", "match_section"]

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


@dataclass(frozen=True, slots=True)
class Message:
    """What someone sent: the text, and where it came from.

    ``is_admin`` is true when the platform says the sender administers the
    workspace or server; it decides who may ``/summary load`` (``URL_LOADERS``).
    """

    text: str
    channel: str = ""
    user: str = ""
    is_admin: bool = False


def handle(message: Message, library: Library) -> Reply:
    """Answer ``message`` from ``library``; user mistakes become error replies."""
    try:
        command = parse_command(message.text)
        match command:
            case ListArticles():
                return articles(library, message.channel)
            case UseArticle(name=name):
                return switched(library.choose(message.channel, name))
            case LoadUrl(url=url):
                return loaded(_load(library, message, url))
        return _dispatch(command, library.article_for(message.channel))
    except UserFacingError as error:
        return Reply(Kind.ERROR, "Sorry, I can't do that", note=str(error))


def is_quick(message: Message, library: Library) -> bool:
    """Whether :func:`handle` answers ``message`` from memory: no file, network or summary.

    True when the channel's article is warm (every summary and the index
    built) and the command only reads it; ``articles`` and ``use`` (which read
    the articles folder) and ``load`` (which fetches a page) are never quick. Adapters may
    answer quick messages on their event loop and send the rest to a worker.
    """
    try:
        command = parse_command(message.text)
    except UserFacingError:
        return True
    match command:
        case ListArticles() | UseArticle() | LoadUrl():
            return False
        case Help():
            return True
    return library.article_for(message.channel).is_warm


def _load(library: Library, message: Message, url: str) -> Article:
    if library.web is None:
        raise UserFacingError("Loading articles from a URL is turned off on this bot.")
    policy = library.web.policy
    if not policy.allows(message.user, is_admin=message.is_admin):
        raise UserFacingError(policy.refusal())
    return library.load(url, message.channel)


def _dispatch(command: Command, article: Article) -> Reply:
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
            return section_summary(article, _by_number(article, number))
        case PickSection(words=words) | Ask(words=words):
            found = match_section(article, words)
            if found is not None:
                return section_summary(article, found)
            return answer(article, words)
    raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover


def articles(library: Library, channel: str) -> Reply:
    """The articles this bot knows, with the channel's marked."""
    current = library.article_for(channel).name
    listed = library.refresh().articles
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


def switched(article: Article) -> Reply:
    """The answer to ``use``: what this channel reads now, and its sections."""
    title = f"This channel now reads “{article.document.title}” (`{article.name}`)"
    note = "`/summary` summarizes it; `/summary <question>` asks it."
    return Reply(Kind.NOTICE, title, sections(article).blocks, note)


def loaded(article: Article) -> Reply:
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


def overview(article: Article) -> Reply:
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
    titles = tuple(section.title for section in document.sections)
    place = Place(article.name, article.version, View.OVERVIEW, len(titles), titles=titles)
    return Reply(Kind.OVERVIEW, document.title, blocks, note, place)


def sections(article: Article) -> Reply:
    document = article.document
    listed = document.sections[:MAX_LISTED_SECTIONS]
    lines = "\n".join(_heading(section) for section in listed)
    hidden = len(document.sections) - len(listed)
    note = f"…and {hidden:,} more." if hidden > 0 else "Ask `/summary <number>` for one."
    return Reply(Kind.SECTIONS, document.title, (Block("Sections", (lines,)),), note)


def section_summary(article: Article, section: Section) -> Reply:
    summary = article.summary(section)
    shown, total = len(summary), len(section.sentences)
    block = Block(_heading(section), (" ".join(summary),))
    note = f"{shown} of the section's {total} sentences."
    place = Place(
        article.name, article.version, View.SECTION, len(article.document.sections), section.number
    )
    return Reply(Kind.SECTION, article.document.title, (block,), note, place)


def answer(article: Article, question: str) -> Reply:
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


def help_reply() -> Reply:
    return Reply(Kind.HELP, "How to use /summary", (Block(paragraphs=HELP_TEXT),))


def match_section(article: Article, words: str) -> Section | None:
    """The one section whose title contains all of ``words``' content words."""
    document = article.document
    lowered = words.lower().strip(" ?!.")
    if is_intro_word(lowered) and document.sections[0].untitled:
        return document.sections[0]
    for section in document.sections:
        if lowered in {section.slug, section.title.lower()}:
            return section
    stems = set(article.terms.of(words))
    if not stems:
        return None
    candidates = [s for s in document.sections if stems <= set(article.terms.of(s.title))]
    return candidates[0] if len(candidates) == 1 else None


def _is_asked_number(article: Article, words: str, number: int) -> bool:
    """Whether a bare number is a question: it is no section, and the article has it."""
    in_range = 1 <= number <= len(article.document.sections)
    return words.isdigit() and not in_range and bool(article.index.search(words, 1))


def _by_number(article: Article, number: int) -> Section:
    count = len(article.document.sections)
    if 1 <= number <= count:
        return article.document.section(number)
    shown = str(number) if abs(number) < 10**6 else "that big"
    raise UserFacingError(
        f"There is no section {shown}: this article has sections 1 to {count}. "
        "Try `/summary sections`."
    )


def _heading(section: Section) -> str:
    return f"{section.number}. {section.title}"


def _quote(article: Article, hit: Hit) -> Quote:
    section = article.document.section(hit.sentence.section)
    spans = tuple(_spans(article, hit.sentence.text, hit.matched))
    return Quote(spans, section.number, section.title)


def _spans(article: Article, text: str, matched: frozenset[str]) -> list[Span]:
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

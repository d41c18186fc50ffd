"""Which article each channel reads, and the services that change it.

:class:`ChannelArticles` is what commands read articles through: the
:class:`~bot.articles.library.Library`, the store of each channel's choice
(``choices``), the pages the web store keeps (``kept``, shared by every
process) and URL loading (``web``). A channel reads the article its choice
names, or the library's default one.
"""

from __future__ import annotations

from bot.articles.library import Entry, Library
from bot.articles.prepared import PreparedArticle
from bot.chat import notices
from bot.chat.channel_choices import ChoiceStore, MemoryChoices
from bot.chat.echo import defang
from bot.errors import UserFacingError
from bot.sources.kept_pages import KeptPages
from bot.sources.page_loading import PageLoading

__all__ = ["MAX_NAMED", "ChannelArticles", "UnknownArticle"]

#: Article names listed in an "unknown article" message.
MAX_NAMED = 8


class UnknownArticle(UserFacingError):
    """``/summary use`` with a name the library does not have."""


class ChannelArticles:
    """Each channel's article, from ``library`` and the ``choices`` store."""

    def __init__(
        self,
        library: Library,
        choices: ChoiceStore | None = None,
        *,
        kept: KeptPages | None = None,
        web: PageLoading | None = None,
    ) -> None:
        self.library = library
        self.choices: ChoiceStore = choices if choices is not None else MemoryChoices()
        self.kept = kept
        self.web = web

    def __repr__(self) -> str:
        return f"ChannelArticles({self.library!r})"

    def entry_for(self, channel: str = "") -> Entry:
        """The article ``channel`` chose, or the default one; prepared or not."""
        chosen = self.choices.get(channel) if channel else None
        entry = self.library.get(chosen) if chosen else None
        return entry or self.library.default_entry()

    def article_for(self, channel: str = "") -> PreparedArticle:
        """The article ``channel`` reads, prepared (now, if it was not)."""
        return self.library.article(self.entry_for(channel))

    def is_ready(self, channel: str = "") -> bool:
        """Whether ``channel``'s article is prepared: reading it is a lookup."""
        return self.library.is_ready(self.entry_for(channel))

    def every_article(self) -> tuple[Entry, ...]:
        """Every article, with the articles folder read again."""
        return self.library.refresh().entries

    def choose(self, channel: str, name: str) -> Entry:
        """Make ``name`` the article of ``channel``; looks in the folder again if need be."""
        entry = self.library.get(name)
        if entry is None and self.kept is not None:
            self.kept.sync()  # another process may have loaded it
            entry = self.library.get(name)
        if entry is None and self.library.has_shelf:
            self.library.refresh()
            entry = self.library.get(name)
        if entry is None:
            raise UnknownArticle(_unknown(name, self.library.names))
        self.choices.set(channel, entry.name)
        return entry

    def load(self, url: str, channel: str) -> PreparedArticle:
        """Fetch ``url``, read it, add it, and make it ``channel``'s article."""
        if self.web is None:
            raise UserFacingError(notices.URL_LOADING_OFF)
        article = self.web.load(url, self.library)
        self.choices.set(channel, article.name)
        return article

    def knows_choice(self, channel: str) -> bool:
        """Whether ``channel``'s chosen article, if any, is here (in memory, no I/O).

        False when another process chose a page or a folder article this one has
        not read yet: :meth:`catch_up` reads it.
        """
        chosen = self.choices.get(channel) if channel else None
        if chosen is None or self.library.get(chosen) is not None:
            return True
        return not (self.kept is not None or self.library.has_shelf)

    def catch_up(self, channel: str) -> ChannelArticles:
        """Read what another process added for ``channel``'s choice: the pages the
        web store keeps, then the articles folder if the name is still unknown."""
        if self.kept is not None:
            self.kept.sync()
        chosen = self.choices.get(channel) if channel else None
        if chosen is not None and self.library.get(chosen) is None:
            self.library.refresh()
        return self

    def restore(self) -> ChannelArticles:
        """Read the pages the web store kept (loaded before a restart) back in."""
        if self.kept is not None:
            self.kept.restore()
        return self

    def warm(self) -> ChannelArticles:
        """Prepare every article, and load the channel choices (a store may keep them)."""
        self.library.prepare_all()
        self.choices.load()
        return self


def _unknown(name: str, names: tuple[str, ...]) -> str:
    shown = defang(name if len(name) <= 40 else name[:40] + "…")
    known = ", ".join(f"`{known}`" for known in names[:MAX_NAMED])
    more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
    return (
        f"There is no article called “{shown}”. Try one of {known}{more} "
        "(`/summary articles` lists them)."
    )

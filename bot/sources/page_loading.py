"""``/summary load <url>``: fetch a page, read it, prepare it, add it to the library.

:class:`PageLoading` is how loading works on this bot: who may
(``policy``), what fetches, what reads a fetched page, and where loaded pages
are kept (``kept``, so they are loaded again after a restart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.articles.library import Library
from bot.articles.prepared import PreparedArticle, Unprepared
from bot.chat.permissions import LoadPolicy
from bot.sources.kept_pages import KeptPages
from bot.sources.web_pages import Fetcher, Page, check_url

__all__ = ["PageLoading"]


@dataclass(frozen=True, slots=True)
class PageLoading:
    """Who may load pages, what fetches and reads them, and what keeps them."""

    fetcher: Fetcher
    read: Callable[[Page], Unprepared]
    policy: LoadPolicy = field(default_factory=LoadPolicy)
    kept: KeptPages | None = None

    def load(self, url: str, library: Library) -> PreparedArticle:
        """Fetch ``url``, read and prepare it, add it to ``library`` and keep it.

        The page is kept before anyone can choose it, so every process finds it.
        """
        page = self.fetcher.fetch(check_url(url))
        read = self.read(page)
        if self.kept is not None:
            self.kept.sync()  # learn the names other processes took meanwhile
        entry, dropped = library.add_page(read)
        article = library.article(entry)
        if self.kept is not None:
            self.kept.keep(article.name, page, dropped)
        return article

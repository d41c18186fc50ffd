"""Wire settings to the core: open the state store, read the article(s), build the library."""

from __future__ import annotations

import logging

from adapters.settings import Settings
from adapters.state.store import State, open_state
from adapters.web.fetcher import SafeFetcher
from bot.articles.library import Library
from bot.articles.prepared import Unprepared
from bot.chat.channel_articles import ChannelArticles
from bot.chat.rate_limits import RateLimiter
from bot.sources.folder import Shelf
from bot.sources.kept_pages import KeptPages
from bot.sources.page_loading import PageLoading
from bot.sources.reader import Reader

__all__ = [
    "build_library",
    "build_rate_limiter",
    "build_state",
    "default_article",
]

log = logging.getLogger(__name__)


def reader_for(settings: Settings) -> Reader:
    return Reader(settings.core.language, settings.core.article_max_bytes)


def default_article(settings: Settings) -> Unprepared:
    """The ``ARTICLE`` file, or the bundled article when none is set."""
    reader = reader_for(settings)
    return reader.bundled() if settings.core.article is None else reader.file(settings.core.article)


def build_state(settings: Settings) -> State:
    """Open ``STATE_DB``; a :class:`~bot.errors.ConfigError` names it when it cannot be used."""
    return open_state(
        settings.storage.state_db,
        limit=settings.service.rate_limit_commands,
        window=settings.service.rate_limit_seconds,
        pool_size=settings.service.max_concurrent_commands,
    )


def build_library(settings: Settings, state: State | None = None) -> ChannelArticles:
    """The default article, the ``ARTICLES_DIR`` folder, the channel choices, URL loading.

    Choices and loaded pages live in ``state`` (opened from ``STATE_DB`` when not
    given); pages loaded before a restart, or by another process, are read from it.
    """
    state = state if state is not None else build_state(settings)
    reader = reader_for(settings)
    default = default_article(settings)
    document = default.document
    log.info(
        "loaded %s: %d sections, %d sentences, in %s",
        document.source,
        len(document.sections),
        len(document.sentences),
        document.language,
    )
    shelf = None
    if settings.storage.articles_dir is not None:
        shelf = Shelf(settings.storage.articles_dir, reader, skip=settings.core.article).scan
    library = Library([default], options=settings.core.options, shelf=shelf)
    kept = KeptPages(state.pages, reader.page, library)
    web = PageLoading(
        SafeFetcher(settings.web.limits, proxies=settings.service.proxies),
        reader.page,
        settings.web.loaders,
        kept=kept,
    )
    return ChannelArticles(library, state.choices, kept=kept, web=web).restore()


def build_rate_limiter(settings: Settings) -> RateLimiter:
    return RateLimiter(settings.service.rate_limit_commands, settings.service.rate_limit_seconds)

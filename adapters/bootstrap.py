"""Wire settings to the core: load the article(s) and build the library."""

from __future__ import annotations

import logging

from adapters.config import Settings
from adapters.fetching import SafeFetcher
from adapters.sqlite_choices import SqliteChoices
from adapters.sqlite_pages import SqlitePages
from bot.library import Article, Library, WebLoading
from bot.limits import RateLimiter
from bot.models import Document
from bot.reading import Reader
from bot.shelf import Shelf

__all__ = ["build_library", "build_rate_limiter", "default_article", "load_document"]

log = logging.getLogger(__name__)


def reader_for(settings: Settings) -> Reader:
    return Reader(settings.options, settings.language, settings.article_max_bytes)


def default_article(settings: Settings) -> Article:
    """The ``ARTICLE`` file, or the bundled article when none is set."""
    reader = reader_for(settings)
    return reader.bundled() if settings.article is None else reader.file(settings.article)


def load_document(settings: Settings) -> Document:
    return default_article(settings).document


def build_library(settings: Settings) -> Library:
    """The default article, the ``ARTICLES_DIR`` folder, the channel choices, URL loading.

    Pages loaded from URLs before a restart are read again from ``STATE_DB``.
    """
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
    if settings.articles_dir is not None:
        shelf = Shelf(settings.articles_dir, reader, skip=settings.article).scan
    web = WebLoading(
        SafeFetcher(settings.fetch_limits, proxies=settings.proxies),
        reader.page,
        settings.url_loaders,
        store=SqlitePages(settings.state_db),
    )
    return Library(
        [default],
        choices=SqliteChoices(settings.state_db),
        shelf=shelf,
        web=web,
    ).restore()


def build_rate_limiter(settings: Settings) -> RateLimiter:
    return RateLimiter(settings.rate_limit_commands, settings.rate_limit_seconds)

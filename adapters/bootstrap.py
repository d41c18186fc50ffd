"""Wire settings to the core: load the article(s) and build the library."""

from __future__ import annotations

import logging

from adapters.config import Settings
from bot.library import Article, Library
from bot.limits import RateLimiter
from bot.loading import load_bundled, load_file
from bot.models import Document
from bot.tokenizing import Tokenizer

__all__ = ["build_library", "build_rate_limiter", "load_document"]

log = logging.getLogger(__name__)


def load_document(settings: Settings) -> Document:
    """The ``ARTICLE`` file, or the bundled article when none is set."""
    tokenizer = Tokenizer(settings.language)
    if settings.article is None:
        return load_bundled(tokenizer)
    return load_file(settings.article, tokenizer, max_bytes=settings.article_max_bytes)


def build_library(settings: Settings) -> Library:
    document = load_document(settings)
    log.info(
        "loaded %s: %d sections, %d sentences",
        document.source,
        len(document.sections),
        len(document.sentences),
    )
    return Library([Article(document.source, document, settings.options)])


def build_rate_limiter(settings: Settings) -> RateLimiter:
    return RateLimiter(settings.rate_limit_commands, settings.rate_limit_seconds)

"""Libraries for tests: one document, read in every channel."""

from __future__ import annotations

from bot.articles.library import Library
from bot.articles.options import Options
from bot.articles.prepared import Unprepared
from bot.chat.channel_articles import ChannelArticles
from bot.text.document import Document

__all__ = ["single"]


def single(document: Document, options: Options | None = None) -> ChannelArticles:
    """``document`` as the only article (not prepared yet: ``.warm()`` prepares it)."""
    article = Unprepared(document.source or "article", document)
    return ChannelArticles(Library([article], options=options))

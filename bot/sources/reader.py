"""Turn files and fetched pages into articles to prepare, in the right language.

A :class:`Reader` holds what every article is read with (the ``LANGUAGE``
setting, the size limit). The language of each article is
resolved as :mod:`bot.text.languages` describes; with ``LANGUAGE=auto`` the text is
parsed once: its language is detected from its first sentences as English
reads them, and only the sentences are split again when it is another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from bot.articles.prepared import Unprepared
from bot.sources.files import (
    BUNDLED_ARTICLE,
    DEFAULT_MAX_BYTES,
    load_bundled,
    load_file,
    parse_bytes,
)
from bot.sources.web_pages import Page, page_kind, page_name, page_text_bytes
from bot.text.document import Document
from bot.text.languages import AUTO, FALLBACK, language_in_name, set_language
from bot.text.tokenizer import Tokenizer

__all__ = ["Reader", "article_name"]


def article_name(file_name: str) -> str:
    """``"reports/eternauta.es.md"`` -> ``"eternauta"``: no folder, extension or language."""
    path = PurePath(file_name)
    name = path.name
    drop = 2 if language_in_name(name) else 1
    for suffix in reversed(path.suffixes[-drop:]):
        name = name.removesuffix(suffix)
    return name or path.name


@dataclass(frozen=True, slots=True)
class Reader:
    """Reads articles with one language setting and size limit."""

    language: str = AUTO
    max_bytes: int = DEFAULT_MAX_BYTES

    def bundled(self) -> Unprepared:
        """The article that ships with the bot (written in English)."""
        document = load_bundled(Tokenizer("english"))
        return Unprepared(article_name(BUNDLED_ARTICLE), document)

    def file(self, path: Path, name: str | None = None) -> Unprepared:
        """An article file; an :class:`~bot.errors.ArticleError` names what is wrong."""

        def read(tokenizer: Tokenizer) -> Document:
            return load_file(path, tokenizer, max_bytes=self.max_bytes)

        document = self._in_language(read, path.name)
        return Unprepared(name or article_name(path.name), document)

    def page(self, page: Page) -> Unprepared:
        """A fetched page; its name comes from the URL."""
        kind = page_kind(page)
        data = page_text_bytes(page)
        source = _shown_url(page.url)

        def read(tokenizer: Tokenizer) -> Document:
            return parse_bytes(
                data, kind=kind, name=source, tokenizer=tokenizer, max_bytes=self.max_bytes
            )

        document = self._in_language(read, PurePath(urlsplit(page.url).path).name)
        return Unprepared(page_name(page.url), document)

    def _in_language(self, read: Callable[[Tokenizer], Document], file_name: str) -> Document:
        language = set_language(self.language, name=file_name)
        if language is not None:
            return read(Tokenizer(language))
        return read(Tokenizer.detecting(FALLBACK))


def _shown_url(url: str) -> str:
    """The URL without its query and fragment, for titles and messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"

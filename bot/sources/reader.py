"""Turn files and fetched pages into ready articles, in the right language.

A :class:`Reader` holds what every article is read with (summary options, the
``LANGUAGE`` setting, the size limit). The language of each article is
resolved as :mod:`bot.text.languages` describes; with ``LANGUAGE=auto`` the text is
parsed once: its language is detected from its first sentences as English
reads them, and only the sentences are split again when it is another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from bot.library import Article, Options
from bot.sources.files import (
    BUNDLED_ARTICLE,
    DEFAULT_MAX_BYTES,
    load_bundled,
    load_file,
    parse_bytes,
)
from bot.sources.web_pages import Page, page_kind, page_name, page_text_bytes
from bot.text.document import Document
from bot.text.languages import AUTO, FALLBACK, language_in_name
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
    """Reads articles with one set of options, language setting and size limit."""

    options: Options = field(default_factory=Options)
    language: str = AUTO
    max_bytes: int = DEFAULT_MAX_BYTES

    def bundled(self) -> Article:
        """The article that ships with the bot (written in English)."""
        document = load_bundled(Tokenizer("english"))
        return Article(article_name(BUNDLED_ARTICLE), document, self.options)

    def file(self, path: Path, name: str | None = None) -> Article:
        """An article file; an :class:`~bot.errors.ArticleError` names what is wrong."""

        def read(tokenizer: Tokenizer) -> Document:
            return load_file(path, tokenizer, max_bytes=self.max_bytes)

        document = self._in_language(read, path.name)
        return Article(name or article_name(path.name), document, self.options)

    def page(self, page: Page) -> Article:
        """A fetched page; its name comes from the URL."""
        kind = page_kind(page)
        data = page_text_bytes(page)
        source = _shown_url(page.url)

        def read(tokenizer: Tokenizer) -> Document:
            return parse_bytes(
                data, kind=kind, name=source, tokenizer=tokenizer, max_bytes=self.max_bytes
            )

        document = self._in_language(read, PurePath(urlsplit(page.url).path).name)
        return Article(page_name(page.url), document, self.options)

    def _in_language(self, read: Callable[[Tokenizer], Document], file_name: str) -> Document:
        named = language_in_name(file_name)
        if named is not None:
            return read(Tokenizer(named))
        if self.language != AUTO:
            return read(Tokenizer(self.language))
        return read(Tokenizer.detecting(FALLBACK))


def _shown_url(url: str) -> str:
    """The URL without its query and fragment, for titles and messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"

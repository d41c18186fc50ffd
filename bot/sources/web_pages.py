"""Web pages for ``/summary load <url>``: the fetcher port and what a page is.

The core never touches the network. An adapter implements :class:`Fetcher`
(``adapters/web/fetcher.py`` is the safe one: public addresses only, redirects
re-checked, size and time limits) and the core turns the :class:`Page` it
returns into an article. Every refusal is a :class:`FetchError`, whose message
is short and safe to show in chat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import unquote, urlsplit

from bot.errors import ArticleError
from bot.text.charsets import header_charset, html_to_utf8, to_utf8

__all__ = [
    "CONTENT_KINDS",
    "MAX_URL_CHARS",
    "FetchError",
    "Fetcher",
    "Page",
    "PageStore",
    "check_url",
    "media_type",
    "page_kind",
    "page_name",
    "page_text_bytes",
]

MAX_URL_CHARS = 2000
_MAX_NAME_CHARS = 40

#: Content types a page may have, and the parser each one gets.
CONTENT_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
}
_NAME_CHARS = re.compile(r"[^\w.-]+")


class FetchError(ArticleError):
    """A URL that cannot be loaded; the message says why, fit for chat."""


@dataclass(frozen=True, slots=True)
class Page:
    """What a fetcher got: the final URL (after redirects), the body and its type."""

    url: str
    data: bytes
    content_type: str


class Fetcher(Protocol):
    """Fetches a page, or raises :class:`FetchError` with a chat-safe reason."""

    def fetch(self, url: str) -> Page: ...

    def close(self) -> None:
        """End the fetches in flight (each raises a :class:`FetchError`) and refuse new ones."""
        ...


class PageStore(Protocol):
    """Keeps the pages loaded from URLs, by article name, so a restart (or another
    process on the same store) reads them again.

    A store that cannot save logs why and carries on: the page stays loaded
    in this process until it stops.
    """

    def save(self, name: str, page: Page) -> None:
        """Keep ``page`` as the article ``name`` (replacing one of that name)."""
        ...

    def listing(self) -> dict[str, int] | None:
        """The name of every kept page, the oldest first, with its revision (which
        changes whenever the page kept under that name does); ``None`` when the store
        cannot be read just now."""
        ...

    def page(self, name: str) -> Page | None:
        """The page kept as ``name``, or ``None``."""
        ...

    def forget(self, names: Iterable[str]) -> None:
        """Drop the pages kept as these articles."""
        ...

    def pages(self) -> list[tuple[str, Page]]:
        """Every kept page and its article name, the oldest first."""
        ...


def check_url(text: str) -> str:
    """``text`` when it is an http(s) URL with a host; a :class:`FetchError` otherwise."""
    url = text.strip().strip("<>")
    if len(url) > MAX_URL_CHARS:
        raise FetchError(f"That URL is too long (over {MAX_URL_CHARS:,} characters).")
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        raise FetchError("That doesn't look like a URL. Try `/summary load https://…`.") from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchError("I only load http:// and https:// URLs.")
    if not parts.hostname:
        raise FetchError("That URL has no host name. Try `/summary load https://…`.")
    if parts.username is not None or parts.password is not None:
        raise FetchError("I don't load URLs with a user name or password in them.")
    return url


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def page_kind(page: Page) -> str:
    """The parser for a page: from its content type (and ``.md`` for plain text)."""
    kind = CONTENT_KINDS.get(media_type(page.content_type))
    if kind is None:
        shown = media_type(page.content_type)[:60] or "no content type"
        raise FetchError(f"That is not a web page or text ({shown}), so I can't summarize it.")
    path = urlsplit(page.url).path.lower()
    if kind == "text" and path.endswith((".md", ".markdown")):
        return "markdown"
    return kind


def page_text_bytes(page: Page) -> bytes:
    """The body as UTF-8 when the page names a charset it decodes with.

    An HTML page's ``<meta charset>`` comes first, then the ``Content-Type``
    header; with neither, the bytes are left for the reader to detect.
    """
    header = header_charset(page.content_type)
    if CONTENT_KINDS.get(media_type(page.content_type)) == "html":
        return html_to_utf8(page.data, header)
    return to_utf8(page.data, [header])


def page_name(url: str) -> str:
    """A short name to ``/summary use`` a page by: its file name, or its host."""
    parts = urlsplit(url)
    stem = PurePosixPath(unquote(parts.path)).name
    for suffix in (".html", ".htm", ".md", ".markdown", ".txt", ".php", ".aspx"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    name = _NAME_CHARS.sub("-", stem or parts.hostname or "page").strip("-.")
    return (name or "page")[:_MAX_NAME_CHARS].lower()

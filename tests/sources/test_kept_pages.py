"""Pages loaded from URLs are kept in STATE_DB and read again after a restart."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from adapters.bootstrap import build_library
from adapters.settings import Settings
from adapters.state.sqlite_pages import SqlitePages
from bot.articles.library import Library
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.permissions import LoadPolicy
from bot.chat.replies import Kind
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.sources.kept_pages import KeptPages
from bot.sources.page_loading import PageLoading
from bot.sources.reader import Reader
from bot.sources.web_pages import FetchError, Page
from tests.page_server import serve_pages

DEFAULT = "netflix-generative-ai-leap"
ETERNAUTA_TITLE = "El Eternauta: la nevada que cambió la historieta argentina"


def settings(tmp_path: Path) -> Settings:
    return Settings.from_environ(
        {"STATE_DB": str(tmp_path / "state.sqlite3"), "URL_ALLOWED_NETWORKS": "127.0.0.1"}
    )


def note(n: int) -> Page:
    text = f"# Note {n}\n\nThe {n}th note says the harvest was good. Rain came late.\n"
    return Page(f"https://example.org/note-{n}.md", text.encode(), "text/markdown")


class Pages:
    """A fetcher that answers from a dict, as a web server would."""

    def __init__(self, pages: list[Page]) -> None:
        self.by_url = {page.url: page for page in pages}

    def fetch(self, url: str) -> Page:
        if url not in self.by_url:
            raise FetchError("That page could not be found (HTTP 404).")
        return self.by_url[url]

    def close(self) -> None:
        """Nothing is ever in flight."""


def library_with(store: SqlitePages, fetcher: Pages, *, max_loaded: int = 20) -> ChannelArticles:
    reader = Reader()
    library = Library([reader.bundled()], max_loaded=max_loaded)
    kept = KeptPages(store, reader.page, library)
    web = PageLoading(fetcher, reader.page, LoadPolicy.parse("everyone"), kept=kept)
    return ChannelArticles(library, kept=kept, web=web).restore()


def test_a_loaded_page_is_read_again_after_a_restart_without_fetching(tmp_path: Path) -> None:
    with serve_pages() as server:
        first = build_library(settings(tmp_path))
        url = f"{server.url}/eternauta.html"
        loaded = handle(read_command(f"load {url}"), Request(channel="C1", is_admin=True), first)
        assert loaded.kind is Kind.NOTICE, loaded.note
        fetched = len(server.requests)

        restarted = build_library(settings(tmp_path))
        assert len(server.requests) == fetched  # read from STATE_DB, not the web
    assert restarted.library.names == (DEFAULT, "eternauta")
    assert restarted.article_for("C1").name == "eternauta"
    overview = handle(read_command("/summary"), Request(channel="C1"), restarted)
    assert overview.title == ETERNAUTA_TITLE
    assert restarted.article_for("C2").name == DEFAULT


def test_pages_dropped_for_newer_ones_are_forgotten(tmp_path: Path) -> None:
    store = SqlitePages(tmp_path / "state.sqlite3")
    fetcher = Pages([note(n) for n in range(4)])
    library = library_with(store, fetcher, max_loaded=2)
    for n in range(4):
        handle(read_command(f"load {note(n).url}"), Request(channel=f"C{n}"), library)
    assert library.library.names == (DEFAULT, "note-2", "note-3")
    assert [name for name, _ in store.pages()] == ["note-2", "note-3"]

    restarted = library_with(store, Pages([]), max_loaded=2)
    assert restarted.library.names == (DEFAULT, "note-2", "note-3")
    assert restarted.article_for("C3").name == DEFAULT  # choices live elsewhere: none here
    assert restarted.library.get("note-3") is not None


def test_loading_the_same_page_again_keeps_one_copy(tmp_path: Path) -> None:
    store = SqlitePages(tmp_path / "state.sqlite3")
    library = library_with(store, Pages([note(1)]))
    for channel in ("C1", "C2"):
        handle(read_command(f"load {note(1).url}"), Request(channel=channel), library)
    assert [name for name, _ in store.pages()] == ["note-1"]
    assert store.pages()[0][1] == note(1)


def test_a_kept_page_that_no_longer_reads_is_forgotten_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = SqlitePages(tmp_path / "state.sqlite3")
    store.save("slides", Page("https://example.org/slides.pdf", b"%PDF-1.4", "application/pdf"))
    store.save("note-1", note(1))
    with caplog.at_level(logging.WARNING):
        library = library_with(store, Pages([]))
    assert library.library.names == (DEFAULT, "note-1")
    assert "a page kept as slides no longer reads" in caplog.text
    assert [name for name, _ in store.pages()] == ["note-1"]


def test_a_kept_name_taken_meanwhile_is_renamed(tmp_path: Path) -> None:
    store = SqlitePages(tmp_path / "state.sqlite3")
    store.save(DEFAULT, note(1))  # as if the default article had been renamed since
    library = library_with(store, Pages([]))
    assert library.library.names == (DEFAULT, f"{DEFAULT}-2")
    assert [name for name, _ in store.pages()] == [f"{DEFAULT}-2"]


def test_an_unusable_state_file_loads_no_pages_and_keeps_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"not a database" * 100)
    store = SqlitePages(path)
    with caplog.at_level(logging.WARNING):
        library = library_with(store, Pages([note(1)]))
        reply = handle(read_command(f"load {note(1).url}"), Request(channel="C1"), library)
    assert reply.kind is Kind.NOTICE  # the page is loaded all the same, for now
    assert library.article_for("C1").name == "note-1"
    assert "cannot read the pages kept" in caplog.text
    assert "cannot keep the page note-1" in caplog.text
    with closing(sqlite3.connect(path)) as connection, pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT * FROM loaded_page").fetchall()

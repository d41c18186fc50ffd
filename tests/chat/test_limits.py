"""Abuse limits: the per-user rate limit and the dispatcher's bounded, off-loop work."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable
from pathlib import Path

import pytest

from adapters.bootstrap import build_library
from adapters.dispatch import Dispatcher
from adapters.settings import Settings
from bot.articles.library import Library
from bot.articles.options import Options
from bot.articles.prepared import PreparedArticle, Unprepared
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.rate_limits import RateLimiter
from bot.chat.replies import Kind, Reply
from bot.chat.requests import Request
from bot.text.document import Document
from tests.libraries import single
from tests.page_server import serve_pages


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_window() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 10.0, clock)
    assert [limiter.allow("alice") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("bob")
    assert limiter.retry_after("alice") == pytest.approx(10.0)
    clock.now = 9.9
    assert not limiter.allow("alice")
    clock.now = 10.0
    assert limiter.allow("alice")
    assert limiter.retry_after("bob") == 0.0


def test_rate_limiter_forgets_old_users() -> None:
    limiter = RateLimiter(1, 60.0, Clock())
    for user in range(20_000):
        limiter.allow(str(user))
    assert limiter.allow("0")  # evicted long ago, so allowed again


@pytest.mark.parametrize(("limit", "window"), [(0, 1.0), (1, 0.0), (-1, -1.0)])
def test_rate_limiter_rejects_nonsense(limit: int, window: float) -> None:
    with pytest.raises(ValueError, match="limit must be"):
        RateLimiter(limit, window)


async def test_flooding_user_gets_a_private_notice_others_are_served(
    library: ChannelArticles,
) -> None:
    dispatcher = Dispatcher(library, max_concurrent=2, rate_limiter=RateLimiter(3, 60.0))
    try:
        flood = [
            await dispatcher.answer(
                read_command("labor"), Request(user="spammer", platform="slack")
            )
            for _ in range(5)
        ]
        assert [reply.kind for reply in flood] == [Kind.SECTION] * 3 + [Kind.ERROR] * 2
        assert flood[-1].private
        assert "try again in" in flood[-1].note
        other = await dispatcher.answer(
            read_command("labor"), Request(user="someone", platform="slack")
        )
        assert other.kind is Kind.SECTION
        same_id_elsewhere = await dispatcher.answer(
            read_command("2"), Request(user="spammer", platform="x")
        )
        assert same_id_elsewhere.kind is Kind.SECTION
    finally:
        dispatcher.close()


def _record_threads(library: ChannelArticles, monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The threads that read (and, the first time, prepare) the channel's article from now on."""
    seen: set[int] = set()
    original = library.article_for

    def recording(channel: str = "") -> PreparedArticle:
        seen.add(threading.get_ident())
        return original(channel)

    monkeypatch.setattr(library, "article_for", recording)
    return seen


async def _sections(
    library: ChannelArticles, commands: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Kind], set[int]]:
    """Ask for sections through a Dispatcher: the replies' kinds, the threads that read them."""
    dispatcher = Dispatcher(library, max_concurrent=2)
    seen = _record_threads(library, monkeypatch)
    try:
        replies = await asyncio.gather(
            *(
                dispatcher.answer(read_command(str(1 + n % 5)), Request(user=f"u{n}"))
                for n in range(commands)
            )
        )
    finally:
        dispatcher.close()
    return [reply.kind for reply in replies], seen


async def test_a_cold_article_is_prepared_once_off_the_event_loop_bounded(
    bundled: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepared_in: list[int] = []
    original = Unprepared.prepare

    def recording(self: Unprepared, options: Options) -> PreparedArticle:
        prepared_in.append(threading.get_ident())
        return original(self, options)

    monkeypatch.setattr(Unprepared, "prepare", recording)
    cold = single(bundled)  # not prepared: the first command prepares it, in a worker
    kinds, seen = await _sections(cold, 40, monkeypatch)
    loop = threading.get_ident()
    assert kinds == [Kind.SECTION] * 40
    assert len(prepared_in) == 1 and prepared_in[0] != loop  # once, whoever else waited
    workers = seen - {loop}  # once it is prepared, commands may be answered on the loop
    assert 1 <= len(workers) <= 2


async def test_a_warm_article_is_answered_on_the_event_loop(
    library: ChannelArticles, monkeypatch: pytest.MonkeyPatch
) -> None:
    kinds, seen = await _sections(library, 10, monkeypatch)
    assert kinds == [Kind.SECTION] * 10
    assert seen == {threading.get_ident()}


async def test_loading_and_listing_articles_run_off_the_event_loop(
    library: ChannelArticles, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatcher = Dispatcher(library, max_concurrent=2)
    seen: set[int] = set()
    original = library.library.refresh

    def recording() -> Library:
        seen.add(threading.get_ident())
        return original()

    monkeypatch.setattr(library.library, "refresh", recording)
    try:
        listed = await dispatcher.answer(read_command("articles"), Request())
        used = await dispatcher.answer(read_command("use nothing-by-that-name"), Request())
    finally:
        dispatcher.close()
    assert listed.kind is Kind.ARTICLES
    assert used.kind is Kind.ERROR
    assert seen and threading.get_ident() not in seen


async def test_loads_are_capped_in_all_and_per_user_and_cut_short_on_close(
    tmp_path: Path,
) -> None:
    settings = Settings.from_environ(
        {
            "URL_LOADERS": "everyone",
            "URL_ALLOWED_NETWORKS": "127.0.0.1",
            "URL_READ_TIMEOUT": "60",
            "STATE_DB": str(tmp_path / "state.db"),
        }
    )
    with serve_pages() as pages:
        dispatcher = Dispatcher(build_library(settings), max_concurrent=2, max_concurrent_loads=2)
        try:

            def load(user: str) -> Awaitable[Reply]:
                text = f"load {pages.url}/drip-headers?user={user}"
                return dispatcher.answer(
                    read_command(text), Request(channel=user, user=user, platform="p")
                )

            first = asyncio.ensure_future(load("ann"))
            second = asyncio.ensure_future(load("bob"))
            while len(pages.requests) < 2:
                await asyncio.sleep(0.01)
            again, third = await load("ann"), await load("cy")
            assert again.note == "You already have a page loading; wait for it, then try again."
            assert third.note.startswith("I'm loading as many pages as I can right now")
            sections = await dispatcher.answer(
                read_command("sections"), Request(user="dee", platform="p")
            )
            assert sections.kind is Kind.SECTIONS  # other commands are not held up
        finally:
            dispatcher.close()
        cut = await asyncio.wait_for(asyncio.gather(first, second), timeout=10)
    assert [reply.note for reply in cut] == [
        "I'm shutting down, so I stopped loading that page. Try again later."
    ] * 2

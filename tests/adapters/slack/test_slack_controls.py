"""Buttons and menus on Slack: the real Bolt adapter against the fake Slack on 127.0.0.1."""

from __future__ import annotations

import asyncio
import statistics
from typing import Any

import pytest

from adapters.bootstrap import build_library
from adapters.dispatch import Dispatcher
from adapters.settings import Settings
from adapters.slack.app import SlackAdapter
from bot.chat import clicks
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import Click
from bot.chat.control_ids import read_control, write_control
from bot.chat.notices import APOLOGY
from bot.chat.rate_limits import RateLimiter
from bot.chat.replies import Reply
from tests.adapters.slack.test_slack_adapter import running
from tests.fakes.slack_fake import FakeSlack, ResponsePost
from tests.fakes.slack_limits import check_message
from tests.running import slack_settings

OTHER_TEXT = "Another article entirely: its words must never show up here."


@pytest.fixture
def slack(slack_fake: FakeSlack) -> FakeSlack:
    return slack_fake


def fresh_library() -> ChannelArticles:
    """The library as a newly started bot builds it."""
    return build_library(Settings()).warm()


async def ask(slack: FakeSlack, text: str, user: str = "U1") -> str:
    """``/summary text`` as ``user``; the ts of the reply's (in-channel) message."""
    before = len(slack.responses)
    await slack.await_ack(await slack.asend_slash_command(text, user_id=user))
    posts = await slack.await_responses(before + 1)
    ts = posts[before].message_ts
    assert ts is not None
    return ts


async def click(
    slack: FakeSlack, ts: str, label: str | None, user: str = "U1", **kwargs: Any
) -> ResponsePost:
    env_id = await slack.asend_block_action("C1", ts, label, user_id=user, **kwargs)
    ack = await slack.await_ack(env_id)
    assert not ack.late and ack.type == "interactive"
    await slack.await_for(lambda: bool(slack.responses_to(env_id)), 5.0, "a click's answer")
    [post] = slack.responses_to(env_id)
    assert check_message({"text": post.text, "blocks": post.blocks}).ok
    return post


def sections_text(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")


def button_value(slack: FakeSlack, ts: str, label: str) -> str:
    value = slack.find_action("C1", ts, label).value
    assert value is not None
    return value


async def test_next_replaces_section_2_with_section_3_only(slack: FakeSlack) -> None:
    library = fresh_library()
    article = library.article_for()
    async with running(slack, library):
        ts = await ask(slack, "2")
        post = await click(slack, ts, "Next section")
    assert post.replace_original and post.message_ts == ts
    now = slack.message_at("C1", ts)
    assert now is not None and not now.ephemeral and len(now.versions) == 2
    third = article.document.section(3)
    shown = sections_text(now.blocks)
    assert f"3. {third.title}" in shown
    assert all(sentence in shown for sentence in article.summary(third))
    for other in article.document.sections:
        if other.number != 3:
            assert other.title not in shown
            assert not any(sentence in shown for sentence in other.sentences)
    assert slack.find_action("C1", ts, "Previous section").type == "button"
    slack.assert_no_violations()


async def test_the_overview_menu_opens_section_4(slack: FakeSlack) -> None:
    library = fresh_library()
    fourth = library.article_for().document.section(4)
    async with running(slack, library):
        ts = await ask(slack, "")
        found = slack.find_action("C1", ts, f"4. {fourth.title}")
        assert found.type == "static_select"
        post = await click(slack, ts, f"4. {fourth.title}")
    assert post.replace_original
    now = slack.message_at("C1", ts)
    assert now is not None and f"4. {fourth.title}" in sections_text(now.blocks)
    slack.assert_no_violations()


async def test_more_answers_shows_sentences_not_shown_before(slack: FakeSlack) -> None:
    async with running(slack, fresh_library()):
        ts = await ask(slack, "Netflix")
        first = slack.message_at("C1", ts)
        assert first is not None
        await click(slack, ts, "More answers")
        more = slack.message_at("C1", ts)
        assert more is not None and len(more.versions) == 2
    quotes = [
        {line for line in sections_text(version.blocks).splitlines() if line.startswith("> ")}
        for version in more.versions
    ]
    assert len(quotes[0]) == 3 and len(quotes[1]) == 3 and not quotes[0] & quotes[1]
    slack.assert_no_violations()


async def test_a_restarted_bot_answers_a_click_on_an_earlier_reply(slack: FakeSlack) -> None:
    async with running(slack, fresh_library()):
        ts = await ask(slack, "2")
    async with running(slack, fresh_library()):  # a new process: nothing kept in memory
        post = await click(slack, ts, "Next section")
    now = slack.message_at("C1", ts)
    assert post.replace_original and now is not None
    assert "3. Labor Tensions" in sections_text(now.blocks)
    slack.assert_no_violations()


async def test_a_second_users_click_answers_them_alone(slack: FakeSlack) -> None:
    async with running(slack, fresh_library()):
        ts = await ask(slack, "2", user="U1")
        post = await click(slack, ts, "Next section", user="U2")
        whisper_ts = post.message_ts
        assert whisper_ts is not None and whisper_ts != ts
        # U2's own copy has controls made out to U2: their click changes their copy.
        await click(slack, whisper_ts, "Overview", user="U2")
    original = slack.message_at("C1", ts)
    assert original is not None and not original.edited
    assert "2. The Creative Renaissance" in sections_text(original.blocks)
    whisper = slack.message_at("C1", whisper_ts)
    assert whisper is not None and whisper.ephemeral and whisper.visible_to == "U2"
    assert "3. Labor Tensions" in sections_text(whisper.versions[0].blocks)
    assert len(whisper.versions) == 2 and "1. Introduction" in sections_text(whisper.blocks)
    assert [m.ts for m in slack.seen_by("U1", "C1")] == [ts]
    slack.assert_no_violations()


def forged(value: str) -> dict[str, Any]:
    return {
        "action_id": "sb1-button-0",
        "type": "button",
        "value": value,
        "text": {"type": "plain_text", "text": "Next section"},
    }


async def test_malformed_forged_and_stale_values_get_a_short_note(
    slack: FakeSlack, tmp_path: Any
) -> None:
    library = fresh_library()
    article = library.article_for()
    async with running(slack, library):
        ts = await ask(slack, "2")
        good = read_control(button_value(slack, ts, "Next section"))
        cases = {
            "garbage": "garbage",
            "10 KB": "sb1|s|" + "x" * 10_240,
            "out of range": write_control(Click(good.action, good.article, good.version, 99, "U1")),
            "wrong article": write_control(Click(good.action, "other.md", good.version, 3, "U1")),
        }
        notes = {}
        for case, value in cases.items():
            post = await click(slack, ts, None, action=forged(value))
            notes[case] = post
        stale_value = write_control(Click(good.action, good.article, "0ld", 3, "U1"))
        stale = await click(slack, ts, None, action=forged(stale_value))
    for case in ("garbage", "10 KB", "out of range"):
        post = notes[case]
        assert post.response_type == "ephemeral" and not post.replace_original, case
        assert len(post.text or "") < 300 and "Traceback" not in (post.text or ""), case
    assert notes["wrong article"].text and article.document.title in notes["wrong article"].text
    assert "gone" in (notes["wrong article"].text or "")
    assert stale.text and "earlier version" in stale.text and article.document.title in stale.text
    original = slack.message_at("C1", ts)
    assert original is not None and len(original.versions) <= 3  # the stale/gone overviews
    slack.assert_no_violations()


async def test_fifty_clicks_at_once_are_all_acked_in_time(slack: FakeSlack) -> None:
    async with running(slack, fresh_library()):
        ts = await ask(slack, "2")
        users = [f"U{n}" for n in range(100, 150)]
        env_ids = await asyncio.to_thread(slack.send_block_actions, "C1", ts, "Next section", users)
        acks = [await slack.await_ack(env_id) for env_id in env_ids]
        await slack.await_responses(1 + len(users), timeout=20)
    latencies = sorted(ack.latency or 99.0 for ack in acks)
    p99 = latencies[min(len(latencies) - 1, round(0.99 * len(latencies)))]
    print(
        f"\nslack: 50 clicks at once, ack p50 {statistics.median(latencies) * 1000:.1f} ms,"
        f" p99 {p99 * 1000:.1f} ms"
    )
    assert all(not ack.late for ack in acks)
    for user, env_id in zip(users, env_ids, strict=True):
        [post] = slack.responses_to(env_id)
        assert post.response_type == "ephemeral" and "3. Labor Tensions" in (post.text or "")
        assert next(m.ts for m in slack.seen_by(user, "C1")) == ts
    slack.assert_no_violations()


async def test_a_mention_reply_carries_controls_that_work(slack: FakeSlack) -> None:
    async with running(slack, fresh_library()):
        await slack.await_ack(await slack.asend_app_mention("2"))
        [reply] = await slack.await_messages(1)
        assert reply.ts is not None
        post = await click(slack, reply.ts, "Next section")
    assert post.replace_original
    now = slack.message_at("C1", reply.ts)
    assert now is not None and "3. Labor Tensions" in sections_text(now.blocks)
    slack.assert_no_violations()


async def test_clicks_work_in_http_mode_too(slack: FakeSlack) -> None:
    env = {"SLACK_MODE": "http", "SLACK_SIGNING_SECRET": slack.signing_secret}
    async with running(slack, fresh_library(), **env) as adapter:
        url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
        assert (await slack.asend_http_slash_command(url, "2")).status == 200
        [reply] = await slack.await_responses(1)
        assert reply.message_ts is not None
        ack = await slack.asend_http_block_action(url, "C1", reply.message_ts, "Next section")
        assert (ack.status, ack.late) == (200, False)
        await slack.await_message_version("C1", reply.message_ts)
        forged = await slack.asend_http_block_action(
            url, "C1", reply.message_ts, "Overview", bad_signature=True
        )
    assert forged.status == 401
    now = slack.message_at("C1", reply.message_ts)
    assert now is not None and "3. Labor Tensions" in sections_text(now.blocks)
    slack.assert_no_violations()


async def test_a_click_after_the_article_changed_shows_its_current_overview(
    slack: FakeSlack, tmp_path: Any
) -> None:
    path = tmp_path / "story.md"
    old = "# Story\n\n## Dawn\n\nThe old dawn was grey.\n\n## Noon\n\nThe old noon was hot.\n"
    path.write_text(old, encoding="utf-8")
    settings = Settings.from_environ({"ARTICLE": str(path)})
    async with running(slack, build_library(settings).warm()):
        ts = await ask(slack, "1")
    new = "# Story\n\n## Dawn\n\nThe new dawn was gold.\n\n## Noon\n\nThe new noon was cool.\n"
    path.write_text(new, encoding="utf-8")
    async with running(slack, build_library(settings).warm()):  # restarted on the new text
        post = await click(slack, ts, "Next section")
    shown = "\n".join([post.text or "", sections_text(post.blocks)])
    assert post.replace_original and "earlier version" in shown
    assert "The new dawn was gold." in shown and "The old" not in shown
    slack.assert_no_violations()


async def test_a_click_that_fails_inside_the_bot_gets_an_apology(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(click: Click, channel: str, library: ChannelArticles) -> Reply:
        raise RuntimeError("injected failure")

    async with running(slack, fresh_library()):
        ts = await ask(slack, "2")
        monkeypatch.setattr(clicks, "answer", broken)  # every click fails inside the bot
        post = await click(slack, ts, "Next section")
    assert post.response_type == "ephemeral" and not post.replace_original
    assert APOLOGY in (post.text or "") and "Traceback" not in (post.text or "")
    assert "injected failure" in caplog.text
    original = slack.message_at("C1", ts)
    assert original is not None and not original.edited
    slack.assert_no_violations()


async def test_clicks_count_against_the_senders_rate_limit(slack: FakeSlack) -> None:
    """Clicks are commands like typed ones: the third of three commands in the window
    (one typed, two clicks) is refused politely, to the clicker alone."""
    dispatcher = Dispatcher(fresh_library(), rate_limiter=RateLimiter(2, 60.0))
    adapter = SlackAdapter(slack_settings(slack), dispatcher, ping_interval=0.5)
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    try:
        await asyncio.wait_for(adapter.ready.wait(), 10)
        ts = await ask(slack, "2")
        allowed = await click(slack, ts, "Next section")
        refused = await click(slack, ts, "Overview")
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        dispatcher.close()
    assert allowed.replace_original and "3. Labor Tensions" in sections_text(allowed.blocks)
    assert refused.response_type == "ephemeral" and not refused.replace_original
    assert "Slow down" in (refused.text or "")
    now = slack.message_at("C1", ts)
    assert now is not None and "3. Labor Tensions" in sections_text(now.blocks)
    slack.assert_no_violations()

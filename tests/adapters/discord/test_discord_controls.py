"""Buttons and menus on Discord: the real discord.py adapter against the fake Discord."""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from adapters.bootstrap import build_library
from adapters.discord.render import escape
from adapters.settings import Settings
from bot.chat import clicks
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import Action, Click
from bot.chat.control_ids import read_control, write_control
from bot.chat.notices import APOLOGY
from bot.chat.replies import Reply
from tests.adapters.discord import test_discord_adapter as harness
from tests.adapters.discord.test_discord_adapter import Starter, reply_to_command
from tests.fakes.discord_fake import FakeDiscord, RecordedMessage

# The adapter tests' harness: the fake Discord, and a starter that stops every bot
# it started and checks that the fake saw no violation and no message that could ping.
fake = harness.fake
start = harness.start
bundled_library = harness.bundled_library

UPDATE, MESSAGE = 7, 4


def fresh_library() -> ChannelArticles:
    """The library as a newly started bot builds it."""
    return build_library(Settings()).warm()


async def asked(fake: FakeDiscord, query: str | None) -> int:
    """``/summary query`` by the fake's human; the id of the reply's message."""
    message = await reply_to_command(fake, query)
    assert message.message_id is not None
    return message.message_id


async def click(
    fake: FakeDiscord, message_id: int, label: str, user: int | None = None
) -> tuple[int, int]:
    """Click ``label``; the interaction id and the callback type the bot answered with."""
    interaction = await asyncio.to_thread(fake.click, message_id, label, user_id=user)
    return interaction, await answered(fake, interaction)


async def answered(fake: FakeDiscord, interaction: int) -> int:
    response = await fake.wait_for_interaction_response_async(interaction)
    assert response.accepted and response.latency < fake.interaction_deadline
    return response.type


def text_of(message: dict[str, Any] | RecordedMessage) -> str:
    embeds = message["embeds"] if isinstance(message, dict) else message.embeds
    parts = [f"{e.get('title', '')}\n{e.get('description', '')}" for e in embeds]
    return "\n".join(parts)


def labels(message: dict[str, Any]) -> list[str]:
    rows = message.get("components") or []
    return [str(c.get("label") or c.get("placeholder")) for r in rows for c in r["components"]]


async def test_next_updates_section_2_to_section_3_only(fake: FakeDiscord, start: Starter) -> None:
    library = fresh_library()
    article = library.article_for()
    await start(library)
    message_id = await asked(fake, "2")
    before = fake.message_now(message_id)
    assert before is not None
    assert labels(before) == ["Previous section", "Next section", "Overview"]
    _, kind = await click(fake, message_id, "Next section")
    assert kind == UPDATE
    now = await fake.wait_for_message_version_async(message_id, 2)
    third = article.document.section(3)
    shown = text_of(now)
    assert escape(f"3. {third.title}") in shown
    assert all(escape(sentence) in shown for sentence in article.summary(third))
    for other in article.document.sections:
        if other.number != 3:
            assert escape(other.title) not in shown
            assert not any(escape(sentence) in shown for sentence in other.sentences)
    assert labels(now) == ["Previous section", "Next section", "Overview"]


async def test_the_overview_menu_opens_section_4(fake: FakeDiscord, start: Starter) -> None:
    library = fresh_library()
    fourth = library.article_for().document.section(4)
    await start(library)
    message_id = await asked(fake, None)
    found = fake.find_component(message_id, f"4. {fourth.title}")
    assert (found.component_type, found.value) == (3, "4")
    _, kind = await click(fake, message_id, f"4. {fourth.title}")
    assert kind == UPDATE
    now = await fake.wait_for_message_version_async(message_id, 2)
    assert now["embeds"][0]["title"] == escape(f"4. {fourth.title}")


async def test_more_answers_shows_sentences_not_shown_before(
    fake: FakeDiscord, start: Starter
) -> None:
    await start(fresh_library())
    message_id = await asked(fake, "Netflix")
    _, kind = await click(fake, message_id, "More answers")
    assert kind == UPDATE
    await fake.wait_for_message_version_async(message_id, 2)
    first, more = fake.message_history(message_id)
    quotes = [
        {line for line in text_of(version).splitlines() if line.startswith("> ")}
        for version in (first, more)
    ]
    assert len(quotes[0]) == 3 and len(quotes[1]) == 3 and not quotes[0] & quotes[1]


async def test_a_restarted_bot_answers_a_click_on_an_earlier_reply(
    fake: FakeDiscord, start: Starter
) -> None:
    first = await start(fresh_library())
    message_id = await asked(fake, "2")
    await first.stop_and_wait()
    await start(fresh_library())  # a new process: nothing kept in memory
    _, kind = await click(fake, message_id, "Next section")
    assert kind == UPDATE
    now = await fake.wait_for_message_version_async(message_id, 2)
    assert now["embeds"][0]["title"].startswith("3. Labor Tensions")


async def test_a_second_users_click_answers_them_alone(fake: FakeDiscord, start: Starter) -> None:
    await start(fresh_library())
    message_id = await asked(fake, "2")
    bob = fake.add_user("bob")
    interaction, kind = await click(fake, message_id, "Next section", user=bob)
    assert kind == MESSAGE
    [private] = fake.messages_for(interaction)
    assert private.ephemeral and private.embeds[0]["title"].startswith("3. Labor Tensions")
    mine = [
        read_control(c["custom_id"]) for r in private.payload["components"] for c in r["components"]
    ]
    assert {click.asker for click in mine} == {str(bob)}
    assert len(fake.message_history(message_id)) == 1  # the asker's message did not change
    assert fake.message_now(message_id) is not None


async def test_malformed_forged_and_stale_ids_get_a_short_note(
    fake: FakeDiscord, start: Starter
) -> None:
    library = fresh_library()
    article = library.article_for()
    await start(library)
    message_id = await asked(fake, "2")
    good = read_control(fake.find_component(message_id, "Next section").custom_id)
    cases: dict[str, tuple[str, list[str] | None, int]] = {
        "garbage": ("garbage", None, 2),
        "10 KB": ("sb1|s|" + "x" * 10_240, None, 2),
        "10 KB value": (write_control(replace(good, action=Action.PICK)), ["4" * 10_240], 3),
        "out of range": (write_control(replace(good, number=99)), None, 2),
        "wrong article": (write_control(replace(good, article="other.md")), None, 2),
        "stale": (write_control(replace(good, version="0ld")), None, 2),
    }
    notes: dict[str, RecordedMessage] = {}
    for case, (custom_id, values, kind) in cases.items():
        interaction = await asyncio.to_thread(
            fake.send_component_interaction,
            message_id,
            custom_id,
            component_type=kind,
            values=values,
        )
        response = await answered(fake, interaction)
        if case in {"wrong article", "stale"}:  # the asker's own message: the current overview
            assert response == UPDATE, case
            continue
        assert response == MESSAGE, case
        [notes[case]] = fake.messages_for(interaction)
    for case, note in notes.items():
        assert note.ephemeral and len(text_of(note)) < 300, case
        assert "Traceback" not in text_of(note) and escape(
            article.summary(article.document.section(3))[0]
        ) not in text_of(note)
    history = fake.message_history(message_id)
    assert len(history) == 3
    assert "gone" in text_of(history[1]) and "earlier version" in text_of(history[2])
    assert all(escape(article.document.title) == v["content"].strip("*") for v in history[1:])


async def test_fifty_clicks_at_once_are_all_answered_in_time(
    fake: FakeDiscord, start: Starter
) -> None:
    await start(fresh_library())
    message_id = await asked(fake, "2")
    custom_id = fake.find_component(message_id, "Next section").custom_id
    users = [fake.add_user(f"reader{n}") for n in range(50)]
    interactions = await asyncio.to_thread(
        fake.send_component_interactions, message_id, custom_id, users
    )
    responses = [await fake.wait_for_interaction_response_async(i) for i in interactions]
    latencies = sorted(response.latency for response in responses)
    p99 = latencies[min(len(latencies) - 1, round(0.99 * len(latencies)))]
    print(
        f"\ndiscord: 50 clicks at once, first response p50 "
        f"{statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
    )
    assert all(r.accepted and r.type == MESSAGE for r in responses)
    assert all(r.latency < fake.interaction_deadline for r in responses)
    for interaction in interactions:
        [private] = fake.messages_for(interaction)
        assert private.ephemeral and private.embeds[0]["title"].startswith("3. Labor Tensions")
    assert len(fake.message_history(message_id)) == 1


async def test_a_mention_reply_carries_controls_that_work(
    fake: FakeDiscord, start: Starter
) -> None:
    await start(fresh_library())
    await asyncio.to_thread(fake.send_message_create, f"{fake.bot_mention} 2")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert reply.message_id is not None
    _, kind = await click(fake, reply.message_id, "Next section")
    assert kind == UPDATE
    now = await fake.wait_for_message_version_async(reply.message_id, 2)
    assert now["embeds"][0]["title"].startswith("3. Labor Tensions")


async def test_a_slow_click_is_deferred_then_shown(
    fake: FakeDiscord, start: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no time to answer at once, the click is acknowledged (type 6) and the answer
    follows: an edit of the asker's message, or a follow-up only another clicker sees."""
    await start(fresh_library(), defer_after=0.0)
    message_id = await asked(fake, "2")
    monkeypatch.setattr(clicks, "is_quick", lambda click, library: False)  # in a worker
    _, kind = await click(fake, message_id, "Next section")
    assert kind == 6
    now = await fake.wait_for_message_version_async(message_id, 2)
    assert now["embeds"][0]["title"].startswith("3. Labor Tensions")
    assert labels(now) == ["Previous section", "Next section", "Overview"]
    bob = fake.add_user("bob")
    interaction, kind = await click(fake, message_id, "Overview", user=bob)
    assert kind == 6
    follow = await fake.wait_for_message_async(
        lambda m: m.interaction_id == interaction and m.kind == "followup"
    )
    assert follow.ephemeral and follow.payload["components"]
    assert len(fake.message_history(message_id)) == 2


async def test_a_click_that_fails_inside_the_bot_gets_an_apology(
    fake: FakeDiscord,
    start: Starter,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(click: Click, channel: str, library: ChannelArticles) -> Reply:
        raise RuntimeError("injected failure")

    await start(fresh_library())
    message_id = await asked(fake, "2")
    monkeypatch.setattr(clicks, "answer", broken)  # every click fails inside the bot
    interaction, kind = await click(fake, message_id, "Next section")
    assert kind == MESSAGE
    [apology] = fake.messages_for(interaction)
    assert apology.ephemeral and APOLOGY in text_of(apology) + apology.payload.get("content", "")
    assert "Traceback" not in str(apology.payload)
    assert "injected failure" in caplog.text
    assert len(fake.message_history(message_id)) == 1  # the asker's message did not change


LONG = "what did Netflix and its chief executive Sarandos say about generative AI in film?"


async def test_more_answers_on_a_long_question_reads_it_back_from_the_message(
    fake: FakeDiscord, start: Starter
) -> None:
    await start(fresh_library())
    message_id = await asked(fake, LONG)
    custom_id = fake.find_component(message_id, "More answers").custom_id
    assert len(custom_id) <= 100 and LONG not in custom_id  # only a digest of it fits
    assert read_control(custom_id, asked=LONG).question == LONG
    _, kind = await click(fake, message_id, "More answers")
    assert kind == UPDATE
    await fake.wait_for_message_version_async(message_id, 2)
    _, kind = await click(fake, message_id, "More answers")  # from "More from the article"
    assert kind == UPDATE
    await fake.wait_for_message_version_async(message_id, 3)
    quotes = [
        {line for line in text_of(version).splitlines() if line.startswith("> ")}
        for version in fake.message_history(message_id)
    ]
    assert [len(page) for page in quotes] == [3, 3, 3]
    assert not quotes[0] & quotes[1] and not quotes[1] & quotes[2] and not quotes[0] & quotes[2]


async def test_a_long_articles_menu_is_paged_within_discords_limits(
    fake: FakeDiscord, start: Starter, tmp_path: Path
) -> None:
    path = tmp_path / "long.md"
    parts = [f"## Part {n}\n\nPart {n} is about topic {n}. It says more.\n" for n in range(1, 31)]
    path.write_text("# Long\n\n" + "\n".join(parts), encoding="utf-8")
    await start(build_library(Settings.from_environ({"ARTICLE": str(path)})).warm())
    interaction = await asyncio.to_thread(fake.send_slash_command, "summary", None)
    last = await fake.wait_for_message_async(  # 25 sections: the controls end the third message
        lambda m: m.interaction_id == interaction and bool(m.payload.get("components"))
    )
    assert last.kind == "followup" and last.message_id is not None
    message_id = last.message_id
    first = fake.message_now(message_id)
    assert first is not None
    [menu_row, _] = first["components"]
    [menu] = menu_row["components"]
    assert [o["value"] for o in menu["options"]] == [str(n) for n in range(1, 26)]
    assert labels(first)[1:] == ["Sections 26-30"]
    _, kind = await click(fake, message_id, "Sections 26-30")
    assert kind == UPDATE
    second = await fake.wait_for_message_version_async(message_id, 2)
    [menu] = second["components"][0]["components"]
    assert [o["value"] for o in menu["options"]] == [str(n) for n in range(26, 31)]
    assert labels(second)[1:] == ["Sections 1-25"]
    _, kind = await click(fake, message_id, "28. Part 28")
    assert kind == UPDATE
    opened = await fake.wait_for_message_version_async(message_id, 3)
    assert opened["embeds"][0]["title"] == "28. Part 28"
    assert "Part 28 is about topic 28." in text_of(opened)

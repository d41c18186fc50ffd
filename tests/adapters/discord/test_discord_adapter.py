"""The real discord.py adapter against the fake Discord on 127.0.0.1.

Each test starts :class:`DiscordAdapter` with settings pointing at the fake (the
adapter applies ``DISCORD_API_URL`` and ``DISCORD_GATEWAY_URL`` itself), injects
gateway events, and asserts on what the fake recorded. At the end of every test
the adapter is stopped the way SIGTERM stops it, and the fake must have seen no
violation and no message that could ping anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import discord
import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.bootstrap import build_library
from adapters.discord.commands_sync import COMMAND_DESCRIPTION, INVITE_PERMISSIONS
from adapters.discord.connecting import INTENTS
from adapters.discord.events import MAX_CHOICES, section_choices, strip_mention
from adapters.settings import Settings
from bot.articles.prepared import Unprepared
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.notices import APOLOGY
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.errors import ConfigError
from bot.text.document import Document, Section
from tests.fakes.discord_fake import FakeDiscord, RecordedMessage
from tests.running import DISCORD_TOKEN, DiscordBot, inject_faults, start_discord

TOKEN = DISCORD_TOKEN
LABOR = "3. Labor Tensions and the Ethics of Innovation"
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


# ---------------------------------------------------------------- harness


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=TOKEN, heartbeat_interval_ms=250) as server:
        yield server


@pytest.fixture(scope="module")
def bundled_library() -> ChannelArticles:
    return build_library(Settings()).warm()


@pytest.fixture(scope="module")
def long_library(tmp_path_factory: pytest.TempPathFactory) -> ChannelArticles:
    """An article of 30 sections of long sentences: a long overview (a large
    ``OVERVIEW_WORDS``), many titles."""
    topics = ["budget", "camera", "script", "sound", "light", "music", "casting", "editing"]
    lines = ["# A long article", ""]
    for n in range(1, 31):
        lines += [f"## Part {n} on {topics[n % len(topics)]}", ""]
        for k in range(4):
            words = " ".join(topics[(n + k + i) % len(topics)] for i in range(40))
            lines.append(f"Sentence {k} of part {n} talks about {words} at length.")
        lines.append("")
    path = tmp_path_factory.mktemp("article") / "long.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return build_library(
        Settings.from_environ({"ARTICLE": str(path), "OVERVIEW_WORDS": "3000"})
    ).warm()


Starter = Callable[..., Awaitable[DiscordBot]]


@pytest.fixture
async def start(
    fake: FakeDiscord, bundled_library: ChannelArticles, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Starter]:
    """Starts the adapter (with :func:`~tests.running.inject_faults`: "boom" fails in the
    core, "slow" takes a while); at the end every bot is stopped and checked."""
    inject_faults(monkeypatch)
    running: list[DiscordBot] = []

    async def starter(library: ChannelArticles | None = None, **options: Any) -> DiscordBot:
        running.append(await start_discord(fake, library or bundled_library, **options))
        return running[-1]

    try:
        yield starter
        for bot in running:
            await bot.stop_and_wait()
        assert fake.violations == []
        assert all(m.allows_no_mentions for m in fake.messages), [
            m.allowed_mentions for m in fake.messages
        ]
    finally:
        for bot in running:
            bot.stop.set()
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(bot.task, timeout=15)
            bot.dispatcher.close()


async def reply_to_command(fake: FakeDiscord, query: str | None = None) -> RecordedMessage:
    interaction = fake.send_slash_command("summary", {"query": query} if query else None)
    response = await fake.wait_for_interaction_response_async(interaction)
    assert response.accepted and response.latency < fake.interaction_deadline
    return await fake.wait_for_message_async(
        lambda m: m.interaction_id == interaction and m.kind == "interaction_response"
    )


def embed_titles(message: RecordedMessage) -> list[str]:
    return [str(embed.get("title", "")) for embed in message.embeds]


def channel_replies(fake: FakeDiscord) -> list[RecordedMessage]:
    return [m for m in fake.messages if m.kind == "channel_create"]


# ---------------------------------------------------------------- start-up


async def test_start_syncs_to_the_guild_prints_the_invite_and_asks_no_privileged_intent(
    fake: FakeDiscord, start: Starter, capsys: pytest.CaptureFixture[str]
) -> None:
    await start()

    [command] = fake.synced_commands[fake.guild_id]
    assert command["name"] == "summary" and None not in fake.synced_commands
    [option] = command["options"]
    assert option["name"] == "query" and option["autocomplete"] is True
    assert not option.get("required", False)

    identify = next(f for f in fake.gateway_frames_received if f["op"] == 2)
    assert identify["d"]["intents"] == INTENTS.value
    assert identify["d"]["intents"] & PRIVILEGED_INTENTS == 0

    [line] = [ln for ln in capsys.readouterr().out.splitlines() if "oauth2/authorize" in ln]
    query = parse_qs(urlsplit(line.split()[-1]).query)
    assert query["client_id"] == [str(fake.application_id)]
    assert query["scope"] == ["bot applications.commands"]
    assert query["guild_id"] == [str(fake.guild_id)]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == INVITE_PERMISSIONS
    assert permissions.value == (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 38)
    assert fake.token not in capsys.readouterr().err


async def test_a_restart_does_not_upload_the_same_command_again(
    fake: FakeDiscord, start: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    def uploads() -> list[str]:
        return [r.path for r in fake.requests if r.method == "PUT" and "/commands" in r.path]

    caplog.set_level(logging.INFO, logger="adapters.discord.commands_sync")
    first = await start()
    await first.stop_and_wait()
    assert len(uploads()) == 1
    await start()
    assert len(uploads()) == 1
    assert "/summary is up to date on server" in caplog.text
    [command] = fake.synced_commands[fake.guild_id]
    assert command["name"] == "summary"


async def test_an_outdated_command_is_uploaded_again(fake: FakeDiscord, start: Starter) -> None:
    outdated = [{"name": "summary", "description": "Older words", "type": 1}]
    url = f"{fake.api_url}/applications/{fake.application_id}/guilds/{fake.guild_id}/commands"
    auth = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession(headers=auth) as http, http.put(url, json=outdated) as put:
        assert put.status == 200
    await start()
    [command] = fake.synced_commands[fake.guild_id]
    assert command["description"] == COMMAND_DESCRIPTION
    assert [o["name"] for o in command["options"]] == ["query"]


async def test_without_a_guild_id_the_command_syncs_globally(
    fake: FakeDiscord, start: Starter
) -> None:
    await start(guild=False)
    assert [c["name"] for c in fake.synced_commands[None]] == ["summary"]
    assert fake.guild_id not in fake.synced_commands


async def test_endpoints_are_applied_while_running_and_restored_after(
    fake: FakeDiscord, start: Starter
) -> None:
    def current() -> tuple[object, ...]:
        return Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY, DiscordWebSocket.received_message

    before = current()
    bot = await start()
    assert fake.api_url == Route.BASE
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == fake.gateway_url
    assert DiscordWebSocket.received_message is not before[2]  # takes turns while running
    await bot.stop_and_wait()
    assert before == current()
    assert bot.task.result() is None


async def test_a_refused_token_fails_at_start_naming_the_variable(
    fake: FakeDiscord, start: Starter
) -> None:
    fake.revoke_token()
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        await start()
    fake.clear_records()  # the refused login is the point of this test


async def test_a_server_that_refuses_the_command_fails_start_up_naming_the_variable(
    fake: FakeDiscord, start: Starter
) -> None:
    missing_access = {"message": "Missing Access", "code": 50001}
    fake.fail_next("PUT", r"/applications/\d+/guilds/\d+/commands", 403, missing_access)
    with pytest.raises(ConfigError, match="DISCORD_GUILD_ID"):
        await start()


async def test_a_failed_sync_is_logged_and_mentions_still_work(
    fake: FakeDiscord, start: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("PUT", r"/applications/\d+/commands", 400, {"message": "no", "code": 0})
    with caplog.at_level(logging.ERROR, logger="adapters.discord.commands_sync"):
        await start(guild=False)
    assert "could not sync /summary" in caplog.text and fake.synced_commands == {}

    fake.send_message_create(f"{fake.bot_mention} labor")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert embed_titles(reply) == [LABOR]


# ---------------------------------------------------------------- /summary


async def test_summary_gives_every_section(
    fake: FakeDiscord, start: Starter, bundled_library: ChannelArticles
) -> None:
    await start()
    message = await reply_to_command(fake)
    document = bundled_library.article_for().document
    assert message.content == f"**{document.title}**"
    assert embed_titles(message) == [f"{s.number}. {s.title}" for s in document.sections]
    assert not message.ephemeral


@pytest.mark.parametrize("query", ["3", "labor", "section 3"])
async def test_summary_with_a_section(fake: FakeDiscord, start: Starter, query: str) -> None:
    await start()
    message = await reply_to_command(fake, query)
    assert embed_titles(message) == [LABOR]
    assert "of the section's" in message.text


async def test_summary_with_a_question_quotes_the_article(
    fake: FakeDiscord, start: Starter
) -> None:
    await start()
    message = await reply_to_command(fake, "what did Sarandos say?")
    [embed] = message.embeds
    assert embed["title"] == "From the article, on “what did Sarandos say?”"
    assert embed["description"].startswith("> ")
    assert "**Sarandos’s**" in embed["description"]
    assert "*Section 3: Labor Tensions and the Ethics of Innovation*" in embed["description"]


async def test_a_command_is_answered_in_one_request_that_asks_nothing_back(
    fake: FakeDiscord, start: Starter
) -> None:
    await start()
    message = await reply_to_command(fake, "labor")
    assert embed_titles(message) == [LABOR]
    [callback] = [r for r in fake.requests if r.path.endswith("/callback")]
    assert callback.status == 204 and "with_response" not in callback.query
    assert callback.json["type"] == 4
    assert callback.json["data"]["allowed_mentions"] == {"parse": []}


async def test_commands_that_arrive_together_are_each_started_before_the_next_is_read(
    fake: FakeDiscord, start: Starter, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await start()
    sequences: list[int | None] = []
    on_command = bot.adapter.on_command

    async def noting_the_last_event_read(
        interaction: discord.Interaction, query: str | None
    ) -> None:
        shard = interaction.client._get_websocket(interaction.guild_id)  # the command's shard
        sequences.append(shard.sequence)
        await on_command(interaction, query)

    monkeypatch.setattr(bot.adapter, "on_command", noting_the_last_event_read)
    ids = fake.send_slash_commands([{"query": q} for q in ("1", "2", "labor", "4", "help")])
    for interaction in ids:
        assert (await fake.wait_for_interaction_response_async(interaction)).accepted
    # Each handler started while its own frame was the last one read.
    assert len(sequences) == len(ids) and None not in sequences
    assert sequences == sorted(set(sequences)), sequences


async def test_help_is_only_for_the_asker(fake: FakeDiscord, start: Starter) -> None:
    await start()
    message = await reply_to_command(fake, "help")
    assert message.ephemeral and "/summary sections" in message.text


async def test_autocomplete_offers_matching_section_titles(
    fake: FakeDiscord, start: Starter
) -> None:
    await start()

    async def choices(typed: str) -> list[dict[str, Any]]:
        interaction = fake.send_autocomplete("summary", "query", typed)
        response = await fake.wait_for_interaction_response_async(interaction)
        assert response.accepted and response.type == 8 and response.data is not None
        return list(response.data["choices"])

    assert await choices("lab") == [{"name": LABOR, "value": "3"}]
    assert [c["value"] for c in await choices("")] == ["1", "2", "3", "4", "5"]
    assert [c["value"] for c in await choices("and")] == ["3", "4", "5"]
    assert await choices("zzz") == []


async def test_autocomplete_stops_at_25_choices(
    fake: FakeDiscord, start: Starter, long_library: ChannelArticles
) -> None:
    await start(long_library)
    interaction = fake.send_autocomplete("summary", "query", "part")
    response = await fake.wait_for_interaction_response_async(interaction)
    assert response.accepted and response.data is not None
    assert [c["value"] for c in response.data["choices"]] == [str(n) for n in range(1, 26)]


async def test_a_reply_longer_than_6000_characters_is_split_across_follow_ups(
    fake: FakeDiscord, start: Starter, long_library: ChannelArticles
) -> None:
    reply = handle(read_command(""), Request(), long_library)
    assert len(reply.plain_text()) > 6000
    await start(long_library)

    interaction = fake.send_slash_command("summary")
    await fake.wait_for_interaction_response_async(interaction)
    sections = long_library.article_for().document.sections[:25]
    wanted = [f"{s.number}. {s.title}" for s in sections]

    def all_titles() -> list[str] | None:
        messages = fake.messages_for(interaction)
        titles = [t for m in messages for t in embed_titles(m) if t]
        return [m.kind for m in messages] if titles == wanted else None

    kinds = await fake.wait_for_async(all_titles)
    assert kinds[0] == "interaction_response" and set(kinds[1:]) == {"followup"}
    assert len(kinds) >= 2
    for message in fake.messages_for(interaction):
        assert message.accepted and sum(len(e.get("description", "")) for e in message.embeds)


async def test_a_slow_reply_is_deferred_then_edited(fake: FakeDiscord, start: Starter) -> None:
    await start(defer_after=0.1)
    interaction = fake.send_slash_command("summary", {"query": "slow labor"})
    response = await fake.wait_for_interaction_response_async(interaction)
    assert response.type == 5 and response.accepted
    assert response.latency < fake.interaction_deadline
    edit = await fake.wait_for_message_async(
        lambda m: m.interaction_id == interaction and m.kind == "original_edit"
    )
    assert edit.accepted and embed_titles(edit) == [LABOR]
    assert len(fake.responses_for(interaction)) == 1


async def test_a_slow_private_reply_leaves_the_channel_and_goes_to_the_asker(
    fake: FakeDiscord, start: Starter
) -> None:
    await start(defer_after=0.1)
    interaction = fake.send_slash_command("summary", {"query": "slow help"})
    response = await fake.wait_for_interaction_response_async(interaction)
    assert response.type == 5 and response.accepted  # "thinking…", in the channel
    [help_message] = await fake.wait_for_async(
        lambda: [m for m in fake.messages_for(interaction) if m.kind == "followup"] or None
    )
    assert help_message.accepted and help_message.ephemeral and "/summary" in help_message.text
    deleted = [r for r in fake.requests if r.method == "DELETE" and "@original" in r.path]
    assert [r.status for r in deleted] == [204]
    assert deleted[0].at < help_message.at
    assert not [m for m in fake.messages_for(interaction) if m.kind == "original_edit"]


async def test_a_slow_failure_apologises_to_the_asker_alone(
    fake: FakeDiscord, start: Starter
) -> None:
    await start(defer_after=0.1)
    interaction = fake.send_slash_command("summary", {"query": "slow boom"})
    [sorry] = await fake.wait_for_async(
        lambda: [m for m in fake.messages_for(interaction) if m.kind == "followup"] or None
    )
    assert APOLOGY in sorry.text and sorry.ephemeral
    assert any(r.method == "DELETE" and "@original" in r.path for r in fake.requests)


# ---------------------------------------------------------------- mentions and DMs


async def test_a_mention_is_answered_in_reply_with_the_mention_stripped(
    fake: FakeDiscord, start: Starter
) -> None:
    await start()
    asked = fake.send_message_create(f"{fake.bot_mention} labor")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert reply.accepted and reply.channel_id == fake.channel_id
    assert embed_titles(reply) == [LABOR]
    assert int(reply.payload["message_reference"]["message_id"]) == asked


async def test_a_dm_is_answered_in_the_dm(fake: FakeDiscord, start: Starter) -> None:
    await start()
    fake.send_dm("what did Sarandos say")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert reply.channel_id == fake.dm_channel_id(fake.human_id)
    assert "**Sarandos’s**" in reply.text


async def test_a_slow_mention_shows_typing_first(fake: FakeDiscord, start: Starter) -> None:
    await start(defer_after=0.1)
    fake.send_message_create(f"{fake.bot_mention} slow labor")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert embed_titles(reply) == [LABOR]
    paths = [(r.method, r.path) for r in fake.requests]
    typing = ("POST", f"/channels/{fake.channel_id}/typing")
    assert typing in paths
    assert paths.index(typing) < paths.index(("POST", f"/channels/{fake.channel_id}/messages"))


async def test_stopping_lets_a_reply_in_flight_finish(fake: FakeDiscord, start: Starter) -> None:
    bot = await start(defer_after=0.1)
    fake.send_message_create(f"{fake.bot_mention} slow labor")
    typing = f"/channels/{fake.channel_id}/typing"
    await fake.wait_for_async(lambda: any(r.path == typing for r in fake.requests))

    await bot.stop_and_wait()  # as SIGTERM does, while the core is still working

    [reply] = channel_replies(fake)
    assert reply.accepted and embed_titles(reply) == [LABOR]
    await fake.wait_for_async(lambda: fake.gateway_counters.live == 0, what="closed gateway")


async def test_bots_own_and_unaddressed_messages_are_ignored(
    fake: FakeDiscord, start: Starter
) -> None:
    bot = await start()
    fake.send_message_create(f"{fake.bot_mention} sections", author_id=fake.other_bot_id)
    fake.send_message_create("labor, but nobody mentioned the bot")
    first = fake.send_message_create(f"{fake.bot_mention} sections")
    await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    last = fake.send_message_create(f"{fake.bot_mention} 2")  # after the first reply's echo
    await fake.wait_for_message_async(lambda m: m.kind == "channel_create" and "2." in m.text)

    await bot.stop_and_wait()  # every handler has finished
    answered = [int(m.payload["message_reference"]["message_id"]) for m in channel_replies(fake)]
    assert answered == [first, last]


# ---------------------------------------------------------------- pings, faults, reconnects


async def test_everyone_never_pings_anywhere(fake: FakeDiscord, start: Starter) -> None:
    await start()
    interaction = fake.send_slash_command("summary", {"query": "@everyone what is zqxj?"})
    fake.send_message_create(f"{fake.bot_mention} @everyone @here what is zqxj <@&1>?")
    fake.send_dm("@everyone zqxj")

    await fake.wait_for_async(lambda: len(fake.accepted_messages) == 3)
    for message in fake.messages:
        assert message.allows_no_mentions and message.allowed_mentions is not None
        assert message.allowed_mentions["parse"] == []
        assert "@everyone" not in message.text and "@here" not in message.text
        assert "<@&" not in message.text
        assert "@\u200beveryone" in message.text
    assert fake.messages_for(interaction)[0].ephemeral  # "nothing matches" is private


async def test_a_bare_url_in_a_question_is_echoed_dead(fake: FakeDiscord, start: Starter) -> None:
    await start()
    question = "http://evil.example/login labor"
    interaction = fake.send_slash_command("summary", {"query": question})
    fake.send_message_create(f"{fake.bot_mention} zqxj evil.example/login")
    await fake.wait_for_async(lambda: len(fake.accepted_messages) == 2)
    for message in fake.messages:
        assert "evil.example" not in message.text and "://" not in message.text
    assert "http\\[:\\]//evil\\[.\\]example/login" in fake.messages_for(interaction)[0].text


async def test_a_failing_command_apologises_and_the_next_one_works(
    fake: FakeDiscord, start: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    await start()
    with caplog.at_level(logging.ERROR, logger="adapters.dispatch"):
        sorry = await reply_to_command(fake, "boom")
    assert APOLOGY in sorry.text and sorry.ephemeral
    [record] = [r for r in caplog.records if r.name == "adapters.dispatch"]
    assert record.exc_info is not None and "injected failure" in str(record.exc_info[1])
    assert TOKEN not in caplog.text

    message = await reply_to_command(fake, "labor")
    assert embed_titles(message) == [LABOR]


async def test_a_failing_mention_apologises_and_the_next_one_works(
    fake: FakeDiscord, start: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    await start()
    with caplog.at_level(logging.ERROR, logger="adapters.dispatch"):
        fake.send_message_create(f"{fake.bot_mention} boom")
        sorry = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert APOLOGY in sorry.text
    assert any(r.exc_info for r in caplog.records if r.name == "adapters.dispatch")

    since = len(fake.messages)
    fake.send_message_create(f"{fake.bot_mention} labor")
    reply = await fake.wait_for_message_async(since=since)
    assert embed_titles(reply) == [LABOR]


async def test_a_refused_send_is_logged_and_the_bot_keeps_going(
    fake: FakeDiscord, start: Starter, caplog: pytest.LogCaptureFixture
) -> None:
    await start()
    fake.forbid_channel(fake.channel_id)
    with caplog.at_level(logging.WARNING, logger="adapters.dispatch"):
        fake.send_message_create(f"{fake.bot_mention} labor")
        await fake.wait_for_async(
            lambda: "apology either" in caplog.text and len(fake.messages) == 2
        )
    fake.forbid_channel(fake.channel_id, forbidden=False)
    fake.clear_records()  # the two refusals were the point

    fake.send_message_create(f"{fake.bot_mention} labor")
    reply = await fake.wait_for_message_async()
    assert reply.accepted and embed_titles(reply) == [LABOR]


async def test_a_rate_limited_send_is_retried_by_discord_py(
    fake: FakeDiscord, start: Starter
) -> None:
    await start()
    limited = {"message": "You are being rate limited.", "retry_after": 0.2, "global": False}
    fake.fail_next("POST", rf"/channels/{fake.channel_id}/messages", 429, limited)
    fake.send_message_create(f"{fake.bot_mention} labor")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert embed_titles(reply) == [LABOR]
    posts = [r for r in fake.requests if r.path == f"/channels/{fake.channel_id}/messages"]
    assert [r.status for r in posts] == [429, 200]


async def test_a_server_error_is_retried_by_discord_py(fake: FakeDiscord, start: Starter) -> None:
    await start()
    fake.fail_next("POST", rf"/channels/{fake.channel_id}/messages", 502)
    fake.send_message_create(f"{fake.bot_mention} labor")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create", timeout=10)
    assert embed_titles(reply) == [LABOR]
    posts = [r for r in fake.requests if r.path == f"/channels/{fake.channel_id}/messages"]
    assert [r.status for r in posts] == [502, 200]


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (502, None),
        (429, {"message": "You are being rate limited.", "retry_after": 0.05, "global": False}),
    ],
)
async def test_a_callback_that_failed_for_a_moment_is_posted_again(
    fake: FakeDiscord, start: Starter, status: int, body: Any
) -> None:
    await start()
    fake.fail_next("POST", r"/interactions/\d+/[^/]+/callback", status, body)
    message = await reply_to_command(fake, "labor")
    assert embed_titles(message) == [LABOR]
    assert [r.status for r in fake.requests if r.path.endswith("/callback")] == [status, 204]


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        (400, {"code": 50035, "message": "Invalid Form Body", "errors": {}}),
        # Waiting 5 s would miss the 3-second deadline: not waited out.
        (429, {"message": "You are being rate limited.", "retry_after": 5.0, "global": False}),
    ],
)
async def test_a_refused_callback_is_logged_and_the_asker_gets_the_apology(
    fake: FakeDiscord,
    start: Starter,
    caplog: pytest.LogCaptureFixture,
    status: int,
    refusal: dict[str, Any],
) -> None:
    await start()
    fake.fail_next("POST", r"/interactions/\d+/[^/]+/callback", status, refusal)
    with caplog.at_level(logging.ERROR, logger="adapters.dispatch"):
        interaction = fake.send_slash_command("summary", {"query": "labor"})
        sorry = await fake.wait_for_message_async(lambda m: m.interaction_id == interaction)
    assert APOLOGY in sorry.text and sorry.ephemeral
    assert str(refusal["message"]) in caplog.text
    assert [r.status for r in fake.requests if r.path.endswith("/callback")] == [status, 204]


async def test_a_dropped_connection_is_resumed(fake: FakeDiscord, start: Starter) -> None:
    bot = await start()
    before = fake.gateway_counters
    assert fake.drop_connections() == 1
    after = await fake.wait_for_reconnect_async(before)
    assert after.resumes == before.resumes + 1
    await asyncio.wait_for(bot.adapter.ready.wait(), 10)  # ready again once resumed

    message = await reply_to_command(fake, "labor")
    assert embed_titles(message) == [LABOR]


async def test_an_invalid_session_is_identified_again(fake: FakeDiscord, start: Starter) -> None:
    bot = await start()
    before = fake.gateway_counters
    fake.send_invalid_session(resumable=False)
    after = await fake.wait_for_reconnect_async(before)
    assert after.identifies == before.identifies + 1
    await asyncio.wait_for(bot.adapter.ready.wait(), 10)  # ready again once identified

    fake.send_message_create(f"{fake.bot_mention} labor")
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert embed_titles(reply) == [LABOR]


# ---------------------------------------------------------------- pure parts


def sections(*titles: str) -> Unprepared:
    listed = tuple(Section(n, t, t.lower(), ()) for n, t in enumerate(titles, 1))
    return Unprepared("titles", Document("Titles", listed))


def test_choices_put_title_starts_first_and_stop_at_25() -> None:
    listed = sections("Money", "Other money", "Moon landing", "Labor and money")
    assert section_choices(listed, "mon") == [
        ("1. Money", "1"),
        ("2. Other money", "2"),
        ("4. Labor and money", "4"),
    ]
    assert section_choices(listed, "money labor") == [("4. Labor and money", "4")]
    assert section_choices(listed, "#3") == [("3. Moon landing", "3")]
    many = sections(*(f"Part {n}" for n in range(1, 41)))
    assert len(section_choices(many, "")) == MAX_CHOICES
    numbers_first = ["3", *(str(n) for n in range(30, 40)), "13", "23"]
    assert [v for _, v in section_choices(many, "3")] == numbers_first
    [(name, value)] = section_choices(sections("x" * 300), "x")
    assert len(name) == 100 and name.endswith("…") and value == "1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@42> labor", "labor"),
        ("<@!42>: what did Sarandos say?", "what did Sarandos say?"),
        ("<@42>, 2", "2"),
        ("tell me <@42> about labor", "tell me   about labor"),
        ("<@43> labor", "<@43> labor"),
    ],
)
def test_the_bots_mention_is_stripped(text: str, expected: str) -> None:
    assert strip_mention(text, 42) == expected

"""The fake Discord works with the real discord.py client (login, gateway, REST, rules)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakes.discord_fake import FakeDiscord, point_discord_py_at

NO_PINGS = discord.AllowedMentions.none()
SECTIONS = [f"Section {n}" for n in range(1, 31)]  # more than Discord's 25 choices


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(heartbeat_interval_ms=250) as server, point_discord_py_at(server):
        yield server


class QuickClient(discord.Client):
    """discord.py sleeps 5 s before every IDENTIFY but the first; tests need not wait."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


@dataclass
class Bot:
    """A real discord.py client with a command tree, connected to the fake."""

    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    received: asyncio.Queue[discord.Message] = field(default_factory=asyncio.Queue)
    outcomes: dict[str, Any] = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    handlers: set[asyncio.Task[Any]] = field(default_factory=set)

    def track(self) -> None:
        """Called first thing in every handler, so teardown can let it finish: closing
        the client while a handler awaits a REST call fails that call."""
        task = asyncio.current_task()
        if task is not None:
            self.handlers.add(task)

    async def settle(self) -> None:
        pending = [t for t in self.handlers if not t.done() and t is not asyncio.current_task()]
        if pending:
            await asyncio.wait(pending, timeout=5)

    async def next_message(
        self, match: Callable[[discord.Message], bool], timeout: float = 5.0
    ) -> discord.Message:
        async with asyncio.timeout(timeout):
            while True:
                message = await self.received.get()
                if match(message):
                    return message


def build_bot(fake: FakeDiscord) -> Bot:
    client = QuickClient(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    bot = Bot(client=client, tree=app_commands.CommandTree(client))
    guild = discord.Object(fake.guild_id)

    @client.event
    async def on_ready() -> None:
        bot.ready.set()

    @client.event
    async def on_message(message: discord.Message) -> None:
        bot.track()
        await bot.received.put(message)
        assert client.user is not None
        if message.author.id == client.user.id or message.author.bot:
            return
        addressed = client.user in message.mentions or message.guild is None
        if addressed:
            await message.channel.send(f"Got: {message.content}", allowed_mentions=NO_PINGS)

    @bot.tree.command(name="summary", description="Summarize a section", guild=guild)
    @app_commands.describe(section="Which section")
    async def summary(interaction: discord.Interaction, section: str) -> None:
        bot.track()
        await interaction.response.send_message(f"Summary of {section}", allowed_mentions=NO_PINGS)
        try:
            await interaction.response.send_message("again", allowed_mentions=NO_PINGS)
        except discord.InteractionResponded as exc:
            bot.outcomes["second_response"] = exc
        await interaction.followup.send(f"More on {section}", allowed_mentions=NO_PINGS)
        await interaction.edit_original_response(content=f"Summary of {section} (edited)")

    @summary.autocomplete("section")
    async def section_choices(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        bot.track()
        if current == "uncapped":
            matches = SECTIONS  # a bug the fake must catch: discord.py does not cap at 25
        else:
            matches = [s for s in SECTIONS if current.lower() in s.lower()][:25]
        return [app_commands.Choice(name=s, value=s) for s in matches]

    @bot.tree.command(name="slow", description="Answers too late", guild=guild)
    async def slow(interaction: discord.Interaction) -> None:
        bot.track()
        await asyncio.sleep(0.6)
        try:
            await interaction.response.send_message("late", allowed_mentions=NO_PINGS)
        except discord.NotFound as exc:
            bot.outcomes["late"] = exc

    return bot


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[Bot]:
    harness = build_bot(fake)
    task = asyncio.create_task(harness.client.start(fake.token))
    try:
        async with asyncio.timeout(10):
            await harness.ready.wait()
        yield harness
    finally:
        await harness.settle()
        await harness.client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)


async def raw_post(url: str, body: dict[str, Any]) -> tuple[int, str, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as resp:
        return resp.status, resp.headers["Content-Type"], json.loads(await resp.text())


async def test_login_connect_and_ready(fake: FakeDiscord, bot: Bot) -> None:
    client = bot.client
    assert client.user is not None and client.user.id == fake.bot_id
    assert client.application_id == fake.application_id
    guild = client.get_guild(fake.guild_id)
    assert guild is not None and guild.name == "Test Guild 1"
    channel = guild.get_channel(fake.channel_id)
    assert isinstance(channel, discord.TextChannel) and channel.name == "general"
    assert guild.me is not None and guild.me.id == fake.bot_id
    assert channel.permissions_for(guild.me).send_messages

    paths = [(r.method, r.path) for r in fake.requests]
    assert ("GET", "/users/@me") in paths
    assert ("GET", "/oauth2/applications/@me") in paths
    assert all(r.authorization == f"Bot {fake.token}" for r in fake.requests)
    first = fake.gateway_connections[0]
    assert first.path == "/gateway"
    assert first.query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
    identify = next(f for f in fake.gateway_frames_received if f["op"] == 2)
    assert identify["d"]["intents"] == discord.Intents.default().value
    assert identify["d"]["token"] == "<redacted>"
    assert fake.identify_count == 1
    assert fake.violations == []


async def test_rest_answers_are_exact_json_and_tokens_are_checked(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{fake.api_url}/users/@me") as resp:
            assert resp.status == 401
            assert resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"message": "401: Unauthorized", "code": 0}
        headers = {"Authorization": f"Bot {fake.token}"}
        async with session.get(f"{fake.api_url}/no/such/route", headers=headers) as resp:
            assert resp.status == 404
            assert (await resp.json())["code"] == 0

    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()
    fake.revoke_token()
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login(fake.token)
    await client.close()
    assert [v.kind for v in fake.violations] == [
        "unauthorized",
        "unknown_route",
        "unauthorized",
        "unauthorized",
    ]


async def test_mention_reaches_on_message_and_reply_allows_no_pings(
    fake: FakeDiscord, bot: Bot
) -> None:
    message_id = fake.send_message_create(f"{fake.bot_mention} summarize @everyone")

    seen = await bot.next_message(lambda m: m.id == message_id)
    assert seen.content == f"{fake.bot_mention} summarize @everyone"
    assert seen.author.id == fake.human_id
    assert seen.guild is not None and seen.guild.id == fake.guild_id
    assert [u.id for u in seen.mentions] == [fake.bot_id]

    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert reply.accepted
    assert reply.channel_id == fake.channel_id
    assert reply.content == f"Got: {fake.bot_mention} summarize @everyone"
    assert reply.allowed_mentions == {"parse": []}
    assert reply.allows_no_mentions
    # Discord echoes the bot's own message back over the gateway.
    echoed = await bot.next_message(lambda m: m.id == reply.message_id)
    assert echoed.author.id == fake.bot_id
    assert fake.violations == []


async def test_content_intent_dms_and_other_bots(fake: FakeDiscord, bot: Bot) -> None:
    plain = fake.send_message_create("no mention here")
    seen = await bot.next_message(lambda m: m.id == plain)
    assert seen.content == ""  # no MESSAGE_CONTENT intent and the bot is not mentioned

    dm = fake.send_dm("summarize in private")
    seen = await bot.next_message(lambda m: m.id == dm)
    assert seen.guild is None and seen.content == "summarize in private"
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert reply.channel_id == fake.dm_channel_id(fake.human_id)
    assert reply.content == "Got: summarize in private" and reply.allows_no_mentions

    from_bot = fake.send_message_create(f"{fake.bot_mention} hi", author_id=fake.other_bot_id)
    seen = await bot.next_message(lambda m: m.id == from_bot)
    assert seen.author.bot and seen.author.id == fake.other_bot_id
    assert len(fake.accepted_messages) == 1  # the bot ignored the other bot
    assert fake.violations == []


async def test_slash_command_sync_invoke_and_respond(fake: FakeDiscord, bot: Bot) -> None:
    synced = await bot.tree.sync(guild=discord.Object(fake.guild_id))
    assert {c.name for c in synced} == {"summary", "slow"}
    recorded = fake.synced_commands[fake.guild_id]
    summary = next(c for c in recorded if c["name"] == "summary")
    assert summary["options"][0]["name"] == "section"
    assert summary["options"][0]["autocomplete"] is True
    assert int(summary["id"]) == next(c.id for c in synced if c.name == "summary")

    interaction_id = fake.send_slash_command("summary", {"section": "Methods"})
    sent = fake.interaction(interaction_id)
    assert sent.command_id == int(summary["id"])
    assert sent.payload["data"]["guild_id"] == str(fake.guild_id)

    response = await fake.wait_for_interaction_response_async(interaction_id)
    assert response.accepted and response.type == 4
    assert response.data is not None and response.data["content"] == "Summary of Methods"
    assert response.latency < fake.interaction_deadline

    edit = await fake.wait_for_message_async(lambda m: m.kind == "original_edit")
    assert edit.accepted and edit.content == "Summary of Methods (edited)"
    kinds = [(m.kind, m.content, m.accepted) for m in fake.messages_for(interaction_id)]
    assert kinds == [
        ("interaction_response", "Summary of Methods", True),
        ("followup", "More on Methods", True),
        ("original_edit", "Summary of Methods (edited)", True),
    ]
    assert all(m.allows_no_mentions for m in fake.messages_for(interaction_id)[:2])
    # discord.py refuses a second initial response locally...
    assert isinstance(bot.outcomes["second_response"], discord.InteractionResponded)
    assert len(fake.responses_for(interaction_id)) == 1
    assert fake.violations == []

    # ...so prove the fake refuses it too, with Discord's 40060.
    url = f"{fake.api_url}/interactions/{interaction_id}/{sent.token}/callback"
    status, content_type, body = await raw_post(url, {"type": 4, "data": {"content": "x"}})
    assert (status, content_type, body["code"]) == (400, "application/json", 40060)
    status, _, body = await raw_post(url, {"type": 4, "data": {"content": "x"}})
    assert (status, body["code"]) == (400, 40060)
    assert [v.kind for v in fake.violations] == ["duplicate_interaction_response"] * 2
    assert [r.accepted for r in fake.responses_for(interaction_id)] == [True, False, False]


async def test_late_initial_response_is_unknown_interaction(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync(guild=discord.Object(fake.guild_id))
    fake.interaction_deadline = 0.2  # the handler sleeps 0.6 s before answering
    interaction_id = fake.send_slash_command("slow")

    response = await fake.wait_for_interaction_response_async(interaction_id)
    assert not response.accepted and response.error_code == 10062
    assert response.latency > 0.2
    await fake.wait_for_async(lambda: "late" in bot.outcomes)
    assert isinstance(bot.outcomes["late"], discord.NotFound)
    assert bot.outcomes["late"].code == 10062
    assert [v.kind for v in fake.violations] == ["late_interaction_response"]


async def test_autocomplete_choices_are_capped_at_25(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync(guild=discord.Object(fake.guild_id))

    interaction_id = fake.send_autocomplete("summary", "section", "sec")
    assert fake.interaction(interaction_id).options[-1]["focused"] is True
    response = await fake.wait_for_interaction_response_async(interaction_id)
    assert response.accepted and response.type == 8
    assert response.data is not None
    assert [c["value"] for c in response.data["choices"]] == SECTIONS[:25]

    narrowed = fake.send_autocomplete("summary", "section", "section 3")
    response = await fake.wait_for_interaction_response_async(narrowed)
    assert response.data is not None
    assert [c["name"] for c in response.data["choices"]] == ["Section 3", "Section 30"]
    assert fake.violations == []

    too_many = fake.send_autocomplete("summary", "section", "uncapped")
    response = await fake.wait_for_interaction_response_async(too_many)
    assert not response.accepted and response.error_code == 50035
    assert [v.kind for v in fake.violations] == ["invalid_autocomplete"]


@pytest.mark.parametrize(
    ("kwargs", "error_text"),
    [
        ({"embed": discord.Embed(description="d" * 5000)}, "4096 or fewer"),
        ({"content": "c" * 2001}, "2000 or fewer"),
        (
            {"embeds": [discord.Embed(description="d" * 4000) for _ in range(2)]},
            "maximum size of 6000",
        ),
        (
            {"embed": discord.Embed(title="t").add_field(name="n", value="v" * 1025)},
            "1024 or fewer",
        ),
    ],
)
async def test_over_limit_messages_are_refused(
    fake: FakeDiscord, bot: Bot, kwargs: dict[str, Any], error_text: str
) -> None:
    channel = bot.client.get_channel(fake.channel_id)
    assert isinstance(channel, discord.TextChannel)

    with pytest.raises(discord.HTTPException) as refused:
        await channel.send(allowed_mentions=NO_PINGS, **kwargs)

    assert refused.value.status == 400 and refused.value.code == 50035
    assert error_text in refused.value.text
    [message] = fake.messages
    assert not message.accepted and message.error_code == 50035
    assert [v.kind for v in fake.violations] == ["invalid_form_body"]


async def test_dropped_connection_resumes_and_replays(fake: FakeDiscord, bot: Bot) -> None:
    before = fake.gateway_counters
    assert fake.drop_connections() == 1
    # Sent while the bot is disconnected: kept in the session and replayed on RESUME.
    missed = fake.send_message_create(f"{fake.bot_mention} while you were away")

    after = await fake.wait_for_reconnect_async(before)
    assert after.resumes == before.resumes + 1
    assert after.identifies == before.identifies
    assert fake.gateway_connections[-1].path == "/gateway/resume"
    seen = await bot.next_message(lambda m: m.id == missed)
    assert seen.content.endswith("while you were away")

    fresh = fake.send_message_create(f"{fake.bot_mention} back again")
    await bot.next_message(lambda m: m.id == fresh)
    reply = await fake.wait_for_message_async(lambda m: m.content == f"Got: {seen.content}")
    assert reply.accepted
    await fake.wait_for_message_async(lambda m: m.content == f"Got: {fake.bot_mention} back again")
    assert fake.violations == []


async def test_invalid_session_forces_identify(fake: FakeDiscord, bot: Bot) -> None:
    before = fake.gateway_counters
    bot.ready.clear()
    fake.send_invalid_session(resumable=False)

    after = await fake.wait_for_reconnect_async(before)
    assert after.identifies == before.identifies + 1
    async with asyncio.timeout(5):
        await bot.ready.wait()

    message_id = fake.send_message_create(f"{fake.bot_mention} still there?")
    await bot.next_message(lambda m: m.id == message_id)
    reply = await fake.wait_for_message_async(lambda m: m.kind == "channel_create")
    assert reply.content == f"Got: {fake.bot_mention} still there?"
    assert fake.violations == []


def test_point_discord_py_at_can_be_undone() -> None:
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    def current() -> tuple[str, str]:
        return Route.BASE, str(DiscordWebSocket.DEFAULT_GATEWAY)

    before = current()
    with FakeDiscord() as server:
        undo = point_discord_py_at(server)
        assert current() == (server.api_url, server.gateway_url)
        undo()
        undo()  # idempotent
    assert current() == before


async def test_injected_failure_and_forbidden_channel(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    # A 429 whose body is not Discord's JSON object reads as a Cloudflare ban: not retried.
    fake.fail_next("POST", r"/channels/\d+/messages", 429, "error code: 1015")
    with pytest.raises(discord.HTTPException) as refused:
        await channel.send("hello", allowed_mentions=NO_PINGS)
    assert refused.value.status == 429

    fake.forbid_channel(fake.channel_id)
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("hello", allowed_mentions=NO_PINGS)
    assert forbidden.value.code == 50013
    fake.forbid_channel(fake.channel_id, forbidden=False)
    sent = await channel.send("hello", allowed_mentions=NO_PINGS)
    assert sent.content == "hello" and sent.author.id == fake.bot_id
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert [r.status for r in posts] == [429, 403, 200]
    assert [m.status for m in fake.messages] == [403, 200]  # injected answers: requests only
    assert [v.kind for v in fake.violations] == ["missing_permissions"]

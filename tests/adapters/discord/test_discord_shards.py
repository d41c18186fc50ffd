"""Discord sharding: each ``summary-bot`` process answers the guilds of its own shards.

Real ``summary-bot`` processes against the fake Discord, which recommends two
shards (``GET /gateway/bot``), takes the shard in IDENTIFY and sends each
shard only its guilds' events (``(guild_id >> 22) % shard_count``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.settings import Settings
from bot.errors import ConfigError
from tests.adapters.state.test_one_process import start_bot
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.discord_gateway import shard_of

TOKEN = "MTIzNDU2.shards.secretpart"


@pytest.fixture
def discord() -> Iterator[FakeDiscord]:
    with FakeDiscord(token=TOKEN, guild_count=2, shards=2, heartbeat_interval_ms=500) as fake:
        yield fake


def start(folder: Path, fake: FakeDiscord, extra: str = "") -> subprocess.Popen[bytes]:
    folder.mkdir()
    return start_bot(
        folder,
        f"DISCORD_TOKEN={TOKEN}\nDISCORD_API_URL={fake.api_url}\n"
        f"DISCORD_GATEWAY_URL={fake.gateway_url}\nSTATE_DB={folder / 'state.sqlite3'}\n" + extra,
    )


def identified_shards(fake: FakeDiscord) -> list[list[int]]:
    frames = fake.gateway_frames_received
    return sorted(frame["d"]["shard"] for frame in frames if frame["op"] == 2)


def answered(fake: FakeDiscord, guild: int, timeout: float = 10.0) -> bool:
    interaction = fake.send_slash_command(
        "summary", {"query": "labor"}, channel_id=fake.channel_of(guild)
    )
    try:
        response = fake.wait_for_interaction_response(interaction, timeout=timeout)
    except TimeoutError:
        return False
    [message] = fake.messages_for(interaction)
    return response.accepted and "Labor Tensions" in message.text


def eventually_answered(fake: FakeDiscord, guild: int, tries: int = 20) -> bool:
    """Answered, once the shard's process has its guilds (each try waits up to 2 s)."""
    return any(answered(fake, guild, timeout=2) for _ in range(tries))


def stop(bot: subprocess.Popen[bytes]) -> None:
    bot.terminate()
    try:
        assert bot.wait(timeout=30) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()


def test_the_fake_puts_each_guild_on_its_own_shard(discord: FakeDiscord) -> None:
    assert [shard_of(guild, 2) for guild in discord.guild_ids] == [0, 1]


def test_two_processes_with_one_shard_each_answer_their_own_guilds(
    tmp_path: Path, discord: FakeDiscord
) -> None:
    first_guild, second_guild = discord.guild_ids
    first = start(tmp_path / "a", discord, "DISCORD_SHARD_COUNT=2\nDISCORD_SHARD_IDS=0\n")
    second = None
    try:
        discord.wait_for(lambda: identified_shards(discord) == [[0, 2]], what="shard 0")
        discord.wait_until_connected(timeout=60)
        assert answered(discord, first_guild)
        assert not answered(discord, second_guild, timeout=2)  # nobody runs shard 1 yet

        second = start(tmp_path / "b", discord, "DISCORD_SHARD_COUNT=2\nDISCORD_SHARD_IDS=1\n")
        discord.wait_for(
            lambda: identified_shards(discord) == [[0, 2], [1, 2]], timeout=60, what="shard 1"
        )
        assert eventually_answered(discord, second_guild)
        assert answered(discord, first_guild)

        stop(first)
        assert answered(discord, second_guild)
        assert not answered(discord, first_guild, timeout=2)  # shard 0 is gone with its process
    finally:
        for bot in (first, second):
            if bot is not None and bot.poll() is None:
                stop(bot)
    for folder in (tmp_path / "a", tmp_path / "b"):
        assert "Traceback" not in (folder / "stderr").read_text()
    assert discord.violations == []


def test_without_shard_settings_one_process_runs_every_shard_discord_recommends(
    tmp_path: Path, discord: FakeDiscord
) -> None:
    bot = start(tmp_path / "a", discord)
    try:
        discord.wait_for(
            lambda: identified_shards(discord) == [[0, 2], [1, 2]], timeout=60, what="2 shards"
        )
        assert eventually_answered(discord, discord.guild_ids[1])
        assert answered(discord, discord.guild_ids[0])
    finally:
        stop(bot)
    assert any(request.path.endswith("/gateway/bot") for request in discord.requests)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"DISCORD_SHARD_IDS": "0"}, "DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "0,2"}, "DISCORD_SHARD_IDS"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "zero"}, "DISCORD_SHARD_IDS"),
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT"),
    ],
)
def test_bad_shard_settings_are_named(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_environ(environ)


def test_shard_settings_are_read() -> None:
    settings = Settings.from_environ({"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "2, 3"})
    assert (settings.discord.shard_count, settings.discord.shard_ids) == (4, (2, 3))

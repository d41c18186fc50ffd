"""Clicks on buttons, many at once, through the fake Slack and the fake Discord on 127.0.0.1.

``python -m bench clicks [--rounds N]``: the Slack adapter (Socket Mode) and the
Discord adapter run in this process with the bundled article; each round the
bot answers ``/summary 2`` and then 50 people click "Next section" on that
reply at the same moment (one frame after another, as the platforms deliver
clicks made together). Each click goes the way every click goes: read into a
command, through the dispatcher (rate limit included) to the core, answered to
the clicker. The fakes time each click on their own clock: Slack from the
envelope to the bot's ack, Discord from INTERACTION_CREATE to the bot's initial
response. Both platforms allow 3 seconds. The per-user rate limit is raised so
that no click is refused.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import AsyncIterator

from adapters.bootstrap import build_library, build_rate_limiter
from adapters.discord.client import DiscordAdapter
from adapters.dispatch import Dispatcher
from adapters.settings import Settings
from adapters.slack.app import SlackAdapter
from bench.table import p50_p99, percentile
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack

__all__ = ["main"]

CLICKS = 50


@contextlib.asynccontextmanager
async def serving(adapter: SlackAdapter | DiscordAdapter) -> AsyncIterator[None]:
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    async with asyncio.timeout(15):
        while not adapter.ready.is_set():
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)


async def slack_round(slack: FakeSlack, round_: int) -> list[float]:
    before = len(slack.responses)
    await slack.await_ack(await slack.asend_slash_command("2"))
    ts = (await slack.await_responses(before + 1))[before].message_ts
    assert ts is not None
    users = [f"U{round_}x{n}" for n in range(CLICKS)]
    ids = await asyncio.to_thread(slack.send_block_actions, "C1", ts, "Next section", users)
    acks = [await slack.await_ack(envelope, timeout=10) for envelope in ids]
    await slack.await_responses(before + 1 + CLICKS, timeout=30)
    return [ack.latency if ack.latency is not None else float("inf") for ack in acks]


async def discord_round(fake: FakeDiscord, users: list[int]) -> list[float]:
    asked = await asyncio.to_thread(fake.send_slash_command, "summary", {"query": "2"})
    message = await fake.wait_for_message_async(
        lambda m: m.interaction_id == asked and m.kind == "interaction_response"
    )
    assert message.message_id is not None
    custom_id = fake.find_component(message.message_id, "Next section").custom_id
    ids = await asyncio.to_thread(
        fake.send_component_interactions, message.message_id, custom_id, users
    )
    responses = [await fake.wait_for_interaction_response_async(i) for i in ids]
    return [r.latency if r.accepted else float("inf") for r in responses]


async def measure(rounds: int) -> dict[str, list[float]]:
    library = build_library(Settings()).warm()
    results: dict[str, list[float]] = {"slack": [], "discord": []}
    with FakeSlack() as slack:
        environ = {
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_APP_TOKEN": slack.app_token,
            "SLACK_API_URL": slack.api_url,
            "RATE_LIMIT_COMMANDS": "100000",
        }
        settings = Settings.from_environ(environ)
        dispatcher = Dispatcher(library, rate_limiter=build_rate_limiter(settings))
        adapter = SlackAdapter(settings, dispatcher, ping_interval=0.5)
        async with serving(adapter):
            for round_ in range(rounds):
                results["slack"] += await slack_round(slack, round_)
        dispatcher.close()
    with FakeDiscord(token="MTIz.fake.token", heartbeat_interval_ms=250) as fake:
        environ = {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.api_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_ID": str(fake.guild_id),
            "RATE_LIMIT_COMMANDS": "100000",
        }
        settings = Settings.from_environ(environ)
        dispatcher = Dispatcher(library, rate_limiter=build_rate_limiter(settings))
        bot = DiscordAdapter(
            settings,
            dispatcher,
            guild_ready_timeout=0.05,
            pause_before_identify=False,
        )
        users = [fake.add_user(f"reader{n}") for n in range(CLICKS)]
        async with serving(bot):
            for _ in range(rounds):
                results["discord"] += await discord_round(fake, users)
        dispatcher.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench clicks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of 50 clicks (5)")
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args.rounds))
    print(f"{CLICKS} clicks at once, {args.rounds} rounds; p50 / p99 (the platforms allow 3 s)")
    for name, what in (("slack", "click -> ack"), ("discord", "click -> initial response")):
        samples = results[name]
        late = sum(1 for s in samples if s >= 3.0)
        print(
            f"  {name:8} {what:26} {p50_p99(samples):>20}  max {percentile(samples, 1.0):.3f} s"
            f"  over 3 s: {late}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Item 4: end to end through the fake Slack and the fake Discord, on 127.0.0.1.

The bot runs as deployed: ``summary-bot`` in its own process (slack_bolt in
Socket Mode, or discord.py on the gateway) with the bundled article, its
``SLACK_API_URL`` or ``DISCORD_API_URL``/``DISCORD_GATEWAY_URL`` pointing at
the test fakes (``tests/fakes``), which run in this process.  The fake sends
``/summary`` commands and records, on its own clock, when the bot
acknowledged each and when its reply arrived.  Commands rotate through the
overview, a section, a question and a section title; the first ones go one
at a time (each waits for the previous reply), the last ``concurrent`` all
at once: one frame after another on the bot's socket, without waiting, as
the platform delivers commands that many people send at the same moment.
Each command is timed from its own frame.  The per-user rate limit is
raised so that no command is refused.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bench.table import Row, p50_p99, percentile
from tests.fakes.discord_fake import FakeDiscord
from tests.fakes.slack_fake import FakeSlack

__all__ = ["run"]

T = TypeVar("T")

GROUP = "4. end to end: summary-bot process <-> Slack and Discord fakes (bundled article)"
QUERIES = ("", "2", "what did Sarandos say?", "labor", "4")
_ACK_TARGET, _REPLY_TARGET = 0.100, 0.050
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Timings:
    """Per command, on the fake's clock: sent -> acknowledged, sent -> reply, ack -> reply."""

    acks: list[float]
    replies: list[float]
    after_ack: list[float]


@contextmanager
def _bot(environ: Mapping[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """``summary-bot`` serving with ``environ``; stopped with SIGTERM afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env.update(environ, RATE_LIMIT_COMMANDS="100000", LOG_LEVEL="WARNING")
    bot = str(Path(sys.executable).with_name("summary-bot"))
    process = subprocess.Popen(
        [bot, "--env-file", os.devnull],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT if os.name == "nt" else signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


async def _send_all(
    send: Callable[[int], T],
    burst: Callable[[range], list[T]],
    done: Callable[[], bool],
    commands: int,
    concurrent: int,
) -> list[T]:
    """``send(n)`` for the first commands, one by one, then ``burst`` the rest; their ids.

    After the burst this process only looks every few milliseconds whether
    ``done``, and its garbage collector waits: the fake's clock must time the
    bot, not this process's own pauses.
    """
    ids = [await asyncio.to_thread(send, n) for n in range(commands - concurrent)]
    gc.collect()
    gc.disable()
    try:
        ids += await asyncio.to_thread(burst, range(commands - concurrent, commands))
        deadline = time.monotonic() + 30.0
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not answer every command within 30 s")
            await asyncio.sleep(0.005)
    finally:
        gc.enable()
    return ids


async def _slack(commands: int, concurrent: int) -> Timings:
    with FakeSlack(bot_token="xoxb-1-benchtoken", app_token="xapp-1-benchtoken") as fake:
        environ = {
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_APP_TOKEN": fake.app_token,
            "SLACK_API_URL": fake.api_url,
        }
        with _bot(environ):
            await asyncio.to_thread(fake.wait_connections, 1, 60.0)
            await asyncio.to_thread(fake.send_slash_command, "", user_id="U0")  # warm-up
            await fake.await_for(lambda: len(fake.responses) >= 1, 30.0, "a reply")
            queries = itertools.cycle(QUERIES)
            texts = [next(queries) for _ in range(commands)]

            def send(n: int) -> str:
                envelope = fake.send_slash_command(texts[n], user_id=f"U{n}", channel_id="C1")
                fake.wait_for(lambda: len(fake.responses) > n + 1, 10.0, "a reply")
                return envelope

            def burst(numbers: range) -> list[str]:
                return fake.send_slash_commands([texts[n] for n in numbers], channel_id="C1")

            def done() -> bool:
                return len(fake.responses) > commands

            ids = await _send_all(send, burst, done, commands, concurrent)
        envelopes = {e.envelope_id: e for e in fake.envelopes}
        acks = {a.envelope_id: a for a in fake.acks}
        first_reply: dict[str, float] = {}
        for post in fake.responses:
            first_reply.setdefault(post.url, post.at)
    sent = [envelopes[i].sent_at for i in ids]
    acked = [_received(acks[i].received_at) for i in ids]
    replied = [first_reply[envelopes[i].payload["response_url"]] for i in ids]
    return _timings(sent, acked, replied)


def _received(value: float | None) -> float:
    if value is None:
        raise RuntimeError("a command was never acknowledged")
    return value


def _timings(sent: list[float], acked: list[float], replied: list[float]) -> Timings:
    return Timings(
        [a - s for s, a in zip(sent, acked, strict=True)],
        [r - s for s, r in zip(sent, replied, strict=True)],
        [r - a for a, r in zip(acked, replied, strict=True)],
    )


async def _discord(commands: int, concurrent: int) -> Timings:
    with FakeDiscord(token="MTIz.bench.token", heartbeat_interval_ms=1000) as fake:
        environ = {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.api_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_ID": str(fake.guild_id),
        }

        def replied(interaction: int) -> bool:
            return any(m.accepted for m in fake.messages_for(interaction))

        with _bot(environ):
            await fake.wait_for_commands_async(fake.guild_id, timeout=60.0)
            await fake.wait_until_connected_async(timeout=60.0)
            warm_up = await asyncio.to_thread(fake.send_slash_command, "summary", None)
            await fake.wait_for_async(lambda: replied(warm_up) or None, 30.0, what="a reply")
            queries = itertools.cycle(QUERIES)
            texts = [next(queries) for _ in range(commands)]

            def options(n: int) -> dict[str, str] | None:
                return {"query": texts[n]} if texts[n] else None

            def send(n: int) -> int:
                interaction = fake.send_slash_command("summary", options(n))
                fake.wait_for(lambda: replied(interaction) or None, 10.0, what="a reply")
                return interaction

            def burst(numbers: range) -> list[int]:
                return fake.send_slash_commands([options(n) for n in numbers], "summary")

            def done() -> bool:
                return len(fake.interaction_responses) >= commands + 1

            ids = await _send_all(send, burst, done, commands, concurrent)
            await fake.wait_for_async(
                lambda: all(replied(i) for i in ids) or None, 30.0, what="all replies"
            )
        dispatched = {s.id: s.dispatched_at for s in fake.sent_interactions}
        callbacks: dict[int, float] = {}
        for response in fake.interaction_responses:
            callbacks.setdefault(response.interaction_id, response.at)
        first = {i: min(m.at for m in fake.messages_for(i) if m.accepted) for i in ids}
    return _timings(
        [dispatched[i] for i in ids], [callbacks[i] for i in ids], [first[i] for i in ids]
    )


def _rows(platform: str, ack_name: str, timings: Timings, concurrent: int) -> list[Row]:
    rows = []
    total = len(timings.acks)
    parts = ((f"all {total}", slice(None)), (f"the {concurrent} at once", slice(-concurrent, None)))
    for label, part in parts:
        acks, replies, after = timings.acks[part], timings.replies[part], timings.after_ack[part]
        slack = platform == "Slack"
        rows += [
            Row(GROUP, f"{platform}: {ack_name}, {label} (p50 / p99)", p50_p99(acks),
                target="p99 <= 100 ms" if slack else "",
                met=percentile(acks, 0.99) <= _ACK_TARGET if slack else None),
            Row(GROUP, f"{platform}: command sent -> reply recorded, {label}", p50_p99(replies),
                target="p99 <= 50 ms", met=percentile(replies, 0.99) <= _REPLY_TARGET),
        ]  # fmt: skip
        if slack:  # on Discord the callback carries the reply itself
            rows.append(
                Row(GROUP, f"Slack: ack -> reply (0: the reply rode on the ack), {label}",
                    p50_p99(after))
            )  # fmt: skip
    return rows


def run(*, commands: int = 200, concurrent: int = 50) -> list[Row]:
    slack = asyncio.run(_slack(commands, concurrent))
    discord = asyncio.run(_discord(commands, concurrent))
    return [
        *_rows("Slack", "command sent -> ack", slack, concurrent),
        *_rows("Discord", "command sent -> interaction callback", discord, concurrent),
    ]

"""One pipeline on every platform: each command is read once, one fault boundary for all.

Through the real adapters (Slack in Socket Mode, Discord, the console) against
the fakes: ``read_command`` runs once per command (counted by wrapping the real
function wherever it was imported), a fault inside the core is answered with
the apology and the bot goes on answering, and a mistake in what someone typed
is answered with its note. The dispatcher alone asks a platform to defer, and
only when a reply is not ready at once.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest

from adapters.console import run_console
from adapters.dispatch import Dispatcher
from bot.chat import commands, routing
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import Command, read_command
from bot.chat.notices import APOLOGY
from bot.chat.replies import Reply
from bot.chat.requests import Request
from bot.text.document import Document
from tests.fakes.slack_records import ResponsePost
from tests.libraries import single
from tests.running import DiscordBot, SlackBot

LABOR = "3. Labor Tensions and the Ethics of Innovation"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text ``read_command`` reads from now on, whoever calls it."""
    read = commands.read_command
    texts: list[str] = []

    def counting(text: str) -> Command:
        texts.append(text)
        return read(text)

    for module in list(sys.modules.values()):
        if getattr(module, "read_command", None) is read:
            monkeypatch.setattr(module, "read_command", counting)
    return texts


class Faults:
    """``routing.handle`` that raises for its next :attr:`left` calls (the dispatcher looks
    it up for each command)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.left = 0
        handle = routing.handle

        def faulty(command: Command, request: Request, library: ChannelArticles) -> Reply:
            if self.left > 0:
                self.left -= 1
                raise RuntimeError("injected core fault")
            return handle(command, request, library)

        monkeypatch.setattr(routing, "handle", faulty)


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Faults:
    return Faults(monkeypatch)


def slack_shown(post: Any) -> str:
    return json.dumps({"text": post.text, "blocks": post.blocks}, ensure_ascii=False)


async def slash(bot: SlackBot, text: str, count: int) -> ResponsePost:
    """``/summary text``; the newest of ``count`` responses so far."""
    await bot.fake.await_ack(await bot.fake.asend_slash_command(text))
    return (await bot.fake.await_responses(count))[-1]


# ---------------------------------------------------------------- Slack


async def test_slack_reads_each_command_once(slack_bot: SlackBot, reads: list[str]) -> None:
    slack = slack_bot.fake
    section = await slash(slack_bot, "2", 1)
    await slack.await_ack(await slack.asend_app_mention("labor"))
    await slack.await_ack(await slack.asend_im("sections"))
    mention, dm = await slack.await_messages(2)
    articles = await slash(slack_bot, "articles", 2)  # answered in a worker
    assert reads == ["2", "labor", "sections", "articles"]
    assert "2. " in slack_shown(section) and "Labor Tensions" in slack_shown(mention)
    assert "Sections" in slack_shown(dm) and "Articles" in slack_shown(articles)


async def test_slack_apologises_for_a_core_fault_and_goes_on(
    slack_bot: SlackBot, faults: Faults, caplog: pytest.LogCaptureFixture
) -> None:
    slack = slack_bot.fake
    faults.left = 2
    sorry = await slash(slack_bot, "2", 1)
    await slack.await_ack(await slack.asend_app_mention("labor"))
    [mention_sorry] = await slack.await_messages(1)
    assert faults.left == 0
    fine = await slash(slack_bot, "2", 2)
    assert sorry.response_type == "ephemeral" and APOLOGY in slack_shown(sorry)
    assert mention_sorry.method == "chat.postEphemeral" and APOLOGY in slack_shown(mention_sorry)
    assert "injected" not in slack_shown(sorry) + slack_shown(mention_sorry)
    assert fine.response_type == "in_channel" and "2. " in slack_shown(fine)
    logged = [r for r in caplog.records if r.exc_info and "injected" in str(r.exc_info[1])]
    assert [r.name for r in logged] == ["adapters.dispatch"] * 2


async def test_slack_answers_a_mistake_with_its_note(slack_bot: SlackBot) -> None:
    use = await slash(slack_bot, "use", 1)
    load = await slash(slack_bot, "load", 2)
    assert use.response_type == load.response_type == "ephemeral"
    assert "Tell me which article" in slack_shown(use) and "/summary use" in slack_shown(use)
    assert "Tell me which page" in slack_shown(load)


# ---------------------------------------------------------------- Discord


async def discord_command(bot: DiscordBot, query: str) -> Any:
    fake = bot.fake
    interaction = fake.send_slash_command("summary", {"query": query})
    response = await fake.wait_for_interaction_response_async(interaction)
    assert response.accepted and response.latency < fake.interaction_deadline
    return await fake.wait_for_message_async(lambda m: m.interaction_id == interaction)


async def discord_mention(bot: DiscordBot, text: str, send: Callable[[str], Any]) -> Any:
    since = len(bot.fake.messages)
    send(text)
    return await bot.fake.wait_for_message_async(lambda m: m.kind == "channel_create", since=since)


async def test_discord_reads_each_command_once(discord_bot: DiscordBot, reads: list[str]) -> None:
    fake = discord_bot.fake
    section = await discord_command(discord_bot, "3")
    mention = await discord_mention(
        discord_bot, f"{fake.bot_mention} labor", fake.send_message_create
    )
    dm = await discord_mention(discord_bot, "sections", fake.send_dm)
    assert reads == ["3", "labor", "sections"]
    assert LABOR in section.text and LABOR in mention.text and "Sections" in dm.text


async def test_discord_apologises_for_a_core_fault_and_goes_on(
    discord_bot: DiscordBot, faults: Faults
) -> None:
    fake = discord_bot.fake
    faults.left = 2
    sorry = await discord_command(discord_bot, "3")
    mention_sorry = await discord_mention(
        discord_bot, f"{fake.bot_mention} labor", fake.send_message_create
    )
    assert faults.left == 0
    fine = await discord_command(discord_bot, "3")
    assert APOLOGY in sorry.text and sorry.ephemeral
    assert APOLOGY in mention_sorry.text
    assert "injected" not in sorry.text + mention_sorry.text
    assert LABOR in fine.text and not fine.ephemeral


async def test_discord_answers_a_mistake_with_its_note(discord_bot: DiscordBot) -> None:
    reply = await discord_command(discord_bot, "use")
    assert reply.ephemeral and "Tell me which article" in reply.text


# ---------------------------------------------------------------- console


def test_the_console_reads_each_line_once(library: ChannelArticles, reads: list[str]) -> None:
    out = io.StringIO()
    assert run_console(library, io.StringIO("2\n\nlabor\nuse\n"), out) == 0
    assert reads == ["2\n", "labor\n", "use\n"]
    assert "Tell me which article" in out.getvalue()


def test_the_console_apologises_for_a_core_fault_and_goes_on(
    library: ChannelArticles, faults: Faults, caplog: pytest.LogCaptureFixture
) -> None:
    faults.left = 1
    out = io.StringIO()
    assert run_console(library, io.StringIO("2\nlabor\n"), out) == 0
    fine = out.getvalue().split(APOLOGY, 1)[1]
    assert out.getvalue().startswith(f"Sorry\n\n{APOLOGY}\n\n")
    assert LABOR in fine and "Traceback" not in out.getvalue()
    assert any(r.name == "adapters.dispatch" and r.exc_info for r in caplog.records)


# ---------------------------------------------------------------- the dispatcher's one decision


class Recorded:
    """Replies that note what the dispatcher asked for, in order."""

    def __init__(self, defer_after: float | None) -> None:
        self.defer_after = defer_after
        self.calls: list[str] = []

    async def send(self, reply: Reply) -> None:
        self.calls.append(f"send {reply.kind.value}")

    async def defer(self) -> None:
        self.calls.append("defer")


@pytest.mark.parametrize(
    ("defer_after", "cold"),
    [(0.0, ["defer", "send section"]), (None, ["send section"]), (30.0, ["send section"])],
)
async def test_a_reply_is_deferred_only_when_the_platform_needs_it(
    bundled: Document, library: ChannelArticles, defer_after: float | None, cold: list[str]
) -> None:
    asked = read_command("2")
    warm_dispatcher = Dispatcher(library)
    cold_dispatcher = Dispatcher(single(bundled))  # its summaries are not built yet
    try:
        quick, slow = Recorded(defer_after), Recorded(defer_after)
        await warm_dispatcher.serve(asked, Request("C1", "U1"), quick)
        await cold_dispatcher.serve(asked, Request("C1", "U1"), slow)
    finally:
        warm_dispatcher.close()
        cold_dispatcher.close()
    assert quick.calls == ["send section"]  # answered from memory: nothing to defer
    assert slow.calls == cold

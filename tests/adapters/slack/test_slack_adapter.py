"""The real Bolt adapter against the fake Slack on 127.0.0.1: Socket Mode and HTTP mode."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from adapters.dispatch import Dispatcher
from adapters.slack.app import SlackAdapter
from adapters.slack.events import (
    Incoming,
    from_command,
    from_direct_message,
    from_mention,
    strip_mention,
)
from adapters.slack.render import escape
from bot.articles.library import Library
from bot.articles.options import Options
from bot.articles.prepared import PreparedArticle, Unprepared, prepare
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import Help, Invalid, PickSection, read_command
from bot.chat.notices import APOLOGY
from bot.chat.requests import Request
from bot.errors import ConfigError
from bot.summaries.summarizer import SummaryLength
from bot.text.parsing import parse_text
from bot.text.tokenizer import Tokenizer
from tests.conftest import ROOT
from tests.fakes.slack_fake import FakeSlack, PostedMessage, ResponsePost
from tests.fakes.slack_limits import check_message, find_live_markup
from tests.libraries import single
from tests.running import SLACK_APP_TOKEN, SLACK_BOT_TOKEN, run_slack, slack_settings

BOT_TOKEN = SLACK_BOT_TOKEN
APP_TOKEN = SLACK_APP_TOKEN
BROKEN_CHANNEL = "C0BROKEN"


class FailingLibrary(ChannelArticles):
    """Fault injection: the article for one channel cannot be read."""

    def article_for(self, channel: str = "") -> PreparedArticle:
        if channel == BROKEN_CHANNEL:
            raise RuntimeError("the article is unreadable (injected fault)")
        return super().article_for(channel)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as fake:
        yield fake


@asynccontextmanager
async def running(
    slack: FakeSlack, library: ChannelArticles, **env: str
) -> AsyncIterator[SlackAdapter]:
    """The adapter serving ``library`` until the block ends; then it must stop cleanly."""
    async with run_slack(slack, library, **env) as bot:
        yield bot.adapter


def assert_acked_in_time(slack: FakeSlack) -> None:
    assert slack.acks, "nothing was acked"
    for ack in slack.acks:
        assert not ack.late and ack.latency is not None and ack.latency < 3.0, ack


def payload_of(post: PostedMessage | ResponsePost) -> dict[str, Any]:
    return {"text": post.text, "blocks": post.blocks}


def assert_within_limits(post: PostedMessage | ResponsePost) -> None:
    check = check_message(payload_of(post))
    assert check.ok, check.problems
    assert post.text and post.blocks and post.blocks[0]["type"] == "header"


def shown(post: PostedMessage | ResponsePost) -> str:
    """Everything a person would read in ``post``."""
    parts = [post.text or ""]
    for block in post.blocks:
        if block["type"] == "context":
            parts.extend(element["text"] for element in block["elements"])
        elif block["type"] == "actions":  # button and option labels
            for element in block["elements"]:
                labels = [element.get("text") or element.get("placeholder") or {}]
                labels += [option["text"] for option in element.get("options", [])]
                parts.extend(str(label.get("text", "")) for label in labels)
        else:
            parts.append(block["text"]["text"])
    return "\n".join(parts)


def sections_of(post: PostedMessage | ResponsePost) -> list[str]:
    return [b["text"]["text"] for b in post.blocks if b["type"] == "section"]


async def command(
    slack: FakeSlack, text: str, count: int, *, channel_id: str = "C1"
) -> list[ResponsePost]:
    """Send ``/summary text``; wait for its ack and for ``count`` responses in all.

    A reply that rides on the ack is one of the responses (``via="ack"``).
    """
    envelope = await slack.asend_slash_command(text, channel_id=channel_id)
    ack = await slack.await_ack(envelope)
    assert not ack.late
    return await slack.await_responses(count)


# ---------------------------------------------------------------- Socket Mode: /summary


async def test_summary_commands_are_acked_and_answered_in_channel(
    slack: FakeSlack, library: ChannelArticles
) -> None:
    document = library.article_for().document
    async with running(slack, library):
        [overview] = await command(slack, "", 1)
        [_, section] = await command(slack, "2", 2)
        [*_, answer] = await command(slack, "what did Sarandos say?", 3)

    assert [p.response_type for p in (overview, section, answer)] == ["in_channel"] * 3
    for post in (overview, section, answer):
        assert post.accepted and post.replace_original is not True
        assert_within_limits(post)
    assert overview.blocks[0]["text"]["text"] == escape(document.title)
    headings = [text.split("\n", 1)[0] for text in sections_of(overview)]
    assert headings == [f"*{escape(f'{s.number}. {s.title}')}*" for s in document.sections]
    assert sections_of(section)[0].startswith(f"*2. {escape(document.section(2).title)}*\n")
    quotes = [text for text in sections_of(answer) if text.startswith("> ")]
    assert quotes and "*Sarandos" in quotes[0]  # the others may be its paragraph's context
    assert slack.calls_to("apps.connections.open")[0].token == APP_TOKEN
    assert_acked_in_time(slack)
    slack.assert_no_violations()


async def test_help_and_errors_are_ephemeral(slack: FakeSlack, library: ChannelArticles) -> None:
    async with running(slack, library):
        [help_post] = await command(slack, "help", 1)
        [_, error] = await command(slack, "999", 2)
    assert (help_post.response_type, error.response_type) == ("ephemeral", "ephemeral")
    assert "`/summary 2`" in shown(help_post)
    assert "no section 999" in shown(error)
    assert_acked_in_time(slack)
    slack.assert_no_violations()


async def test_ephemeral_answers_setting(slack: FakeSlack, library: ChannelArticles) -> None:
    async with running(slack, library, SLACK_REPLY_VISIBILITY="ephemeral"):
        [post] = await command(slack, "2", 1)
    assert post.response_type == "ephemeral"
    slack.assert_no_violations()


async def test_mentions_in_a_question_are_echoed_escaped(
    slack: FakeSlack, library: ChannelArticles
) -> None:
    question = "<!channel> <!here> @here <@U123> <!subteam^S1|@team> zzqx?"
    async with running(slack, library):
        [post] = await command(slack, question, 1)
        await slack.await_ack(await slack.asend_app_mention(question))
        [message] = await slack.await_messages(1)
    for reply in (post, message):
        assert find_live_markup(shown(reply)) == []
        assert "<!" not in shown(reply) and "<@" not in shown(reply)
        assert "&lt;!channel&gt; &lt;!here&gt; @here &lt;@U123&gt;" in shown(reply)
    slack.assert_no_violations()


async def test_a_bare_url_in_a_question_is_echoed_dead(
    slack: FakeSlack, library: ChannelArticles
) -> None:
    question = "http://evil.example/login labor"  # Slack links bare URLs and domains
    async with running(slack, library):
        [post] = await command(slack, question, 1)
        await slack.await_ack(
            await slack.asend_app_mention(f"what is evil.example/login {question}")
        )
        [message] = await slack.await_messages(1)
    for reply in (post, message):
        assert "evil.example" not in shown(reply) and "://" not in shown(reply)
        assert "http[:]//evil[.]example/login" in shown(reply)
    slack.assert_no_violations()


# ---------------------------------------------------------------- mentions and DMs


async def test_mention_in_a_thread_is_answered_in_that_thread(
    slack: FakeSlack, library: ChannelArticles
) -> None:
    async with running(slack, library):
        await slack.await_ack(await slack.asend_app_mention("2", thread_ts="1700000000.000100"))
        [reply] = await slack.await_messages(1)
        top = await slack.asend_app_mention("what did Sarandos say?", channel_id="C2")
        await slack.await_ack(top)
        [_, answer] = await slack.await_messages(2)

    assert (reply.method, reply.channel, reply.thread_ts) == (
        "chat.postMessage",
        "C1",
        "1700000000.000100",
    )
    assert sections_of(reply)[0].startswith("*2. ")
    top_ts = next(e for e in slack.envelopes if e.envelope_id == top).payload["event"]["ts"]
    assert (answer.channel, answer.thread_ts) == ("C2", top_ts)  # a new thread under it
    assert any(text.startswith("> ") and "*Sarandos" in text for text in sections_of(answer))
    for post in (reply, answer):
        assert_within_limits(post)
    assert_acked_in_time(slack)
    slack.assert_no_violations()


async def test_help_by_mention_is_ephemeral_in_the_thread(
    slack: FakeSlack, library: ChannelArticles
) -> None:
    async with running(slack, library):
        await slack.await_ack(await slack.asend_app_mention("help", thread_ts="5.5", user_id="U7"))
        [reply] = await slack.await_messages(1)
    assert (reply.method, reply.user, reply.thread_ts) == ("chat.postEphemeral", "U7", "5.5")
    assert "`/summary 2`" in shown(reply)
    slack.assert_no_violations()


async def test_direct_messages_use_the_same_grammar(
    slack: FakeSlack, library: ChannelArticles
) -> None:
    async with running(slack, library):
        await slack.await_ack(await slack.asend_im("/summary 3"))
        await slack.await_messages(1)
        await slack.await_ack(await slack.asend_im("help"))
        [section, help_post] = await slack.await_messages(2)
    for post in (section, help_post):
        assert (post.method, post.channel, post.thread_ts) == ("chat.postMessage", "D1", None)
        assert_within_limits(post)
    assert sections_of(section)[0].startswith("*3. ")
    assert "`/summary 2`" in shown(help_post)
    assert_acked_in_time(slack)
    slack.assert_no_violations()


async def test_own_and_other_bots_messages_are_ignored(
    slack: FakeSlack, library: ChannelArticles
) -> None:
    other_bot = {
        "type": "message",
        "channel_type": "im",
        "user": "U0OTHER",
        "bot_id": "B0OTHER",
        "text": "help",
        "ts": "1.000001",
        "channel": "D1",
    }
    bot_mention = {**other_bot, "type": "app_mention", "text": "<@U0BOT> help", "channel": "C1"}
    edit = {**other_bot, "subtype": "message_changed", "user": "U1", "bot_id": None}
    async with running(slack, library):
        ignored = [
            await slack.asend_own_bot_message("help"),
            await slack.asend_event(other_bot),
            await slack.asend_event(bot_mention),
            await slack.asend_event(edit),
        ]
        for envelope in ignored:
            await slack.await_ack(envelope)
        await slack.await_ack(await slack.asend_im("sections"))
        await slack.await_messages(1)
    # Stopping waits for replies in flight, so a reply to any bot would be here by now.
    assert [m.channel for m in slack.messages] == ["D1"]
    assert "Sections" in shown(slack.messages[0])
    assert_acked_in_time(slack)
    slack.assert_no_violations()


# ---------------------------------------------------------------- faults


async def test_a_failing_command_gets_an_apology_and_the_next_one_works(
    slack: FakeSlack, bundled: Any, caplog: pytest.LogCaptureFixture
) -> None:
    library = FailingLibrary(Library([prepare("article", bundled, Options())]))
    async with running(slack, library):
        [apology] = await command(slack, "2", 1, channel_id=BROKEN_CHANNEL)
        await slack.await_ack(await slack.asend_app_mention("2", channel_id=BROKEN_CHANNEL))
        [mention_apology] = await slack.await_messages(1)
        [_, fine] = await command(slack, "2", 2)

    assert apology.response_type == "ephemeral" and APOLOGY in shown(apology)
    assert mention_apology.method == "chat.postEphemeral" and APOLOGY in shown(mention_apology)
    assert "injected fault" not in shown(apology) + shown(mention_apology)
    assert fine.response_type == "in_channel" and sections_of(fine)[0].startswith("*2. ")
    failures = [r for r in caplog.records if r.exc_info and "injected fault" in str(r.exc_info[1])]
    assert len(failures) == 2
    assert_acked_in_time(slack)
    slack.assert_no_violations()


def cold(bundled: Any) -> ChannelArticles:
    """A library whose article is not prepared yet: until it is, commands are answered on
    response_url."""
    return ChannelArticles(Library([Unprepared("article", bundled)]))


async def test_a_warm_article_answers_in_the_ack_a_cold_one_on_response_url(
    slack: FakeSlack, library: ChannelArticles, bundled: Any
) -> None:
    async with running(slack, library):
        envelope = await slack.asend_slash_command("2")
        ack = await slack.await_ack(envelope)
        [in_ack] = await slack.await_responses(1)
    assert ack.payload is not None and ack.payload["response_type"] == "in_channel"
    assert in_ack.via == "ack" and sections_of(in_ack)[0].startswith("*2. ")
    assert in_ack.url == slack.envelopes[-1].payload["response_url"]

    async with running(slack, cold(bundled)):
        envelope = await slack.asend_slash_command("2")
        ack = await slack.await_ack(envelope)
        [_, posted] = await slack.await_responses(2)
    assert ack.payload in (None, {})
    assert posted.via == "response_url" and posted.index == 1
    assert shown(posted) == shown(in_ack)
    assert_acked_in_time(slack)
    slack.assert_no_violations()


async def test_a_refused_response_is_logged_and_apologized_for(
    slack: FakeSlack, bundled: Any, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fail_next("response_url", status=500, times=3)
    async with running(slack, cold(bundled)):
        envelope = await slack.asend_slash_command("2")
        await slack.await_ack(envelope)
        await slack.await_responses(4)
    # the reply and its two retries fail; the apology gets through
    assert [r.status for r in slack.responses] == [500, 500, 500, 200]
    assert APOLOGY in shown(slack.responses[-1])
    assert any("HTTP 500" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


async def test_rate_limits_are_retried(slack: FakeSlack, bundled: Any) -> None:
    async with running(slack, cold(bundled)):
        # First the slash command, while the article is cold: answered on response_url.
        slack.fail_next("response_url", status=429, retry_after=1)
        await slack.await_ack(await slack.asend_slash_command("2"))
        await slack.await_responses(2)
        slack.fail_next("chat.postMessage", status=429, retry_after=1)
        await slack.await_ack(await slack.asend_im("2"))
        [message] = await slack.await_messages(1)
    first, second = slack.calls_to("chat.postMessage")
    assert (first.status, first.error, second.ok) == (429, "ratelimited", True)
    assert second.at - first.at >= 1.0  # Retry-After was honoured
    assert sections_of(message)[0].startswith("*2. ")
    assert [r.status for r in slack.responses] == [429, 200]
    assert slack.responses[1].at - slack.responses[0].at >= 1.0
    slack.assert_no_violations()


async def test_a_refresh_disconnect_is_survived(slack: FakeSlack, library: ChannelArticles) -> None:
    async with running(slack, library):
        await command(slack, "1", 1)
        assert await slack.asend_disconnect("refresh_requested") == 1
        await slack.await_connections(2)
        [_, after] = await command(slack, "2", 2)
        await slack.adrop_connections()
        await slack.await_connections(3)
        [*_, last] = await command(slack, "3", 3)
    assert sections_of(after)[0].startswith("*2. ")
    assert sections_of(last)[0].startswith("*3. ")
    assert len(slack.calls_to("apps.connections.open")) >= 3
    assert_acked_in_time(slack)
    slack.assert_no_violations()


# ---------------------------------------------------------------- long replies


def long_library(tokenizer: Tokenizer) -> ChannelArticles:
    """One section of 160 distinct sentences, summarized whole."""
    sentences = " ".join(
        f"Sentence {n} tells how the studio number {n} weighed costs against craft & care."
        for n in range(160)
    )
    text = f"A Long Report\n\nEverything at once\n\n{sentences}\n"
    document = parse_text(text, name="long.txt", tokenizer=tokenizer)
    return single(document, Options(length=SummaryLength.parse("100%"))).warm()


async def test_a_long_reply_is_split_into_messages_within_limits(
    slack: FakeSlack, tokenizer: Tokenizer
) -> None:
    library = long_library(tokenizer)
    async with running(slack, library):
        envelope = await slack.asend_slash_command("1")
        await slack.await_ack(envelope)
        await slack.await_responses(2)
        await slack.await_ack(await slack.asend_im("1"))
        await slack.await_messages(2)
        await asyncio.sleep(0)
    responses, messages = slack.responses, slack.messages
    assert len(responses) == len(messages) >= 2
    posts: list[PostedMessage | ResponsePost] = [*responses, *messages]
    for post in posts:
        assert_within_limits(post)
    total = len(responses)
    headers = [r.blocks[0]["text"]["text"] for r in responses]
    assert headers == [f"A Long Report ({i}/{total})" for i in range(1, total + 1)]
    assert [r.via for r in responses] == ["ack"] + ["response_url"] * (total - 1)
    text = " ".join(t for r in responses for t in sections_of(r))
    assert all(f"Sentence {n} tells" in text for n in range(160))
    assert "craft &amp; care" in text
    slack.assert_no_violations()


# ---------------------------------------------------------------- HTTP mode


async def test_http_mode_verifies_signatures(slack: FakeSlack, library: ChannelArticles) -> None:
    env = {"SLACK_MODE": "http", "SLACK_SIGNING_SECRET": slack.signing_secret}
    async with running(slack, library, **env) as adapter:
        url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
        ok = await slack.asend_http_slash_command(url, "2")
        [post] = await slack.await_responses(1)
        bad = await slack.asend_http_slash_command(url, "3", bad_signature=True)
        stale = await slack.asend_http_slash_command(url, "3", stale=True)
        wrong = await slack.asend_http_slash_command(url, "3", signing_secret="not-the-secret")
    assert (ok.status, ok.late) == (200, False)
    assert (bad.status, stale.status, wrong.status) == (401, 401, 401)
    assert post.response_type == "in_channel" and sections_of(post)[0].startswith("*2. ")
    assert len(slack.responses) == 1
    assert not slack.calls_to("apps.connections.open")
    slack.assert_no_violations()


@pytest.mark.parametrize("timestamp", ["not-a-number", "", "12.5", "-1", "1" * 40, "١٢٣"])
async def test_http_mode_refuses_a_malformed_timestamp_quietly(
    slack: FakeSlack, library: ChannelArticles, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    env = {"SLACK_MODE": "http", "SLACK_SIGNING_SECRET": slack.signing_secret}
    async with running(slack, library, **env) as adapter:
        url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
        refused = await slack.asend_http_slash_command(url, "2", timestamp=timestamp)
        ok = await slack.asend_http_slash_command(url, "2")
    assert (refused.status, ok.status) == (401, 200)
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert len(slack.responses) == 1


# ---------------------------------------------------------------- start-up and secrets


@pytest.mark.parametrize(
    ("revoked", "variable"), [(BOT_TOKEN, "SLACK_BOT_TOKEN"), (APP_TOKEN, "SLACK_APP_TOKEN")]
)
async def test_a_refused_token_stops_start_up_naming_it(
    slack: FakeSlack, library: ChannelArticles, revoked: str, variable: str
) -> None:
    slack.revoke(revoked)
    dispatcher = Dispatcher(library)
    adapter = SlackAdapter(slack_settings(slack), dispatcher, ping_interval=0.5)
    try:
        with pytest.raises(ConfigError, match=variable) as error:
            await asyncio.wait_for(adapter.run(asyncio.Event()), timeout=10)
    finally:
        dispatcher.close()
    assert revoked not in str(error.value)
    assert slack.open_connection_count == 0


async def test_tokens_never_reach_the_logs(
    slack: FakeSlack, library: ChannelArticles, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running(slack, library):
        await command(slack, "2", 1)
        await slack.await_ack(await slack.asend_im("help"))
        await slack.await_messages(1)
        await slack.asend_disconnect()
        await slack.await_connections(2)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "slack" in logged
    for secret in (BOT_TOKEN, APP_TOKEN, slack.signing_secret):
        assert secret not in logged


# ---------------------------------------------------------------- events in, manifest


def test_events_become_commands_for_the_core() -> None:
    mention = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "9.1"}
    found = from_mention({**mention, "text": "<@U0BOT|summary-bot> a &lt;b&gt; &amp;amp;"}, "U0BOT")
    assert found is not None
    assert (found.command, found.thread_ts, found.direct) == (
        read_command("a <b> &amp;"),
        "9.1",
        False,
    )
    assert found.request == Request("C1", "U1", platform="slack")
    assert strip_mention("<@U0BOT> <@U2> hi <@U0BOT>", "U0BOT") == "<@U2> hi"
    assert strip_mention("<@U0BOT> hi", None) == "hi"
    dm = {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "ts": "9.2"}
    assert from_direct_message({**dm, "text": "2"}, "U0BOT") == Incoming(
        PickSection("2", 2), Request("D1", "U1", platform="slack"), None, True
    )
    assert from_direct_message({**dm, "channel_type": "channel", "text": "2"}, "U0BOT") is None
    assert from_direct_message({**dm, "subtype": "message_deleted"}, "U0BOT") is None
    assert from_direct_message({**dm, "user": "U0BOT", "text": "2"}, "U0BOT") is None
    assert from_mention({**mention, "bot_profile": {"id": "B9"}, "text": "hi"}, "U0BOT") is None
    command = {"text": "what &lt;!here&gt; said", "channel_id": "C3", "user_id": "U4"}
    assert from_command(command) == Incoming(
        read_command("what <!here> said"), Request("C3", "U4", platform="slack")
    )
    assert from_command({**command, "text": "help"}).command == Help()
    assert isinstance(from_command({**command, "text": "use"}).command, Invalid)


def manifest_list(text: str, key: str) -> set[str]:
    block = re.search(rf"^(\s*){key}:\n((?:\1\s+- .*\n)+)", text, re.MULTILINE)
    assert block is not None, key
    return {line.strip()[2:] for line in block.group(2).splitlines()}


def test_manifest_asks_for_only_what_the_bot_uses() -> None:
    text = (ROOT / "slack-manifest.yml").read_text(encoding="utf-8")
    assert manifest_list(text, "bot") == {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "users:read",
    }
    assert manifest_list(text, "bot_events") == {"app_mention", "message.im"}
    assert re.search(r"^\s*- command: /summary$", text, re.MULTILINE)
    assert re.search(r"^  socket_mode_enabled: true$", text, re.MULTILINE)
    assert not re.search(r"^\s+user:$", text, re.MULTILINE)  # no user-token scopes


def test_readme_has_the_slack_set_up() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- slack-setup -->", 1)[1].split("\n## ", 1)[0]
    for needed in (
        "slack-manifest.yml",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "connections:write",
        "SLACK_MODE=http",
        "SLACK_SIGNING_SECRET",
        "/slack/events",
        "summary-bot",
    ):
        assert needed in section, needed

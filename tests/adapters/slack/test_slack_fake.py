"""The fake Slack works with the real slack_sdk / slack_bolt clients (no mocks)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fakes.slack_fake import FakeSlack
from tests.fakes.slack_limits import check_message, find_live_markup
from tests.fakes.slack_signing import form_body, sign, signed_headers


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def web_client(slack: FakeSlack, **kwargs: Any) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, **kwargs)


@pytest.fixture
async def socket_client(slack: FakeSlack) -> AsyncIterator[tuple[SocketModeClient, list[Any]]]:
    """A real aiohttp SocketModeClient that acks every request with a short text."""
    received: list[SocketModeRequest] = []

    async def listener(client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        await client.send_socket_mode_response(
            SocketModeResponse(envelope_id=req.envelope_id, payload={"text": "On it"})
        )

    client = SocketModeClient(
        app_token=slack.app_token,
        web_client=AsyncWebClient(base_url=slack.api_url),
        ping_interval=0.5,
    )
    client.socket_mode_request_listeners.append(listener)
    await client.connect()
    try:
        yield client, received
    finally:
        await client.close()


# ---------------------------------------------------------------- Web API


async def test_valid_message_is_recorded(slack: FakeSlack) -> None:
    client = web_client(slack)
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Summary"}}, section("*A*")]
    resp = await client.chat_postMessage(
        channel="C1", text="Summary", blocks=blocks, thread_ts="1.2"
    )

    assert resp["ok"] is True
    assert resp["channel"] == "C1"
    [msg] = slack.messages
    assert (msg.method, msg.channel, msg.text, msg.thread_ts) == (
        "chat.postMessage",
        "C1",
        "Summary",
        "1.2",
    )
    assert msg.blocks == blocks
    assert msg.ts == resp["ts"]
    [call] = slack.calls
    assert call.token == slack.bot_token
    assert call.args["channel"] == "C1"

    updated = await client.chat_update(channel="C1", ts=resp["ts"], text="Summary v2")
    assert updated["ok"] is True
    state = slack.current_message("C1", resp["ts"])
    assert state is not None and state["text"] == "Summary v2"
    eph = await client.chat_postEphemeral(channel="C1", user="U1", text="just you")
    assert eph["message_ts"]
    assert [m.method for m in slack.messages] == [
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
    ]
    assert slack.messages[-1].user == "U1"
    slack.assert_no_violations()


async def test_lookups_and_auth_test(slack: FakeSlack) -> None:
    client = web_client(slack)
    auth = await client.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == (
        slack.bot_user_id,
        slack.bot_id,
        slack.team_id,
    )
    slack.set_user("U7", tz="Asia/Tokyo", real_name="Kei")
    user = await client.users_info(user="U7")
    assert (user["user"]["tz"], user["user"]["real_name"]) == ("Asia/Tokyo", "Kei")
    channel = await client.conversations_info(channel="D1")
    assert channel["channel"]["is_im"] is True
    with pytest.raises(SlackApiError) as err:
        await client.users_info(user="nobody")
    assert err.value.response["error"] == "user_not_found"
    # users.info is a GET with query args; the fake records them like form/JSON args.
    assert slack.calls_to("users.info")[0].http_method == "GET"
    assert slack.calls_to("users.info")[0].args == {"user": "U7"}


async def test_invalid_blocks_raise_and_are_recorded(slack: FakeSlack) -> None:
    client = web_client(slack)
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C1", text="t", blocks=[section("x")] * 51)
    assert err.value.response["error"] == "invalid_blocks"
    assert slack.messages == []
    [violation] = slack.violations
    assert violation.kind == "invalid_blocks"
    assert "51 blocks, limit 50" in violation.detail

    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C1", text="x" * 40_001)
    assert err.value.response["error"] == "msg_too_long"
    assert [v.kind for v in slack.violations] == ["invalid_blocks", "msg_too_long"]


def test_block_limits() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    assert check_message({"text": "t", "blocks": [header]}).error == "invalid_blocks"
    mrkdwn_header = {"type": "header", "text": {"type": "mrkdwn", "text": "h"}}
    assert check_message({"text": "t", "blocks": [mrkdwn_header]}).error == "invalid_blocks"
    assert check_message({"text": "t", "blocks": [section("s" * 3000)]}).ok
    assert check_message({"text": "t", "blocks": [section("s" * 3001)]}).error == "invalid_blocks"
    field = {"type": "mrkdwn", "text": "f"}
    fields_ok = {"type": "section", "fields": [field] * 10}
    assert check_message({"text": "t", "blocks": [fields_ok]}).ok
    too_many = {"type": "section", "fields": [field] * 11}
    assert check_message({"text": "t", "blocks": [too_many]}).error == "invalid_blocks"
    long_field = {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}
    assert check_message({"text": "t", "blocks": [long_field]}).error == "invalid_blocks"
    context = {"type": "context", "elements": [field] * 11}
    assert check_message({"text": "t", "blocks": [context]}).error == "invalid_blocks"
    assert check_message({"text": "t", "blocks": [section("")]}).error == "invalid_blocks"
    assert check_message({"text": "t", "blocks": [{"type": "bogus"}]}).error == "invalid_blocks"
    assert check_message({"text": "t", "blocks": "[not json"}).error == "invalid_blocks_format"
    assert check_message({"channel": "C1"}).error == "no_text"
    assert check_message({"blocks": [section("only blocks")]}).ok
    assert find_live_markup("a <!channel> b &lt;!here&gt; <@U1> <https://x.y|x>") == [
        "<!channel>",
        "<@U1>",
        "<https://x.y|x>",
    ]


async def test_rate_limit_is_retried_by_sdk_handler(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    client = web_client(slack, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])
    resp = await client.chat_postMessage(channel="C1", text="after a retry")

    assert resp["ok"] is True
    first, second = slack.calls_to("chat.postMessage")
    assert (first.status, first.error) == (429, "ratelimited")
    assert second.ok
    assert second.at - first.at >= 1.0  # the handler honoured Retry-After
    assert [m.text for m in slack.messages] == ["after a retry"]
    slack.assert_no_violations()


async def test_rate_limit_without_handler_surfaces(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as err:
        await web_client(slack).chat_postMessage(channel="C1", text="x")
    assert err.value.response.status_code == 429
    assert err.value.response["error"] == "ratelimited"
    assert err.value.response.headers["Retry-After"] == "7"


async def test_server_error_is_retried(slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", status=503, times=1)
    client = web_client(slack, retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1)])
    resp = await client.chat_postMessage(channel="C1", text="eventually")
    assert resp["ok"] is True
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [503, 200]


async def test_tokens(slack: FakeSlack) -> None:
    assert (await web_client(slack).auth_test())["ok"] is True
    with pytest.raises(SlackApiError) as err:
        await AsyncWebClient(base_url=slack.api_url).apps_connections_open(
            app_token=slack.bot_token
        )
    assert err.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as err:
        await AsyncWebClient(token=slack.bot_token, base_url=slack.api_url).api_call("no.such")
    assert err.value.response["error"] == "unknown_method"
    slack.revoke(slack.bot_token)
    with pytest.raises(SlackApiError) as err:
        await web_client(slack).auth_test()
    assert err.value.response["error"] == "token_revoked"
    with pytest.raises(SlackApiError) as err:
        await AsyncWebClient(token="xoxb-unknown", base_url=slack.api_url).auth_test()
    assert err.value.response["error"] == "invalid_auth"
    assert {v.kind for v in slack.violations} == {"not_allowed_token_type", "unknown_method"}


# ---------------------------------------------------------------- response_url


async def test_response_url_accepts_five_posts_then_refuses(slack: FakeSlack) -> None:
    url = slack.new_response_url()
    assert url.startswith(f"{slack.base_url}/respond/")
    hook = AsyncWebhookClient(url)
    for i in range(5):
        resp = await hook.send(
            text=f"part {i}", response_type="in_channel" if i else None, replace_original=i == 4
        )
        assert resp.status_code == 200, resp.body
    sixth = await hook.send(text="one too many")

    assert sixth.status_code == 404
    assert "used_url" in sixth.body
    posts = slack.responses
    assert [p.text for p in posts] == [f"part {i}" for i in range(5)] + ["one too many"]
    assert [p.accepted for p in posts] == [True] * 5 + [False]
    assert [p.index for p in posts[:5]] == [1, 2, 3, 4, 5]
    assert posts[0].response_type == "ephemeral"
    assert posts[1].response_type == "in_channel"
    assert posts[4].replace_original is True
    assert [v.kind for v in slack.violations] == ["used_url"]


async def test_response_url_validation_and_expiry(slack: FakeSlack) -> None:
    url = slack.new_response_url()
    hook = AsyncWebhookClient(url)
    bad = await hook.send(text="t", blocks=[section("x" * 3001)])
    assert bad.status_code == 400 and "invalid_blocks" in bad.body
    ok = await hook.send_dict({"text": "t", "blocks": [section("fine")], "thread_ts": "9.9"})
    assert ok.status_code == 200
    assert slack.responses[-1].thread_ts == "9.9"
    assert slack.responses[-1].blocks == [section("fine")]
    slack.expire_response_url(url)
    late = await hook.send(text="too late")
    assert late.status_code == 404 and "expired_url" in late.body
    assert [v.kind for v in slack.violations] == ["invalid_blocks", "expired_url"]


# ---------------------------------------------------------------- Socket Mode


async def test_socket_mode_slash_command_ack_and_reconnects(
    slack: FakeSlack, socket_client: tuple[SocketModeClient, list[SocketModeRequest]]
) -> None:
    _, received = socket_client
    await slack.await_connections(1)
    assert slack.calls_to("apps.connections.open")[0].token == slack.app_token

    env_id = await slack.asend_slash_command("https://example.com/article", user_id="U9")
    ack = await slack.await_ack(env_id)
    assert ack.via == "socket" and ack.type == "slash_commands"
    assert ack.payload == {"text": "On it"}
    assert ack.latency is not None and 0 <= ack.latency < slack.ack_deadline
    assert not ack.late
    [req] = received
    assert req.type == "slash_commands" and req.envelope_id == env_id
    assert req.payload["text"] == "https://example.com/article"
    assert req.payload["user_id"] == "U9"
    assert req.payload["command"] == "/summary"
    assert req.payload["response_url"].startswith(f"{slack.base_url}/respond/")

    # Slack asks for a refresh: the client fetches a new URL and reconnects.
    assert await slack.asend_disconnect() == 1
    await slack.await_connections(2)
    env2 = await slack.asend_slash_command("second")
    assert (await slack.await_ack(env2)).payload == {"text": "On it"}

    # The socket dies without a close frame: the client's monitor notices and reconnects.
    assert await slack.adrop_connections() == 1
    await slack.await_connections(3)
    env3 = await slack.asend_slash_command("third")
    await slack.await_ack(env3)
    assert [r.payload["text"] for r in received] == [
        "https://example.com/article",
        "second",
        "third",
    ]
    assert len(slack.calls_to("apps.connections.open")) >= 3
    assert slack.envelopes[-1].connection_id == 3
    slack.assert_no_violations()


async def test_socket_mode_client_waits_out_rate_limited_connections_open(
    slack: FakeSlack,
) -> None:
    slack.fail_next("apps.connections.open", status=429, retry_after=1)
    client = SocketModeClient(
        app_token=slack.app_token, web_client=AsyncWebClient(base_url=slack.api_url)
    )
    await client.connect()
    try:
        await slack.await_connections(1)
    finally:
        await client.close()
    first, second = slack.calls_to("apps.connections.open")
    assert (first.status, first.error, second.ok) == (429, "ratelimited", True)
    assert second.at - first.at >= 1.0


async def test_socket_mode_events(
    slack: FakeSlack, socket_client: tuple[SocketModeClient, list[SocketModeRequest]]
) -> None:
    _, received = socket_client
    mention = await slack.asend_app_mention("summarize this", thread_ts="5.5")
    dm = await slack.asend_im("hello bot")
    own = await slack.asend_own_bot_message("my own reply")
    for env_id in (mention, dm, own):
        await slack.await_ack(env_id)
    events = [r.payload["event"] for r in received]
    assert all(r.type == "events_api" for r in received)
    assert received[0].payload["type"] == "event_callback"
    assert received[0].retry_attempt == 0
    assert events[0]["type"] == "app_mention"
    assert events[0]["text"] == f"<@{slack.bot_user_id}> summarize this"
    assert events[0]["thread_ts"] == "5.5"
    assert (events[1]["type"], events[1]["channel_type"], events[1]["text"]) == (
        "message",
        "im",
        "hello bot",
    )
    assert events[2]["bot_id"] == slack.bot_id
    # Our listener acks events with a payload, which Slack cannot use for events_api.
    assert {v.kind for v in slack.violations} == {"unexpected_ack_payload"}


async def test_missed_ack_deadline_is_recorded_even_when_bot_loop_blocks() -> None:
    with FakeSlack(ack_deadline=0.3) as slack:

        async def slow_listener(client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
            time.sleep(0.6)  # blocks the bot's loop, as a careless handler would
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))

        client = SocketModeClient(
            app_token=slack.app_token, web_client=AsyncWebClient(base_url=slack.api_url)
        )
        client.socket_mode_request_listeners.append(slow_listener)
        await client.connect()
        try:
            env_id = await slack.asend_slash_command("slow")
            ack = await slack.await_ack(env_id)
        finally:
            await client.close()
        assert ack.late is True
        assert ack.latency is not None and ack.latency > slack.ack_deadline
        kinds = [v.kind for v in slack.violations]
        assert kinds == ["ack_timeout"]
        assert slack.violations[0].context["envelope_id"] == env_id


# ---------------------------------------------------------------- Bolt


async def test_bolt_socket_mode_app(slack: FakeSlack) -> None:
    app = AsyncApp(
        client=AsyncWebClient(token=slack.bot_token, base_url=slack.api_url),
        signing_secret=slack.signing_secret,
    )
    mentions: list[str] = []

    @app.command("/summary")
    async def summary(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack("Working on it")
        await respond(text=f"Summary of {command['text']}", response_type="in_channel")

    @app.event("app_mention")
    async def mention(event: dict[str, Any], say: AsyncSay) -> None:
        mentions.append(event["text"])
        await say(text="hi", thread_ts=event.get("thread_ts") or event["ts"])

    @app.event("message")
    async def message(event: dict[str, Any], say: AsyncSay) -> None:
        await say(text=f"dm: {event['text']}")

    handler = AsyncSocketModeHandler(app, slack.app_token, ping_interval=0.5)
    await handler.connect_async()
    try:
        env_id = await slack.asend_slash_command("https://example.com/a")
        ack = await slack.await_ack(env_id)
        assert ack.payload == {"text": "Working on it"}
        responses = await slack.await_responses(2)
        [in_ack] = [r for r in responses if r.via == "ack"]
        [post] = [r for r in responses if r.via == "response_url"]
        assert (in_ack.text, in_ack.index, in_ack.url) == ("Working on it", 0, post.url)
        assert (post.text, post.response_type, post.accepted) == (
            "Summary of https://example.com/a",
            "in_channel",
            True,
        )

        await slack.await_ack(await slack.asend_app_mention("go", thread_ts="7.7"))
        [reply] = await slack.await_messages(1)
        assert (reply.channel, reply.thread_ts, reply.text) == ("C1", "7.7", "hi")

        # Bolt drops the bot's own message (matching bot_id from auth.test) but still acks it.
        await slack.await_ack(await slack.asend_own_bot_message("echo"))
        await slack.await_ack(await slack.asend_im("real dm"))
        messages = await slack.await_messages(2)
        assert [m.text for m in messages] == ["hi", "dm: real dm"]
    finally:
        await handler.close_async()
    assert mentions == [f"<@{slack.bot_user_id}> go"]
    slack.assert_no_violations()


async def test_bolt_http_mode_signed_requests(slack: FakeSlack) -> None:
    app = AsyncApp(
        client=AsyncWebClient(token=slack.bot_token, base_url=slack.api_url),
        signing_secret=slack.signing_secret,
    )

    @app.command("/summary")
    async def summary(ack: AsyncAck, respond: AsyncRespond) -> None:
        await ack()
        await respond(text="done")

    runner = web.AppRunner(app.web_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        ok = await slack.asend_http_slash_command(url, "https://example.com/b")
        assert (ok.status, ok.via, ok.late, ok.payload) == (200, "http", False, None)
        [post] = await slack.await_responses(1)
        assert post.text == "done"
        bad = await slack.asend_http_slash_command(url, "x", bad_signature=True)
        stale = await slack.asend_http_slash_command(url, "x", stale=True)
        assert (bad.status, stale.status) == (401, 401)
    finally:
        await runner.cleanup()
    await asyncio.sleep(0)
    assert len(slack.responses) == 1
    slack.assert_no_violations()


def test_signing_matches_slack_sdk_verifier() -> None:
    body = form_body({"command": "/summary", "text": "a b&c"})
    now = int(time.time())
    headers = signed_headers("s3cret", body, timestamp=now)
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    assert headers["X-Slack-Signature"] == sign("s3cret", body.encode(), now)
    stale = signed_headers("s3cret", body, timestamp=now, stale=True)
    assert not verifier.is_valid(
        body, stale["X-Slack-Request-Timestamp"], stale["X-Slack-Signature"]
    )
    bad = signed_headers("s3cret", body, timestamp=now, bad_signature=True)
    assert not verifier.is_valid(body, bad["X-Slack-Request-Timestamp"], bad["X-Slack-Signature"])

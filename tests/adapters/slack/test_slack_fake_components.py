"""The fake Slack's Block Kit actions: real Bolt apps answer clicks through it (Socket Mode
and HTTP mode, ``respond`` and ``chat.update``), and each element limit is a violation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fakes.slack_board import find_action
from tests.fakes.slack_fake import FakeSlack


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def web_client(slack: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)


def button(text: str, action_id: str, value: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
    }
    if value is not None:
        element["value"] = value
    return element


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def menu(count: int = 5, **extra: Any) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": "open",
        "placeholder": {"type": "plain_text", "text": "Open a section"},
        "options": [option(f"Section {n}", str(n)) for n in range(1, count + 1)],
        **extra,
    }


def section_view(n: int) -> list[dict[str, Any]]:
    """Section n with "Next" (and "Ask" for a side question) below it."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"Section {n}"}},
        {
            "type": "actions",
            "block_id": f"nav-{n}",
            "elements": [button("Next", "next", str(n + 1)), button("Ask", "ask", str(n))],
        },
    ]


def bolt_app(slack: FakeSlack) -> AsyncApp:
    app = AsyncApp(client=web_client(slack), signing_secret=slack.signing_secret)

    @app.command("/summary")
    async def summary(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack()
        n = int(command["text"])
        await respond(text=f"Section {n}", blocks=section_view(n), response_type="in_channel")

    @app.action("next")
    async def next_section(ack: AsyncAck, respond: AsyncRespond, action: dict[str, Any]) -> None:
        await ack()
        n = int(action["value"])
        await respond(text=f"Section {n}", blocks=section_view(n), replace_original=True)

    @app.action("ask")
    async def ask(ack: AsyncAck, respond: AsyncRespond, body: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"Only for {body['user']['id']}", response_type="ephemeral")

    @app.action("open")
    async def open_section(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        chosen = body["actions"][0]["selected_option"]["value"]
        await client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"Section {chosen}",
            blocks=section_view(int(chosen)),
        )

    return app


@pytest.fixture
async def socket_app(slack: FakeSlack) -> AsyncIterator[AsyncApp]:
    app = bolt_app(slack)
    handler = AsyncSocketModeHandler(app, slack.app_token, ping_interval=0.5)
    await handler.connect_async()
    try:
        yield app
    finally:
        await handler.close_async()


async def test_next_replaces_the_message_through_response_url(
    slack: FakeSlack, socket_app: AsyncApp
) -> None:
    await slack.await_ack(await slack.asend_slash_command("2"))
    [reply] = await slack.await_responses(1)
    assert (reply.channel, reply.response_type) == ("C1", "in_channel")
    assert reply.message_ts is not None
    shown = slack.message_at("C1", reply.message_ts)
    assert shown is not None and not shown.ephemeral and shown.text == "Section 2"

    env_id = await slack.asend_block_action("C1", reply.message_ts, "Next", user_id="U1")
    ack = await slack.await_ack(env_id)
    assert ack.type == "interactive" and not ack.late
    now = await slack.await_message_version("C1", reply.message_ts)
    assert now.text == "Section 3"
    assert [v.text for v in now.versions] == ["Section 2", "Section 3"]
    assert find_action(now.blocks, "Next").value == "4"
    [post] = slack.responses_to(env_id)
    assert (post.replace_original, post.message_ts) == (True, reply.message_ts)

    payload = slack.envelopes[-1].payload
    assert payload["type"] == "block_actions"
    assert payload["container"] == {
        "type": "message",
        "message_ts": reply.message_ts,
        "channel_id": "C1",
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == reply.message_ts
    assert payload["message"]["blocks"][1]["block_id"] == "nav-2"
    [action] = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"]) == ("next", "nav-2", "3")
    assert action["type"] == "button" and action["text"]["text"] == "Next"
    assert payload["user"]["id"] == "U1" and payload["trigger_id"]
    slack.assert_no_violations()


async def test_a_second_user_sees_an_ephemeral_answer_and_the_message_stays(
    slack: FakeSlack, socket_app: AsyncApp
) -> None:
    await slack.await_ack(await slack.asend_slash_command("2", user_id="U1"))
    [reply] = await slack.await_responses(1)
    assert reply.message_ts is not None
    env_id = await slack.asend_block_action("C1", reply.message_ts, "Ask", user_id="U2")
    await slack.await_ack(env_id)
    [post] = await asyncio.to_thread(lambda: slack.wait_responses(2) and slack.responses_to(env_id))
    assert post.message_ts is not None and post.message_ts != reply.message_ts

    whisper = slack.message_at("C1", post.message_ts)
    assert whisper is not None and whisper.ephemeral and whisper.visible_to == "U2"
    assert whisper.text == "Only for U2"
    assert [m.text for m in slack.seen_by("U2", "C1")] == ["Section 2", "Only for U2"]
    assert [m.text for m in slack.seen_by("U1", "C1")] == ["Section 2"]
    original = slack.message_at("C1", reply.message_ts)
    assert original is not None and not original.edited
    slack.assert_no_violations()


async def test_a_click_after_the_app_restarts_reaches_the_new_connection(
    slack: FakeSlack,
) -> None:
    first = AsyncSocketModeHandler(bolt_app(slack), slack.app_token, ping_interval=0.5)
    await first.connect_async()
    try:
        await slack.await_ack(await slack.asend_slash_command("5"))
        [reply] = await slack.await_responses(1)
    finally:
        await first.close_async()
    assert reply.message_ts is not None
    second = AsyncSocketModeHandler(bolt_app(slack), slack.app_token, ping_interval=0.5)
    await second.connect_async()
    try:
        await slack.await_connections(2)
        env_id = await slack.asend_block_action("C1", reply.message_ts, "Next")
        ack = await slack.await_ack(env_id)
        now = await slack.await_message_version("C1", reply.message_ts)
    finally:
        await second.close_async()
    assert ack.connection_id == 2 and now.text == "Section 6"
    slack.assert_no_violations()


async def test_menu_choice_over_http_mode_updates_with_chat_update(slack: FakeSlack) -> None:
    app = bolt_app(slack)
    runner = web.AppRunner(app.web_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    try:
        blocks = [{"type": "actions", "elements": [menu()]}]
        posted = await web_client(slack).chat_postMessage(
            channel="C1", text="Overview", blocks=blocks
        )
        ts = posted["ts"]
        found = slack.find_action("C1", ts, "Section 4")
        assert (found.action_id, found.type, found.value) == ("open", "static_select", "4")
        assert found.block_id  # generated by the fake, as Slack does

        ack = await slack.asend_http_block_action(url, "C1", ts, "Section 4", user_id="U1")
        assert (ack.status, ack.via, ack.type, ack.late) == (200, "http", "interactive", False)
        now = await slack.await_message_version("C1", ts)
        assert now.text == "Section 4" and now.versions[-1].via == "chat.update"
        assert (slack.current_message("C1", ts) or {}).get("text") == "Section 4"
        update = slack.calls_to("chat.update")[0]
        assert (update.args["channel"], update.args["ts"]) == ("C1", ts)
        forged = {"action_id": "open", "type": "static_select"}
        bad = await slack.asend_http_block_action(url, "C1", ts, action=forged, bad_signature=True)
        stale = await slack.asend_http_block_action(url, "C1", ts, action=forged, stale=True)
        assert (bad.status, stale.status) == (401, 401)
    finally:
        await runner.cleanup()
    final = slack.message_at("C1", ts)
    assert final is not None and final.text == "Section 4"
    slack.assert_no_violations()


async def test_response_url_and_chat_update_rules(slack: FakeSlack) -> None:
    """chat.update reaches only the bot's in-channel messages; a click's response_url
    takes 5 posts; delete_original deletes; a slow ack is a violation."""
    client = web_client(slack)
    eph = await client.chat_postEphemeral(channel="C1", user="U1", text="e", blocks=section_view(1))
    with pytest.raises(SlackApiError, match="message_not_found"):
        await client.chat_update(channel="C1", ts=eph["message_ts"], text="x")

    posted = await client.chat_postMessage(channel="C1", text="p", blocks=section_view(1))
    payload = slack.block_actions_payload("C1", posted["ts"], "Next", user_id="U1")
    assert payload["actions"][0]["value"] == "2"
    eph_click = slack.block_actions_payload("C1", eph["message_ts"], "Next")
    assert eph_click["container"]["is_ephemeral"] is True and "message" not in eph_click

    hook = AsyncWebhookClient(payload["response_url"])
    for n in range(5):
        sent = await hook.send(text=f"reply {n}", replace_original=True)
        assert sent.status_code == 200
    assert (await hook.send(text="6th")).status_code == 404
    shown = slack.message_at("C1", posted["ts"])
    assert shown is not None and shown.text == "reply 4" and len(shown.versions) == 6

    gone = slack.block_actions_payload("C1", posted["ts"], action={"action_id": "x"})
    deleted = await AsyncWebhookClient(gone["response_url"]).send(delete_original=True)
    assert deleted.status_code == 200
    deleted_now = slack.message_at("C1", posted["ts"])
    assert deleted_now is not None and deleted_now.deleted and deleted_now.text is None
    assert slack.current_message("C1", posted["ts"]) is None
    assert [v.kind for v in slack.violations] == ["message_not_found", "used_url"]


async def test_a_late_ack_of_a_click_is_a_violation(slack: FakeSlack) -> None:
    slack.ack_deadline = 0.2
    app = AsyncApp(client=web_client(slack), signing_secret=slack.signing_secret)

    @app.action("next")
    async def slow(ack: AsyncAck) -> None:
        await asyncio.sleep(0.5)
        await ack()

    posted = await web_client(slack).chat_postMessage(
        channel="C1", text="p", blocks=section_view(1)
    )
    handler = AsyncSocketModeHandler(app, slack.app_token, ping_interval=0.5)
    await handler.connect_async()
    try:
        env_id = await slack.asend_block_action("C1", posted["ts"], "Next")
        ack = await slack.await_ack(env_id)
    finally:
        await handler.close_async()
    assert ack.late
    assert [v.kind for v in slack.violations] == ["ack_timeout"]


# ------------------------------------------------------------------ limits


def actions(*elements: dict[str, Any], block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


TOO_MUCH: dict[str, tuple[list[dict[str, Any]], str]] = {
    "26 elements": ([actions(*(button("b", f"a{n}") for n in range(26)))], "elements: 26"),
    "button text of 76": ([actions(button("t" * 76, "a"))], "elements[0].text: text is 76"),
    "action_id of 256": ([actions(button("b", "a" * 256))], "elements[0].action_id: 256"),
    "value of 2001": ([actions(button("b", "a", "v" * 2001))], "elements[0].value: 2001"),
    "101 options": ([actions(menu(101))], "elements[0].options: 101 options"),
    "option text of 76": (
        [actions(menu(1, options=[option("o" * 76, "1")]))],
        "elements[0].options[0].text: text is 76",
    ),
    "option value of 151": (
        [actions(menu(1, options=[option("o", "v" * 151)]))],
        "elements[0].options[0].value: 151",
    ),
    "placeholder of 151": (
        [actions(menu(1, placeholder={"type": "plain_text", "text": "p" * 151}))],
        "elements[0].placeholder: text is 151",
    ),
    "options and option_groups": (
        [actions(menu(1, option_groups=[{"label": {"type": "plain_text", "text": "g"}}]))],
        "needs exactly one of options and option_groups",
    ),
    "101 options in a group": (
        [
            actions(
                {
                    "type": "static_select",
                    "action_id": "g",
                    "option_groups": [
                        {
                            "label": {"type": "plain_text", "text": "g"},
                            "options": [option(str(n), str(n)) for n in range(101)],
                        }
                    ],
                }
            )
        ],
        "option_groups[0].options: 101 options",
    ),
    "block_id of 256": ([actions(button("b", "a"), block_id="x" * 256)], "block_id"),
    "51 blocks": ([actions(button("b", "a")) for _ in range(51)], "blocks: 51 blocks"),
    "duplicate action_id": ([actions(button("b", "a"), button("c", "a"))], "duplicate 'a'"),
    "mrkdwn button text": (
        [actions({**button("b", "a"), "text": {"type": "mrkdwn", "text": "b"}})],
        "must be a plain_text object",
    ),
}


@pytest.mark.parametrize("case", sorted(TOO_MUCH))
async def test_each_element_limit_is_a_violation(slack: FakeSlack, case: str) -> None:
    blocks, problem = TOO_MUCH[case]
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        await web_client(slack).chat_postMessage(channel="C1", text="t", blocks=blocks)
    [violation] = slack.violations
    assert violation.kind == "invalid_blocks"
    assert problem in violation.detail, violation.detail


async def test_elements_at_the_limits_are_accepted(slack: FakeSlack) -> None:
    buttons = [button("t" * 75, f"{n}" + "a" * 250, "v" * 2000) for n in range(24)]
    options = [option("o" * 75, f"{n:03d}" + "v" * 147) for n in range(100)]
    long_menu = menu(1, options=options, placeholder={"type": "plain_text", "text": "p" * 150})
    blocks = [actions(*buttons, long_menu, block_id="x" * 255)]
    blocks += [{"type": "divider"} for _ in range(49)]
    posted = await web_client(slack).chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert posted["ok"]
    slack.assert_no_violations()
    assert slack.find_action("C1", posted["ts"], "o" * 75).value == "000" + "v" * 147


async def test_clicks_from_many_users_at_once_are_each_acked_and_answered(
    slack: FakeSlack, socket_app: AsyncApp
) -> None:
    posted = await web_client(slack).chat_postMessage(
        channel="C1", text="p", blocks=section_view(1)
    )
    users = [f"U{n}" for n in range(10, 30)]
    env_ids = await asyncio.to_thread(slack.send_block_actions, "C1", posted["ts"], "Ask", users)
    acks = [await slack.await_ack(env_id) for env_id in env_ids]
    assert all(not ack.late for ack in acks)
    await slack.await_responses(len(users))
    for user, env_id in zip(users, env_ids, strict=True):
        [post] = slack.responses_to(env_id)
        assert post.text == f"Only for {user}"
        seen = [m.text for m in slack.seen_by(user, "C1")]
        assert seen == ["p", f"Only for {user}"]
    slack.assert_no_violations()

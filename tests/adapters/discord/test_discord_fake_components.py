"""The fake Discord's message components: real discord.py views and dynamic items click
through it, and every component limit it enforces shows up as a violation."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import discord
import pytest

from tests.fakes.discord_fake import FakeDiscord, find_component, point_discord_py_at

NO_PINGS = discord.AllowedMentions.none()
PAGES = 3


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(heartbeat_interval_ms=250) as server, point_discord_py_at(server):
        yield server


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"page:(?P<n>\d+)",
):
    """A button that carries its page in its custom_id, so it works after a restart."""

    def __init__(self, n: int, label: str) -> None:
        super().__init__(discord.ui.Button(label=label, custom_id=f"page:{n}"))
        self.n = n

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> PageButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match["n"]), label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content=f"Page {self.n}", view=pager(self.n))


def pager(n: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if n > 1:
        view.add_item(PageButton(n - 1, "Previous"))
    if n < PAGES:
        view.add_item(PageButton(n + 1, "Next"))
    return view


class SectionMenu(discord.ui.View):
    """A persistent string select whose choice is answered only to the one who chose."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        custom_id="open-section",
        placeholder="Open a section",
        options=[discord.SelectOption(label=f"Section {n}", value=str(n)) for n in range(1, 6)],
    )
    async def choose(
        self, interaction: discord.Interaction, select: discord.ui.Select[SectionMenu]
    ) -> None:
        await interaction.response.send_message(
            f"Opened section {select.values[0]}", ephemeral=True, allowed_mentions=NO_PINGS
        )


class SlowButton(discord.ui.View):
    """Defers the update (type 6), then edits the clicked message through @original."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Slow", custom_id="slow")
    async def slow(
        self, interaction: discord.Interaction, button: discord.ui.Button[SlowButton]
    ) -> None:
        await interaction.response.defer()
        await asyncio.sleep(0.05)
        await interaction.edit_original_response(content="Done slowly", view=None)


class QuickClient(discord.Client):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None

    async def setup_hook(self) -> None:
        self.add_dynamic_items(PageButton)
        self.add_view(SectionMenu())
        self.add_view(SlowButton())


@contextlib.asynccontextmanager
async def running_client(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    bot = QuickClient(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    ready = asyncio.Event()
    bot.event(_on_ready(ready))
    task = asyncio.create_task(bot.start(fake.token))
    try:
        async with asyncio.timeout(10):
            await ready.wait()
        yield bot
    finally:
        await asyncio.sleep(0.1)  # let a callback's last REST call finish
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)


@pytest.fixture
async def client(fake: FakeDiscord) -> AsyncIterator[discord.Client]:
    async with running_client(fake) as bot:
        yield bot


def _on_ready(ready: asyncio.Event) -> Any:
    async def on_ready() -> None:
        ready.set()

    return on_ready


async def send_with(client: discord.Client, fake: FakeDiscord, content: str, view: Any) -> int:
    channel = client.get_channel(fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send(content, view=view, allowed_mentions=NO_PINGS)
    return message.id


async def test_next_button_updates_the_message_in_place(
    fake: FakeDiscord, client: discord.Client
) -> None:
    message_id = await send_with(client, fake, "Page 1", pager(1))
    sent = fake.messages[-1]
    assert sent.components[0]["components"][0]["custom_id"] == "page:2"
    assert fake.find_component(message_id, "Next").custom_id == "page:2"

    interaction_id = fake.click(message_id, "Next")
    response = await fake.wait_for_interaction_response_async(interaction_id)
    assert response.accepted and response.type == 7 and response.latency < 3

    now = fake.message_now(message_id)
    assert now is not None and now["content"] == "Page 2"
    assert [c["label"] for c in now["components"][0]["components"]] == ["Previous", "Next"]
    history = fake.message_history(message_id)
    assert [v["content"] for v in history] == ["Page 1", "Page 2"]
    assert history[1]["edited_timestamp"] is not None

    payload = fake.interaction(interaction_id).payload
    assert payload["type"] == 3
    assert payload["data"] == {"custom_id": "page:2", "component_type": 2}
    assert payload["message"]["id"] == str(message_id)
    assert payload["message"]["components"] == sent.components
    assert payload["member"]["user"]["id"] == str(fake.human_id)
    assert payload["channel_id"] == str(fake.channel_id) and payload["version"] == 1

    second = fake.click(message_id, "Next")  # now on page 2, "Next" leads to page 3
    await fake.wait_for_interaction_response_async(second)
    assert fake.wait_for_message_version(message_id, 3)["content"] == "Page 3"
    assert "Next" not in str(fake.message_now(message_id))
    assert fake.violations == []


async def test_select_answers_only_the_chooser_and_leaves_the_message(
    fake: FakeDiscord, client: discord.Client
) -> None:
    message_id = await send_with(client, fake, "Overview", SectionMenu())
    found = fake.find_component(message_id, "Section 4")
    assert (found.custom_id, found.component_type, found.value) == ("open-section", 3, "4")
    other = fake.add_user("bob")

    interaction_id = fake.click(message_id, "Section 4", user_id=other)
    response = await fake.wait_for_interaction_response_async(interaction_id)
    assert response.accepted and response.type == 4
    reply = fake.messages_for(interaction_id)[0]
    assert reply.ephemeral and reply.content == "Opened section 4"
    data = fake.interaction(interaction_id).payload["data"]
    assert data == {"custom_id": "open-section", "component_type": 3, "values": ["4"]}
    assert fake.interaction(interaction_id).user_id == other
    assert len(fake.message_history(message_id)) == 1  # the overview did not change
    assert fake.violations == []


async def test_deferred_update_then_edit_original_changes_the_clicked_message(
    fake: FakeDiscord, client: discord.Client
) -> None:
    message_id = await send_with(client, fake, "Working", SlowButton())
    interaction_id = fake.click(message_id, "Slow")
    response = await fake.wait_for_interaction_response_async(interaction_id)
    assert response.accepted and response.type == 6
    now = await fake.wait_for_message_version_async(message_id, 2)
    assert now["content"] == "Done slowly" and now["components"] == []
    [edit] = fake.messages_for(interaction_id)
    assert (edit.kind, edit.message_id) == ("original_edit", message_id)
    assert fake.violations == []


async def test_a_dynamic_button_works_after_the_bot_restarts(fake: FakeDiscord) -> None:
    async with running_client(fake) as first:
        message_id = await send_with(first, fake, "Page 1", pager(1))
    async with running_client(fake):
        interaction_id = fake.click(message_id, "Next")
        response = await fake.wait_for_interaction_response_async(interaction_id)
        assert response.accepted and response.type == 7
    now = fake.message_now(message_id)
    assert now is not None and now["content"] == "Page 2"
    assert fake.identify_count == 2
    assert fake.violations == []


async def test_find_component_names_what_the_message_has() -> None:
    message = {"id": "1", "components": [{"type": 1, "components": [{"type": 2, "label": "A"}]}]}
    with pytest.raises(LookupError, match=r"\['A'\]"):
        find_component(message, "B")


# ------------------------------------------------------------------ limits


def button(custom_id: str, label: str = "Go") -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


def row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


def select(options: int = 3, **extra: Any) -> dict[str, Any]:
    opts = [{"label": f"Option {n}", "value": str(n)} for n in range(options)]
    return {"type": 3, "custom_id": "menu", "options": opts, **extra}


TOO_MUCH: dict[str, tuple[list[dict[str, Any]], str]] = {
    "six rows": ([row(button(f"b{n}")) for n in range(6)], "components"),
    "six buttons": ([row(*(button(f"b{n}") for n in range(6)))], "components.0.components"),
    "select beside a button": ([row(select(), button("b"))], "components.0.components"),
    "custom_id of 101": ([row(button("x" * 101))], "components.0.components.0.custom_id"),
    "label of 81": ([row(button("b", "L" * 81))], "components.0.components.0.label"),
    "26 options": ([row(select(26))], "components.0.components.0.options"),
    "option label of 101": (
        [row({**select(1), "options": [{"label": "L" * 101, "value": "v"}]})],
        "components.0.components.0.options.0.label",
    ),
    "option value of 101": (
        [row({**select(1), "options": [{"label": "L", "value": "v" * 101}]})],
        "components.0.components.0.options.0.value",
    ),
    "placeholder of 151": (
        [row(select(placeholder="p" * 151))],
        "components.0.components.0.placeholder",
    ),
    "duplicate custom_id": ([row(button("same"), button("same"))], "components.0.components.1"),
    "button without custom_id": (
        [row({"type": 2, "style": 1, "label": "Go"})],
        "components.0.components.0.custom_id",
    ),
}


async def post(fake: FakeDiscord, path: str, body: dict[str, Any], method: str = "POST") -> int:
    headers = {"Authorization": f"Bot {fake.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, f"{fake.api_url}{path}", json=body, headers=headers) as resp,
    ):
        return resp.status


@pytest.mark.parametrize("case", sorted(TOO_MUCH))
async def test_each_component_limit_is_a_violation(fake: FakeDiscord, case: str) -> None:
    components, where = TOO_MUCH[case]
    body = {"content": "x", "components": components}
    status = await post(fake, f"/channels/{fake.channel_id}/messages", body)
    assert status == 400
    [violation] = fake.violations
    assert violation.kind == "invalid_form_body"
    assert violation.detail.startswith(where), violation.detail


async def test_components_at_the_limits_are_accepted(fake: FakeDiscord) -> None:
    rows = [row(*(button(f"b{r}{n}", "L" * 80) for n in range(5))) for r in range(4)]
    rows.append(row(select(25, placeholder="p" * 150, custom_id="m" * 100)))
    body = {"content": "x", "components": rows}
    assert await post(fake, f"/channels/{fake.channel_id}/messages", body) == 200
    assert fake.violations == []
    assert fake.accepted_messages[0].components == rows


async def test_component_response_rules(fake: FakeDiscord, client: discord.Client) -> None:
    """Nobody handles "noop", so the test answers by hand: one response only, UPDATE only
    for components, no ephemeral flag flip, and not after 3 seconds."""
    body = {"content": "x", "components": [row(button("noop"))]}
    assert await post(fake, f"/channels/{fake.channel_id}/messages", body) == 200
    message_id = fake.accepted_messages[-1].message_id
    assert message_id is not None

    def callback_path(interaction_id: int) -> str:
        return f"/interactions/{interaction_id}/{fake.interaction(interaction_id).token}/callback"

    first = fake.send_component_interaction(message_id, "noop")
    flip = {"type": 7, "data": {"content": "y", "flags": 64}}
    assert await post(fake, callback_path(first), flip) == 400
    assert await post(fake, callback_path(first), {"type": 7, "data": {"content": "y"}}) == 204
    assert await post(fake, callback_path(first), {"type": 6}) == 400
    assert (fake.message_now(message_id) or {}).get("content") == "y"

    command = fake.send_slash_command("summary", {"section": "2"})
    assert await post(fake, callback_path(command), {"type": 7, "data": {"content": "z"}}) == 400

    fake.interaction_deadline = 0.2
    late = fake.send_component_interaction(message_id, "noop")
    await asyncio.sleep(0.3)
    assert await post(fake, callback_path(late), {"type": 6}) == 404

    ephemeral = {"content": "secret", "flags": 64}
    assert await post(fake, f"/channels/{fake.channel_id}/messages", ephemeral) == 200
    assert [v.kind for v in fake.violations] == [
        "ephemeral_flag_change",
        "duplicate_interaction_response",
        "invalid_callback_type",
        "late_interaction_response",
        "ephemeral_channel_message",
    ]


async def test_clicks_from_many_users_at_once(fake: FakeDiscord, client: discord.Client) -> None:
    message_id = await send_with(client, fake, "Overview", SectionMenu())
    users = [fake.add_user(f"reader{n}") for n in range(20)]
    ids = fake.send_component_interactions(
        message_id, "open-section", users, component_type=3, values=["2"]
    )
    for user, interaction_id in zip(users, ids, strict=True):
        response = await fake.wait_for_interaction_response_async(interaction_id)
        assert response.accepted and response.latency < 3
        assert fake.interaction(interaction_id).user_id == user
        assert fake.messages_for(interaction_id)[0].content == "Opened section 2"
    assert fake.violations == []


async def test_edits_are_checked_like_new_messages(fake: FakeDiscord) -> None:
    body = {"content": "x", "components": [row(button("a"))]}
    assert await post(fake, f"/channels/{fake.channel_id}/messages", body) == 200
    message_id = fake.accepted_messages[-1].message_id
    assert message_id is not None
    path = f"/channels/{fake.channel_id}/messages/{message_id}"
    too_wide = {"components": [row(*(button(f"b{n}") for n in range(6)))]}
    assert await post(fake, path, too_wide, "PATCH") == 400
    assert await post(fake, path, {"content": "y", "flags": 64}, "PATCH") == 400
    menu_row = {"components": [row(select(3))]}
    assert await post(fake, path, menu_row, "PATCH") == 200
    now = fake.message_now(message_id)
    assert now is not None and now["components"][0]["components"][0]["custom_id"] == "menu"
    assert [
        v["components"][0]["components"][0]["type"] for v in fake.message_history(message_id)
    ] == [2, 3]
    assert [v.kind for v in fake.violations] == ["invalid_form_body", "ephemeral_flag_change"]

"""The Spanish article and each channel's choice end to end through the real Slack adapter.

The Bolt adapter runs in Socket Mode against the fake Slack on 127.0.0.1, with a
library built from settings as ``summary-bot`` builds it (``ARTICLES_DIR`` holding
the Spanish example, choices in an SQLite file).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from adapters.bootstrap import build_library
from tests.adapters.slack.test_slack_adapter import shown
from tests.conftest import ROOT
from tests.fakes.slack_fake import FakeSlack, ResponsePost
from tests.page_server import serve_pages
from tests.running import run_slack, slack_settings

TITLE = "El Eternauta: la nevada que cambió la historieta argentina"


@pytest.fixture
def slack(slack_fake: FakeSlack) -> FakeSlack:
    return slack_fake


@asynccontextmanager
async def bot(slack: FakeSlack, state: Path, **extra: str) -> AsyncIterator[None]:
    """One run of the bot, its library built from settings as ``summary-bot`` builds it."""
    env = {"ARTICLES_DIR": str(ROOT / "examples" / "articles"), "STATE_DB": str(state), **extra}
    async with run_slack(slack, build_library(slack_settings(slack, **env)), **env):
        yield


async def command(
    slack: FakeSlack, text: str, count: int, channel: str = "C1", user: str = "U1"
) -> ResponsePost:
    """``/summary text`` in ``channel``; the newest of ``count`` responses so far."""
    envelope = await slack.asend_slash_command(text, channel_id=channel, user_id=user)
    await slack.await_ack(envelope)
    return (await slack.await_responses(count))[-1]


async def test_the_spanish_article_through_slack_and_a_restart(
    slack: FakeSlack, tmp_path: Path
) -> None:
    state = tmp_path / "state.sqlite3"
    async with bot(slack, state):
        listed = await command(slack, "articles", 1)
        switched = await command(slack, "use eternauta", 2)
        answer = await command(slack, "¿quién dibujó la historieta?", 3)
        other = await command(slack, "", 4, channel="C2")

    assert "(spanish)" in shown(listed)
    assert switched.response_type == "in_channel"
    assert f"This channel now reads “{TITLE}”" in shown(switched)
    assert answer.response_type == "in_channel"
    assert (
        "El Eternauta es una *historieta* de ciencia ficción escrita por Héctor Germán "
        "Oesterheld y *dibujada* por Francisco Solano López."
    ) in shown(answer)
    assert "Section 1: Introducción" in shown(answer)
    assert TITLE not in shown(other)  # another channel keeps the default article

    async with bot(slack, state):  # the bot again, on the same STATE_DB
        overview = await command(slack, "", 5)
    assert overview.blocks[0]["text"]["text"] == TITLE
    assert "2. La nevada mortal" in shown(overview)
    slack.assert_no_violations()


async def test_only_workspace_admins_load_urls_by_default(slack: FakeSlack, tmp_path: Path) -> None:
    slack.set_user("UADMIN", is_admin=True)
    slack.set_user("UMEMBER", is_admin=False)
    with serve_pages() as pages:
        async with bot(slack, tmp_path / "s.sqlite3", URL_ALLOWED_NETWORKS="127.0.0.1"):
            url = f"{pages.url}/eternauta.html"
            refused = await command(slack, f"load {url}", 1, user="UMEMBER")
            loaded = await command(slack, f"load {url}", 2, user="UADMIN")
            overview = await command(slack, "", 3)
    assert "Only admins" in shown(refused)
    assert refused.response_type == "ephemeral"
    assert f"Loaded “{TITLE}”" in shown(loaded)
    assert overview.blocks[0]["text"]["text"] == TITLE
    asked = [call.args.get("user") for call in slack.calls_to("users.info")]
    assert asked == ["UMEMBER", "UADMIN"]  # asked only for the two load commands
    assert pages.requests.count("/eternauta.html") == 1
    slack.assert_no_violations()

"""Slow web servers cannot hang the bot: loads are capped, bounded and cut short on SIGTERM.

A real ``summary-bot`` process serves the fake Slack; every page it is asked to load
comes from a server on 127.0.0.1 that sends its status line, headers or chunks a byte
at a time for half a minute, well inside each read's timeout.
"""

from __future__ import annotations

import signal
from pathlib import Path

from tests.adapters.state.test_one_process import start_bot
from tests.conftest import ROOT
from tests.fakes.slack_fake import FakeSlack
from tests.fakes.slack_records import ResponsePost
from tests.page_server import serve_pages

BOT_TOKEN = "xoxb-1-slow-loads"
APP_TOKEN = "xapp-1-slow-loads"
DRIPS = ("/drip-status", "/drip-headers", "/drip-chunks")
BUSY = "I'm loading as many pages as I can right now; try again in a minute."
STOPPED = "I'm shutting down, so I stopped loading that page. Try again later."


def shown(post: ResponsePost) -> str:
    parts = [post.text or ""]
    for block in post.blocks:
        if block["type"] == "context":
            parts.extend(element["text"] for element in block["elements"])
        elif "text" in block:
            parts.append(block["text"]["text"])
    return "\n".join(parts)


def test_twenty_slow_loads_neither_starve_others_nor_hold_up_sigterm(tmp_path: Path) -> None:
    with (
        FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as slack,
        serve_pages() as pages,
    ):
        bot = start_bot(
            tmp_path,
            f"SLACK_BOT_TOKEN={BOT_TOKEN}\nSLACK_APP_TOKEN={APP_TOKEN}\n"
            f"SLACK_API_URL={slack.api_url}\n"
            "URL_LOADERS=everyone\nURL_ALLOWED_NETWORKS=127.0.0.1\n"
            # Far longer than this test may take: every load is cut short, never waited out.
            "URL_CONNECT_TIMEOUT=60\nURL_READ_TIMEOUT=60\n"
            f"ARTICLES_DIR={ROOT / 'examples' / 'articles'}\nSTATE_DB={tmp_path / 'state.db'}\n",
        )
        try:
            slack.wait_connections(1, timeout=60)
            loads = [f"load {pages.url}{DRIPS[n % 3]}?n={n}" for n in range(20)]
            slack.send_slash_commands(loads, channel_id="C1")  # from users U0 ... U19
            refused = slack.wait_responses(18, timeout=20)
            assert sum(BUSY in shown(post) for post in refused) == 18
            assert all(post.response_type == "ephemeral" for post in refused)
            slack.wait_for(lambda: sum(p.startswith("/drip") for p in pages.requests) == 2, 10)

            listed = slack.send_slash_command("articles", user_id="UOTHER", channel_id="C2")
            slack.wait_ack(listed)
            [articles] = slack.wait_responses(19, timeout=10)[18:]
            assert "`eternauta`" in shown(articles)
            used = slack.send_slash_command("use eternauta", user_id="UOTHER", channel_id="C2")
            slack.wait_ack(used)
            [switched] = slack.wait_responses(20, timeout=10)[19:]
            assert "This channel now reads" in shown(switched)

            bot.send_signal(signal.SIGTERM)
            assert bot.wait(timeout=15) == 0  # the two loads in flight had 120 s left
            stopped = slack.wait_responses(22, timeout=5)[20:]
            assert [STOPPED in shown(post) for post in stopped] == [True, True], [
                shown(post) for post in stopped
            ]
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
    err = (tmp_path / "stderr").read_text()
    assert "Traceback" not in err
    slack.assert_no_violations()

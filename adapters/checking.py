"""``summary-bot check``: validate the settings and ask each platform about its tokens.

Every problem is one line naming the variable; no secret is ever printed.
Slack tokens are checked with ``auth.test`` (bot token) and
``apps.connections.open`` (app-level token); the Discord token with
``GET /users/@me``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from typing import TextIO

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.config import Secret, Settings
from bot.library import Library

__all__ = ["Finding", "check_settings", "run_check"]

_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    what: str
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.what}: {self.detail}"


def run_check(settings: Settings, library: Library, out: TextIO = sys.stdout) -> int:
    """Print one line per check; exit status 0 when all pass, 1 otherwise."""
    findings = asyncio.run(check_settings(settings, library))
    for finding in findings:
        print(finding.line(), file=out)
    return 0 if all(finding.ok for finding in findings) else 1


async def check_settings(settings: Settings, library: Library) -> list[Finding]:
    article = library.article_for().document
    findings = [
        Finding(
            True,
            "ARTICLE",
            f"{article.source}: {len(article.sections)} sections, "
            f"{len(article.sentences)} sentences",
        )
    ]
    if settings.slack_bot_token is not None:
        findings.append(await _slack_bot(settings, settings.slack_bot_token))
    if settings.slack_app_token is not None:
        findings.append(await _slack_app(settings, settings.slack_app_token))
    if settings.discord_token is not None:
        findings.append(await _discord(settings, settings.discord_token))
    if len(findings) == 1:
        findings.append(Finding(True, "platforms", "no tokens set: the console will run"))
    return findings


async def _slack_bot(settings: Settings, token: Secret) -> Finding:
    client = AsyncWebClient(token=token.reveal(), base_url=settings.slack_api_url, timeout=10)
    try:
        response = await client.auth_test()
    except SlackApiError as error:
        return Finding(False, "SLACK_BOT_TOKEN", _slack_problem(error))
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        return Finding(False, "SLACK_API_URL", f"cannot reach Slack ({type(error).__name__})")
    return Finding(
        True, "SLACK_BOT_TOKEN", f"valid for {response.get('user')} in {response.get('team')}"
    )


async def _slack_app(settings: Settings, token: Secret) -> Finding:
    client = AsyncWebClient(base_url=settings.slack_api_url, timeout=10)
    try:
        await client.apps_connections_open(app_token=token.reveal())
    except SlackApiError as error:
        return Finding(False, "SLACK_APP_TOKEN", _slack_problem(error))
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        return Finding(False, "SLACK_API_URL", f"cannot reach Slack ({type(error).__name__})")
    return Finding(True, "SLACK_APP_TOKEN", "valid; Socket Mode can connect")


def _slack_problem(error: SlackApiError) -> str:
    code = str(error.response.get("error", "unknown_error"))
    hints = {
        "invalid_auth": "rejected (invalid_auth): copy the token again",
        "token_revoked": "revoked (token_revoked): reinstall the app to get a new one",
        "account_inactive": "its workspace or user is deactivated (account_inactive)",
        "not_allowed_token_type": "wrong kind of token (not_allowed_token_type)",
    }
    return hints.get(code, f"rejected by Slack ({code})")


async def _discord(settings: Settings, token: Secret) -> Finding:
    url = settings.discord_api_url.rstrip("/") + "/users/@me"
    headers = {"Authorization": f"Bot {token.reveal()}"}
    timeout = aiohttp.ClientTimeout(total=_TIMEOUT)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers=headers) as response,
        ):
            body = await response.text()
            status = response.status
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        return Finding(False, "DISCORD_API_URL", f"cannot reach Discord ({type(error).__name__})")
    if status == 401:
        return Finding(False, "DISCORD_TOKEN", "rejected (401): reset the token and copy it again")
    if status != 200:
        return Finding(False, "DISCORD_TOKEN", f"unexpected answer from Discord (HTTP {status})")
    try:
        user = json.loads(body)
        name = str(user.get("username", "?"))
    except (ValueError, AttributeError):
        return Finding(False, "DISCORD_API_URL", "the answer was not Discord's JSON")
    return Finding(True, "DISCORD_TOKEN", f"valid for bot user {name}")

"""``summary-bot check``: validate the settings and ask each platform about its tokens.

Every problem is one line naming the variable; no secret is ever printed.
Slack tokens are checked with ``auth.test`` (bot token, and the scopes Slack
reports for it in the ``X-OAuth-Scopes`` header) and ``apps.connections.open``
(app-level token); the Discord token with ``GET /users/@me``, and
``DISCORD_GUILD_ID`` with ``GET /guilds/{id}`` (which Discord answers only for a
server the bot is in).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.discord.commands_sync import invite_url
from adapters.settings import Secret, Settings
from bot.chat.channel_articles import ChannelArticles

__all__ = ["SLACK_SCOPES", "Finding", "check_settings", "run_check"]

_TIMEOUT = 10.0
#: The bot token scopes the bot uses (as in ``slack-manifest.yml``).
SLACK_SCOPES = ("app_mentions:read", "chat:write", "commands", "im:history", "users:read")


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    what: str
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.what}: {self.detail}"


def run_check(settings: Settings, library: ChannelArticles, out: TextIO = sys.stdout) -> int:
    """Print one line per check; exit status 0 when all pass, 1 otherwise."""
    findings = asyncio.run(check_settings(settings, library))
    for finding in findings:
        print(finding.line(), file=out)
    return 0 if all(finding.ok for finding in findings) else 1


async def check_settings(settings: Settings, library: ChannelArticles) -> list[Finding]:
    article = library.entry_for().document
    findings = [
        Finding(
            True,
            "ARTICLE",
            f"{article.source}: {len(article.sections)} sections, "
            f"{len(article.sentences)} sentences",
        )
    ]
    if settings.slack.bot_token is not None:
        findings.extend(await _slack_bot(settings, settings.slack.bot_token))
    if settings.slack.app_token is not None:
        findings.append(await _slack_app(settings, settings.slack.app_token))
    if settings.discord.token is not None:
        findings.extend(await _discord(settings, settings.discord.token))
    if len(findings) == 1:
        findings.append(Finding(True, "platforms", "no tokens set: the console will run"))
    return findings


async def _slack_bot(settings: Settings, token: Secret) -> list[Finding]:
    client = AsyncWebClient(token=token.reveal(), base_url=settings.slack.api_url, timeout=10)
    client.proxy = settings.service.proxies.for_url(settings.slack.api_url)
    try:
        response = await client.auth_test()
    except SlackApiError as error:
        return [Finding(False, "SLACK_BOT_TOKEN", _slack_problem(error))]
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        return [Finding(False, "SLACK_API_URL", f"cannot reach Slack ({type(error).__name__})")]
    valid = f"valid for {response.get('user')} in {response.get('team')}"
    return [Finding(True, "SLACK_BOT_TOKEN", valid), _slack_scopes(response.headers)]


def _slack_scopes(headers: Mapping[str, Any]) -> Finding:
    """The bot token's scopes (``X-OAuth-Scopes`` on ``auth.test``) against those it needs."""
    header = next((v for k, v in headers.items() if k.lower() == "x-oauth-scopes"), None)
    if header is None:
        return Finding(
            False, "SLACK_BOT_TOKEN scopes", "Slack did not report them (no X-OAuth-Scopes)"
        )
    granted = {scope.strip() for scope in str(header).split(",")}
    missing = [scope for scope in SLACK_SCOPES if scope not in granted]
    if missing:
        return Finding(
            False,
            "SLACK_BOT_TOKEN scopes",
            f"missing {', '.join(missing)}: add them under OAuth & Permissions, Bot Token "
            "Scopes (or create the app from slack-manifest.yml), then reinstall the app",
        )
    return Finding(True, "SLACK_BOT_TOKEN scopes", ", ".join(SLACK_SCOPES))


async def _slack_app(settings: Settings, token: Secret) -> Finding:
    client = AsyncWebClient(base_url=settings.slack.api_url, timeout=10)
    client.proxy = settings.service.proxies.for_url(settings.slack.api_url)
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


async def _discord(settings: Settings, token: Secret) -> list[Finding]:
    headers = {"Authorization": f"Bot {token.reveal()}"}
    timeout = aiohttp.ClientTimeout(total=_TIMEOUT)
    try:
        async with aiohttp.ClientSession(timeout=timeout, headers=headers) as session:
            status, user = await _discord_get(session, settings, "/users/@me")
            if status != 200 or settings.discord.guild_id is None:
                return [_discord_token(status, user)]
            guild = await _discord_get(session, settings, f"/guilds/{settings.discord.guild_id}")
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        return [Finding(False, "DISCORD_API_URL", f"cannot reach Discord ({type(error).__name__})")]
    return [_discord_token(status, user), _discord_guild(settings.discord.guild_id, *guild, user)]


async def _discord_get(
    session: aiohttp.ClientSession, settings: Settings, path: str
) -> tuple[int, Any]:
    """The status and JSON body (``None`` when it is not JSON) of a REST ``GET``."""
    url = settings.discord.api_url.rstrip("/") + path
    async with session.get(url, proxy=settings.service.proxies.for_url(url)) as response:
        body = await response.text()
        try:
            return response.status, json.loads(body)
        except ValueError:
            return response.status, None


def _discord_token(status: int, user: Any) -> Finding:
    if status == 401:
        return Finding(False, "DISCORD_TOKEN", "rejected (401): reset the token and copy it again")
    if status != 200:
        return Finding(False, "DISCORD_TOKEN", f"unexpected answer from Discord (HTTP {status})")
    if not isinstance(user, dict):
        return Finding(False, "DISCORD_API_URL", "the answer was not Discord's JSON")
    return Finding(True, "DISCORD_TOKEN", f"valid for bot user {user.get('username', '?')}")


def _discord_guild(guild_id: int, status: int, guild: Any, user: Any) -> Finding:
    if status == 200 and isinstance(guild, dict):
        return Finding(True, "DISCORD_GUILD_ID", f"the bot is in {guild.get('name', guild_id)}")
    if status in (403, 404):
        bot_id = str(user.get("id", "")) if isinstance(user, dict) else ""
        invite = invite_url(int(bot_id), guild_id) if bot_id.isdigit() else "its invite URL"
        return Finding(
            False,
            "DISCORD_GUILD_ID",
            f"the bot is not in server {guild_id}: invite it with {invite} (or fix the ID)",
        )
    return Finding(False, "DISCORD_GUILD_ID", f"unexpected answer from Discord (HTTP {status})")

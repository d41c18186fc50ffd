"""The flat names the adapters read settings by, as views of the groups.

``settings.slack_mode`` is ``settings.slack.mode``, ``settings.options`` is
``settings.core.options``, and so on: the adapters were written against one flat
settings object, and these keep every name they use. New code reads the groups.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from adapters.proxies import Proxies
from adapters.settings.parsing import Secret
from adapters.state.url import DatabaseUrl
from adapters.web.fetcher import FetchLimits
from bot.articles.options import Options
from bot.chat.permissions import LoadPolicy

if TYPE_CHECKING:
    from adapters.settings.groups import (
        CoreSettings,
        DiscordSettings,
        ServiceSettings,
        SlackSettings,
        StorageSettings,
        WebSettings,
    )

__all__ = ["FlatNames"]


class FlatNames:
    """Read-only flat names over the groups of :class:`~adapters.settings.groups.Settings`."""

    __slots__ = ()

    if TYPE_CHECKING:
        core: CoreSettings
        storage: StorageSettings
        web: WebSettings
        service: ServiceSettings
        slack: SlackSettings
        discord: DiscordSettings

    @property
    def article(self) -> Path | None:
        return self.core.article

    @property
    def article_max_bytes(self) -> int:
        return self.core.article_max_bytes

    @property
    def language(self) -> str:
        return self.core.language

    @property
    def options(self) -> Options:
        return self.core.options

    @property
    def articles_dir(self) -> Path | None:
        return self.storage.articles_dir

    @property
    def state_db(self) -> Path | DatabaseUrl:
        return self.storage.state_db

    @property
    def url_loaders(self) -> LoadPolicy:
        return self.web.loaders

    @property
    def fetch_limits(self) -> FetchLimits:
        return self.web.limits

    @property
    def log_level(self) -> str | None:
        return self.service.log_level

    @property
    def log_format(self) -> str:
        return self.service.log_format

    @property
    def rate_limit_commands(self) -> int:
        return self.service.rate_limit_commands

    @property
    def rate_limit_seconds(self) -> float:
        return self.service.rate_limit_seconds

    @property
    def max_concurrent_commands(self) -> int:
        return self.service.max_concurrent_commands

    @property
    def max_concurrent_loads(self) -> int:
        return self.service.max_concurrent_loads

    @property
    def health_port(self) -> int | None:
        return self.service.health_port

    @property
    def proxies(self) -> Proxies:
        return self.service.proxies

    @property
    def slack_enabled(self) -> bool:
        return self.slack.enabled

    @property
    def slack_bot_token(self) -> Secret | None:
        return self.slack.bot_token

    @property
    def slack_app_token(self) -> Secret | None:
        return self.slack.app_token

    @property
    def slack_mode(self) -> str:
        return self.slack.mode

    @property
    def slack_signing_secret(self) -> Secret | None:
        return self.slack.signing_secret

    @property
    def slack_http_port(self) -> int:
        return self.slack.http_port

    @property
    def slack_api_url(self) -> str:
        return self.slack.api_url

    @property
    def slack_replies_in_channel(self) -> bool:
        return self.slack.replies_in_channel

    @property
    def discord_enabled(self) -> bool:
        return self.discord.enabled

    @property
    def discord_token(self) -> Secret | None:
        return self.discord.token

    @property
    def discord_guild_id(self) -> int | None:
        return self.discord.guild_id

    @property
    def discord_api_url(self) -> str:
        return self.discord.api_url

    @property
    def discord_gateway_url(self) -> str:
        return self.discord.gateway_url

    @property
    def discord_shard_count(self) -> int | None:
        return self.discord.shard_count

    @property
    def discord_shard_ids(self) -> tuple[int, ...] | None:
        return self.discord.shard_ids

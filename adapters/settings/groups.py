"""The settings as typed values, one frozen group per concern, read from the table.

:class:`Settings` holds a group per :class:`~adapters.settings.table.Concern`:
``core`` (the article and its summaries), ``storage``, ``web`` (loading pages
from URLs), ``service`` (logs, limits, health, proxies), ``slack`` and
``discord``. Each group's fields are the table's rows for that concern, so a
field's default is its row's, and ``Settings()`` is what an empty environment
gives. :meth:`Settings.from_environ` takes any mapping, so tests pass a dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from adapters.proxies import Proxies
from adapters.settings.parsing import Secret
from adapters.settings.reading import check_together, read
from adapters.settings.table import Concern
from adapters.state.url import DatabaseUrl
from adapters.web.addresses import IPNetwork
from adapters.web.fetcher import FetchLimits
from bot.articles.options import Options
from bot.chat.permissions import LoadPolicy
from bot.summaries.summarizer import SummaryLength

__all__ = [
    "CoreSettings",
    "DiscordSettings",
    "ServiceSettings",
    "Settings",
    "SlackSettings",
    "StorageSettings",
    "WebSettings",
]


def _defaults(concern: Concern) -> dict[str, Any]:
    return read({})[concern]


@dataclass(frozen=True, slots=True)
class CoreSettings:
    """The article and how it is summarized."""

    article: Path | None
    article_max_bytes: int
    language: str
    algorithm: str
    overview_words: int
    length: SummaryLength
    answers: int

    @property
    def options(self) -> Options:
        return Options(self.algorithm, self.length, self.answers, self.overview_words)


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """Where articles come from and where channel state is kept."""

    articles_dir: Path | None
    state_db: Path | DatabaseUrl


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Who may load pages from URLs, and the fetcher's limits."""

    loaders: LoadPolicy
    max_bytes: int
    connect_timeout: float
    read_timeout: float
    allowed_networks: tuple[IPNetwork, ...] | None

    @property
    def limits(self) -> FetchLimits:
        return FetchLimits(
            self.max_bytes, self.connect_timeout, self.read_timeout, self.allowed_networks or ()
        )


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """How the process runs: logs, limits, health server and proxies."""

    log_format: str
    log_level: str | None
    rate_limit_commands: int
    rate_limit_seconds: float
    max_concurrent_commands: int
    max_concurrent_loads: int
    health_port: int | None
    #: Proxy URLs may hold a password: shown only through ``proxies``, which masks it.
    https_proxy: str | None = field(repr=False)
    http_proxy: str | None = field(repr=False)
    no_proxy: tuple[str, ...] | None

    @property
    def proxies(self) -> Proxies:
        return Proxies(self.https_proxy, self.http_proxy, self.no_proxy or ())

    def __repr__(self) -> str:
        shown = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr]
        return f"ServiceSettings({', '.join(shown)}, proxies={self.proxies!r})"


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """The Slack connection; Slack is on when ``bot_token`` is set."""

    bot_token: Secret | None
    app_token: Secret | None
    mode: str
    signing_secret: Secret | None
    http_port: int
    api_url: str
    replies_in_channel: bool

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """The Discord connection; Discord is on when ``token`` is set."""

    token: Secret | None
    guild_id: int | None
    api_url: str
    gateway_url: str
    shard_count: int | None
    shard_ids: tuple[int, ...] | None

    @property
    def enabled(self) -> bool:
        return self.token is not None


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting the bot reads, by concern; see the table for each one's meaning."""

    core: CoreSettings = field(default_factory=lambda: CoreSettings(**_defaults(Concern.CORE)))
    storage: StorageSettings = field(
        default_factory=lambda: StorageSettings(**_defaults(Concern.STORAGE))
    )
    web: WebSettings = field(default_factory=lambda: WebSettings(**_defaults(Concern.WEB)))
    service: ServiceSettings = field(
        default_factory=lambda: ServiceSettings(**_defaults(Concern.SERVICE))
    )
    slack: SlackSettings = field(default_factory=lambda: SlackSettings(**_defaults(Concern.SLACK)))
    discord: DiscordSettings = field(
        default_factory=lambda: DiscordSettings(**_defaults(Concern.DISCORD))
    )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """The settings ``environ`` gives; a bad value raises ``ConfigError`` naming it."""
        groups = read(environ)
        settings = cls(
            CoreSettings(**groups[Concern.CORE]),
            StorageSettings(**groups[Concern.STORAGE]),
            WebSettings(**groups[Concern.WEB]),
            ServiceSettings(**groups[Concern.SERVICE]),
            SlackSettings(**groups[Concern.SLACK]),
            DiscordSettings(**groups[Concern.DISCORD]),
        )
        check_together(settings.slack, settings.discord)
        return settings

    def with_article(self, article: Path | None) -> Settings:
        """These settings with another default article (``--article``)."""
        return replace(self, core=replace(self.core, article=article))

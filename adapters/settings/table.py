"""Every setting the bot reads, once: its variable, group, default, parser and meaning.

This table is the one place a setting is declared. :mod:`adapters.settings.reading`
reads the environment through it, the typed groups in
:mod:`adapters.settings.groups` take their fields from it, the README's
configuration table is printed from it (``python -m adapters.settings``), and a
test holds ``.env.example`` to it. A default is written as the variable's text
(what ``.env`` would say, ``""`` for unset) and read by the same parser as a
value from the environment.
"""

# One row a line, however long: the table reads as a table.
# ruff: noqa: E501
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from adapters.proxies import parse_no_proxy, parse_proxy
from adapters.settings import parsing as p
from adapters.web.addresses import parse_networks
from adapters.web.fetcher import FetchLimits
from bot.articles.options import Options
from bot.chat.permissions import LoadPolicy
from bot.sources.files import DEFAULT_MAX_BYTES
from bot.summaries.summarizer import DEFAULT_ALGORITHM, SummaryLength, check_algorithm
from bot.text.languages import AUTO

__all__ = ["ROWS", "Concern", "Row"]

_OPTIONS = Options()
_LIMITS = FetchLimits()


class Concern(StrEnum):
    """The groups settings come in, each read into its own typed value."""

    CORE = "core"
    STORAGE = "storage"
    WEB = "web"
    SERVICE = "service"
    SLACK = "slack"
    DISCORD = "discord"


@dataclass(frozen=True, slots=True)
class Row:
    """One setting: ``key`` is read into field ``field`` of its ``concern``'s group."""

    key: str
    concern: Concern
    field: str
    default: str
    parse: Callable[[str], object]
    meaning: str
    #: The README's words for the default, when the default is not a value to show.
    shown: str = ""
    #: Other spellings read when ``key`` is unset (the lower-case proxy variables).
    also: tuple[str, ...] = ()

    @property
    def shown_default(self) -> str:
        return self.shown or (f"`{self.default}`" if self.default else "")


def _number(value: float) -> str:
    return f"{value:g}"


C, ST, W, SV, SL, D = Concern
ROWS: tuple[Row, ...] = (
    Row("ARTICLE", C, "article", "", Path, "article file to summarize (`.txt`, `.md`, `.html`)", "the bundled article"),
    Row("ARTICLE_MAX_BYTES", C, "article_max_bytes", str(DEFAULT_MAX_BYTES), p.positive_int, "largest article file accepted, in bytes"),
    Row("LANGUAGE", C, "language", AUTO, p.language, "the articles' language (stop words, stemmer, sentence rules): `auto` detects it, or `english`, `spanish`, ..."),
    Row("SUMMARY_ALGORITHM", C, "algorithm", DEFAULT_ALGORITHM, check_algorithm, "`coverage` (the bot's own, see [How it summarizes](#how-it-summarizes)), or sumy's `lex-rank`, `text-rank`, `lsa`, `luhn`, `edmundson`, `kl`, `sum-basic` or `reduction`"),
    Row("OVERVIEW_WORDS", C, "overview_words", str(_OPTIONS.overview_words), p.positive_int, "words in the `/summary` overview (with `coverage`): at least one sentence for every section that fits"),
    Row("SUMMARY_LENGTH", C, "length", str(_OPTIONS.length), SummaryLength.parse, "length of a one-section summary: sentences (`3`) or a percentage (`20%`)"),
    Row("ANSWER_COUNT", C, "answers", str(_OPTIONS.answers), p.positive_int, "how many sentences answer a question"),
    Row("ARTICLES_DIR", ST, "articles_dir", "", p.folder, "folder of `.txt`, `.md` and `.html` articles for `/summary use <name>`"),
    Row("STATE_DB", ST, "state_db", "summary-bot.sqlite3", p.state_db, "where each channel's article and the loaded pages are kept: an SQLite file, or a PostgreSQL URL (`postgresql://user:password@host/database`) shared by several processes"),
    Row("URL_LOADERS", W, "loaders", "admins", LoadPolicy.parse, "who may `/summary load <url>`: `everyone`, `admins`, `nobody`, or user IDs (Slack `U0123ABCD`, Discord numeric; comma-separated, combinable); anything else stops start-up"),
    Row("URL_MAX_BYTES", W, "max_bytes", str(_LIMITS.max_bytes), p.positive_int, "largest page accepted from a URL, in bytes"),
    Row("URL_CONNECT_TIMEOUT", W, "connect_timeout", _number(_LIMITS.connect_timeout), p.positive_float, "seconds to connect to a URL's host"),
    Row("URL_READ_TIMEOUT", W, "read_timeout", _number(_LIMITS.read_timeout), p.positive_float, "seconds to receive a whole page"),
    Row("URL_ALLOWED_NETWORKS", W, "allowed_networks", "", parse_networks, "private networks a URL may reach anyway (IPs or CIDRs, comma-separated)"),
    Row("LOG_FORMAT", SV, "log_format", "text", p.choice("text", "json"), "`text`, or `json`: one JSON object a line (time, level, logger, message, and platform, channel, command, latency_ms for each answered command)"),
    Row("LOG_LEVEL", SV, "log_level", "", p.log_level, "`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`", "`INFO` (`WARNING` in the console)"),
    Row("RATE_LIMIT_COMMANDS", SV, "rate_limit_commands", "10", p.positive_int, "commands one user may send in `RATE_LIMIT_SECONDS`"),
    Row("RATE_LIMIT_SECONDS", SV, "rate_limit_seconds", "60", p.positive_float, "the rate limit's window"),
    Row("MAX_CONCURRENT_COMMANDS", SV, "max_concurrent_commands", "8", p.positive_int, "commands worked on at once"),
    Row("MAX_CONCURRENT_LOADS", SV, "max_concurrent_loads", "2", p.positive_int, "page loads (`/summary load`) fetched at once; one per user"),
    Row("HEALTH_PORT", SV, "health_port", "", p.port, "port of `/healthz` and `/readyz` (off when empty; Slack HTTP mode serves both on `SLACK_HTTP_PORT` too)"),
    Row("HTTPS_PROXY", SV, "https_proxy", "", parse_proxy, "forward proxy for `https://` and `wss://` connections (`http://[user:password@]host:port`)", also=("https_proxy",)),
    Row("HTTP_PROXY", SV, "http_proxy", "", parse_proxy, "forward proxy for `http://` and `ws://` connections", also=("http_proxy",)),
    Row("NO_PROXY", SV, "no_proxy", "", parse_no_proxy, "hosts reached directly: names (covering subdomains), IPs, networks, `*`", also=("no_proxy",)),
    Row("SLACK_BOT_TOKEN", SL, "bot_token", "", p.secret(r"^xoxb-[A-Za-z0-9-]+$", "starts with xoxb-"), "Slack bot token, `xoxb-...`; setting it turns Slack on"),
    Row("SLACK_APP_TOKEN", SL, "app_token", "", p.secret(r"^xapp-[A-Za-z0-9-]+$", "starts with xapp-"), "Slack app-level token, `xapp-...`, for Socket Mode"),
    Row("SLACK_MODE", SL, "mode", "socket", p.choice("socket", "http"), "`socket` (no public URL needed) or `http`"),
    Row("SLACK_SIGNING_SECRET", SL, "signing_secret", "", p.secret(), "Slack signing secret, for `http` mode"),
    Row("SLACK_HTTP_PORT", SL, "http_port", "3000", p.port, "port of the `http` mode server (path `/slack/events`)"),
    Row("SLACK_API_URL", SL, "api_url", "https://slack.com/api/", p.api_url, "Slack Web API base URL (for a relay or a test server)"),
    Row("SLACK_REPLY_VISIBILITY", SL, "replies_in_channel", "in_channel", p.in_channel, "`in_channel` or `ephemeral` answers to `/summary`"),
    Row("DISCORD_TOKEN", D, "token", "", p.secret(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", "is the bot token from the Developer Portal"), "Discord bot token; setting it turns Discord on"),
    Row("DISCORD_GUILD_ID", D, "guild_id", "", p.snowflake, "server to sync `/summary` to at once (otherwise global)"),
    Row("DISCORD_API_URL", D, "api_url", "https://discord.com/api/v10", p.api_url, "Discord REST base URL (for a relay or a test server)"),
    Row("DISCORD_GATEWAY_URL", D, "gateway_url", "wss://gateway.discord.gg/", p.api_url, "Discord gateway URL (for a relay or a test server)"),
    Row("DISCORD_SHARD_COUNT", D, "shard_count", "", p.positive_int, "how many shards the bot's Discord connection is split into, over all its processes", "what Discord recommends"),
    Row("DISCORD_SHARD_IDS", D, "shard_ids", "", p.shard_ids, "the shards this process runs (`0,1`; needs `DISCORD_SHARD_COUNT`)", "every shard"),
)  # fmt: skip

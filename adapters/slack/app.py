"""The Slack adapter: slack-bolt's async stack in Socket Mode (default) or HTTP mode.

``/summary [text]``, mentions and direct messages are read once into a
command (:mod:`adapters.slack.events`) and handed to the
:class:`~adapters.dispatch.Dispatcher`, which decides how each runs and
answers through :mod:`adapters.slack.delivery`: a slash command's reply rides
on its ack when it is ready at once, else the ack goes out empty and the reply
follows on its ``response_url``. Every listener returns as soon as its event
is acked (Bolt's ``process_before_response``), so the ack never waits on the
work. A failure in answering is the dispatcher's to log and apologise for;
anything that fails in a listener before that is logged by Bolt's error hook
(``app.error``). A click on one of the reply's buttons or menus is acked at
once, read into a command (:mod:`adapters.slack.actions`) and served the same
way, its answer going to the click's ``response_url``.

Rate limits (429), server errors and dropped connections are retried by
slack_sdk's retry handlers on both the Web API client and the ``response_url``
posts. Every connection (Web API, Socket Mode, ``response_url``) goes through
the proxy that ``HTTPS_PROXY``, ``HTTP_PROXY`` and ``NO_PROXY`` give for its
URL (:mod:`adapters.proxies`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.clicks import read_clicked
from adapters.dispatch import Dispatcher, Replies
from adapters.health import Health
from adapters.settings import Secret, Settings
from adapters.slack.actions import ClickReplies, from_block_actions
from adapters.slack.controls import ACTION_IDS
from adapters.slack.delivery import ChannelReplies, SlashReplies, retry_handlers
from adapters.slack.events import Incoming, from_command, from_direct_message, from_mention
from adapters.slack.http_mode import HttpMode
from adapters.slack.socket_mode import SocketMode
from bot.errors import ConfigError

__all__ = ["SlackAdapter"]

log = logging.getLogger(__name__)

_HTTP_TIMEOUT = 30.0  # seconds, for each Web API call and response_url post
_REFUSED = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "account_inactive", "not_allowed_token_type"}
)


class _TokenInEnvironment(logging.Filter):
    """Bolt warns that our client wins over ``SLACK_BOT_TOKEN`` in the environment: it should."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_bolt_log = logging.getLogger(f"{__name__}.bolt")
_bolt_log.addFilter(_TokenInEnvironment())


class SlackAdapter:
    """Serves ``/summary``, mentions and direct messages on Slack until stopped.

    ``ping_interval`` is how often Socket Mode checks its connection (the
    library's default when ``None``); ``http_host`` and ``http_port`` override
    where HTTP mode listens (port 0: any free port, then :attr:`http_port`);
    ``health``'s ``/healthz`` and ``/readyz`` are served there too.
    """

    name = "slack"

    def __init__(
        self,
        settings: Settings,
        dispatcher: Dispatcher,
        *,
        ping_interval: float | None = None,
        http_host: str = "0.0.0.0",
        http_port: int | None = None,
        drain_timeout: float = 10.0,
        health: Health | None = None,
    ) -> None:
        if settings.slack.bot_token is None:
            raise ConfigError("SLACK_BOT_TOKEN is missing: the Slack adapter needs it")
        self._settings = settings
        self._bot_token: Secret = settings.slack.bot_token
        self._dispatcher = dispatcher
        self._ping_interval = ping_interval
        self._http_host = http_host
        self._http_port = settings.slack.http_port if http_port is None else http_port
        self._drain_timeout = drain_timeout
        self._health = health
        self._in_flight: set[asyncio.Task[None]] = set()
        self._client: AsyncWebClient | None = None
        self._session: aiohttp.ClientSession | None = None
        self._mode: SocketMode | HttpMode | None = None
        self.ready = asyncio.Event()

    def __repr__(self) -> str:
        return f"SlackAdapter(mode={self._settings.slack.mode!r})"

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, serve until ``stop`` is set, let replies in flight finish, disconnect.

        Every Web API call and ``response_url`` post shares one HTTP session,
        so replies reuse open connections instead of opening one each.
        """
        timeout = aiohttp.ClientTimeout(total=_HTTP_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            client = AsyncWebClient(
                token=self._bot_token.reveal(),
                base_url=self._settings.slack.api_url,
                session=session,
                timeout=int(_HTTP_TIMEOUT),
                retry_handlers=retry_handlers(),
            )
            client.proxy = self._settings.service.proxies.for_url(self._settings.slack.api_url)
            await _check_token(client.auth_test(), "SLACK_BOT_TOKEN")
            self._client, self._session = client, session
            self._mode = self._connection(self._build_app(client))
            try:
                await self._mode.serve(stop, self.ready)
            finally:
                await self._drain()
                log.info("slack: stopped")

    @property
    def http_port(self) -> int:
        """Where HTTP mode listens (once it listens: the port it got for port 0)."""
        return self._mode.port if isinstance(self._mode, HttpMode) else self._http_port

    async def connected(self) -> bool:
        """Whether Slack reaches the bot now: its socket is open, or its HTTP server listens."""
        return self.ready.is_set() and self._mode is not None and await self._mode.connected()

    def _connection(self, app: AsyncApp) -> SocketMode | HttpMode:
        if self._settings.slack.mode == "http":
            return HttpMode(app, self._http_host, self._http_port, self._health)
        token = self._settings.slack.app_token
        if token is None:
            raise ConfigError("SLACK_APP_TOKEN is missing: Socket Mode needs it")
        return SocketMode(
            app,
            token,
            self._settings.service.proxies,
            check_token=_check_token,
            ping_interval=self._ping_interval,
        )

    async def _drain(self) -> None:
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=self._drain_timeout)

    # ------------------------------------------------------------ listeners

    def _build_app(self, client: AsyncWebClient) -> AsyncApp:
        """Bolt with only the middleware this bot needs.

        Signatures, Slack's SSL check and URL verification concern HTTP mode
        only; the bot runs no workflow functions, so it attaches no function
        tokens.
        """
        secret = self._settings.slack.signing_secret
        http = self._settings.slack.mode == "http"
        app = AsyncApp(
            name="summary-bot",
            logger=_bolt_log,
            client=client,
            signing_secret=secret.reveal() if secret is not None else "",
            request_verification_enabled=http,
            ssl_check_enabled=http,
            url_verification_enabled=http,
            attaching_function_token_enabled=False,
            process_before_response=True,
        )
        app.command("/summary")(self._on_command)
        app.event("app_mention")(self._on_mention)
        app.event("message")(self._on_message)
        app.action(ACTION_IDS)(self._on_action)
        app.error(_on_error)
        return app

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        assert self._session is not None
        url = str(command.get("response_url", ""))
        replies = SlashReplies(
            ack,
            url,
            self._session,
            in_channel=self._settings.slack.replies_in_channel,
            proxy=self._settings.service.proxies.for_url(url),
            asker=str(command.get("user_id") or ""),
        )
        await replies.acked(self._start(from_command(command), replies))

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A click on the bot's controls: acked now, answered on its ``response_url``."""
        await ack()
        assert self._session is not None
        url = str(body.get("response_url") or "")
        if not url:
            log.warning("slack: a click came without a response_url; not answered")
            return
        incoming = read_clicked(from_block_actions(body), "slack")
        proxy = self._settings.service.proxies.for_url(url)
        replies = ClickReplies(incoming, url, self._session, proxy=proxy)
        self._track(self._dispatcher.serve(incoming.command, incoming.request, replies))

    async def _on_mention(
        self, event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        incoming = from_mention(event, context.bot_user_id)
        if incoming is not None:
            self._start(incoming, ChannelReplies(client, incoming))

    async def _on_message(
        self, event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        incoming = from_direct_message(event, context.bot_user_id)
        if incoming is not None:
            self._start(incoming, ChannelReplies(client, incoming))

    def _start(self, incoming: Incoming, replies: Replies) -> asyncio.Task[None]:
        """Answer in a task of its own, so that the listener can return (and Bolt ack) now."""
        is_admin = functools.partial(self._is_admin, incoming.request.user)
        serving = self._dispatcher.serve(
            incoming.command, incoming.request, replies, is_admin=is_admin
        )
        return self._track(serving)

    def _track(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return task

    async def _is_admin(self, user: str) -> bool:
        """Whether Slack says ``user`` is a workspace admin or owner (needs users:read)."""
        if self._client is None or not user:
            return False
        try:
            info = await self._client.users_info(user=user)
        except SlackApiError as error:
            log.warning("slack: users.info failed (%s)", error.response.get("error"))
            return False
        profile = info.get("user") or {}
        return any(bool(profile.get(key)) for key in ("is_admin", "is_owner", "is_primary_owner"))


async def _on_error(error: Exception) -> None:
    """Bolt's error hook: a listener failed before its command reached the dispatcher."""
    log.error("slack: a listener failed", exc_info=error)


async def _check_token(call: Awaitable[AsyncSlackResponse], variable: str) -> AsyncSlackResponse:
    """Await a Web API call; a refused token becomes a ConfigError naming ``variable``."""
    try:
        return await call
    except SlackApiError as error:
        code = error.response.get("error")
        if code in _REFUSED:
            raise ConfigError(
                f"{variable} was refused by Slack ({code}): check the token"
            ) from None
        raise
    except aiohttp.ClientError as error:
        raise ConfigError(
            f"SLACK_API_URL: cannot reach Slack to check {variable} ({error.__class__.__name__})"
        ) from None

"""The Slack adapter: slack-bolt's async stack in Socket Mode (default) or HTTP mode.

``/summary [text]`` is acked at once. A command the core answers from memory
(see :meth:`~adapters.dispatch.Dispatcher.is_quick`) gets its reply in the
ack itself, as Slack allows for slash commands: no extra request, nothing to
wait for. Any other command is acked empty and answered through its
``response_url`` by a task of its own; every listener returns straight away
(Bolt's ``process_before_response``), so the ack never waits on the work.
Mentions are answered in their thread and direct messages
where they were written, with ``chat.postMessage``. Help, errors and
no-match replies are ephemeral. Every command goes to the core through the
:class:`~adapters.dispatch.Dispatcher`; this module only translates
(:mod:`adapters.slack.events`) and renders (:mod:`adapters.slack.render`).

Failures are caught once, here: the traceback is logged and the asker gets a
short apology. Rate limits (429), server errors and dropped connections are
retried by slack_sdk's retry handlers on both the Web API client and the
``response_url`` posts.

Every connection (Web API, Socket Mode, ``response_url``) goes through the
proxy that ``HTTPS_PROXY``, ``HTTP_PROXY`` and ``NO_PROXY`` give for its URL
(:mod:`adapters.proxies`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any, Protocol

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.dispatch import Dispatcher, apology
from adapters.health import Health
from adapters.settings import Secret, Settings
from adapters.slack.actions import SlackActions
from adapters.slack.controls import control_blocks
from adapters.slack.events import Incoming, from_command, from_direct_message, from_mention
from adapters.slack.render import render
from bot.chat.commands import needs_admin_check
from bot.chat.replies import Reply
from bot.chat.routing import Message
from bot.errors import ConfigError

__all__ = ["DeliveryError", "SlackAdapter", "retry_handlers"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
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


class DeliveryError(RuntimeError):
    """Slack refused a reply posted to a ``response_url``."""


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retry 429s (after Retry-After), 5xx and dropped connections, twice each."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


class _Replies(Protocol):
    async def send(self, reply: Reply) -> None: ...


class _ResponseUrlReplies:
    """Replies to a slash command, posted to its ``response_url``."""

    def __init__(
        self,
        url: str,
        session: aiohttp.ClientSession,
        *,
        in_channel: bool,
        proxy: str | None = None,
        asker: str = "",
    ) -> None:
        self._asker = asker  # the controls on the reply are made out to them
        self._url = url
        self._session = session
        self._in_channel = in_channel
        self._proxy = proxy

    def payloads(self, reply: Reply) -> list[dict[str, Any]]:
        """The messages that show ``reply``, visible to the channel or only to the asker."""
        visible = self._in_channel and not reply.private
        kind = "in_channel" if visible else "ephemeral"
        messages = render(reply, controls=control_blocks(reply, self._asker))
        return [{**message, "response_type": kind} for message in messages]

    async def send(self, reply: Reply) -> None:
        await self.post(self.payloads(reply))

    async def post(self, payloads: list[dict[str, Any]]) -> None:
        if not payloads:
            return
        hook = AsyncWebhookClient(self._url, session=self._session, retry_handlers=retry_handlers())
        hook.proxy = self._proxy  # ours, not slack_sdk's own reading of the environment
        for payload in payloads:
            response = await hook.send_dict(payload)
            if response.status_code != 200:
                raise DeliveryError(
                    f"response_url refused a reply: HTTP {response.status_code} {response.body}"
                )


class _ChannelReplies:
    """Replies to a mention or a direct message, posted with the Web API."""

    def __init__(self, client: AsyncWebClient, incoming: Incoming) -> None:
        self._client = client
        self._to = incoming

    async def send(self, reply: Reply) -> None:
        to = self._to
        for payload in render(reply, controls=control_blocks(reply, to.user)):
            if reply.private and not to.direct:
                await self._client.chat_postEphemeral(
                    channel=to.channel, user=to.user, thread_ts=to.thread_ts, **payload
                )
            else:
                await self._client.chat_postMessage(
                    channel=to.channel,
                    thread_ts=to.thread_ts,
                    unfurl_links=False,
                    unfurl_media=False,
                    **payload,
                )


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
        if settings.slack_bot_token is None:
            raise ConfigError("SLACK_BOT_TOKEN is missing: the Slack adapter needs it")
        self._settings = settings
        self._bot_token: Secret = settings.slack_bot_token
        self._dispatcher = dispatcher
        self._ping_interval = ping_interval
        self._http_host = http_host
        self.http_port = settings.slack_http_port if http_port is None else http_port
        self._drain_timeout = drain_timeout
        self._health = health
        self._in_flight: set[asyncio.Task[None]] = set()
        self._client: AsyncWebClient | None = None
        self._session: aiohttp.ClientSession | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self.ready = asyncio.Event()

    def __repr__(self) -> str:
        return f"SlackAdapter(mode={self._settings.slack_mode!r})"

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, serve until ``stop`` is set, let replies in flight finish, disconnect.

        Every Web API call and ``response_url`` post shares one HTTP session,
        so replies reuse open connections instead of opening one each.
        """
        timeout = aiohttp.ClientTimeout(total=_HTTP_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            client = AsyncWebClient(
                token=self._bot_token.reveal(),
                base_url=self._settings.slack_api_url,
                session=session,
                timeout=int(_HTTP_TIMEOUT),
                retry_handlers=retry_handlers(),
            )
            client.proxy = self._settings.proxies.for_url(self._settings.slack_api_url)
            await _check_token(client.auth_test(), "SLACK_BOT_TOKEN")
            self._client, self._session = client, session
            app = self._build_app(client)
            if self._settings.slack_mode == "http":
                await self._serve_http(app, stop)
            else:
                await self._serve_socket(app, stop)

    async def connected(self) -> bool:
        """Whether Slack reaches the bot now: its socket is open, or its HTTP server listens."""
        if not self.ready.is_set():
            return False
        return self._socket is None or bool(await self._socket.client.is_connected())

    # ------------------------------------------------------------ connections

    async def _serve_socket(self, app: AsyncApp, stop: asyncio.Event) -> None:
        token = self._settings.slack_app_token
        if token is None:
            raise ConfigError("SLACK_APP_TOKEN is missing: Socket Mode needs it")
        opened = await _check_token(
            app.client.apps_connections_open(app_token=token.reveal()), "SLACK_APP_TOKEN"
        )
        handler = (
            AsyncSocketModeHandler(app, token.reveal())
            if self._ping_interval is None
            else AsyncSocketModeHandler(app, token.reveal(), ping_interval=self._ping_interval)
        )
        handler.client.wss_uri = str(opened["url"])
        handler.client.proxy = self._settings.proxies.for_url(handler.client.wss_uri)
        self._socket = handler
        try:
            connected = await _unless_stopped(handler.connect_async(), stop)  # type: ignore[no-untyped-call]
            if connected:
                log.info("slack: connected in Socket Mode")
                self.ready.set()
                await stop.wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]
            await self._drain()
            log.info("slack: disconnected")

    async def _serve_http(self, app: AsyncApp, stop: asyncio.Event) -> None:
        web_app = app.web_app(path=EVENTS_PATH)
        web_app.middlewares.append(_refuse_malformed_timestamps)
        if self._health is not None:  # /healthz and /readyz on the same port
            self._health.add_routes(web_app)
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self._http_host, self.http_port)
            await site.start()
            self.http_port = int(runner.addresses[0][1])
            log.info("slack: listening on %s:%d%s", self._http_host, self.http_port, EVENTS_PATH)
            self.ready.set()
            await stop.wait()
        finally:
            await runner.cleanup()
            await self._drain()
            log.info("slack: HTTP server stopped")

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
        secret = self._settings.slack_signing_secret
        http = self._settings.slack_mode == "http"
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
        SlackActions(self._dispatcher, self._post_to, self._start).register(app)  # clicks
        return app

    async def _post_to(self, url: str, payloads: list[dict[str, Any]]) -> None:
        """Post ``payloads`` to a click's ``response_url``."""
        assert self._session is not None
        proxy = self._settings.proxies.for_url(url)
        await _ResponseUrlReplies(url, self._session, in_channel=False, proxy=proxy).post(payloads)

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        assert self._session is not None
        message = from_command(command)
        replies = _ResponseUrlReplies(
            str(command.get("response_url", "")),
            self._session,
            in_channel=self._settings.slack_replies_in_channel,
            proxy=self._settings.proxies.for_url(str(command.get("response_url", ""))),
            asker=message.user,
        )
        refusal = await self._dispatcher.admit(message, platform="slack")
        if refusal is None and not self._dispatcher.is_quick(message):
            await ack()
            self._start(self._answer(message, replies))
            return
        try:
            reply = refusal or self._dispatcher.answer_now(message, platform="slack")
            first, *rest = replies.payloads(reply)
        except Exception:
            log.exception("slack: answering in %s failed", message.channel or "?")
            first, *rest = replies.payloads(apology())
        await ack(**first)
        if rest:
            self._start(_deliver(replies, rest))

    async def _on_mention(
        self, event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        incoming = from_mention(event, context.bot_user_id)
        if incoming is not None:
            self._start(self._answer(incoming.message, _ChannelReplies(client, incoming)))

    async def _on_message(
        self, event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        incoming = from_direct_message(event, context.bot_user_id)
        if incoming is not None:
            self._start(self._answer(incoming.message, _ChannelReplies(client, incoming)))

    def _start(self, answer: Coroutine[Any, Any, None]) -> None:
        """Answer in a task of its own (the listener returns, so Bolt acks now)."""
        task = asyncio.create_task(answer)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _answer(self, message: Message, replies: _Replies) -> None:
        """The adapter's boundary: any failure is logged and answered with an apology."""
        try:
            if needs_admin_check(message.text):
                message = replace(message, is_admin=await self._is_admin(message.user))
            reply = await self._dispatcher.reply_to(message, platform="slack")
            await replies.send(reply)
        except Exception:
            log.exception("slack: answering in %s failed", message.channel or "?")
            await _apologize(replies)

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


@web.middleware
async def _refuse_malformed_timestamps(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """401 for a request whose ``X-Slack-Request-Timestamp`` is not a number.

    Slack always sends one; Bolt would fail on any other with a 500 and a
    logged traceback per request, a cheap way to fill the log.
    """
    if request.method == "POST" and request.path == EVENTS_PATH:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 20):
            return web.Response(status=401, text="invalid request timestamp")
    return await handler(request)


async def _deliver(replies: _ResponseUrlReplies, payloads: list[dict[str, Any]]) -> None:
    """The rest of a reply whose first message went with the ack."""
    try:
        await replies.post(payloads)
    except Exception:
        log.exception("slack: the rest of a reply could not be sent")


async def _apologize(replies: _Replies) -> None:
    try:
        await replies.send(apology())
    except Exception:
        log.exception("slack: the apology could not be sent either")


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


async def _unless_stopped(work: Awaitable[object], stop: asyncio.Event) -> bool:
    """Await ``work`` unless ``stop`` is set first; True if the work finished."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return False
    task.result()
    return True

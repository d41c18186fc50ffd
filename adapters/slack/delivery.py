"""How a reply reaches Slack: in a slash command's ack, on its ``response_url``, or posted.

:class:`SlashReplies` answers a ``/summary``: a reply that is ready at once
rides on the ack itself, as Slack allows for slash commands (no extra request,
nothing to wait for); otherwise the command is acked empty
(:meth:`SlashReplies.defer`, at once: Slack wants the ack within 3 seconds)
and the reply is posted to its ``response_url``, as are the messages of a long
reply after the first. :class:`ChannelReplies` answers a mention in its thread
and a direct message where it was written, with ``chat.postMessage``. Help,
errors and no-match replies are ephemeral. A reply that shows part of an article
ends with its buttons and menus (:mod:`adapters.slack.controls`), made out to
the person who asked.

The ``response_url`` posts go through slack_sdk's webhook client rather than
Bolt's ``respond``: that one opens an HTTP session per call and retries only
dropped connections, where these share the adapter's session and retry rate
limits (429) and server errors too (:func:`retry_handlers`), through the proxy
``HTTPS_PROXY``/``NO_PROXY`` give for the URL.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncAck
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.controls import control_blocks
from adapters.slack.events import Incoming
from adapters.slack.render import render
from bot.chat.replies import Reply

__all__ = [
    "ChannelReplies",
    "DeliveryError",
    "SlashReplies",
    "post_to_response_url",
    "retry_handlers",
]


class DeliveryError(RuntimeError):
    """Slack refused a reply posted to a ``response_url``."""


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retry 429s (after Retry-After), 5xx and dropped connections, twice each."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


class SlashReplies:
    """Replies to a slash command: in its ack when ready at once, else on its ``response_url``."""

    #: Anything not answered from memory is acked empty at once.
    defer_after: float | None = 0.0

    def __init__(
        self,
        ack: AsyncAck,
        url: str,
        session: aiohttp.ClientSession,
        *,
        in_channel: bool,
        proxy: str | None = None,
        asker: str = "",
    ) -> None:
        self._ack = ack
        self._asker = asker  # the reply's controls are made out to them
        self._url = url
        self._session = session
        self._in_channel = in_channel
        self._proxy = proxy
        self._acked = asyncio.Event()
        self._released = asyncio.Event()  # the listener returned: Bolt sends the ack now

    def __repr__(self) -> str:
        return f"SlashReplies(acked={self._acked.is_set()})"

    def payloads(self, reply: Reply) -> list[dict[str, Any]]:
        """The messages that show ``reply``, visible to the channel or only to the asker."""
        visible = self._in_channel and not reply.private
        kind = "in_channel" if visible else "ephemeral"
        messages = render(reply, controls=control_blocks(reply, self._asker))
        return [{**message, "response_type": kind} for message in messages]

    async def send(self, reply: Reply) -> None:
        payloads = self.payloads(reply)
        if not self._acked.is_set() and payloads:
            first, *payloads = payloads
            await self._ack(**first)
            self._acked.set()
        await self._post(payloads)

    async def defer(self) -> None:
        if not self._acked.is_set():
            await self._ack()
            self._acked.set()

    async def acked(self, work: asyncio.Future[None]) -> None:
        """Return once the command is acked (or ``work`` ended without: then ack it empty).

        The listener awaits this, so Bolt sends the ack the moment it is given;
        posts to the ``response_url`` wait for that, so they come after the ack.
        """
        waiting: asyncio.Future[Any] = asyncio.ensure_future(self._acked.wait())
        try:
            await asyncio.wait([waiting, work], return_when=asyncio.FIRST_COMPLETED)
            await self.defer()
        finally:
            waiting.cancel()
            self._released.set()

    async def _post(self, payloads: list[dict[str, Any]]) -> None:
        if not payloads:
            return
        await self._released.wait()
        await post_to_response_url(self._url, self._session, self._proxy, payloads)


async def post_to_response_url(
    url: str, session: aiohttp.ClientSession, proxy: str | None, payloads: list[dict[str, Any]]
) -> None:
    """Post ``payloads`` to a ``response_url``, in order; :class:`DeliveryError` if refused."""
    hook = AsyncWebhookClient(url, session=session, retry_handlers=retry_handlers())
    hook.proxy = proxy  # ours, not slack_sdk's own reading of the environment
    for payload in payloads:
        response = await hook.send_dict(payload)
        if response.status_code != 200:
            raise DeliveryError(
                f"response_url refused a reply: HTTP {response.status_code} {response.body}"
            )


class ChannelReplies:
    """Replies to a mention (in its thread) or a direct message, posted with the Web API."""

    #: Posting has no deadline: nothing to defer.
    defer_after: float | None = None

    def __init__(self, client: AsyncWebClient, incoming: Incoming) -> None:
        self._client = client
        self._to = incoming

    def __repr__(self) -> str:
        return f"ChannelReplies({self._to.request.channel!r})"

    async def send(self, reply: Reply) -> None:
        to, where = self._to, self._to.request
        for payload in render(reply, controls=control_blocks(reply, where.user)):
            if reply.private and not to.direct:
                await self._client.chat_postEphemeral(
                    channel=where.channel, user=where.user, thread_ts=to.thread_ts, **payload
                )
            else:
                await self._client.chat_postMessage(
                    channel=where.channel,
                    thread_ts=to.thread_ts,
                    unfurl_links=False,
                    unfurl_media=False,
                    **payload,
                )

    async def defer(self) -> None:
        return None

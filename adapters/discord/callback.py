"""The initial response to an interaction, posted as one small JSON request.

discord.py's ``InteractionResponse.send_message`` asks Discord for the created
message back (``with_response``) and builds a full ``InteractionMessage`` from
it, which the bot never reads; under a burst of commands that is a large part
of the bot's work per command. So the adapter posts its first answer itself:
the message it has rendered, ``POST /interactions/{id}/{token}/callback``
without ``with_response``, which Discord answers with ``204 No Content``.

Like discord.py, it tries again after a rate limit (429, waiting
``retry_after``), a server error (5xx) or a dropped connection, within the
interaction's three seconds; any other refusal raises
:class:`discord.HTTPException`, as discord.py would.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import discord

__all__ = [
    "ATTEMPTS",
    "CALLBACK_DEFERRED_UPDATE",
    "CALLBACK_MESSAGE",
    "CALLBACK_UPDATE",
    "EPHEMERAL",
    "InteractionCallbacks",
]

#: Interaction callback type 4: answer with a message.
CALLBACK_MESSAGE = 4
#: Types 6 and 7 (components only): acknowledge now and edit later, or edit the clicked message.
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE = 7
#: Message flag 64: only the person who asked sees it.
EPHEMERAL = 1 << 6
#: Tries per callback, and the longest wait before trying again (the deadline is 3 s).
ATTEMPTS = 3
MAX_WAIT = 1.0
_SERVER_ERROR_WAIT = 0.5


class InteractionCallbacks:
    """Posts interaction callbacks below ``api_url`` through one shared HTTP session."""

    def __init__(
        self,
        api_url: str,
        session: aiohttp.ClientSession,
        user_agent: str,
        *,
        proxy: str | None = None,
    ) -> None:
        self._base = api_url.rstrip("/")
        self._session = session
        self._proxy = proxy
        self._headers = {"Content-Type": "application/json", "User-Agent": user_agent}

    def __repr__(self) -> str:
        return f"InteractionCallbacks({self._base!r})"

    async def message(
        self, interaction_id: int, token: str, data: dict[str, Any], *, private: bool
    ) -> None:
        """Answer the interaction with the message ``data`` (content, embeds, mentions)."""
        if private:
            data = {**data, "flags": EPHEMERAL}
        await self.respond(interaction_id, token, CALLBACK_MESSAGE, data)

    async def respond(
        self, interaction_id: int, token: str, kind: int, data: dict[str, Any] | None = None
    ) -> None:
        """Answer the interaction with a callback of type ``kind`` (and its ``data``)."""
        callback: dict[str, Any] = {"type": kind} if data is None else {"type": kind, "data": data}
        body = json.dumps(callback).encode()
        url = f"{self._base}/interactions/{interaction_id}/{token}/callback"
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self._session.post(
                    url, data=body, headers=self._headers, proxy=self._proxy
                ) as response:
                    if response.status < 300:
                        return
                    error = await _error_of(response)
                    wait = _wait_before_retry(response.status, error)
                    if wait is None or attempt == ATTEMPTS:
                        raise discord.HTTPException(response, error)
            except aiohttp.ClientConnectionError:
                if attempt == ATTEMPTS:
                    raise
                wait = 0.0
            await asyncio.sleep(wait)


def _wait_before_retry(status: int, error: dict[str, Any] | str) -> float | None:
    """How long to wait before trying again, or None when trying again cannot help."""
    if status == 429:
        retry_after = error.get("retry_after") if isinstance(error, dict) else None
        if isinstance(retry_after, int | float) and 0 <= retry_after <= MAX_WAIT:
            return float(retry_after)
        return None
    return _SERVER_ERROR_WAIT if status >= 500 else None


async def _error_of(response: aiohttp.ClientResponse) -> dict[str, Any] | str:
    """Discord's error object when the body is one, else the body's text."""
    text = await response.text(errors="replace")
    if response.content_type == "application/json":
        try:
            error = json.loads(text)
        except ValueError:
            return text
        if isinstance(error, dict):
            return error
    return text

"""Where the adapter departs from discord.py: every override in one place, with its reason.

discord.py has no setting for any of these, so :class:`Overrides` applies them
while the adapter runs and undoes them afterwards (they are class attributes,
shared by every client in the process).

1. **Endpoints.** ``DISCORD_API_URL`` and ``DISCORD_GATEWAY_URL`` become
   ``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``: the
   only way to point discord.py somewhere else than discord.com (the test
   fakes, a gateway proxy).
2. **Turn-taking.** ``DiscordWebSocket.received_message`` is wrapped to yield
   to the event loop once after each gateway event. discord.py reads the
   gateway in a loop that does not give way while frames are waiting: with 50
   commands at once, every frame was parsed and every handler run before any
   answer left, so the second answer came 40-50 ms after the first frame.
3. **The first answer to an interaction** is posted by
   :class:`~adapters.discord.callback.InteractionCallbacks`
   (:meth:`Overrides.callbacks`): one small request without ``with_response``,
   which Discord answers with ``204``. discord.py's
   ``InteractionResponse.send_message`` always asks for the created message
   back and builds a full ``InteractionMessage`` from it, which the bot never
   reads.

   Measured for 2 and 3 together (``python -m bench``, part 4: 50 ``/summary``
   commands at once through the fake Discord): every reply within 55-130 ms
   (p99) before them, 26-46 ms over 20 runs after; one command alone, 1-2 ms.
4. **Identify pause** (:attr:`Overrides.pause_before_identify`, read by the
   client's ``before_identify_hook``): discord.py sleeps 5 s before a shard
   identifies again (Discord's spacing between identifies); turned off where
   nothing else identifies meanwhile (the tests, which identify again often).
5. **Voice warnings** (:meth:`quiet_voice`): the bot has no voice, so
   discord.py's warnings that PyNaCl and davey are missing are turned off.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.callback import InteractionCallbacks

__all__ = ["Overrides"]

_Received = Callable[[DiscordWebSocket, Any], Coroutine[Any, Any, None]]


class Overrides:
    """discord.py's endpoints and gateway reading, set on entry and restored on exit."""

    def __init__(self, api_url: str, gateway_url: str, *, pause_before_identify: bool) -> None:
        self._api_url = api_url.rstrip("/")
        self._gateway_url = yarl.URL(gateway_url)
        self.pause_before_identify = pause_before_identify
        self._saved: tuple[str, yarl.URL, _Received] | None = None

    def __repr__(self) -> str:
        return f"Overrides({self._api_url!r}, applied={self._saved is not None})"

    def __enter__(self) -> Overrides:
        received = DiscordWebSocket.received_message
        self._saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY, received)
        Route.BASE = self._api_url
        DiscordWebSocket.DEFAULT_GATEWAY = self._gateway_url
        DiscordWebSocket.received_message = _taking_turns(received)  # type: ignore[method-assign]
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._saved is not None:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY, received = self._saved
            DiscordWebSocket.received_message = received  # type: ignore[method-assign]
            self._saved = None

    def callbacks(
        self, session: aiohttp.ClientSession, user_agent: str, proxy: str | None
    ) -> InteractionCallbacks:
        """The poster of interactions' first answers (3 above)."""
        return InteractionCallbacks(self._api_url, session, user_agent, proxy=proxy)

    @staticmethod
    def quiet_voice() -> None:
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False


def _taking_turns(received_message: _Received) -> _Received:
    """``received_message`` that lets the handlers an event started run before the next."""

    @functools.wraps(received_message)
    async def received_then_yield(ws: DiscordWebSocket, msg: Any, /) -> None:
        await received_message(ws, msg)
        await asyncio.sleep(0)

    return received_then_yield

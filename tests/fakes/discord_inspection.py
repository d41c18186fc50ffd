"""Records of the fake Discord server, and waiting for them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .discord_records import (
    GatewayConnection,
    GatewayCounters,
    InteractionResponseRecord,
    RecordedMessage,
    RecordedRequest,
    SentInteraction,
    Violation,
)
from .discord_state import DiscordState
from .discord_wire import (
    copy_json,
)

T = TypeVar("T")


class DiscordInspection(DiscordState):
    """What tests read from the fake, and how they wait for it."""

    # ------------------------------------------------------------------ records

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._cond:
            return list(self._requests)

    @property
    def messages(self) -> list[RecordedMessage]:
        """Every message-creating or -editing request, including refused ones."""
        with self._cond:
            return list(self._messages)

    @property
    def accepted_messages(self) -> list[RecordedMessage]:
        with self._cond:
            return [m for m in self._messages if m.accepted]

    @property
    def interaction_responses(self) -> list[InteractionResponseRecord]:
        """Every initial-response attempt (``/callback``), including refused ones."""
        with self._cond:
            return list(self._responses)

    @property
    def violations(self) -> list[Violation]:
        """Every request Discord would refuse; a well-behaved bot leaves this empty."""
        with self._cond:
            return list(self._violations)

    @property
    def synced_commands(self) -> dict[int | None, list[dict[str, Any]]]:
        """The last command list PUT per scope: guild id, or ``None`` for global."""
        with self._cond:
            return copy_json(self._synced)

    @property
    def sync_count(self) -> int:
        """How many bulk-overwrite (PUT) command syncs were accepted."""
        with self._cond:
            return self._sync_count

    @property
    def sent_interactions(self) -> list[SentInteraction]:
        with self._cond:
            return [s.sent for s in self._interactions.values()]

    def interaction(self, interaction_id: int) -> SentInteraction:
        with self._cond:
            return self._interactions[interaction_id].sent

    def responses_for(self, interaction_id: int) -> list[InteractionResponseRecord]:
        with self._cond:
            return [r for r in self._responses if r.interaction_id == interaction_id]

    def messages_for(self, interaction_id: int) -> list[RecordedMessage]:
        """Messages sent through one interaction (response, edits, follow-ups)."""
        with self._cond:
            return [m for m in self._messages if m.interaction_id == interaction_id]

    @property
    def gateway_counters(self) -> GatewayCounters:
        return self._gateway.counters()

    @property
    def gateway_connections(self) -> list[GatewayConnection]:
        """Each websocket connection: path (``/gateway`` or ``/gateway/resume``) and query."""
        with self._cond:
            return list(self._gateway.connections)

    @property
    def gateway_frames_received(self) -> list[dict[str, Any]]:
        """Frames the clients sent (tokens redacted)."""
        with self._cond:
            return copy_json(self._gateway.received)

    @property
    def gateway_close_codes(self) -> list[int]:
        """Close codes the fake closed connections with (4004, 4014, ...)."""
        with self._cond:
            return list(self._gateway.close_codes)

    @property
    def identify_count(self) -> int:
        return self.gateway_counters.identifies

    @property
    def resume_count(self) -> int:
        return self.gateway_counters.resumes

    def clear_records(self) -> None:
        """Forget requests, messages, responses and violations (not the world or sessions)."""
        with self._cond:
            self._requests.clear()
            self._messages.clear()
            self._responses.clear()
            self._violations.clear()

    # ------------------------------------------------------------------ waiting

    def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = ""
    ) -> T:
        """Block until ``predicate()`` returns something truthy and return it.

        The predicate is re-checked whenever the fake records something, and at least
        every 50 ms (so it may also look at the bot's own state).
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate()
                if result:
                    return result
                if self._stopped:
                    raise RuntimeError("fake Discord stopped while waiting")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"fake Discord: no {what or 'match'} within {timeout}s ({self._summary()})"
                    )
                self._cond.wait(min(remaining, 0.05))

    async def wait_for_async(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = ""
    ) -> T:
        return await asyncio.to_thread(self.wait_for, predicate, timeout, what=what)

    def wait_for_message(
        self,
        match: Callable[[RecordedMessage], bool] | None = None,
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> RecordedMessage:
        """The first recorded message at index ≥ ``since`` (see ``len(fake.messages)``)
        that satisfies ``match``."""

        def find() -> RecordedMessage | None:
            for message in self._messages[since:]:
                if match is None or match(message):
                    return message
            return None

        return self.wait_for(find, timeout, what="matching message")

    async def wait_for_message_async(
        self,
        match: Callable[[RecordedMessage], bool] | None = None,
        *,
        since: int = 0,
        timeout: float = 5.0,
    ) -> RecordedMessage:
        return await asyncio.to_thread(self.wait_for_message, match, since=since, timeout=timeout)

    def wait_for_interaction_response(
        self, interaction_id: int, *, timeout: float = 5.0
    ) -> InteractionResponseRecord:
        """The first ``/callback`` attempt for the interaction (check ``.accepted``)."""

        def find() -> InteractionResponseRecord | None:
            for record in self._responses:
                if record.interaction_id == interaction_id:
                    return record
            return None

        return self.wait_for(find, timeout, what=f"response to interaction {interaction_id}")

    async def wait_for_interaction_response_async(
        self, interaction_id: int, *, timeout: float = 5.0
    ) -> InteractionResponseRecord:
        return await asyncio.to_thread(
            self.wait_for_interaction_response, interaction_id, timeout=timeout
        )

    def wait_for_commands(
        self, guild_id: int | None = None, *, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """The commands synced to a guild (or globally for ``None``), once a sync happened."""

        def find() -> tuple[list[dict[str, Any]]] | None:
            if guild_id in self._synced:
                return (copy_json(self._synced[guild_id]),)
            return None

        return self.wait_for(find, timeout, what=f"command sync for {guild_id}")[0]

    async def wait_for_commands_async(
        self, guild_id: int | None = None, *, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self.wait_for_commands, guild_id, timeout=timeout)

    def wait_until_connected(self, *, timeout: float = 5.0) -> GatewayCounters:
        """Until some client has identified or resumed and is connected.

        The fake has then sent READY and the GUILD_CREATEs; discord.py fires ``on_ready``
        ``guild_ready_timeout`` seconds later.
        """

        def find() -> GatewayCounters | None:
            counters = self._gateway.counters()
            return counters if counters.live and counters.sessions_started else None

        return self.wait_for(find, timeout, what="connected gateway session")

    async def wait_until_connected_async(self, *, timeout: float = 5.0) -> GatewayCounters:
        return await asyncio.to_thread(self.wait_until_connected, timeout=timeout)

    def wait_for_reconnect(
        self, since: GatewayCounters, *, timeout: float = 10.0
    ) -> GatewayCounters:
        """Until a client identified or resumed after the ``since`` snapshot and is live."""

        def find() -> GatewayCounters | None:
            now = self._gateway.counters()
            if now.sessions_started > since.sessions_started and now.live:
                return now
            return None

        return self.wait_for(find, timeout, what="gateway reconnect")

    async def wait_for_reconnect_async(
        self, since: GatewayCounters, *, timeout: float = 10.0
    ) -> GatewayCounters:
        return await asyncio.to_thread(self.wait_for_reconnect, since, timeout=timeout)

    def _summary(self) -> str:
        c = self._gateway.counters()
        return (
            f"{len(self._requests)} requests, {len(self._messages)} messages, "
            f"{len(self._responses)} interaction responses, {len(self._violations)} violations, "
            f"gateway: {c.live} live, {c.identifies} identifies, {c.resumes} resumes"
        )

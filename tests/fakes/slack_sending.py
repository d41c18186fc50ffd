"""Deliveries of the fake Slack over Socket Mode: slash commands, events, block actions."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Any

from .slack_socket_mode import SlackSocketMode


class SlackSending(SlackSocketMode):
    """What the fake delivers to a connected app: commands, events, clicks."""

    def send_slash_command(
        self,
        text: str,
        *,
        command: str = "/summary",
        user_id: str = "U1",
        channel_id: str = "C1",
        connect_timeout: float = 10.0,
        **extra: str,
    ) -> str:
        """Deliver a `slash_commands` envelope; returns the envelope id."""
        payload = self.slash_command_payload(
            text, command=command, user_id=user_id, channel_id=channel_id, **extra
        )
        return self.send_envelope(
            "slash_commands",
            payload,
            accepts_response_payload=True,
            connect_timeout=connect_timeout,
        )

    def send_slash_commands(
        self,
        texts: Sequence[str],
        *,
        command: str = "/summary",
        channel_id: str = "C1",
        timeout: float = 10.0,
    ) -> list[str]:
        """Deliver one `slash_commands` envelope per text, back to back on the newest connection.

        This is how Slack delivers commands that many people send at the same
        moment: one frame after another on the app's socket, each with its own
        3-second deadline. The n-th text comes from user ``U<n>``. Returns the
        envelope ids, in order.
        """
        envelopes = [
            {
                "envelope_id": str(uuid.uuid4()),
                "type": "slash_commands",
                "payload": self.slash_command_payload(
                    text, command=command, user_id=f"U{n}", channel_id=channel_id
                ),
                "accepts_response_payload": True,
            }
            for n, text in enumerate(texts)
        ]
        self.wait_for(lambda: self._newest_ready_conn() is not None, timeout, "a connected bot")

        async def burst() -> list[str]:
            return [await self._send_envelope(envelope) for envelope in envelopes]

        return self._run(burst(), timeout)

    async def asend_slash_command(
        self,
        text: str,
        *,
        command: str = "/summary",
        user_id: str = "U1",
        channel_id: str = "C1",
        connect_timeout: float = 10.0,
        **extra: str,
    ) -> str:
        return await asyncio.to_thread(
            lambda: self.send_slash_command(
                text,
                command=command,
                user_id=user_id,
                channel_id=channel_id,
                connect_timeout=connect_timeout,
                **extra,
            )
        )

    def send_event(
        self,
        event: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        connect_timeout: float = 10.0,
    ) -> str:
        """Deliver `event` as an `events_api` envelope; returns the envelope id."""
        return self.send_envelope(
            "events_api",
            self.event_callback(event),
            extra={"retry_attempt": retry_attempt, "retry_reason": retry_reason},
            connect_timeout=connect_timeout,
        )

    async def asend_event(
        self,
        event: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        connect_timeout: float = 10.0,
    ) -> str:
        return await asyncio.to_thread(
            lambda: self.send_event(
                event,
                retry_attempt=retry_attempt,
                retry_reason=retry_reason,
                connect_timeout=connect_timeout,
            )
        )

    def send_block_action(
        self,
        channel: str,
        ts: str,
        text: str | None = None,
        *,
        user_id: str = "U1",
        action: dict[str, Any] | None = None,
        connect_timeout: float = 10.0,
    ) -> str:
        """Click the element named ``text`` on message ``channel/ts`` as ``user_id``: an
        ``interactive`` envelope with a ``block_actions`` payload; returns the envelope id.

        See :meth:`block_actions_payload` (``action`` forges the action). The click's
        ``response_url`` posts are in :meth:`responses_to`.
        """
        payload = self.block_actions_payload(channel, ts, text, user_id=user_id, action=action)
        return self.send_envelope("interactive", payload, connect_timeout=connect_timeout)

    def send_block_actions(
        self,
        channel: str,
        ts: str,
        text: str,
        user_ids: Sequence[str],
        *,
        timeout: float = 10.0,
    ) -> list[str]:
        """One click per user on the element named ``text``, back to back on the newest
        connection, as Slack delivers clicks many people make at once (each with its own
        3 seconds); the envelope ids, in order."""
        envelopes = [
            {
                "envelope_id": str(uuid.uuid4()),
                "type": "interactive",
                "payload": self.block_actions_payload(channel, ts, text, user_id=user),
                "accepts_response_payload": False,
            }
            for user in user_ids
        ]
        self.wait_for(lambda: self._newest_ready_conn() is not None, timeout, "a connected bot")

        async def burst() -> list[str]:
            return [await self._send_envelope(envelope) for envelope in envelopes]

        return self._run(burst(), timeout)

    async def asend_block_action(
        self, channel: str, ts: str, text: str | None = None, **kwargs: Any
    ) -> str:
        return await asyncio.to_thread(lambda: self.send_block_action(channel, ts, text, **kwargs))

    def send_app_mention(self, text: str, **kwargs: Any) -> str:
        return self.send_event(self.app_mention_event(text, **kwargs))

    async def asend_app_mention(self, text: str, **kwargs: Any) -> str:
        return await self.asend_event(self.app_mention_event(text, **kwargs))

    def send_im(self, text: str, **kwargs: Any) -> str:
        return self.send_event(self.im_message_event(text, **kwargs))

    async def asend_im(self, text: str, **kwargs: Any) -> str:
        return await self.asend_event(self.im_message_event(text, **kwargs))

    def send_own_bot_message(self, text: str, **kwargs: Any) -> str:
        return self.send_event(self.own_bot_message_event(text, **kwargs))

    async def asend_own_bot_message(self, text: str, **kwargs: Any) -> str:
        return await self.asend_event(self.own_bot_message_event(text, **kwargs))

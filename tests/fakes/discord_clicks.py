"""Clicks on message components, and what a message looks like after them.

A click is an INTERACTION_CREATE of type 3 (MESSAGE_COMPONENT) whose ``data`` holds the
component's ``custom_id`` and ``component_type`` (2 button, 3 string select) and, for a
select, the chosen ``values``; its ``message`` is the whole message the component sits on,
as Discord sends it. The bot then has 3 seconds for one initial response: 4 (a new message),
5 (deferred new message), 6 (DEFERRED_UPDATE_MESSAGE) or 7 (UPDATE_MESSAGE, which edits the
clicked message in place). After a 6 or a 7, ``@original`` is the clicked message.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .discord_component_limits import BUTTON, SELECT_TYPES, STRING_SELECT
from .discord_inspection import DiscordInspection
from .discord_records import SentInteraction
from .discord_sending import DiscordSending
from .discord_wire import INTERACTION_COMPONENT, copy_json


@dataclass(frozen=True)
class FoundComponent:
    """A component found on a message by its visible text.

    ``value`` is the chosen option's value when the text named a select option, else None.
    """

    custom_id: str
    component_type: int
    label: str
    value: str | None = None
    disabled: bool = False


def _children(message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for row in message.get("components") or []:
        found.extend(c for c in row.get("components") or [] if isinstance(c, Mapping))
    return found


def find_component(message: Mapping[str, Any], text: str) -> FoundComponent:
    """The button whose label is ``text``, or the select option whose label is ``text``
    (or a select whose placeholder or custom_id is ``text``). Raises ``LookupError``."""
    for child in _children(message):
        kind = int(child.get("type") or 0)
        custom_id = str(child.get("custom_id") or "")
        disabled = bool(child.get("disabled"))
        if kind == BUTTON and child.get("label") == text:
            return FoundComponent(custom_id, kind, text, disabled=disabled)
        if kind not in SELECT_TYPES:
            continue
        if text in (child.get("placeholder"), custom_id):
            return FoundComponent(custom_id, kind, text, disabled=disabled)
        for option in child.get("options") or []:
            if option.get("label") == text:
                value = str(option.get("value"))
                return FoundComponent(custom_id, kind, text, value, disabled)
    shown = [
        c.get("label") or c.get("placeholder") or c.get("custom_id") for c in _children(message)
    ]
    raise LookupError(f"no component {text!r} on message {message.get('id')}; it has {shown}")


class DiscordClicks(DiscordSending, DiscordInspection):
    """Component clicks, and the messages' versions for tests to read."""

    def message_now(self, message_id: int) -> dict[str, Any] | None:
        """The message as it is now (after every edit), or None once deleted."""
        with self._cond:
            data = self._all_messages.get(message_id)
            return copy_json(data) if data is not None else None

    def message_history(self, message_id: int) -> list[dict[str, Any]]:
        """Every version of a message, oldest first (kept after a delete)."""
        with self._cond:
            return copy_json(self._history.get(message_id, []))

    def find_component(self, message_id: int, text: str) -> FoundComponent:
        """A component on the message as it is now; see :func:`find_component`."""
        message = self.message_now(message_id)
        if message is None:
            raise LookupError(f"no message {message_id}")
        return find_component(message, text)

    def wait_for_message_version(
        self, message_id: int, version: int = 2, *, timeout: float = 5.0
    ) -> dict[str, Any]:
        """Until the message has at least ``version`` versions (2: edited once); the newest."""

        def find() -> tuple[dict[str, Any]] | None:
            versions = self._history.get(message_id, [])
            return (copy_json(versions[-1]),) if len(versions) >= version else None

        return self.wait_for(find, timeout, what=f"version {version} of {message_id}")[0]

    async def wait_for_message_version_async(
        self, message_id: int, version: int = 2, *, timeout: float = 5.0
    ) -> dict[str, Any]:
        return await asyncio.to_thread(
            self.wait_for_message_version, message_id, version, timeout=timeout
        )

    def click(
        self, message_id: int, text: str, *, user_id: int | None = None, timeout: float = 5.0
    ) -> int:
        """Click the button labelled ``text``, or choose the select option labelled ``text``."""
        found = self.find_component(message_id, text)
        values = [found.value] if found.value is not None else None
        return self.send_component_interaction(
            message_id,
            found.custom_id,
            component_type=found.component_type,
            values=values,
            user_id=user_id,
            timeout=timeout,
        )

    def send_component_interaction(
        self,
        message_id: int,
        custom_id: str,
        *,
        component_type: int = BUTTON,
        values: Sequence[str] | None = None,
        user_id: int | None = None,
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> int:
        """Send INTERACTION_CREATE type 3 for a component on a message; the interaction id.

        The message may be any the fake keeps (a channel message, an interaction response
        or follow-up, ephemeral ones included); ``custom_id`` need not be on it (a forged or
        stale id). ``values`` goes into ``data.values`` for a select (default: none chosen).
        """
        prepared = self._component_interaction(
            message_id, custom_id, component_type, values, user_id, locale
        )
        return self._send_interactions([prepared], timeout)[0]

    def send_component_interactions(
        self,
        message_id: int,
        custom_id: str,
        user_ids: Sequence[int],
        *,
        component_type: int = BUTTON,
        values: Sequence[str] | None = None,
        timeout: float = 5.0,
    ) -> list[int]:
        """One click per user, back to back on the gateway, as Discord delivers clicks
        that many people make at the same moment (each with its own 3 s); the ids."""
        prepared = [
            self._component_interaction(
                message_id, custom_id, component_type, values, user, "en-US"
            )
            for user in user_ids
        ]
        return self._send_interactions(prepared, timeout)

    def _component_interaction(
        self,
        message_id: int,
        custom_id: str,
        component_type: int,
        values: Sequence[str] | None,
        user_id: int | None,
        locale: str,
    ) -> tuple[int, Callable[[], Coroutine[Any, Any, int]]]:
        with self._cond:
            message = self._all_messages.get(message_id)
            if message is None:
                raise ValueError(f"unknown message {message_id}")
            user = self._user(user_id or self._human.id)
            channel = self._channel(int(message["channel_id"]))
            guild = self._guild(channel.guild_id) if channel.guild_id else None
            interaction_id = self._ids.next()
            token = f"fake-interaction-{secrets.token_urlsafe(24)}"
            data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
            if component_type in SELECT_TYPES:
                data["values"] = list(values or [])
                if component_type != STRING_SELECT:
                    data["resolved"] = {}
            payload = self._interaction_envelope(
                interaction_id, INTERACTION_COMPONENT, token, data, user, channel, guild, locale
            )
            payload["message"] = copy_json(message)
            sent = SentInteraction(
                id=interaction_id,
                token=token,
                type=INTERACTION_COMPONENT,
                name=custom_id,
                command_id=0,
                options=(),
                guild_id=guild.id if guild is not None else None,
                channel_id=channel.id,
                user_id=user.id,
                dispatched_at=time.monotonic(),
                payload=copy_json(payload),
                message_id=message_id,
            )
        return interaction_id, self._registrar(sent, payload)

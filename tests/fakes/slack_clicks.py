"""``block_actions`` payloads: a click on a button or a choice in a menu of a shown message.

Shape (Slack's "block_actions payload" reference): ``type``, ``user`` (id, username, name,
team_id), ``api_app_id``, ``token``, ``container`` (``type: message``, ``message_ts``,
``channel_id``, ``is_ephemeral``), ``trigger_id``, ``team``, ``channel``, ``message`` (the
message the element is on; Slack leaves it out for ephemeral messages, which it does not
keep), ``state``, ``response_url`` and ``actions``. A button's action carries ``action_id``,
``block_id``, ``text``, ``value``, ``type: button`` and ``action_ts``; a static select's
carries ``selected_option`` and ``placeholder`` instead of ``text`` and ``value``.

In Socket Mode the payload arrives in an ``interactive`` envelope; in HTTP mode it is POSTed
form-encoded as ``payload=<JSON>``, signed like a slash command. Either way the app has
3 seconds to ack, and the ``response_url`` takes 5 posts within 30 minutes.
"""

from __future__ import annotations

import copy
import time
import uuid
from typing import Any

from .slack_board import SlackBoard, find_action
from .slack_payloads import SlackPayloads
from .slack_records import ResponsePost


class SlackClicks(SlackPayloads, SlackBoard):
    """Builds ``block_actions`` payloads for elements of shown messages."""

    def block_actions_payload(
        self,
        channel: str,
        ts: str,
        text: str | None = None,
        *,
        user_id: str = "U1",
        user_name: str = "alice",
        action: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The payload of a click by ``user_id`` on the element named ``text`` (a button's
        text or a select option's text, see :func:`find_action`) of message ``channel/ts``.

        ``action`` replaces the found action (for forged or stale ids and values); the
        message need not still show the element then.
        """
        message = self.message_at(channel, ts)
        if message is None:
            raise LookupError(f"no message {channel}/{ts}")
        if action is None:
            if text is None:
                raise TypeError("name the element (text=...) or give the action")
            action = self._action_of(message.blocks, text)
        response_url = self.new_response_url(
            channel=channel,
            user=user_id,
            message_ts=ts,
            ephemeral=message.ephemeral,
        )
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {
                "id": user_id,
                "username": user_name,
                "name": user_name,
                "team_id": self.team_id,
            },
            "api_app_id": self.app_id,
            "token": "fake-verification-token",
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": message.ephemeral,
            },
            "trigger_id": f"{next(self._ids)}.{uuid.uuid4().hex[:12]}",
            "team": {"id": self.team_id, "domain": "fake-team"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": f"channel-{channel.lower()}"},
            "state": {"values": {}},
            "response_url": response_url,
            "actions": [{**action, "action_ts": action.get("action_ts") or f"{time.time():.6f}"}],
        }
        if not message.ephemeral:
            with self._cond:
                state = self._message_state.get((channel, ts))
                if state is not None:
                    payload["message"] = copy.deepcopy(state)
        if message.thread_ts:
            payload["container"]["thread_ts"] = message.thread_ts
        return payload

    def _action_of(self, blocks: list[Any], text: str) -> dict[str, Any]:
        found = find_action(blocks, text)
        action: dict[str, Any] = {
            "action_id": found.action_id,
            "block_id": found.block_id,
            "type": found.type,
        }
        if found.type == "button":
            action["text"] = copy.deepcopy(found.element.get("text"))
            if found.value is not None:
                action["value"] = found.value
        else:
            if found.selected_option is not None:
                action["selected_option"] = copy.deepcopy(found.selected_option)
            if found.element.get("placeholder") is not None:
                action["placeholder"] = copy.deepcopy(found.element["placeholder"])
        return action

    def responses_to(self, delivery_id: str) -> list[ResponsePost]:
        """Posts to the ``response_url`` of a delivery (a click or a slash command)."""
        with self._cond:
            envelope = self._envelopes.get(delivery_id)
            url = str(envelope.payload.get("response_url") or "") if envelope else ""
            url_id = url.rstrip("/").rsplit("/", 1)[-1]
            return [r for r in self._responses if url and r.url_id == url_id]

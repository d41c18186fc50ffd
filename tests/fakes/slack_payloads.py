"""Slack payload builders (slash commands, Events API) for the fake Slack server."""

from __future__ import annotations

import time
import uuid
from typing import Any

from .slack_signing import SLASH_COMMAND_FIELDS
from .slack_state import SlackState


class SlackPayloads(SlackState):
    """Builds the payloads Slack delivers, with ids and URLs that point at the fake."""

    def slash_command_payload(
        self,
        text: str,
        *,
        command: str = "/summary",
        user_id: str = "U1",
        channel_id: str = "C1",
        user_name: str = "alice",
        channel_name: str = "general",
        response_url: str | None = None,
        **extra: str,
    ) -> dict[str, str]:
        """All slash-command form fields, with a fresh `response_url` at the fake."""
        payload = {
            "token": "fake-verification-token",
            "team_id": self.team_id,
            "team_domain": "fake-team",
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": self.app_id,
            "is_enterprise_install": "false",
            "response_url": response_url
            or self.new_response_url(command=command, text=text, channel=channel_id, user=user_id),
            "trigger_id": f"{next(self._ids)}.{uuid.uuid4().hex[:12]}",
            **extra,
        }
        assert all(k in payload for k in SLASH_COMMAND_FIELDS)
        return payload

    def event_callback(self, event: dict[str, Any]) -> dict[str, Any]:
        """Wrap `event` in an Events API `event_callback` payload."""
        now = time.time()
        event = {"event_ts": f"{now:.6f}", **event}
        return {
            "token": "fake-verification-token",
            "team_id": self.team_id,
            "api_app_id": self.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids):08d}",
            "event_time": int(now),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }

    def app_mention_event(
        self,
        text: str,
        *,
        user_id: str = "U1",
        channel_id: str = "C1",
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """An `app_mention` event whose text is `<@BOT_USER_ID> {text}`."""
        ts = self._next_ts()
        event: dict[str, Any] = {
            "type": "app_mention",
            "user": user_id,
            "text": f"<@{self.bot_user_id}> {text}",
            "ts": ts,
            "channel": channel_id,
            "team": self.team_id,
        }
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
        return event

    def im_message_event(
        self,
        text: str,
        *,
        user_id: str = "U1",
        channel_id: str = "D1",
        thread_ts: str | None = None,
    ) -> dict[str, Any]:
        """A direct message to the bot (`message` with `channel_type: "im"`)."""
        event: dict[str, Any] = {
            "type": "message",
            "channel_type": "im",
            "user": user_id,
            "text": text,
            "ts": self._next_ts(),
            "channel": channel_id,
            "team": self.team_id,
        }
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
        return event

    def own_bot_message_event(
        self, text: str, *, channel_id: str = "D1", channel_type: str = "im"
    ) -> dict[str, Any]:
        """A `message` event for a message the bot itself posted (carries `bot_id`)."""
        return {
            "type": "message",
            "channel_type": channel_type,
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text,
            "ts": self._next_ts(),
            "channel": channel_id,
            "team": self.team_id,
        }

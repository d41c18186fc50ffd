"""Interaction webhooks of the fake Discord server: follow-ups, @original edits, deletes."""

from __future__ import annotations

from typing import Any

from . import discord_limits as limits
from .discord_callbacks import DiscordCallbacks
from .discord_wire import (
    InteractionState,
    RestRequest,
    copy_json,
)


class DiscordWebhooks(DiscordCallbacks):
    """REST: follow-ups and edits of an interaction's messages through its webhook token."""

    def _webhook_state(
        self, req: RestRequest
    ) -> tuple[InteractionState | None, tuple[int, Any] | None]:
        with self._cond:
            interaction_id = self._interaction_by_token.get(req.params["token"])
            state = self._interactions.get(interaction_id) if interaction_id else None
        if state is None or int(req.params["app_id"]) != self.application_id:
            return None, self._violation(
                req,
                "unknown_webhook",
                "no interaction with that token",
                404,
                limits.UNKNOWN_WEBHOOK,
                "Unknown Webhook",
            )
        age = req.at - state.sent.dispatched_at
        if age > self.followup_window:
            return None, self._violation(
                req,
                "expired_interaction_token",
                f"token used {age:.1f}s after dispatch",
                401,
                limits.INVALID_WEBHOOK_TOKEN,
                "Invalid Webhook Token",
            )
        if not state.acknowledged:
            return None, self._violation(
                req,
                "webhook_before_initial_response",
                f"interaction {state.sent.id} has no initial response yet",
                404,
                limits.UNKNOWN_WEBHOOK,
                "Unknown Webhook",
            )
        return state, None

    def _webhook_message(self, state: InteractionState, message_ref: str) -> dict[str, Any] | None:
        if message_ref == "@original":
            return state.original
        message_id = int(message_ref)
        if state.original is not None and int(state.original["id"]) == message_id:
            return state.original
        return state.followups.get(message_id)

    async def _followup(self, req: RestRequest) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        state, refused = self._webhook_state(req)
        result = refused or self._check_new_message(req, payload)
        message_id = None
        if result is None and state is not None:
            with self._cond:
                message = self._interaction_message(
                    state.sent, payload, int(payload.get("flags") or 0), req
                )
                message_id = int(message["id"])
                state.followups[message_id] = message
                self._remember(message)
                self._echo(req, "MESSAGE_CREATE", message)
            wait = req.query.get("wait") in ("1", "true", "True")
            result = (200, copy_json(message)) if wait else (204, None)
        assert result is not None
        self._record_message(
            req,
            "followup",
            payload,
            *result,
            channel_id=state.sent.channel_id if state else None,
            interaction_id=state.sent.id if state else None,
            message_id=message_id,
        )
        return result

    async def _get_webhook_message(self, req: RestRequest) -> tuple[int, Any]:
        state, refused = self._webhook_state(req)
        if state is None:
            assert refused is not None
            return refused
        with self._cond:
            message = self._webhook_message(state, req.params["message_id"])
            if message is not None:
                return 200, copy_json(message)
        return self._violation(
            req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
        )

    async def _edit_webhook_message(self, req: RestRequest) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        original = req.params["message_id"] == "@original"
        state, refused = self._webhook_state(req)
        result = refused
        message: dict[str, Any] | None = None
        if result is None and state is not None:
            with self._cond:
                message = self._webhook_message(state, req.params["message_id"])
            if message is None:
                result = self._violation(
                    req,
                    "unknown_message",
                    req.path,
                    404,
                    limits.UNKNOWN_MESSAGE,
                    "Unknown Message",
                )
            else:
                refused = self._refuse_edit(req, message, payload)
                if refused is not None:
                    result = refused
                else:
                    if req.files:
                        with self._cond:
                            message["attachments"] = self._attachments(req, state.sent.channel_id)
                    result = (200, self._apply_edit(message, payload))
                    self._echo(req, "MESSAGE_UPDATE", message)
        assert result is not None
        self._record_message(
            req,
            "original_edit" if original else "followup_edit",
            payload,
            *result,
            channel_id=state.sent.channel_id if state else None,
            interaction_id=state.sent.id if state else None,
            message_id=int(message["id"]) if message else None,
        )
        return result

    async def _delete_webhook_message(self, req: RestRequest) -> tuple[int, Any]:
        state, refused = self._webhook_state(req)
        if state is None:
            assert refused is not None
            return refused
        with self._cond:
            message = self._webhook_message(state, req.params["message_id"])
            if message is not None:
                if message is state.original:
                    state.original = None
                    self._forget(int(message["id"]))
                else:
                    state.followups.pop(int(message["id"]), None)
                    self._forget(int(message["id"]))
                return 204, None
        return self._violation(
            req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
        )

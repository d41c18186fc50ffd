"""Interaction callbacks (initial responses) of the fake Discord server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import discord_limits as limits
from .discord_records import (
    InteractionResponseRecord,
    SentInteraction,
)
from .discord_rest import DiscordRest
from .discord_wire import (
    ALLOWED_CALLBACKS,
    CALLBACK_AUTOCOMPLETE,
    CALLBACK_DEFERRED_MESSAGE,
    CALLBACK_DEFERRED_UPDATE,
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    CALLBACK_UPDATE_MESSAGE,
    LOADING_FLAG,
    MESSAGE_TYPE_CHAT_INPUT_COMMAND,
    InteractionState,
    RestRequest,
    copy_json,
)
from .discord_world import (
    message_payload,
)


class DiscordCallbacks(DiscordRest):
    """REST: the initial response to an interaction (``/callback``)."""

    async def _interaction_callback(self, req: RestRequest) -> tuple[int, Any]:
        interaction_id = int(req.params["interaction_id"])
        body = req.json if isinstance(req.json, dict) else {}
        callback_type = body.get("type")
        data = body.get("data") if isinstance(body.get("data"), dict) else None
        with self._cond:
            state = self._interactions.get(interaction_id)
            known = state is not None and state.sent.token == req.params["token"]
        latency = req.at - state.sent.dispatched_at if state is not None else float("nan")

        result: tuple[int, Any] | None = None
        if state is None or not known:
            result = self._violation(
                req,
                "unknown_interaction",
                f"no interaction {interaction_id} with that token",
                404,
                limits.UNKNOWN_INTERACTION,
                "Unknown interaction",
            )
        elif state.acknowledged:
            result = self._violation(
                req,
                "duplicate_interaction_response",
                f"interaction {interaction_id} already answered with type {state.response_type}",
                400,
                limits.ALREADY_ACKNOWLEDGED,
                "Interaction has already been acknowledged.",
            )
        elif latency > self.interaction_deadline:
            result = self._violation(
                req,
                "late_interaction_response",
                f"initial response {latency:.3f}s after dispatch"
                f" (limit {self.interaction_deadline}s)",
                404,
                limits.UNKNOWN_INTERACTION,
                "Unknown interaction",
            )
        else:
            result = self._check_callback(req, state, callback_type, data)

        message_id: int | None = None
        if result is None:
            assert state is not None and isinstance(callback_type, int)
            result, message_id = self._accept_callback(req, state, callback_type, data)

        status, response = result
        accepted = 200 <= status < 300
        response_record = InteractionResponseRecord(
            interaction_id=interaction_id,
            type=callback_type if isinstance(callback_type, int) else -1,
            data=copy_json(data),
            latency=latency,
            accepted=accepted,
            status=status,
            error_code=None if accepted else response.get("code"),
            at=req.at,
        )
        req.after.append(lambda: self._responses.append(response_record))
        if callback_type in (CALLBACK_MESSAGE, CALLBACK_UPDATE_MESSAGE):
            kind = (
                "interaction_response"
                if callback_type == CALLBACK_MESSAGE
                else "interaction_update"
            )
            self._record_message(
                req,
                kind,
                data,
                status,
                response,
                channel_id=state.sent.channel_id if state else None,
                interaction_id=interaction_id,
                message_id=message_id,
            )
        return result

    def _check_callback(
        self,
        req: RestRequest,
        state: InteractionState,
        callback_type: Any,
        data: dict[str, Any] | None,
    ) -> tuple[int, Any] | None:
        allowed = ALLOWED_CALLBACKS.get(state.sent.type, set())
        if callback_type not in allowed:
            error = limits.FieldError(
                ("type",),
                "INTERACTION_CALLBACK_TYPE_INVALID",
                f"Callback type {callback_type} is not valid"
                f" for interaction type {state.sent.type}",
            )
            return self._form_error(req, "invalid_callback_type", [error])
        if callback_type == CALLBACK_MESSAGE:
            return self._check_new_message(req, data or {}, ("data",))
        if callback_type in (CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE_MESSAGE):
            return self._check_update(req, state, data)
        if callback_type == CALLBACK_AUTOCOMPLETE:
            errors = limits.check_autocomplete(data)
            return self._form_error(req, "invalid_autocomplete", errors) if errors else None
        if callback_type == CALLBACK_MODAL:
            missing = [
                limits.FieldError(("data", key), "BASE_TYPE_REQUIRED", "This field is required")
                for key in ("custom_id", "title", "components")
                if not (data or {}).get(key)
            ]
            return self._form_error(req, "invalid_modal", missing) if missing else None
        if data is not None:
            errors = limits.check_message(data, ("data",))
            return self._form_error(req, "invalid_form_body", errors) if errors else None
        return None

    def _accept_callback(
        self,
        req: RestRequest,
        state: InteractionState,
        callback_type: int,
        data: dict[str, Any] | None,
    ) -> tuple[tuple[int, Any], int | None]:
        sent = state.sent
        message: dict[str, Any] | None = None
        with self._cond:
            state.acknowledged = True
            state.response_type = callback_type
            if callback_type in (CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE):
                flags = int((data or {}).get("flags") or 0)
                if callback_type == CALLBACK_DEFERRED_MESSAGE:
                    flags |= LOADING_FLAG
                message = self._interaction_message(sent, data or {}, flags, req)
                state.original = message
                self._remember(message)
                self._echo(req, "MESSAGE_CREATE", message)
            elif callback_type in (CALLBACK_DEFERRED_UPDATE, CALLBACK_UPDATE_MESSAGE):
                # The response's message is the one the component sits on.
                state.original = self._all_messages.get(sent.message_id or 0)
                if state.original is not None and callback_type == CALLBACK_UPDATE_MESSAGE:
                    self._apply_edit(state.original, data or {})
                    self._echo(req, "MESSAGE_UPDATE", state.original)
                    message = state.original
        if req.query.get("with_response") not in ("1", "true", "True"):
            return (204, None), int(message["id"]) if message else None
        interaction: dict[str, Any] = {"id": str(sent.id), "type": sent.type}
        response: dict[str, Any] = {"interaction": interaction}
        if message is not None:
            interaction.update(
                response_message_id=message["id"],
                response_message_loading=callback_type == CALLBACK_DEFERRED_MESSAGE,
                response_message_ephemeral=bool(int(message["flags"]) & (1 << 6)),
            )
            response["resource"] = {"type": callback_type, "message": copy_json(message)}
        return (200, response), int(message["id"]) if message else None

    def _check_update(
        self, req: RestRequest, state: InteractionState, data: dict[str, Any] | None
    ) -> tuple[int, Any] | None:
        """Types 6 and 7 edit the message a component sits on: it must still exist, and
        the edit cannot make a public message ephemeral."""
        with self._cond:
            target = self._all_messages.get(state.sent.message_id or 0)
        if target is None:
            return self._violation(
                req,
                "unknown_message",
                f"message {state.sent.message_id} of interaction {state.sent.id} is gone",
                404,
                limits.UNKNOWN_MESSAGE,
                "Unknown Message",
            )
        return self._refuse_edit(req, target, data or {}, ("data",))

    def _interaction_message(
        self, sent: SentInteraction, data: Mapping[str, Any], flags: int, req: RestRequest
    ) -> dict[str, Any]:
        guild = self._guild(sent.guild_id) if sent.guild_id else None
        return message_payload(
            message_id=self._ids.next(),
            channel_id=sent.channel_id,
            author=self._bot,
            content=str(data.get("content") or ""),
            guild=guild,
            embeds=copy_json(data.get("embeds") or []),
            components=copy_json(data.get("components") or []),
            message_type=MESSAGE_TYPE_CHAT_INPUT_COMMAND,
            webhook_id=self.application_id,
            application_id=self.application_id,
            flags=flags,
            attachments=self._attachments(req, sent.channel_id),
        )

"""REST endpoints of the fake Discord server for guilds, channels and messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import discord_limits as limits
from .discord_records import EPHEMERAL_FLAG
from .discord_rest import DiscordRest
from .discord_wire import (
    MESSAGE_TYPE_DEFAULT,
    MESSAGE_TYPE_REPLY,
    RestRequest,
    copy_json,
    error_body,
)
from .discord_world import (
    FakeChannel,
    message_payload,
)


class DiscordChannelRest(DiscordRest):
    """REST: guilds, channels and their messages."""

    # ------------------------------------------------------------------ REST: channels

    def _channel_for(self, req: RestRequest) -> tuple[FakeChannel | None, tuple[int, Any] | None]:
        channel_id = int(req.params["channel_id"])
        with self._cond:
            channel = self._channels.get(channel_id)
            forbidden = channel_id in self._forbidden_channels
        if channel is None:
            return None, self._violation(
                req,
                "unknown_channel",
                str(channel_id),
                404,
                limits.UNKNOWN_CHANNEL,
                "Unknown Channel",
            )
        if forbidden:
            return None, self._violation(
                req,
                "missing_permissions",
                str(channel_id),
                403,
                limits.MISSING_PERMISSIONS,
                "Missing Permissions",
            )
        return channel, None

    async def _get_guild(self, req: RestRequest) -> tuple[int, Any]:
        """A server the bot is in; as on Discord, any other ID is ``403 Missing Access``."""
        with self._cond:
            for guild in self._guilds:
                if guild.id == int(req.params["guild_id"]):
                    return 200, {
                        "id": str(guild.id),
                        "name": guild.name,
                        "owner_id": str(guild.owner_id),
                    }
        return 403, error_body(50001, "Missing Access")

    async def _get_channel(self, req: RestRequest) -> tuple[int, Any]:
        channel, refused = self._channel_for(req)
        if channel is None:
            assert refused is not None
            return refused
        with self._cond:
            return 200, channel.payload(self._users)

    async def _typing(self, req: RestRequest) -> tuple[int, Any]:
        _channel, refused = self._channel_for(req)
        return refused or (204, None)

    async def _create_message(self, req: RestRequest) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        channel, refused = self._channel_for(req)
        result = refused or self._check_new_message(req, payload)
        if result is None and channel is not None:
            result = self._check_reference(req, payload)
        if result is None and int(payload.get("flags") or 0) & EPHEMERAL_FLAG:
            # Only interaction responses can be ephemeral: Discord posts this one for all.
            self._violation(
                req,
                "ephemeral_channel_message",
                "flag 64 (EPHEMERAL) on a channel message; everyone sees it",
                200,
                0,
                "accepted without the flag",
            )
        if result is None and channel is not None:
            with self._cond:
                guild = self._guild(channel.guild_id) if channel.guild_id else None
                reference = payload.get("message_reference")
                message_id = self._ids.next()
                data = message_payload(
                    message_id=message_id,
                    channel_id=channel.id,
                    author=self._bot,
                    content=str(payload.get("content") or ""),
                    guild=guild,
                    embeds=copy_json(payload.get("embeds") or []),
                    components=copy_json(payload.get("components") or []),
                    message_type=MESSAGE_TYPE_REPLY if reference else MESSAGE_TYPE_DEFAULT,
                    flags=int(payload.get("flags") or 0) & ~EPHEMERAL_FLAG,
                    attachments=self._attachments(req, channel.id),
                    message_reference=copy_json(reference) if reference else None,
                )
                self._remember(data)
            self._echo(req, "MESSAGE_CREATE", data)
            result = (200, copy_json(data))
        else:
            message_id = None
        assert result is not None
        self._record_message(
            req,
            "channel_create",
            payload,
            *result,
            channel_id=int(req.params["channel_id"]),
            message_id=message_id,
        )
        return result

    def _check_reference(
        self, req: RestRequest, payload: Mapping[str, Any]
    ) -> tuple[int, Any] | None:
        reference = payload.get("message_reference")
        if not isinstance(reference, Mapping) or reference.get("message_id") is None:
            return None
        with self._cond:
            known = int(reference["message_id"]) in self._stored_messages
        if known or reference.get("fail_if_not_exists") is False:
            return None
        error = limits.FieldError(
            ("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
        )
        return self._form_error(req, "unknown_message_reference", [error])

    def _stored_message(self, req: RestRequest) -> dict[str, Any] | None:
        with self._cond:
            data = self._stored_messages.get(int(req.params["message_id"]))
            if data is None or int(data["channel_id"]) != int(req.params["channel_id"]):
                return None
            return data

    async def _get_message(self, req: RestRequest) -> tuple[int, Any]:
        data = self._stored_message(req)
        if data is None:
            return self._violation(
                req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
            )
        return 200, copy_json(data)

    async def _edit_message(self, req: RestRequest) -> tuple[int, Any]:
        payload = req.json if isinstance(req.json, dict) else {}
        data = self._stored_message(req)
        result: tuple[int, Any]
        if data is None:
            result = self._violation(
                req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
            )
        elif int(data["author"]["id"]) != self._bot.id:
            result = self._violation(
                req,
                "edit_foreign_message",
                req.path,
                403,
                50005,
                "Cannot edit a message authored by another user",
            )
        else:
            refused = self._refuse_edit(req, data, payload)
            if refused is not None:
                result = refused
            else:
                result = (200, self._apply_edit(data, payload))
                self._echo(req, "MESSAGE_UPDATE", data)
        self._record_message(
            req,
            "channel_edit",
            payload,
            *result,
            channel_id=int(req.params["channel_id"]),
            message_id=int(req.params["message_id"]),
        )
        return result

    async def _delete_message(self, req: RestRequest) -> tuple[int, Any]:
        data = self._stored_message(req)
        if data is None:
            return self._violation(
                req, "unknown_message", req.path, 404, limits.UNKNOWN_MESSAGE, "Unknown Message"
            )
        with self._cond:
            self._forget(int(req.params["message_id"]))
        return 204, None

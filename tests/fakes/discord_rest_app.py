"""REST endpoints of the fake Discord server for users, the application and its commands."""

from __future__ import annotations

from typing import Any

from . import discord_limits as limits
from .discord_rest import DiscordRest
from .discord_wire import (
    RestRequest,
    copy_json,
)


class DiscordAppRest(DiscordRest):
    """REST: the bot user, other users, the application, the gateway URL, commands."""

    # ------------------------------------------------------------------ REST: users & app

    async def _get_me(self, req: RestRequest) -> tuple[int, Any]:
        with self._cond:
            return 200, self._bot_user_payload()

    async def _get_user(self, req: RestRequest) -> tuple[int, Any]:
        with self._cond:
            user = self._users.get(int(req.params["user_id"]))
            if user is None:
                return self._violation(
                    req, "unknown_user", req.path, 404, limits.UNKNOWN_USER, "Unknown User"
                )
            return 200, user.payload()

    async def _get_application(self, req: RestRequest) -> tuple[int, Any]:
        with self._cond:
            return 200, {
                "id": str(self.application_id),
                "name": self._bot.username,
                "description": "",
                "icon": None,
                "rpc_origins": [],
                "bot_public": False,
                "bot_require_code_grant": False,
                "bot": self._bot.payload(),
                "owner": self._human.payload(),
                "team": None,
                "summary": "",
                "verify_key": "0" * 64,
                "flags": 0,
                "interactions_endpoint_url": None,
                "redirect_uris": [],
                "tags": [],
            }

    async def _get_gateway(self, req: RestRequest) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, req: RestRequest) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": self.shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }

    async def _create_dm(self, req: RestRequest) -> tuple[int, Any]:
        body = req.json if isinstance(req.json, dict) else {}
        try:
            user_id = int(body.get("recipient_id", ""))
        except (TypeError, ValueError):
            return self._form_error(
                req,
                "invalid_form_body",
                [
                    limits.FieldError(
                        ("recipient_id",), "BASE_TYPE_REQUIRED", "This field is required"
                    )
                ],
            )
        with self._cond:
            if user_id not in self._users:
                return self._violation(
                    req, "unknown_user", str(user_id), 404, limits.UNKNOWN_USER, "Unknown User"
                )
            return 200, self._dm_channel(user_id).payload(self._users)

    # ------------------------------------------------------------------ REST: commands

    def _check_app(self, req: RestRequest) -> tuple[int, Any] | None:
        if int(req.params["app_id"]) != self.application_id:
            return self._violation(
                req, "unknown_application", req.path, 403, 50001, "Missing Access"
            )
        guild_id = req.params.get("guild_id")
        if guild_id is not None and int(guild_id) not in self.guild_ids:
            return self._violation(req, "unknown_guild", req.path, 403, 50001, "Missing Access")
        return None

    async def _get_commands(self, req: RestRequest) -> tuple[int, Any]:
        refused = self._check_app(req)
        if refused:
            return refused
        scope = int(req.params["guild_id"]) if "guild_id" in req.params else None
        with self._cond:
            return 200, copy_json(self._synced.get(scope, []))

    async def _put_commands(self, req: RestRequest) -> tuple[int, Any]:
        refused = self._check_app(req)
        if refused:
            return refused
        errors = limits.check_commands(req.json)
        if errors:
            return self._form_error(req, "invalid_commands", errors)
        scope = int(req.params["guild_id"]) if "guild_id" in req.params else None
        stored = []
        with self._cond:
            for command in req.json:
                kind = int(command.get("type", 1) or 1)
                entry = copy_json(command)
                entry.update(
                    id=str(self._command_id(scope, kind, command["name"])),
                    application_id=str(self.application_id),
                    version=str(self._ids.next()),
                    type=kind,
                    default_member_permissions=command.get("default_member_permissions"),
                    nsfw=bool(command.get("nsfw", False)),
                )
                entry.setdefault("description", "")
                entry.setdefault("options", [])
                if scope is not None:
                    entry["guild_id"] = str(scope)
                stored.append(entry)
            self._synced[scope] = stored
            self._sync_count += 1
            self._cond.notify_all()
            return 200, copy_json(stored)

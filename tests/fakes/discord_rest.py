"""REST plumbing of the fake Discord server: routing, records, violations, echoes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from . import discord_limits as limits
from .discord_records import (
    EPHEMERAL_FLAG,
    RecordedMessage,
    RecordedRequest,
    Violation,
)
from .discord_state import DiscordState
from .discord_wire import (
    API_PREFIX,
    LOADING_FLAG,
    RestRequest,
    copy_json,
    error_body,
    json_response,
)
from .discord_world import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    message_payload,
)


class DiscordRest(DiscordState):
    """Routing, recording and refusing REST requests; echoing the bot's messages."""

    async def _handle_rest(self, request: web.Request) -> web.StreamResponse:
        at = time.monotonic()
        body, files, bad_body = await self._read_body(request)
        raw_path = request.path
        path = raw_path[len(API_PREFIX) :] if raw_path.startswith(API_PREFIX + "/") else raw_path
        req = RestRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=body,
            files=files,
            authorization=request.headers.get("Authorization"),
            at=at,
        )
        status, response = await self._route(req, prefixed=path != raw_path, bad_body=bad_body)
        # Commit before answering: a bot that got its answer finds the records in place.
        self._commit(req, status, response)
        return json_response(status, response)

    def _commit(self, req: RestRequest, status: int, response: Any) -> None:
        with self._cond:
            for action in req.after:
                action()
            self._requests.append(
                RecordedRequest(
                    method=req.method,
                    path=req.path,
                    query=req.query,
                    json=copy_json(req.json),
                    files=req.files,
                    authorization=req.authorization,
                    status=status,
                    response=response,  # handlers answer with objects of their own
                    at=req.at,
                )
            )
            self._cond.notify_all()

    async def _read_body(self, request: web.Request) -> tuple[Any, tuple[str, ...], bool]:
        """(JSON body or multipart ``payload_json``, uploaded file names, unparseable?)"""
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            names: list[str] = []
            payload: Any = None
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    names.append(value.filename)
                elif key == "payload_json":
                    try:
                        payload = json.loads(str(value))
                    except ValueError:
                        return None, tuple(names), True
            return payload, tuple(names), False
        raw = await request.read()
        if not raw:
            return None, (), False
        try:
            return json.loads(raw), (), False
        except ValueError:
            return None, (), True

    async def _route(self, req: RestRequest, *, prefixed: bool, bad_body: bool) -> tuple[int, Any]:
        with self._cond:
            for fault in self._faults:
                if fault.method == req.method and fault.pattern.fullmatch(req.path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault.status, copy_json(fault.body)
        path_matched = False
        for route in self._routes if prefixed else []:
            found = route.pattern.match(req.path)
            if found is None:
                continue
            path_matched = True
            if route.method != req.method:
                continue
            req.params = {k: v for k, v in found.groupdict().items() if v is not None}
            if route.auth and not self._authorized(req.authorization):
                return self._violation(
                    req, "unauthorized", "bad or revoked bot token", 401, 0, "401: Unauthorized"
                )
            if bad_body:
                return self._violation(
                    req,
                    "invalid_json",
                    "unparseable body",
                    400,
                    50109,
                    "The request body contains invalid JSON.",
                )
            return await route.handler(req)
        if path_matched:
            return self._violation(
                req,
                "method_not_allowed",
                f"{req.method} {req.path}",
                405,
                0,
                "405: Method Not Allowed",
            )
        return self._violation(
            req, "unknown_route", f"{req.method} {req.path}", 404, 0, "404: Not Found"
        )

    def _authorized(self, header: str | None) -> bool:
        with self._cond:
            return not self._token_revoked and header is not None and header == f"Bot {self._token}"

    def _violation(
        self,
        req: RestRequest,
        kind: str,
        detail: str,
        status: int,
        code: int,
        message: str,
        errors: Sequence[limits.FieldError] = (),
    ) -> tuple[int, Any]:
        violation = Violation(
            kind=kind,
            detail=detail,
            method=req.method,
            path=req.path,
            status=status,
            code=code,
            at=req.at,
        )
        req.after.append(lambda: self._violations.append(violation))
        return status, error_body(
            code, message, limits.form_body_errors(errors) if errors else None
        )

    def _form_error(
        self, req: RestRequest, kind: str, errors: Sequence[limits.FieldError]
    ) -> tuple[int, Any]:
        detail = "; ".join(str(e) for e in errors)
        return self._violation(
            req, kind, detail, 400, limits.INVALID_FORM_BODY, "Invalid Form Body", errors
        )

    def _check_new_message(
        self, req: RestRequest, payload: Mapping[str, Any], path: tuple[str, ...] = ()
    ) -> tuple[int, Any] | None:
        errors = limits.check_message(payload, path)
        if errors:
            return self._form_error(req, "invalid_form_body", errors)
        if limits.is_empty_message(payload, file_count=len(req.files)):
            return self._violation(
                req,
                "empty_message",
                "no content, embeds or files",
                400,
                limits.EMPTY_MESSAGE,
                "Cannot send an empty message",
            )
        return None

    def _record_message(
        self,
        req: RestRequest,
        kind: str,
        payload: Mapping[str, Any] | None,
        status: int,
        response: Any,
        *,
        channel_id: int | None = None,
        interaction_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        payload = copy_json(dict(payload or {}))  # the record's own copy, shared inside
        accepted = 200 <= status < 300
        code = None if accepted or not isinstance(response, Mapping) else response.get("code")
        content = payload.get("content")
        embeds = payload.get("embeds") or []
        allowed = payload.get("allowed_mentions")
        record = RecordedMessage(
            kind=kind,
            message_id=message_id if accepted else None,
            channel_id=channel_id,
            interaction_id=interaction_id,
            content=content if isinstance(content, str) else None,
            embeds=tuple(e for e in embeds if isinstance(e, dict)),
            allowed_mentions=allowed if isinstance(allowed, dict) else None,
            flags=int(payload.get("flags") or 0),
            files=req.files,
            payload=payload,
            accepted=accepted,
            status=status,
            error_code=code if isinstance(code, int) else None,
            at=req.at,
        )
        req.after.append(lambda: self._messages.append(record))

    def _attachments(self, req: RestRequest, channel_id: int) -> list[dict[str, Any]]:
        result = []
        for name in req.files:
            attachment_id = self._ids.next()
            url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{name}"
            result.append(
                {
                    "id": str(attachment_id),
                    "filename": name,
                    "size": 0,
                    "url": url,
                    "proxy_url": url,
                }
            )
        return result

    def _message_event(
        self,
        intents: int,
        data: Mapping[str, Any],
        *,
        content_visible: bool,
        snapshot: bool = False,
    ) -> dict[str, Any] | None:
        """A message event as a session with these intents receives it, or None.

        ``snapshot``: ``data`` is already a private copy, which only needs its top level
        replaced for a session that may not see the content.
        """
        in_guild = "guild_id" in data
        needed = INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES
        if not intents & needed:
            return None
        event = dict(data) if snapshot else copy_json(dict(data))
        hidden = (
            self.emulate_message_content_intent
            and in_guild
            and not content_visible
            and not intents & INTENT_MESSAGE_CONTENT
        )
        if hidden:
            event.update(content="", embeds=[], attachments=[], components=[])
        return event

    def _echo(self, req: RestRequest, event: str, message: Mapping[str, Any]) -> None:
        """Dispatch the bot's own new or edited message, as Discord does (not ephemeral
        ones), once the REST handler is done."""
        if not self.echo_own_messages or int(message.get("flags") or 0) & EPHEMERAL_FLAG:
            return
        data = copy_json(dict(message))  # as it is now: an edit may follow before the dispatch

        def data_for(intents: int) -> dict[str, Any] | None:
            return self._message_event(intents, data, content_visible=True, snapshot=True)

        def spawn() -> None:
            task = asyncio.get_running_loop().create_task(self._gateway.dispatch(event, data_for))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        req.after.append(spawn)

    def _apply_edit(self, data: dict[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
        with self._cond:
            if "content" in payload:
                data["content"] = payload.get("content") or ""
            if "embeds" in payload:
                data["embeds"] = copy_json(payload.get("embeds") or [])
            if "components" in payload:
                data["components"] = copy_json(payload.get("components") or [])
            old = int(data.get("flags") or 0)
            new = old
            if "flags" in payload and payload["flags"] is not None:
                new = int(payload["flags"])
            # An edit cannot make a message ephemeral or public.
            data["flags"] = (new & ~LOADING_FLAG & ~EPHEMERAL_FLAG) | (old & EPHEMERAL_FLAG)
            data["edited_timestamp"] = message_payload(
                message_id=0, channel_id=0, author=self._bot, content=""
            )["timestamp"]
            self._history.setdefault(int(data["id"]), []).append(copy_json(data))
            return copy_json(data)

    def _refuse_edit(
        self,
        req: RestRequest,
        data: Mapping[str, Any],
        payload: Mapping[str, Any],
        path: tuple[str, ...] = (),
    ) -> tuple[int, Any] | None:
        """The answer to an edit Discord refuses: over a limit, or one asking to make a
        public message ephemeral (an edit can only change SUPPRESS_EMBEDS, so the message
        would stay public); None for an acceptable edit."""
        wanted = int(payload.get("flags") or 0) & EPHEMERAL_FLAG
        if wanted and not int(data.get("flags") or 0) & EPHEMERAL_FLAG:
            error = limits.FieldError(
                (*path, "flags"),
                "MESSAGE_CANNOT_EDIT_EPHEMERAL_FLAG",
                "An edit cannot make a public message ephemeral",
            )
            return self._form_error(req, "ephemeral_flag_change", [error])
        errors = limits.check_message(payload, path)
        return self._form_error(req, "invalid_form_body", errors) if errors else None

    def _remember(self, data: dict[str, Any]) -> None:
        """Keep a new message (and its first version); ephemeral ones are not in the channel."""
        with self._cond:
            message_id = int(data["id"])
            self._all_messages[message_id] = data
            if not int(data.get("flags") or 0) & EPHEMERAL_FLAG:
                self._stored_messages[message_id] = data
            self._history.setdefault(message_id, []).append(copy_json(data))

    def _forget(self, message_id: int) -> None:
        """A deleted message: gone from the channel; its versions stay readable."""
        with self._cond:
            self._stored_messages.pop(message_id, None)
            self._all_messages.pop(message_id, None)

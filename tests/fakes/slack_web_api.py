"""Web API (`/api/<method>`) and response_url (`/respond/<id>`) endpoints of the fake."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .slack_board import SlackBoard, opt_bool
from .slack_limits import check_message, parse_blocks
from .slack_records import ApiCall, PostedMessage, ResponsePost

APP_METHODS = frozenset({"apps.connections.open"})
# Errors that are the bot's fault and therefore recorded as violations.
VIOLATION_ERRORS = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "invalid_arguments",
        "not_allowed_token_type",
        "not_authed",
        "unknown_method",
        "invalid_json",
        "message_not_found",
        "cant_update_message",
    }
)
OAUTH_SCOPES = "app_mentions:read,channels:read,chat:write,commands,im:history,users:read"


class SlackWebApi(SlackBoard):
    """aiohttp handlers for the Web API methods and response_url posts."""

    # ------------------------------------------------------------------ Web API

    async def _read_args(self, request: web.Request) -> tuple[dict[str, Any], str | None]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    return args, "invalid_json"
                if not isinstance(body, dict):
                    return args, "invalid_json"
                args.update(body)
            else:
                form = await request.post()
                args.update({k: v for k, v in form.items() if isinstance(v, str)})
        return args, None

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, parse_error = await self._read_args(request)
        token = args.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[len("Bearer ") :]
        headers: dict[str, str] = {}
        fault = self._take_fault(method)
        if fault is not None:
            status = fault.status
            body: dict[str, Any] = {"ok": False, "error": fault.error}
            if fault.retry_after is not None:
                headers["Retry-After"] = str(int(fault.retry_after))
        else:
            status = 200
            body = (
                {"ok": False, "error": parse_error}
                if parse_error
                else self._dispatch(method, args, token, headers)
            )
        error = body.get("error")
        if fault is None and isinstance(error, str) and error in VIOLATION_ERRORS:
            self._violate(error, f"{method}: {body.get('detail', error)}", method=method, args=args)
        with self._cond:
            self._calls.append(
                ApiCall(method, args, token, time.monotonic(), request.method, status, body)
            )
            self._cond.notify_all()
        return web.json_response(body, status=status, headers=headers)

    def _dispatch(
        self, method: str, args: dict[str, Any], token: str | None, headers: dict[str, str]
    ) -> dict[str, Any]:
        handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "users.info": self._users_info,
            "conversations.info": self._conversations_info,
        }
        handler = handlers.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        with self._cond:
            if not token:
                return {"ok": False, "error": "not_authed"}
            if token in self._revoked:
                return {"ok": False, "error": "token_revoked"}
            if token not in self._tokens:
                return {"ok": False, "error": "invalid_auth"}
        if (method in APP_METHODS) != token.startswith("xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        headers["X-OAuth-Scopes"] = OAUTH_SCOPES if self.scopes is None else self.scopes
        with self._cond:
            return handler(args)

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"{self.base_url}/",
            "team": "Fake Team",
            "user": "summary-bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        n = next(self._ids)
        self._issued_urls.add(n)
        return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/socket/{n}"}

    def _checked_message(
        self, method: str, args: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[Any]]:
        """Validate a chat.* payload; returns (error body or None, parsed blocks)."""
        if not args.get("channel"):
            return {"ok": False, "error": "invalid_arguments", "detail": "channel missing"}, []
        check = check_message(args)
        if not check.ok:
            return {"ok": False, "error": check.error, "detail": "; ".join(check.problems)}, []
        blocks, _ = parse_blocks(args.get("blocks"))
        return None, blocks or []

    def _record_message(
        self, method: str, args: dict[str, Any], ts: str, blocks: list[Any]
    ) -> PostedMessage:
        thread_ts = args.get("thread_ts")
        msg = PostedMessage(
            method=method,
            channel=str(args["channel"]),
            ts=ts,
            text=args.get("text"),
            blocks=blocks,
            thread_ts=str(thread_ts) if thread_ts else None,
            user=args.get("user"),
            args=dict(args),
            at=time.monotonic(),
        )
        self._messages.append(msg)
        self._cond.notify_all()
        return msg

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        error, blocks = self._checked_message("chat.postMessage", args)
        if error is not None:
            return error
        ts = self._next_ts()
        msg = self._record_message("chat.postMessage", args, ts, blocks)
        shown = self._show_new(
            msg.channel, ts, msg.text, blocks, "chat.postMessage", thread_ts=msg.thread_ts
        )
        state = self._bot_message(ts, msg.text, shown, msg.thread_ts)
        self._message_state[(msg.channel, ts)] = state
        return {"ok": True, "channel": msg.channel, "ts": ts, "message": dict(state)}

    def _post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user"):
            return {"ok": False, "error": "invalid_arguments", "detail": "user missing"}
        error, blocks = self._checked_message("chat.postEphemeral", args)
        if error is not None:
            return error
        ts = self._next_ts()
        msg = self._record_message("chat.postEphemeral", args, ts, blocks)
        self._show_new(
            msg.channel,
            ts,
            msg.text,
            blocks,
            "chat.postEphemeral",
            visible_to=str(args["user"]),
            thread_ts=msg.thread_ts,
        )
        return {"ok": True, "message_ts": ts}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("ts"):
            return {"ok": False, "error": "invalid_arguments", "detail": "ts missing"}
        error, blocks = self._checked_message("chat.update", args)
        if error is not None:
            return error
        key = (str(args["channel"]), str(args["ts"]))
        state = self._message_state.get(key)
        if state is None:
            shown = self._board.get(key)
            if shown is not None and shown.ephemeral:
                detail = "an ephemeral message: only its response_url can change it"
                return {"ok": False, "error": "message_not_found", "detail": detail}
            detail = f"no message of the bot at {key[0]}/{key[1]}"
            return {"ok": False, "error": "message_not_found", "detail": detail}
        self._record_message("chat.update", args, key[1], blocks)
        shown_blocks = self._show_version(key[0], key[1], args.get("text"), blocks, "chat.update")
        state.update({"text": args.get("text") or "", "blocks": shown_blocks})
        return {
            "ok": True,
            "channel": key[0],
            "ts": key[1],
            "text": state["text"],
            "message": dict(state),
        }

    def set_user(self, user_id: str, **fields: Any) -> None:
        """Override what users.info returns for `user_id` (merged over the default)."""
        with self._cond:
            self._users[user_id] = {**self._default_user(user_id), **fields}

    def set_channel(self, channel_id: str, **fields: Any) -> None:
        """Override what conversations.info returns for `channel_id`."""
        with self._cond:
            self._channels[channel_id] = {**self._default_channel(channel_id), **fields}

    def _default_user(self, user_id: str) -> dict[str, Any]:
        name = f"user-{user_id.lower()}"
        return {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": name.title(),
            "deleted": False,
            "is_bot": user_id == self.bot_user_id,
            "tz": "Europe/Amsterdam",
            "tz_offset": 3600,
            "profile": {"real_name": name.title(), "display_name": name},
        }

    def _default_channel(self, channel_id: str) -> dict[str, Any]:
        return {
            "id": channel_id,
            "name": f"channel-{channel_id.lower()}",
            "is_channel": channel_id.startswith("C"),
            "is_group": channel_id.startswith("G"),
            "is_im": channel_id.startswith("D"),
            "is_private": not channel_id.startswith("C"),
            "is_member": True,
            "is_archived": False,
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user", ""))
        user = self._users.get(user_id)
        if user is None and user_id[:1] in ("U", "W"):
            user = self._default_user(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = str(args.get("channel", ""))
        channel = self._channels.get(channel_id)
        if channel is None and channel_id[:1] in ("C", "G", "D"):
            channel = self._default_channel(channel_id)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": channel}

    async def _handle_respond(self, request: web.Request) -> web.Response:
        url_id = request.match_info["id"]
        now = time.monotonic()
        body: dict[str, Any] = {}
        if request.content_type == "application/json":
            with contextlib.suppress(ValueError):
                parsed = await request.json()
                body = parsed if isinstance(parsed, dict) else {}
        else:
            form = await request.post()
            raw = form.get("payload")
            if isinstance(raw, str):
                with contextlib.suppress(ValueError):
                    body = json.loads(raw)
        status, error = self._respond_status(url_id, body, now)
        blocks, _ = parse_blocks(body.get("blocks"))
        if status == 200:
            shown = self._show_response(url_id, body, blocks or [], "response_url")
            channel, message_ts = shown
        else:
            channel, message_ts = None, None
        thread_ts = body.get("thread_ts")
        with self._cond:
            entry = self._response_urls.get(url_id)
            index = entry.posts if entry is not None and status == 200 else 0
            self._responses.append(
                ResponsePost(
                    url=str(request.url),
                    url_id=url_id,
                    index=index,
                    status=status,
                    error=error,
                    response_type=str(body.get("response_type") or "ephemeral"),
                    replace_original=opt_bool(body.get("replace_original")),
                    delete_original=opt_bool(body.get("delete_original")),
                    thread_ts=str(thread_ts) if thread_ts else None,
                    text=body.get("text"),
                    blocks=blocks or [],
                    body=body,
                    at=now,
                    channel=channel,
                    message_ts=message_ts,
                )
            )
            self._cond.notify_all()
        if status == 200:
            return web.json_response({"ok": True})
        return web.json_response({"ok": False, "error": error}, status=status)

    def _respond_status(
        self, url_id: str, body: dict[str, Any], now: float
    ) -> tuple[int, str | None]:
        fault = self._take_fault("response_url")
        if fault is not None:
            return fault.status, fault.error
        with self._cond:
            entry = self._response_urls.get(url_id)
            if entry is None:
                self._violate("unknown_response_url", f"POST to unknown response_url {url_id}")
                return 404, "invalid_url"
            if now - entry.created_at > self.response_url_ttl:
                self._violate("expired_url", f"response_url {url_id} used after its lifetime")
                return 404, "expired_url"
            if entry.posts >= self.response_url_max_posts:
                self._violate(
                    "used_url",
                    f"response_url {url_id} posted more than {self.response_url_max_posts} times",
                )
                return 404, "used_url"
            # A delete needs no text.
            check = check_message(body, require_text=not opt_bool(body.get("delete_original")))
            if not check.ok:
                self._violate(
                    check.error or "invalid", f"response_url: {'; '.join(check.problems)}"
                )
                return 400, check.error
            entry.posts += 1
            return 200, None

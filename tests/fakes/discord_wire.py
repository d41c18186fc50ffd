"""Discord's wire constants, JSON helpers and the fake's request bookkeeping types."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from aiohttp import web

from .discord_records import (
    SentInteraction,
)

T = TypeVar("T")


API_PREFIX = "/api/v10"
INTERACTION_APPLICATION_COMMAND = 2
INTERACTION_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_AUTOCOMPLETE = 8
CALLBACK_MODAL = 9
ALLOWED_CALLBACKS = {
    INTERACTION_APPLICATION_COMMAND: {CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_MODAL},
    INTERACTION_AUTOCOMPLETE: {CALLBACK_AUTOCOMPLETE},
    INTERACTION_COMPONENT: {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED_MESSAGE,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE_MESSAGE,
        CALLBACK_MODAL,
    },
}
MESSAGE_TYPE_DEFAULT = 0
MESSAGE_TYPE_REPLY = 19
MESSAGE_TYPE_CHAT_INPUT_COMMAND = 20
LOADING_FLAG = 1 << 7
APP_FLAG_PRESENCE_LIMITED = 1 << 13
APP_FLAG_GUILD_MEMBERS_LIMITED = 1 << 15
APP_FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19
MENTION = re.compile(r"<@!?(\d+)>")


def json_response(status: int, body: Any) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json``.

    ``web.json_response`` appends ``; charset=utf-8`` and discord.py then treats the body
    as text, which breaks login.
    """
    if status == 204:
        return web.Response(status=204)
    headers = {"Content-Type": "application/json", "Via": "1.1 fake-discord"}
    if status == 429 and isinstance(body, dict) and "retry_after" in body:
        # Discord's API answers through a proxy (discord.py reads a 429 without a Via
        # header as a Cloudflare ban) and says when to retry.
        headers["Retry-After"] = str(body["retry_after"])
    return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)


def copy_json(value: T) -> T:
    """A deep copy of JSON-shaped data (what the fake keeps and sends), made quickly.

    Dicts, lists and tuples are rebuilt; strings, numbers, booleans and None are
    immutable and shared; anything else is deep-copied the usual way.
    """
    kind = type(value)
    if kind is dict:
        return cast(T, {key: copy_json(item) for key, item in cast(dict[Any, Any], value).items()})
    if kind is list:
        return cast(T, [copy_json(item) for item in cast(list[Any], value)])
    if kind in _IMMUTABLE or value is None:
        return value
    if kind is tuple:
        return cast(T, tuple(copy_json(item) for item in cast(tuple[Any, ...], value)))
    return copy.deepcopy(value)


_IMMUTABLE = frozenset({str, int, float, bool, bytes})


def error_body(code: int, message: str, errors: Mapping[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = dict(errors)
    return body


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _options_list(
    options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
) -> list[dict[str, Any]]:
    if options is None:
        return []
    if isinstance(options, Mapping):
        return [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
    return [dict(o) for o in options]


@dataclass
class RestRequest:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: tuple[str, ...]
    authorization: str | None
    at: float
    params: dict[str, str] = field(default_factory=dict)
    # Record-keeping run under the fake's lock, all at once, when the handler is done.
    after: list[Callable[[], None]] = field(default_factory=list)


Handler = Callable[[RestRequest], Awaitable[tuple[int, Any]]]


@dataclass
class RestRoute:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool


@dataclass
class RestFault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    remaining: int


@dataclass
class InteractionState:
    sent: SentInteraction
    acknowledged: bool = False
    response_type: int | None = None
    original: dict[str, Any] | None = None
    followups: dict[int, dict[str, Any]] = field(default_factory=dict)

"""One log record per answered command: where it came from, what it was, how long it took.

:func:`logged` and :func:`logged_async` wrap the dispatcher's two ways of
answering. The record (INFO, logger ``adapters.command_log``) carries the
context fields that JSON log lines show (see :mod:`adapters.log_setup`):
``platform``, ``channel``, ``command`` (the kind of reply: ``overview``,
``section``, ``answer``, ``error``, ...) and ``latency_ms``, the time from the
command reaching the dispatcher to its reply being ready. Nothing a person
typed is logged. A call made from inside another logged call (the quick path
of ``reply_to``) is not logged twice.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Concatenate, ParamSpec, TypeVar

from bot.chat.replies import Reply
from bot.chat.routing import Message

__all__ = ["log_answer", "logged", "logged_async"]

log = logging.getLogger(__name__)

P = ParamSpec("P")
S = TypeVar("S")
_inside = ContextVar("command_log_inside", default=False)


def log_answer(message: Message, platform: str, reply: Reply, seconds: float) -> None:
    channel = message.channel or "-"
    where = platform or "console"
    latency_ms = round(seconds * 1000, 3)
    log.info(
        "%s %s: %s in %.1f ms",
        where,
        channel,
        reply.kind.value,
        latency_ms,
        extra={
            "platform": where,
            "channel": channel,
            "command": reply.kind.value,
            "latency_ms": latency_ms,
        },
    )


def logged(
    answer: Callable[Concatenate[S, Message, P], Reply],
) -> Callable[Concatenate[S, Message, P], Reply]:
    @functools.wraps(answer)
    def answering(self: S, message: Message, /, *args: P.args, **kwargs: P.kwargs) -> Reply:
        if _inside.get():
            return answer(self, message, *args, **kwargs)
        started = time.perf_counter()
        token = _inside.set(True)
        try:
            reply = answer(self, message, *args, **kwargs)
        finally:
            _inside.reset(token)
        log_answer(message, str(kwargs.get("platform", "")), reply, time.perf_counter() - started)
        return reply

    return answering


def logged_async(
    answer: Callable[Concatenate[S, Message, P], Awaitable[Reply]],
) -> Callable[Concatenate[S, Message, P], Awaitable[Reply]]:
    @functools.wraps(answer)
    async def answering(self: S, message: Message, /, *args: P.args, **kwargs: P.kwargs) -> Reply:
        if _inside.get():
            return await answer(self, message, *args, **kwargs)
        started = time.perf_counter()
        token = _inside.set(True)
        try:
            reply = await answer(self, message, *args, **kwargs)
        finally:
            _inside.reset(token)
        log_answer(message, str(kwargs.get("platform", "")), reply, time.perf_counter() - started)
        return reply

    return answering

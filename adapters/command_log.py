"""One log record per answered command: where it came from, what it was, how long it took.

:func:`log_answer` is called by the dispatcher once for each command it
answers, however it ran. The record (INFO, logger ``adapters.command_log``)
carries the context fields that JSON log lines show (see
:mod:`adapters.log_setup`): ``platform``, ``channel``, ``command`` (the kind of
reply: ``overview``, ``section``, ``answer``, ``error``, ...) and
``latency_ms``, the time from the command reaching the dispatcher to its reply
being ready. Nothing a person typed is logged.
"""

from __future__ import annotations

import logging

from bot.chat.replies import Reply
from bot.chat.requests import Request

__all__ = ["log_answer"]

log = logging.getLogger(__name__)


def log_answer(request: Request, reply: Reply, seconds: float) -> None:
    channel = request.channel or "-"
    where = request.platform or "console"
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

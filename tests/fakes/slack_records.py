"""Immutable records the fake Slack server keeps of everything a bot did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ApiCall:
    """One Web API request (`/api/<method>`), including refused and fault-injected ones."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float  # time.monotonic() when the request arrived
    http_method: str
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        err = self.response.get("error")
        return err if isinstance(err, str) else None


@dataclass(frozen=True)
class PostedMessage:
    """A successful chat.postMessage / chat.postEphemeral / chat.update."""

    method: str
    channel: str
    ts: str
    text: str | None
    blocks: list[Any]
    thread_ts: str | None
    user: str | None  # the recipient of an ephemeral message
    args: dict[str, Any]
    at: float


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a `response_url` (accepted or refused)."""

    url: str
    url_id: str
    index: int  # 1-based count of posts this URL has received
    status: int
    error: str | None
    response_type: str  # "ephemeral" (Slack's default) or "in_channel"
    replace_original: bool | None
    delete_original: bool | None
    thread_ts: str | None
    text: str | None
    blocks: list[Any]
    body: dict[str, Any]
    at: float
    via: str = "response_url"  # or "ack": the message came in the command's ack
    channel: str | None = None  # where the post showed a message (see FakeSlack.message_at)
    message_ts: str | None = None  # the message it created, replaced or deleted

    @property
    def accepted(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class Envelope:
    """A Socket Mode envelope the fake sent to a bot."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    sent_at: float
    connection_id: int
    accepts_response_payload: bool


@dataclass(frozen=True)
class Ack:
    """A bot's acknowledgement of a delivery.

    `via="socket"`: a Socket Mode ack frame; `via="http"`: the HTTP response to a signed
    request the fake POSTed to the bot (`status` is its HTTP status, `None` when the request
    failed or timed out). `latency` is measured on the fake's own clock and loop.
    """

    envelope_id: str
    type: str
    payload: dict[str, Any] | None
    sent_at: float
    received_at: float | None
    late: bool
    via: str
    status: int | None = None
    connection_id: int | None = None
    raw: str | None = None

    @property
    def latency(self) -> float | None:
        return None if self.received_at is None else self.received_at - self.sent_at


@dataclass(frozen=True)
class Violation:
    """A platform rule the bot broke (bad blocks, missed ack deadline, overused URL ...)."""

    kind: str
    detail: str
    at: float
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageVersion:
    """One version of a shown message: as posted, then after each edit."""

    text: str | None
    blocks: list[Any]
    via: str  # chat.postMessage, chat.postEphemeral, chat.update, response_url, ack
    at: float
    deleted: bool = False


@dataclass(frozen=True)
class SlackMessage:
    """A message as people in the channel see it now, with every earlier version.

    An ephemeral message is shown only to ``visible_to``; Slack keeps no copy of it, so
    ``chat.update`` cannot reach it (only the ``response_url`` of a click on it can).
    """

    channel: str
    ts: str
    ephemeral: bool
    visible_to: str | None
    thread_ts: str | None
    versions: tuple[MessageVersion, ...]

    @property
    def text(self) -> str | None:
        return self.versions[-1].text

    @property
    def blocks(self) -> list[Any]:
        return self.versions[-1].blocks

    @property
    def deleted(self) -> bool:
        return self.versions[-1].deleted

    @property
    def edited(self) -> bool:
        return len(self.versions) > 1

    def visible_for(self, user: str) -> bool:
        return not self.deleted and (not self.ephemeral or self.visible_to == user)


@dataclass(frozen=True)
class FoundAction:
    """An interactive element found on a message by the text people see on it.

    ``selected_option`` is set when the text named an option of a select menu.
    """

    action_id: str
    block_id: str
    type: str
    text: str
    value: str | None
    selected_option: dict[str, Any] | None
    element: dict[str, Any]

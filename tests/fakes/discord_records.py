"""Immutable records the fake Discord server keeps of everything a bot did to it.

Times are ``time.monotonic()`` values taken on the fake's own thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .discord_limits import allows_no_mentions

EPHEMERAL_FLAG = 1 << 6


@dataclass(frozen=True)
class RecordedRequest:
    """One REST request, including the refused ones."""

    method: str
    path: str  # below the API prefix, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # parsed JSON body, or the `payload_json` part of a multipart body
    files: tuple[str, ...]  # file names of multipart uploads
    authorization: str | None
    status: int
    response: Any
    at: float


@dataclass(frozen=True)
class RecordedMessage:
    """A request that creates or edits a message, accepted or not.

    ``kind`` is one of ``channel_create``, ``channel_edit``, ``interaction_response``
    (callback type 4), ``interaction_update`` (callback type 7), ``followup``,
    ``original_edit`` (PATCH @original) and ``followup_edit``.
    """

    kind: str
    message_id: int | None  # None when refused
    channel_id: int | None
    interaction_id: int | None
    content: str | None
    embeds: tuple[dict[str, Any], ...]
    allowed_mentions: dict[str, Any] | None
    flags: int
    files: tuple[str, ...]
    payload: dict[str, Any]
    accepted: bool
    status: int
    error_code: int | None
    at: float

    @property
    def allows_no_mentions(self) -> bool:
        """True when the request carried ``allowed_mentions`` that allow no pings at all."""
        return allows_no_mentions(self.allowed_mentions)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL_FLAG)

    @property
    def components(self) -> list[dict[str, Any]]:
        """The action rows the request carried (empty when it had none)."""
        rows = self.payload.get("components")
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []

    @property
    def text(self) -> str:
        """Content plus every embed's title, description, field and footer text."""
        parts = [self.content or ""]
        for embed in self.embeds:
            parts.append(str(embed.get("title") or ""))
            parts.append(str(embed.get("description") or ""))
            for fld in embed.get("fields") or []:
                parts.append(str(fld.get("name") or ""))
                parts.append(str(fld.get("value") or ""))
            footer = embed.get("footer") or {}
            parts.append(str(footer.get("text") or ""))
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class InteractionResponseRecord:
    """One ``POST /interactions/{id}/{token}/callback`` attempt."""

    interaction_id: int
    type: int  # callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8, 9
    data: dict[str, Any] | None
    latency: float  # seconds between the INTERACTION_CREATE being sent and this request
    accepted: bool
    status: int
    error_code: int | None
    at: float


@dataclass(frozen=True)
class Violation:
    """A request Discord would refuse (or a platform rule the bot broke)."""

    kind: str
    detail: str
    method: str
    path: str
    status: int
    code: int
    at: float


@dataclass(frozen=True)
class SentInteraction:
    """An INTERACTION_CREATE the fake sent."""

    id: int
    token: str
    type: int  # 2 application command, 3 message component, 4 autocomplete
    name: str  # the command's name, or a component's custom_id
    command_id: int
    options: tuple[dict[str, Any], ...]
    guild_id: int | None
    channel_id: int
    user_id: int
    dispatched_at: float
    payload: dict[str, Any] = field(compare=False)
    message_id: int | None = None  # a component interaction: the message clicked on


@dataclass(frozen=True)
class GatewayConnection:
    """One websocket connection to the fake gateway."""

    number: int
    path: str
    query: dict[str, str]
    opened_at: float


@dataclass(frozen=True)
class GatewayCounters:
    """Counts of gateway happenings; compare two snapshots to see what changed."""

    connections: int
    identifies: int  # READY + GUILD_CREATEs fully sent
    resumes: int  # missed events replayed + RESUMED sent
    heartbeats: int
    drops: int  # connections closed by drop_connections()
    invalid_sessions: int  # op 9 sent, by request or because a RESUME was refused
    live: int  # connections open right now with an identified or resumed session

    @property
    def sessions_started(self) -> int:
        return self.identifies + self.resumes

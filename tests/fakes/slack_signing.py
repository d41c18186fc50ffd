"""Slack HTTP-mode request signing and slash-command form building.

Slack signs every HTTP request it sends to an app:
`X-Slack-Signature: v0=hex(HMAC_SHA256(signing_secret, "v0:{timestamp}:{raw body}"))`, with
the Unix timestamp in `X-Slack-Request-Timestamp`. slack_sdk's `SignatureVerifier` rejects
timestamps more than 5 minutes off.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

STALE_SECONDS = 60 * 5 + 60  # comfortably beyond slack_sdk's 5-minute window

SLASH_COMMAND_FIELDS = (
    "token",
    "team_id",
    "team_domain",
    "channel_id",
    "channel_name",
    "user_id",
    "user_name",
    "command",
    "text",
    "api_app_id",
    "response_url",
    "trigger_id",
)


def sign(signing_secret: str, body: str | bytes, timestamp: int | str) -> str:
    """Return the `X-Slack-Signature` value (`v0=<hex>`) for `body` sent at `timestamp`."""
    raw = body.decode("utf-8") if isinstance(body, bytes) else body
    base = f"v0:{timestamp}:{raw}".encode()
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(
    signing_secret: str,
    body: str | bytes,
    *,
    timestamp: int | str | None = None,
    bad_signature: bool = False,
    stale: bool = False,
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, str]:
    """Headers Slack would send with `body`.

    `stale=True` dates the request beyond the 5-minute window (signed correctly for that
    old timestamp); `bad_signature=True` signs with the wrong secret. A `timestamp` given as
    text is sent as it is (a malformed one, say), signed like any other.
    """
    ts: int | str = int(time.time()) if timestamp is None else timestamp
    if stale and isinstance(ts, int):
        ts -= STALE_SECONDS
    secret = signing_secret + "-wrong" if bad_signature else signing_secret
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(secret, body, ts),
    }


def form_body(fields: dict[str, str]) -> str:
    """URL-encode a slash command's fields the way Slack does in HTTP mode."""
    return urlencode(fields)

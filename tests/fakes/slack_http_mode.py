"""HTTP mode of the fake Slack: signed slash commands and block actions POSTed to an app."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from .slack_records import Ack, Envelope
from .slack_signing import form_body, signed_headers
from .slack_socket_mode import SlackSocketMode


class SlackHttpMode(SlackSocketMode):
    """Signed HTTP-mode deliveries to an app's endpoint."""

    def send_http_slash_command(
        self,
        url: str,
        text: str,
        *,
        signing_secret: str | None = None,
        timestamp: int | str | None = None,
        bad_signature: bool = False,
        stale: bool = False,
        timeout: float = 10.0,
        **fields: str,
    ) -> Ack:
        """POST a signed, form-encoded slash command to a bot's HTTP endpoint (e.g.
        `http://127.0.0.1:PORT/slack/events`) from the fake's own loop, and return the HTTP
        response as an `Ack` (`via="http"`, `status`, `latency`). The command's
        `response_url` points at the fake. `fields` override slash-command form fields.
        """
        payload = self.slash_command_payload(text, **fields)
        body = form_body(payload)
        headers = signed_headers(
            signing_secret if signing_secret is not None else self.signing_secret,
            body,
            timestamp=timestamp,
            bad_signature=bad_signature,
            stale=stale,
        )
        return self._run(self._post_http(url, body, headers, payload, timeout), timeout + 5)

    async def asend_http_slash_command(self, url: str, text: str, **kwargs: Any) -> Ack:
        return await asyncio.to_thread(lambda: self.send_http_slash_command(url, text, **kwargs))

    def send_http_block_action(
        self,
        url: str,
        channel: str,
        ts: str,
        text: str | None = None,
        *,
        user_id: str = "U1",
        action: dict[str, Any] | None = None,
        signing_secret: str | None = None,
        bad_signature: bool = False,
        stale: bool = False,
        timeout: float = 10.0,
    ) -> Ack:
        """The HTTP-mode twin of :meth:`send_block_action`: POST ``payload=<JSON>``,
        form-encoded and signed, to the bot's endpoint; returns the answer as an ``Ack``
        whose ``envelope_id`` works with :meth:`responses_to`."""
        payload = self.block_actions_payload(channel, ts, text, user_id=user_id, action=action)
        body = form_body({"payload": json.dumps(payload)})
        secret = signing_secret if signing_secret is not None else self.signing_secret
        headers = signed_headers(secret, body, bad_signature=bad_signature, stale=stale)
        post = self._post_http(url, body, headers, payload, timeout, "interactive")
        return self._run(post, timeout + 5)

    async def asend_http_block_action(
        self, url: str, channel: str, ts: str, text: str | None = None, **kwargs: Any
    ) -> Ack:
        return await asyncio.to_thread(
            lambda: self.send_http_block_action(url, channel, ts, text, **kwargs)
        )

    async def _post_http(
        self,
        url: str,
        body: str,
        headers: dict[str, str],
        payload: dict[str, Any],
        timeout: float,
        kind: str = "slash_commands",
    ) -> Ack:
        if self._http is None:
            self._http = aiohttp.ClientSession()
        delivery_id = f"http-{next(self._ids)}"
        with self._cond:
            accepts = kind == "slash_commands"
            env = Envelope(delivery_id, kind, dict(payload), time.monotonic(), 0, accepts)
            self._envelopes[delivery_id] = env
            self._envelope_order.append(delivery_id)
        status: int | None = None
        raw: str | None = None
        ack_payload: dict[str, Any] | None = None
        received: float | None = None
        try:
            async with self._http.post(
                url, data=body.encode(), headers=headers, timeout=aiohttp.ClientTimeout(timeout)
            ) as resp:
                raw = await resp.text()
                received = time.monotonic()
                status = resp.status
                if raw:
                    try:
                        parsed = json.loads(raw)
                        ack_payload = parsed if isinstance(parsed, dict) else {"text": raw}
                    except ValueError:
                        ack_payload = {"text": raw}
        except (aiohttp.ClientError, TimeoutError):
            received = None
        late = received is None or received - env.sent_at > self.ack_deadline
        ack = Ack(
            envelope_id=delivery_id,
            type=kind,
            payload=ack_payload,
            sent_at=env.sent_at,
            received_at=received,
            late=late,
            via="http",
            status=status,
            raw=raw,
        )
        with self._cond:
            self._acked.add(delivery_id)
            self._acks.append(ack)
            self._cond.notify_all()
        if late:
            self._violate("ack_timeout", f"HTTP delivery {delivery_id} not answered in time")
        if status == 200 and ack_payload and received is not None:
            self._check_ack_payload(env, ack_payload, received)
        return ack

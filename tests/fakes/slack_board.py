"""What the fake Slack's channels show: every message the bot posted, ephemeral or not,
with its versions, and the interactive elements on it.

Messages come from ``chat.postMessage`` and ``chat.postEphemeral``, from ``response_url``
posts and from slash-command acks that carry a message; ``chat.update`` and ``response_url``
posts with ``replace_original`` / ``delete_original`` add versions. As Slack does, blocks
and interactive elements without a ``block_id`` / ``action_id`` get generated ones in the
stored message, so a click can name them.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from dataclasses import replace
from typing import Any

from .slack_records import FoundAction, MessageVersion, SlackMessage
from .slack_state import SlackState


def _generated_id() -> str:
    return uuid.uuid4().hex[:5]


def with_ids(blocks: list[Any]) -> list[Any]:
    """A copy of ``blocks`` in which every block and interactive element has its ids."""
    result = copy.deepcopy(blocks)
    for block in result:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", _generated_id())
        for element in _elements(block):
            element.setdefault("action_id", _generated_id())
    return result


def _elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    if block.get("type") == "actions":
        return [e for e in block.get("elements") or [] if isinstance(e, dict)]
    accessory = block.get("accessory")
    return [accessory] if isinstance(accessory, dict) and "type" in accessory else []


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return [o for o in options if isinstance(o, dict)]


def _label(obj: Any) -> str | None:
    return obj.get("text") if isinstance(obj, dict) else None


def find_action(blocks: list[Any], text: str) -> FoundAction:
    """The button whose text is ``text``, or the select option whose text is ``text`` (or a
    select whose placeholder or action_id is ``text``). Raises ``LookupError``."""
    seen: list[str] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        for element in _elements(block):
            kind = str(element.get("type"))
            action_id, block_id = str(element.get("action_id")), str(block.get("block_id"))
            if kind == "button":
                seen.append(str(_label(element.get("text"))))
                if _label(element.get("text")) == text:
                    value = element.get("value")
                    return FoundAction(action_id, block_id, kind, text, value, None, element)
                continue
            if text in (_label(element.get("placeholder")), action_id):
                return FoundAction(action_id, block_id, kind, text, None, None, element)
            for option in _options(element):
                seen.append(str(_label(option.get("text"))))
                if _label(option.get("text")) == text:
                    value = option.get("value")
                    return FoundAction(action_id, block_id, kind, text, value, option, element)
    raise LookupError(f"no element {text!r}; the message has {seen}")


def opt_bool(value: Any) -> bool | None:
    """A JSON or form boolean (``true``, ``"true"``); None when absent."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


class SlackBoard(SlackState):
    """The messages shown in channels, for the Web API to fill and tests to read."""

    # ------------------------------------------------------------------ reading

    def message_at(self, channel: str, ts: str) -> SlackMessage | None:
        """A shown message as it is now (``deleted`` once deleted), or None."""
        with self._cond:
            return self._board.get((channel, ts))

    def shown_messages(self, channel: str | None = None) -> list[SlackMessage]:
        """Every shown message (in one channel, or all), in the order they appeared."""
        with self._cond:
            return [m for m in self._board.values() if channel in (None, m.channel)]

    def seen_by(self, user: str, channel: str) -> list[SlackMessage]:
        """What ``user`` sees in ``channel``: its messages plus the ephemeral ones for them."""
        return [m for m in self.shown_messages(channel) if m.visible_for(user)]

    def find_action(self, channel: str, ts: str, text: str) -> FoundAction:
        """An element on a shown message, by its text; see :func:`find_action`."""
        message = self.message_at(channel, ts)
        if message is None:
            raise LookupError(f"no message {channel}/{ts}")
        return find_action(message.blocks, text)

    def wait_message_version(
        self, channel: str, ts: str, version: int = 2, timeout: float = 5.0
    ) -> SlackMessage:
        """Until the message has at least ``version`` versions (2: changed once)."""

        def changed() -> bool:
            message = self._board.get((channel, ts))
            return message is not None and len(message.versions) >= version

        self.wait_for(changed, timeout, f"version {version} of message {channel}/{ts}")
        message = self.message_at(channel, ts)
        assert message is not None
        return message

    async def await_message_version(
        self, channel: str, ts: str, version: int = 2, timeout: float = 5.0
    ) -> SlackMessage:
        return await asyncio.to_thread(self.wait_message_version, channel, ts, version, timeout)

    # ------------------------------------------------------------------ recording

    def _bot_message(
        self, ts: str, text: str | None, blocks: list[Any], thread_ts: str | None
    ) -> dict[str, Any]:
        """A bot message as Slack returns it (``message`` in API answers and clicks)."""
        state: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text or "",
            "blocks": blocks,
            "team": self.team_id,
            "ts": ts,
        }
        if thread_ts:
            state["thread_ts"] = thread_ts
        return state

    def _show_new(
        self,
        channel: str,
        ts: str,
        text: str | None,
        blocks: list[Any],
        via: str,
        *,
        visible_to: str | None = None,
        thread_ts: str | None = None,
    ) -> list[Any]:
        """Show a new message (ephemeral when ``visible_to`` is set); its blocks with ids."""
        shown = with_ids(blocks)
        version = MessageVersion(text, shown, via, self._now())
        with self._cond:
            self._board[(channel, ts)] = SlackMessage(
                channel, ts, visible_to is not None, visible_to, thread_ts, (version,)
            )
            self._cond.notify_all()
        return shown

    def _show_version(
        self, channel: str, ts: str, text: str | None, blocks: list[Any], via: str
    ) -> list[Any]:
        """A new version of a shown message; its blocks with ids."""
        shown = with_ids(blocks)
        with self._cond:
            message = self._board[(channel, ts)]
            version = MessageVersion(text, shown, via, self._now())
            self._board[(channel, ts)] = replace(message, versions=(*message.versions, version))
            self._cond.notify_all()
        return shown

    def _show_response(
        self, url_id: str, body: dict[str, Any], blocks: list[Any], via: str
    ) -> tuple[str | None, str | None]:
        """Show what an accepted response_url post (or a command's ack) does; (channel, ts).

        ``delete_original`` / ``replace_original`` act on the message that was clicked
        (or, for a command, on the last message this URL showed). Otherwise the post is a
        new message: ephemeral to the user who clicked or typed (Slack's default), or for
        everyone with ``response_type: in_channel``.
        """
        with self._cond:
            entry = self._response_urls.get(url_id)
            context = entry.context if entry is not None else {}
            channel = context.get("channel")
            if not isinstance(channel, str):
                return None, None
            target = context.get("message_ts") or context.get("last_ts")
            original = self._board.get((channel, target)) if target else None
            text, thread_ts = body.get("text"), body.get("thread_ts")
            if opt_bool(body.get("delete_original")):
                if original is None or original.deleted:
                    self._violate("no_original_message", f"{via} {url_id}: nothing to delete")
                    return channel, None
                self._show_deleted(channel, original.ts, via)
                return channel, original.ts
            if opt_bool(body.get("replace_original")) and original and not original.deleted:
                shown = self._show_version(channel, original.ts, text, blocks, via)
                state = self._message_state.get((channel, original.ts))
                if state is not None:
                    state.update({"text": text or "", "blocks": shown})
                return channel, original.ts
            ts = self._next_ts()
            public = body.get("response_type") == "in_channel"
            user = None if public else str(context.get("user") or "")
            thread = str(thread_ts) if thread_ts else None
            shown = self._show_new(
                channel, ts, text, blocks, via, visible_to=user, thread_ts=thread
            )
            if public:
                self._message_state[(channel, ts)] = self._bot_message(ts, text, shown, thread)
            context["last_ts"] = ts
            return channel, ts

    def _show_deleted(self, channel: str, ts: str, via: str) -> None:
        with self._cond:
            message = self._board[(channel, ts)]
            gone = MessageVersion(None, [], via, self._now(), deleted=True)
            self._board[(channel, ts)] = replace(message, versions=(*message.versions, gone))
            self._message_state.pop((channel, ts), None)
            self._cond.notify_all()

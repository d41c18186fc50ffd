"""Slack message validation for the fake Slack server.

The rules follow Slack's documented Block Kit limits (see /work/shared/PLATFORMS.md):
at most 50 blocks a message, header text 150 characters, section text 3,000, at most 10
section fields of 2,000 each, at most 10 context elements, actions blocks of at most 25
elements (buttons and menus are checked in `slack_elements`), and a `text` (or blocks) for
every message. A `text` longer than 40,000 characters fails with `msg_too_long`.

`check_message` returns the Slack error code plus a list of human-readable problems, so the
fake can both answer like Slack and record why it refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .slack_elements import check_actions_elements, check_element

MAX_BLOCKS = 50
MAX_HEADER_TEXT = 150
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BLOCK_ID = 255
MAX_MESSAGE_TEXT = 40_000
MAX_MARKDOWN_BLOCK_TEXT = 12_000
MAX_IMAGE_ALT_TEXT = 2000

TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
KNOWN_BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "video",
    }
)

# Live markup Slack renders as notifications or links when it appears unescaped in text.
LIVE_MARKUP = re.compile(
    r"<(?:!(?:channel|here|everyone)(?:\|[^>]*)?|[@#][A-Z0-9]+(?:\|[^>]*)?|(?:https?|mailto):[^>]*)>"
)


@dataclass
class MessageCheck:
    """Outcome of validating one message payload."""

    error: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def find_live_markup(text: str) -> list[str]:
    """Return the live markup tokens (`<!channel>`, `<@U1>`, `<http://x|y>` ...) in `text`."""
    return LIVE_MARKUP.findall(text)


def parse_blocks(raw: Any) -> tuple[list[Any] | None, str | None]:
    """Decode a `blocks` argument (a list, or a JSON string in form posts).

    Returns `(blocks, None)` or `(None, slack_error_code)`.
    """
    if raw is None or raw == "":
        return [], None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None, "invalid_blocks_format"
    if not isinstance(raw, list):
        return None, "invalid_blocks_format"
    return raw, None


def _text_object(
    obj: Any, where: str, limit: int, problems: list[str], *, plain: bool = False
) -> None:
    if not isinstance(obj, dict):
        problems.append(f"{where}: must be a text object, got {type(obj).__name__}")
        return
    kind = obj.get("type")
    allowed = {"plain_text"} if plain else TEXT_TYPES
    if kind not in allowed:
        problems.append(f"{where}: text type must be one of {sorted(allowed)}, got {kind!r}")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}: text must be a non-empty string")
        return
    if len(text) > limit:
        problems.append(f"{where}: text is {len(text)} characters, limit {limit}")


def _check_section(block: dict[str, Any], where: str, problems: list[str]) -> None:
    if block.get("accessory") is not None:
        check_element(block["accessory"], f"{where}.accessory", problems)
    text = block.get("text")
    fields = block.get("fields")
    if text is None and fields is None:
        problems.append(f"{where}: section needs text or fields")
    if text is not None:
        _text_object(text, f"{where}.text", MAX_SECTION_TEXT, problems)
    if fields is not None:
        if not isinstance(fields, list) or not fields:
            problems.append(f"{where}.fields: must be a non-empty list")
            return
        if len(fields) > MAX_SECTION_FIELDS:
            problems.append(f"{where}.fields: {len(fields)} fields, limit {MAX_SECTION_FIELDS}")
        for j, item in enumerate(fields):
            _text_object(item, f"{where}.fields[{j}]", MAX_FIELD_TEXT, problems)


def _check_context(block: dict[str, Any], where: str, problems: list[str]) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        problems.append(f"{where}.elements: must be a non-empty list")
        return
    if len(elements) > MAX_CONTEXT_ELEMENTS:
        problems.append(f"{where}.elements: {len(elements)} elements, limit {MAX_CONTEXT_ELEMENTS}")
    for j, element in enumerate(elements):
        if isinstance(element, dict) and element.get("type") == "image":
            if not element.get("alt_text"):
                problems.append(f"{where}.elements[{j}]: image needs alt_text")
        else:
            _text_object(element, f"{where}.elements[{j}]", MAX_SECTION_TEXT, problems)


def _check_block(block: Any, where: str, problems: list[str]) -> None:
    if not isinstance(block, dict):
        problems.append(f"{where}: block must be an object")
        return
    kind = block.get("type")
    block_id = block.get("block_id")
    if block_id is not None and (not isinstance(block_id, str) or len(block_id) > MAX_BLOCK_ID):
        problems.append(f"{where}.block_id: must be a string of at most {MAX_BLOCK_ID}")
    if kind not in KNOWN_BLOCK_TYPES:
        problems.append(f"{where}: unknown block type {kind!r}")
    elif kind == "header":
        _text_object(block.get("text"), f"{where}.text", MAX_HEADER_TEXT, problems, plain=True)
    elif kind == "section":
        _check_section(block, where, problems)
    elif kind == "context":
        _check_context(block, where, problems)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            problems.append(f"{where}.elements: must be a non-empty list")
        else:
            if len(elements) > MAX_ACTIONS_ELEMENTS:
                problems.append(f"{where}.elements: {len(elements)}, limit {MAX_ACTIONS_ELEMENTS}")
            check_actions_elements(elements, f"{where}.elements", problems)
    elif kind == "image":
        alt = block.get("alt_text")
        if not isinstance(alt, str) or not alt or len(alt) > MAX_IMAGE_ALT_TEXT:
            problems.append(f"{where}.alt_text: must be 1..{MAX_IMAGE_ALT_TEXT} characters")
        if not block.get("image_url") and not block.get("slack_file"):
            problems.append(f"{where}: image needs image_url or slack_file")
    elif kind == "markdown":
        text = block.get("text")
        if not isinstance(text, str) or not text or len(text) > MAX_MARKDOWN_BLOCK_TEXT:
            problems.append(f"{where}.text: must be 1..{MAX_MARKDOWN_BLOCK_TEXT} characters")
    elif kind == "rich_text" and not isinstance(block.get("elements"), list):
        problems.append(f"{where}.elements: must be a list")


def check_blocks(blocks: list[Any]) -> list[str]:
    """Return the problems Slack would reject a message's `blocks` for (empty if fine)."""
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"blocks: {len(blocks)} blocks, limit {MAX_BLOCKS}")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        _check_block(block, f"blocks[{i}]", problems)
        if isinstance(block, dict) and isinstance(block.get("block_id"), str):
            if block["block_id"] in seen_ids:
                problems.append(f"blocks[{i}].block_id: duplicate {block['block_id']!r}")
            seen_ids.add(block["block_id"])
    return problems


def check_message(payload: dict[str, Any], *, require_text: bool = True) -> MessageCheck:
    """Validate a chat.* / response_url message payload the way Slack does.

    `require_text=False` is for chat.update, which may leave the text unchanged.
    """
    blocks, error = parse_blocks(payload.get("blocks"))
    if error is not None or blocks is None:
        return MessageCheck(error or "invalid_blocks_format", ["blocks: not a JSON list"])
    text = payload.get("text")
    if text is not None and not isinstance(text, str):
        return MessageCheck(
            "invalid_arguments", [f"text: must be a string, got {type(text).__name__}"]
        )
    attachments = payload.get("attachments")
    if require_text and not text and not blocks and not attachments:
        return MessageCheck("no_text", ["message has neither text nor blocks"])
    if text is not None and len(text) > MAX_MESSAGE_TEXT:
        return MessageCheck(
            "msg_too_long", [f"text: {len(text)} characters, limit {MAX_MESSAGE_TEXT}"]
        )
    problems = check_blocks(blocks)
    if problems:
        return MessageCheck("invalid_blocks", problems)
    return MessageCheck()

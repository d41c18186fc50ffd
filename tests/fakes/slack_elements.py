"""Slack's limits for interactive block elements (buttons and static select menus).

Facts relied on (Slack's Block Kit reference: "Button element", "Select menu element",
"Option object", "Option group object", "Actions block"):

- an ``actions`` block holds 1 to 25 elements; its ``block_id`` (any block's) is at most 255
  characters and unique within the message; a message holds at most 50 blocks;
- a button's ``text`` is a ``plain_text`` object of at most 75 characters; its ``action_id``
  at most 255 characters, its ``value`` at most 2,000, its ``url`` at most 3,000; ``style``
  is ``primary`` or ``danger``;
- a ``static_select`` has a ``placeholder`` (``plain_text``, at most 150 characters) and
  either ``options`` (at most 100) or ``option_groups`` (at most 100 groups of at most 100
  options, each group labelled with ``plain_text`` of at most 75), never both;
- an option's ``text`` is at most 75 characters (``plain_text`` in a select menu), its
  ``value`` at most 150 and its ``description`` at most 75;
- ``action_id`` should be unique among the elements of one block.

Each check appends human-readable problems; Slack answers ``invalid_blocks`` for any.
"""

from __future__ import annotations

from typing import Any

MAX_ACTION_ID = 255
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTON_URL = 3000
MAX_PLACEHOLDER = 150
MAX_SELECT_OPTIONS = 100
MAX_OPTION_GROUPS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTION_DESCRIPTION = 75
MAX_GROUP_LABEL = 75
BUTTON_STYLES = frozenset({"primary", "danger"})


def _plain_text(obj: Any, where: str, limit: int, problems: list[str]) -> None:
    if not isinstance(obj, dict) or obj.get("type") != "plain_text":
        problems.append(f"{where}: must be a plain_text object")
        return
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}: text must be a non-empty string")
    elif len(text) > limit:
        problems.append(f"{where}: text is {len(text)} characters, limit {limit}")


def _string(value: Any, where: str, limit: int, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value:
        problems.append(f"{where}: must be a non-empty string")
    elif len(value) > limit:
        problems.append(f"{where}: {len(value)} characters, limit {limit}")


def _check_button(element: dict[str, Any], where: str, problems: list[str]) -> None:
    _plain_text(element.get("text"), f"{where}.text", MAX_BUTTON_TEXT, problems)
    _string(element.get("action_id"), f"{where}.action_id", MAX_ACTION_ID, problems)
    _string(element.get("value"), f"{where}.value", MAX_BUTTON_VALUE, problems)
    _string(element.get("url"), f"{where}.url", MAX_BUTTON_URL, problems)
    style = element.get("style")
    if style is not None and style not in BUTTON_STYLES:
        problems.append(f"{where}.style: must be one of {sorted(BUTTON_STYLES)}")


def _check_option(option: Any, where: str, problems: list[str]) -> None:
    if not isinstance(option, dict):
        problems.append(f"{where}: option must be an object")
        return
    _plain_text(option.get("text"), f"{where}.text", MAX_OPTION_TEXT, problems)
    value = option.get("value")
    if value is None:
        problems.append(f"{where}.value: required")
    _string(value, f"{where}.value", MAX_OPTION_VALUE, problems)
    if option.get("description") is not None:
        _plain_text(option["description"], f"{where}.description", MAX_OPTION_DESCRIPTION, problems)


def _check_options(options: Any, where: str, problems: list[str]) -> None:
    if not isinstance(options, list) or not options:
        problems.append(f"{where}: must be a non-empty list")
        return
    if len(options) > MAX_SELECT_OPTIONS:
        problems.append(f"{where}: {len(options)} options, limit {MAX_SELECT_OPTIONS}")
    for i, option in enumerate(options):
        _check_option(option, f"{where}[{i}]", problems)


def _check_static_select(element: dict[str, Any], where: str, problems: list[str]) -> None:
    _string(element.get("action_id"), f"{where}.action_id", MAX_ACTION_ID, problems)
    if element.get("placeholder") is not None:
        _plain_text(element["placeholder"], f"{where}.placeholder", MAX_PLACEHOLDER, problems)
    options, groups = element.get("options"), element.get("option_groups")
    if (options is None) == (groups is None):
        problems.append(f"{where}: needs exactly one of options and option_groups")
    if options is not None:
        _check_options(options, f"{where}.options", problems)
    if groups is None:
        return
    if not isinstance(groups, list) or not groups:
        problems.append(f"{where}.option_groups: must be a non-empty list")
        return
    if len(groups) > MAX_OPTION_GROUPS:
        problems.append(f"{where}.option_groups: {len(groups)} groups, limit {MAX_OPTION_GROUPS}")
    for i, group in enumerate(groups):
        gwhere = f"{where}.option_groups[{i}]"
        if not isinstance(group, dict):
            problems.append(f"{gwhere}: must be an object")
            continue
        _plain_text(group.get("label"), f"{gwhere}.label", MAX_GROUP_LABEL, problems)
        _check_options(group.get("options"), f"{gwhere}.options", problems)


def check_element(element: Any, where: str, problems: list[str]) -> None:
    """Problems of one interactive element (buttons and static selects are checked in
    depth; other element types only for their ``action_id``)."""
    if not isinstance(element, dict):
        problems.append(f"{where}: element must be an object")
        return
    kind = element.get("type")
    if kind == "button":
        _check_button(element, where, problems)
    elif kind == "static_select":
        _check_static_select(element, where, problems)
    elif not isinstance(kind, str):
        problems.append(f"{where}: element needs a type")
    else:
        _string(element.get("action_id"), f"{where}.action_id", MAX_ACTION_ID, problems)


def check_actions_elements(elements: list[Any], where: str, problems: list[str]) -> None:
    """Every element of an actions block, and that their action_ids differ."""
    seen: set[str] = set()
    for j, element in enumerate(elements):
        check_element(element, f"{where}[{j}]", problems)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str):
            if action_id in seen:
                problems.append(f"{where}[{j}].action_id: duplicate {action_id!r}")
            seen.add(action_id)

"""The users, guilds and channels the fake Discord server knows, and their JSON payloads.

The payloads carry the fields discord.py 2.7 reads unconditionally (for example a member's
``flags``, a channel's ``position``, an interaction's ``attachment_size_limit``); leaving
one out makes discord.py raise ``KeyError`` inside its gateway parser.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38

EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)

# Gateway intents that need to be switched on in the developer portal.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

CHANNEL_GUILD_TEXT = 0
CHANNEL_DM = 1

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class Snowflakes:
    """Thread-safe generator of increasing, well-formed Discord snowflakes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._last = 0

    def next(self) -> int:
        with self._lock:
            millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
            value = (millis << 22) | (next(self._counter) & 0xFFF)
            if value <= self._last:
                value = self._last + 1
            self._last = value
            return value


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class FakeUser:
    id: int
    username: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": None if self.bot else self.username.capitalize(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class FakeChannel:
    id: int
    name: str
    type: int = CHANNEL_GUILD_TEXT
    guild_id: int | None = None
    position: int = 0
    recipient_id: int | None = None  # DM channels only

    def payload(self, users: dict[int, FakeUser] | None = None) -> dict[str, Any]:
        if self.type == CHANNEL_DM:
            recipients = []
            if users is not None and self.recipient_id in users:
                recipients.append(users[self.recipient_id].payload())
            return {
                "id": str(self.id),
                "type": CHANNEL_DM,
                "last_message_id": None,
                "recipients": recipients,
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        return data


@dataclass
class FakeRole:
    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    channels: list[FakeChannel] = field(default_factory=list)
    roles: list[FakeRole] = field(default_factory=list)
    member_roles: dict[int, list[int]] = field(default_factory=dict)  # user id -> role ids
    joined_at: str = field(default_factory=iso_now)

    @property
    def text_channel(self) -> FakeChannel:
        return self.channels[0]

    def member_payload(self, user: FakeUser, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.member_roles.get(user.id, [])],
            "joined_at": self.joined_at,
            "nick": None,
            "avatar": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = user.payload()
        return data

    def permissions_of(self, user_id: int) -> int:
        role_ids = {self.id, *self.member_roles.get(user_id, [])}
        value = 0
        for role in self.roles:
            if role.id in role_ids:
                value |= role.permissions
        return value

    def create_payload(
        self, users: dict[int, FakeUser], bot_id: int, *, all_members: bool
    ) -> dict[str, Any]:
        """The GUILD_CREATE dispatch body.

        As on Discord, ``members`` holds only the bot itself unless the session asked for
        the privileged GUILD_MEMBERS intent.
        """
        members = [
            self.member_payload(users[uid])
            for uid in self.member_roles
            if uid in users and (all_members or uid == bot_id)
        ]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": self.joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(self.member_roles),
            "voice_states": [],
            "members": members,
            "channels": [c.payload() for c in self.channels],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


def message_payload(
    *,
    message_id: int,
    channel_id: int,
    author: FakeUser,
    content: str,
    guild: FakeGuild | None = None,
    embeds: list[dict[str, Any]] | None = None,
    mentions: list[FakeUser] | None = None,
    message_type: int = 0,
    webhook_id: int | None = None,
    application_id: int | None = None,
    flags: int = 0,
    attachments: list[dict[str, Any]] | None = None,
    message_reference: dict[str, Any] | None = None,
    edited: bool = False,
    components: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A message object as REST responses and MESSAGE_CREATE dispatches carry it."""
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "type": message_type,
        "content": content,
        "author": author.payload(),
        "timestamp": iso_now(),
        "edited_timestamp": iso_now() if edited else None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": attachments or [],
        "embeds": embeds or [],
        "pinned": False,
        "flags": flags,
        "components": components or [],
    }
    if guild is not None:
        data["guild_id"] = str(guild.id)
        if webhook_id is None:
            data["member"] = guild.member_payload(author, with_user=False)
    mentioned = []
    for user in mentions or []:
        entry = user.payload()
        if guild is not None and user.id in guild.member_roles:
            entry["member"] = guild.member_payload(user, with_user=False)
        mentioned.append(entry)
    data["mentions"] = mentioned
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    if message_reference is not None:
        data["message_reference"] = message_reference
    return data

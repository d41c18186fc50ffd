"""Gateway senders of the fake Discord server: messages, commands, autocomplete, reconnects."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

from .discord_gateway import OP_RECONNECT
from .discord_records import (
    SentInteraction,
)
from .discord_rest import DiscordRest
from .discord_wire import (
    INTERACTION_APPLICATION_COMMAND,
    INTERACTION_AUTOCOMPLETE,
    MENTION,
    MESSAGE_TYPE_DEFAULT,
    MESSAGE_TYPE_REPLY,
    InteractionState,
    copy_json,
)
from .discord_world import (
    ATTACHMENT_SIZE_LIMIT,
    EVERYONE_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeUser,
    message_payload,
)


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _options_list(
    options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
) -> list[dict[str, Any]]:
    if options is None:
        return []
    if isinstance(options, Mapping):
        return [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
    return [dict(o) for o in options]


class DiscordSending(DiscordRest):
    """Events the fake sends to the bot on the gateway."""

    # ------------------------------------------------------------------ gateway events

    def send_dispatch(self, event: str, data: Mapping[str, Any], *, timeout: float = 5.0) -> int:
        """Send any dispatch event to every session; returns how many got it."""
        payload = copy_json(dict(data))
        return self._submit(self._gateway.dispatch(event, lambda _intents: payload), timeout)

    def send_message_create(
        self,
        content: str,
        *,
        author_id: int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        mentions: Sequence[int] | None = None,
        embeds: Sequence[Mapping[str, Any]] | None = None,
        reply_to: int | None = None,
        timeout: float = 5.0,
    ) -> int:
        """Send MESSAGE_CREATE; returns the message id.

        - The author defaults to the human member "alice" (``other_bot_id`` for a bot).
        - The channel defaults to the first guild's text channel; ``dm=True`` (or a DM
          ``channel_id``) sends a DM from the author to the bot. The guild follows from the
          channel.
        - ``mentions`` defaults to the users named as ``<@id>`` in ``content``, as Discord
          computes it: write ``f"{fake.bot_mention} ..."`` to mention the bot.
        - Unless the client asked for the privileged MESSAGE_CONTENT intent, a guild message
          that does not mention the bot arrives with empty ``content`` and ``embeds``.
        """
        with self._cond:
            author = self._user(author_id or self._human.id)
            if dm or (channel_id is not None and self._is_dm(channel_id)):
                channel = self._dm_channel(author.id)
                guild = None
            else:
                channel = self._channel(channel_id or self.channel_id)
                guild = self._guild(channel.guild_id) if channel.guild_id else None
            if mentions is None:
                ids = [int(m) for m in MENTION.findall(content)]
                mentioned = [self._users[i] for i in dict.fromkeys(ids) if i in self._users]
            else:
                mentioned = [self._user(i) for i in mentions]
            reference = None
            if reply_to is not None:
                reference = {"message_id": str(reply_to), "channel_id": str(channel.id)}
                if guild is not None:
                    reference["guild_id"] = str(guild.id)
            message_id = self._ids.next()
            data = message_payload(
                message_id=message_id,
                channel_id=channel.id,
                author=author,
                content=content,
                guild=guild,
                embeds=[dict(e) for e in embeds or []],
                mentions=mentioned,
                message_type=MESSAGE_TYPE_REPLY if reply_to else MESSAGE_TYPE_DEFAULT,
                message_reference=reference,
            )
            self._remember(data)
            mentions_bot = any(u.id == self._bot.id for u in mentioned)

        visible = mentions_bot or author.id == self._bot.id

        def data_for(intents: int) -> dict[str, Any] | None:
            return self._message_event(intents, data, content_visible=visible)

        self._dispatch_or_raise("MESSAGE_CREATE", data_for, timeout)
        return message_id

    def send_dm(self, content: str, *, author_id: int | None = None, timeout: float = 5.0) -> int:
        """A direct message to the bot; returns the message id."""
        return self.send_message_create(content, author_id=author_id, dm=True, timeout=timeout)

    def send_slash_command(
        self,
        name: str = "summary",
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        *,
        user_id: int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        command_guild_id: int | Literal["auto"] | None = "auto",
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> int:
        """Send INTERACTION_CREATE (type 2, chat-input command); returns the interaction id.

        ``options`` is ``{"name": value}`` (types inferred: str 3, int 4, bool 5, float 10)
        or raw option dicts (for subcommands). ``data.id`` and ``data.guild_id`` come from
        the synced commands: a command synced to the channel's guild gets that guild id, a
        global one none; ``command_guild_id`` overrides this.
        """
        prepared = self._interaction(
            INTERACTION_APPLICATION_COMMAND,
            name,
            _options_list(options),
            user_id=user_id,
            channel_id=channel_id,
            dm=dm,
            command_guild_id=command_guild_id,
            locale=locale,
        )
        return self._send_interactions([prepared], timeout)[0]

    def send_slash_commands(
        self,
        options: Sequence[Mapping[str, Any] | None],
        name: str = "summary",
        *,
        timeout: float = 5.0,
    ) -> list[int]:
        """Send one chat-input command per entry of ``options``, back to back on the gateway.

        This is how Discord delivers commands that many people send at the same
        moment: one INTERACTION_CREATE frame after another on the bot's
        connection, each with its own 3-second deadline. Returns the ids, in order.
        """
        prepared = [
            self._interaction(
                INTERACTION_APPLICATION_COMMAND,
                name,
                _options_list(each),
                user_id=None,
                channel_id=None,
                dm=False,
                command_guild_id="auto",
                locale="en-US",
            )
            for each in options
        ]
        return self._send_interactions(prepared, timeout)

    def send_autocomplete(
        self,
        name: str,
        option_name: str,
        typed_value: str,
        *,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        option_type: int = 3,
        user_id: int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        command_guild_id: int | Literal["auto"] | None = "auto",
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> int:
        """Send an autocomplete interaction (type 4) for ``option_name`` with what the user
        typed so far (``focused: true``); other filled-in options go in ``options``."""
        opts = _options_list(options)
        opts.append(
            {"name": option_name, "type": option_type, "value": typed_value, "focused": True}
        )
        prepared = self._interaction(
            INTERACTION_AUTOCOMPLETE,
            name,
            opts,
            user_id=user_id,
            channel_id=channel_id,
            dm=dm,
            command_guild_id=command_guild_id,
            locale=locale,
        )
        return self._send_interactions([prepared], timeout)[0]

    def drop_connections(self, *, timeout: float = 5.0) -> int:
        """Abort every gateway connection (TCP reset, no close frame). Sessions stay
        resumable; returns how many connections were dropped."""
        return self._submit(self._gateway.drop_connections(), timeout)

    def send_reconnect(self, *, timeout: float = 5.0) -> int:
        """Send op 7 RECONNECT to every live connection."""
        return self._submit(self._gateway.send_op(OP_RECONNECT, None), timeout)

    def send_invalid_session(self, resumable: bool, *, timeout: float = 5.0) -> int:
        """Send op 9 INVALID_SESSION; with ``resumable=False`` the sessions are forgotten,
        so the client has to IDENTIFY again."""
        return self._submit(self._gateway.invalidate_sessions(resumable), timeout)

    def _dispatch_or_raise(
        self,
        event: str,
        data_for: Callable[[int], dict[str, Any] | None],
        timeout: float,
    ) -> None:
        if not self._gateway.has_session():
            raise RuntimeError(
                f"no gateway session to send {event} to; wait_until_connected() first"
            )
        self._submit(self._gateway.dispatch(event, data_for), timeout)

    def _send_interactions(
        self, prepared: list[tuple[int, Callable[[], Coroutine[Any, Any, int]]]], timeout: float
    ) -> list[int]:
        """Dispatch prepared interactions back to back on the gateway; their ids, in order."""
        if not self._gateway.has_session():
            raise RuntimeError("no gateway session to send INTERACTION_CREATE to")

        async def burst() -> None:
            for _, dispatch in prepared:
                await dispatch()

        self._submit(burst(), timeout)
        return [interaction_id for interaction_id, _ in prepared]

    def _interaction(
        self,
        kind: int,
        name: str,
        options: list[dict[str, Any]],
        *,
        user_id: int | None,
        channel_id: int | None,
        dm: bool,
        command_guild_id: int | Literal["auto"] | None,
        locale: str,
    ) -> tuple[int, Callable[[], Coroutine[Any, Any, int]]]:
        """A new interaction's id, and what registers and dispatches it (on the fake's loop)."""
        with self._cond:
            user = self._user(user_id or self._human.id)
            if dm or (channel_id is not None and self._is_dm(channel_id)):
                channel = self._dm_channel(user.id)
                guild = None
            else:
                channel = self._channel(channel_id or self.channel_id)
                guild = self._guild(channel.guild_id) if channel.guild_id else None
            guild_scope = guild.id if guild is not None else None
            scope: int | None
            if command_guild_id != "auto":
                scope = command_guild_id
            elif guild_scope is not None and self._has_command(guild_scope, name):
                scope = guild_scope
            else:
                scope = None  # a global command (or one never synced)
            command_id = self._command_id(scope, 1, name)
            interaction_id = self._ids.next()
            token = f"fake-interaction-{secrets.token_urlsafe(24)}"
            data: dict[str, Any] = {
                "id": str(command_id),
                "name": name,
                "type": 1,
                "options": options,
            }
            if scope is not None:
                data["guild_id"] = str(scope)
            payload = self._interaction_envelope(
                interaction_id, kind, token, data, user, channel, guild, locale
            )
            sent = SentInteraction(
                id=interaction_id,
                token=token,
                type=kind,
                name=name,
                command_id=command_id,
                options=tuple(copy_json(options)),
                guild_id=guild_scope,
                channel_id=channel.id,
                user_id=user.id,
                dispatched_at=time.monotonic(),
                payload=copy_json(payload),
            )

        return interaction_id, self._registrar(sent, payload)

    def _interaction_envelope(
        self,
        interaction_id: int,
        kind: int,
        token: str,
        data: dict[str, Any],
        user: FakeUser,
        channel: FakeChannel,
        guild: FakeGuild | None,
        locale: str,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload around ``data``: who, where, and the bot's rights."""
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "token": token,
            "version": 1,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel.payload(self._users),
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None:
            member = guild.member_payload(user)
            member["permissions"] = str(guild.permissions_of(user.id))
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member=member,
                app_permissions=str(guild.permissions_of(self._bot.id)),
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            payload.update(
                user=user.payload(),
                app_permissions=str(EVERYONE_PERMISSIONS),
                authorizing_integration_owners={"0": str(user.id)},
                context=1,
            )
        return payload

    def _registrar(
        self, sent: SentInteraction, payload: dict[str, Any]
    ) -> Callable[[], Coroutine[Any, Any, int]]:
        """What registers an interaction and dispatches it, on the fake's loop."""

        async def register_and_dispatch() -> int:
            # The deadline starts right before the frame goes out, on the fake's clock.
            with self._cond:
                state = InteractionState(sent=replace(sent, dispatched_at=time.monotonic()))
                self._interactions[sent.id] = state
                self._interaction_by_token[sent.token] = sent.id
            return await self._gateway.dispatch("INTERACTION_CREATE", lambda _intents: payload)

        return register_and_dispatch

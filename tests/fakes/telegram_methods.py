"""The Bot API methods the fake answers, as a mixin over its state.

Split so each file has one job: ``bot_api`` owns the state, the update queue and the
test-facing API, ``telegram_server`` and ``session`` are its two transports (HTTP and
in-process); this module decides what each Bot API method returns or which error Telegram
would give, and builds the bot's messages the way Telegram does.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Awaitable, Callable
from typing import Any

from tests.fakes.bot_api_format import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    ApiError,
    UploadedFile,
    bad_request,
    image_size,
    parse_html,
)

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class BotApiMethods:
    """Handlers for Bot API methods; mixed into FakeBotApi, which owns the state."""

    # State and plumbing the host class provides (declared so readers see the contract).
    bot_id: int
    bot_username: str
    bot_first_name: str
    blocked_chats: set[int]
    webhook: dict[str, Any] | None
    _clock: Callable[[], float]
    _closing: bool
    _pending: list[dict[str, Any]]
    _allowed_updates: list[str]
    _poll_generation: int
    _last_message_id: dict[int, int]
    _messages: dict[tuple[int, int], dict[str, Any]]
    _users: dict[int, dict[str, Any]]
    _open_queries: set[str]
    _files: dict[str, tuple[dict[str, Any], UploadedFile]]
    _commands: dict[tuple[str, str], list[dict[str, Any]]]
    # Forum supergroups: chat id -> {topic's message_thread_id: name}.
    _forums: dict[int, dict[int, str]]
    _pulse: Callable[[], None]
    _wait_until: Callable[[Callable[[], bool], float], Awaitable[bool]]

    # ------------------------------------------------------------ message helpers
    def _next_message_id(self, chat_id: int) -> int:
        # Both sides of a private chat share one message id sequence, as in Telegram.
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _remember_message(self, message: dict[str, Any]) -> None:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        self._messages[(chat_id, message_id)] = message
        self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            user = self._users.get(chat_id, {})
            names = {k: user[k] for k in ("first_name", "username") if k in user}
            return {"id": chat_id, "type": "private", **names}
        kind = "supergroup" if chat_id < -1_000_000_000_000 else "group"
        chat = {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
        if chat_id in self._forums:
            chat["is_forum"] = True
        return chat

    def _me(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _target_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str) and chat_id.removeprefix("-").isdigit():
            chat_id = params["chat_id"] = int(chat_id)  # a JSON body may quote the id
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise bad_request("chat not found")  # @usernames of users or unknown channels
        if chat_id in self.blocked_chats:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return chat_id

    def _formatted(
        self, params: dict[str, Any], key: str, entities_key: str, limit: int
    ) -> tuple[str, list[dict[str, Any]]]:
        raw = str(params.get(key) or "")
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            text, entities = parse_html(raw)
        elif mode == "":
            text, entities = raw, list(params.get(entities_key) or [])
        elif mode in ("markdown", "markdownv2"):  # echoed as it is: the project writes HTML
            text, entities = raw, []
        else:
            raise bad_request("unsupported parse_mode")
        if len(text) > limit:
            raise bad_request(
                "message is too long" if key == "text" else "message caption is too long"
            )
        return text, entities

    def _new_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        """A message from the bot; reply target and inline keyboard handled as Telegram does."""
        message: dict[str, Any] = {
            "message_id": 0,
            "from": self._me(),
            "chat": self._chat(chat_id),
            "date": int(self._clock()),
        }
        reply = params.get("reply_parameters") or {}
        reply_to = reply.get("message_id") or params.get("reply_to_message_id")
        if reply_to:
            target = self._messages.get((chat_id, reply_to))
            if target is not None:
                message["reply_to_message"] = {
                    k: v for k, v in target.items() if k != "reply_to_message"
                }
            elif not (
                reply.get("allow_sending_without_reply")
                or params.get("allow_sending_without_reply")
            ):
                raise bad_request("message to be replied not found")
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        thread_id = params.get("message_thread_id") or message.get("reply_to_message", {}).get(
            "message_thread_id"
        )
        if thread_id:
            # A reply in a forum lands in its target's topic, as on Telegram.
            if thread_id not in self._forums.get(chat_id, {}):
                raise bad_request("message thread not found")
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        message["message_id"] = self._next_message_id(chat_id)
        self._remember_message(message)
        return message

    def _stored_bot_message(self, params: dict[str, Any], missing: str) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        if not params.get("message_id"):
            raise bad_request("message identifier is not specified")
        message = self._messages.get((chat_id, params["message_id"]))
        if message is None:
            raise bad_request(missing)
        if message.get("from", {}).get("id") != self.bot_id:
            raise bad_request("message can't be edited")
        return message

    def _input_file(self, params: dict[str, Any], key: str) -> tuple[UploadedFile, str | None]:
        """The uploaded file, or a stored one named by file_id (then its id is returned too)."""
        value = params.get(key)
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            return value, None
        if not value:
            raise bad_request(f"there is no {key} in the request")
        if str(value).startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")  # the fake never leaves 127.0.0.1
        if str(value) not in self._files:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return self._files[str(value)][1], str(value)

    def _store_file(self, upload: UploadedFile, folder: str, file_id: str | None) -> dict[str, Any]:
        if file_id is not None:
            return dict(self._files[file_id][0])
        number = len(self._files) + 1
        info = {
            "file_id": f"{folder}-{self.bot_id}-{number:06d}",
            "file_unique_id": f"u{number:06d}",
            "file_size": upload.size,
        }
        self._files[info["file_id"]] = (info, upload)
        return dict(info)

    def _media_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        # The caption is checked before the message exists, so a rejected one uses no id.
        caption, entities = self._formatted(
            params, "caption", "caption_entities", MAX_CAPTION_LENGTH
        )
        message = self._new_message(chat_id, params)
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
        return message

    # ------------------------------------------------------------ Bot API methods
    async def _true(self, params: dict[str, Any]) -> bool:
        return True

    async def _create_forum_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        """A topic in a forum supergroup: its id is the number of the service message that
        opens it, as on Telegram."""
        chat_id = self._target_chat(params)
        if chat_id not in self._forums:
            raise bad_request("the chat is not a forum")
        name = str(params.get("name") or "")
        if not 1 <= len(name) <= 128:
            raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        thread_id = self._next_message_id(chat_id)
        icon_color = int(params.get("icon_color") or 7322096)
        self._forums[chat_id][thread_id] = name
        self._remember_message(
            {
                "message_id": thread_id,
                "from": self._me(),
                "chat": self._chat(chat_id),
                "date": int(self._clock()),
                "message_thread_id": thread_id,
                "is_topic_message": True,
                "forum_topic_created": {"name": name, "icon_color": icon_color},
            }
        )
        return {"message_thread_id": thread_id, "name": name, "icon_color": icon_color}

    async def _delete_forum_topic(self, params: dict[str, Any]) -> bool:
        chat_id = self._target_chat(params)
        if self._forums.get(chat_id, {}).pop(params.get("message_thread_id"), None) is None:
            raise bad_request("TOPIC_ID_INVALID")
        return True

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._me(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        # A newer getUpdates terminates an older one still waiting, as on Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        self._pulse()
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = [str(kind) for kind in params["allowed_updates"]]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        await self._wait_until(
            lambda: bool(self._pending) or self._closing or self._poll_generation != generation,
            timeout,
        )
        if self._poll_generation != generation and self.webhook is not None:
            raise ApiError(409, "Conflict: terminated by setWebhook request")
        if self._poll_generation != generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return self._pending[:limit]

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = [str(kind) for kind in params["allowed_updates"]]
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": int(params.get("max_connections") or 40),
        }
        # Like Telegram, setting a webhook ends a long poll that is still waiting.
        self._poll_generation += 1
        self._pulse()
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook is not None:
            info.update(
                url=self.webhook["url"],
                max_connections=self.webhook["max_connections"],
                ip_address="127.0.0.1",
            )
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
        return info

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT_LENGTH)
        if not text.strip():
            raise bad_request("message text is empty")
        message = self._new_message(chat_id, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        return message

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _edit_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT_LENGTH)
        if not text.strip():
            raise bad_request("message text is empty")
        if params.get("inline_message_id"):
            return True  # inline messages are not stored; Telegram answers True for them too
        message = self._stored_bot_message(params, "message to edit not found")
        markup = params.get("reply_markup")
        if (text, entities, markup) == (
            message.get("text"),
            message.get("entities", []),
            message.get("reply_markup"),
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup "
                "of the message"
            )
        message.update(text=text, entities=entities, edit_date=int(self._clock()))
        # Editing the text without reply_markup removes the inline keyboard on Telegram.
        message.pop("reply_markup", None)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if not entities:
            message.pop("entities")
        return message

    async def _edit_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if params.get("inline_message_id"):
            return True
        message = self._stored_bot_message(params, "message to edit not found")
        markup = params.get("reply_markup")
        if markup == message.get("reply_markup"):
            raise bad_request(
                "message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup "
                "of the message"
            )
        message.pop("reply_markup", None)
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        message["edit_date"] = int(self._clock())
        return message

    async def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_id = self._target_chat(params)
        if self._messages.pop((chat_id, params.get("message_id")), None) is None:
            raise bad_request("message to delete not found")
        return True

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)  # a query can be answered once
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request('parameter "commands" is required')
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
                str(command.get("command", ""))
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params)
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return list(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        upload, file_id = self._input_file(params, "photo")
        size = image_size(upload.data)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        message = self._media_message(chat_id, params)
        info = self._store_file(upload, "photos", file_id)
        message["photo"] = [{**info, "width": size[0], "height": size[1]}]
        return message

    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        upload, file_id = self._input_file(params, "document")
        message = self._media_message(chat_id, params)
        info = self._store_file(upload, "documents", file_id)
        mime = mimetypes.guess_type(upload.filename)[0] or upload.content_type
        message["document"] = {
            **info,
            "file_name": upload.filename.rsplit("/", 1)[-1],
            "mime_type": mime or "application/octet-stream",
        }
        return message

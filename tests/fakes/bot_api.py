"""The fake Telegram Bot API itself: its state and its methods, with no transport.

Two transports serve it: ``telegram_server.FakeTelegramServer`` over real HTTP on 127.0.0.1
(end-to-end and channel tests) and ``session.InProcessBotApi``, an aiogram session that calls
it directly (handler tests, the benchmark). Both pass every call through `FakeBotApi.answer`,
so a request is checked, recorded and answered the same way whichever way it arrives.

The state is just enough to answer the way Telegram does, including its error descriptions:
an update queue with offset confirmation, per-chat message ids, stored messages and files,
commands, webhook settings, blocked chats and injected failures.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tests.fakes.bot_api_format import ApiCall, ApiError, UploadedFile, bot_command_entities
from tests.fakes.telegram_methods import BotApiMethods

logger = logging.getLogger(__name__)

# Update types Telegram sends only when allowed_updates names them explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

Handler = Callable[[dict[str, Any]], Awaitable[Any]]
ReadParams = Callable[[], Awaitable[dict[str, Any]]]


class FakeBotApi(BotApiMethods):
    """One bot's view of Telegram: what tests push in, what the bot called, what it was told."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "barista_test_bot",
        bot_id: int | None = None,
        *,
        bot_first_name: str = "Barista",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        # Telegram's bot id is the number before the colon; aiogram derives bot.id that way.
        self.bot_id = bot_id if bot_id is not None else int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.calls: list[ApiCall] = []
        self.blocked_chats: set[int] = set()
        self.webhook: dict[str, Any] | None = None
        self._clock = clock
        self._wakeup = asyncio.Event()
        self._closing = False
        self._pending: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._last_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._open_queries: set[str] = set()
        self._query_count = 0
        self._files: dict[str, tuple[dict[str, Any], UploadedFile]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._forums: dict[int, dict[int, str]] = {}
        self._failures: dict[str, list[ApiError]] = {}
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_text,
            "editMessageReplyMarkup": self._edit_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "createForumTopic": self._create_forum_topic,
            "deleteForumTopic": self._delete_forum_topic,
            "close": self._true,
            "logOut": self._true,
        }
        # Bot API method names are case-insensitive; calls are recorded under the canonical one.
        self._handlers = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # ------------------------------------------------------------ serving a call
    async def answer(self, token: str, method: str, read_params: ReadParams) -> ApiCall:
        """Serve one call of `method` made with `token`, as Telegram would.

        The call is recorded before its params are read, so `wait_until` sees requests still
        in flight (long polls). The returned record carries the HTTP status and the JSON body
        the transport answers with; `read_params` may raise ApiError for an unreadable request.
        """
        name, handler = self._handlers.get(method.lower(), (method, None))
        call = ApiCall(method=name, params={})
        self.calls.append(call)
        try:
            call.params = await read_params()
            self._pulse()
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if injected := self._failures.get(name.lower()):
                raise injected.pop(0)
            body: dict[str, Any] = {"ok": True, "result": await handler(call.params)}
            call.status = 200
        except ApiError as error:
            body, call.status = error.payload(), error.code
        except Exception as error:
            # A bug in the fake must surface as a readable error in the test, not a hang.
            logger.exception("fake Bot API failed on %s", name)
            body, call.status = (
                {
                    "ok": False,
                    "error_code": 500,
                    "description": f"Internal Server Error: {error!r}",
                },
                500,
            )
        call.response = body
        self._pulse()
        return call

    def close(self) -> None:
        """Wake parked long polls so that shutdown does not wait out their timeouts."""
        self._closing = True
        self._pulse()

    # ------------------------------------------------------------ inspection
    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Params of every sendMessage that Telegram accepted, oldest first."""
        return [
            call.params
            for call in self.calls_to("sendMessage")
            if call.ok and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates pushed but not yet confirmed by a getUpdates offset."""
        return list(self._pending)

    async def wait_for_call(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[ApiCall]:
        """Wait until at least `count` calls of `method` have been answered; return them."""

        def answered() -> list[ApiCall]:
            return [call for call in self.calls_to(method) if call.status]

        if not await self._wait_until(lambda: len(answered()) >= count, timeout):
            seen = [call.method for call in self.calls]
            raise TimeoutError(f"{count} x {method} not seen within {timeout}s; calls: {seen}")
        return answered()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` holds; it is re-checked whenever a request arrives or ends."""
        if not await self._wait_until(predicate, timeout):
            raise TimeoutError(f"condition not met within {timeout}s")

    # ------------------------------------------------------------ fault injection
    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with this error instead of handling them."""
        queue = self._failures.setdefault(method.lower(), [])
        queue.extend(ApiError(error_code, description, retry_after) for _ in range(times))

    def block_chat(self, chat_id: int) -> None:
        """From now on sending to this chat fails with 403, as when a user blocks the bot."""
        self.blocked_chats.add(chat_id)

    # ------------------------------------------------------------ incoming updates
    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw Update for getUpdates; assigns update_id if missing and returns it."""
        update = dict(update)
        update_id = int(update.setdefault("update_id", self._next_update_id))
        self._next_update_id = max(self._next_update_id, update_id + 1)
        kind = next((key for key in update if key != "update_id"), "")
        for key in ("message", "edited_message"):
            message = update.get(key)
            if isinstance(message, dict) and "message_id" in message and "chat" in message:
                self._remember_message(message)
        if isinstance(query := update.get("callback_query"), dict):
            self._open_queries.add(str(query.get("id")))
        if self._accepts(kind):
            self._pending.append(update)
            self._pulse()
        else:  # Telegram never queues update types the bot did not ask for
            logger.info("update %s of type %r dropped by allowed_updates", update_id, kind)
        return update_id

    def push_message(
        self,
        text: str,
        *,
        user_id: int = 1001,
        first_name: str = "Anna",
        username: str | None = None,
        language_code: str | None = "ru",
        chat_id: int | None = None,
        date: int | None = None,
    ) -> int:
        """Queue a customer's text message (a private chat unless chat_id says otherwise)."""
        user = self._user(user_id, first_name, username, language_code)
        chat_id = user_id if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": user,
            "chat": self._chat(chat_id),
            "date": int(self._clock()) if date is None else date,
            "text": text,
        }
        if entities := bot_command_entities(text):
            message["entities"] = entities
        return self.push_update({"message": message})

    def make_forum(self, chat_id: int) -> None:
        """Turn the supergroup `chat_id` into a forum: topics can be created in it."""
        self._forums.setdefault(chat_id, {})

    def topics(self, chat_id: int) -> dict[int, str]:
        """The forum's topics: message_thread_id -> name."""
        return dict(self._forums.get(chat_id, {}))

    def group_message(
        self,
        text: str,
        *,
        chat_id: int,
        user_id: int,
        first_name: str = "Olga",
        username: str | None = None,
        language_code: str | None = "ru",
        reply_to: int | None = None,
        thread_id: int | None = None,
        date: int | None = None,
    ) -> dict[str, Any]:
        """An Update of a person writing in the group `chat_id`, without an update_id (push
        it, or number it and feed it to a dispatcher): a reply to the message `reply_to`
        carries that message, as Telegram sends it, and a message in a forum topic
        (`thread_id`) that replies to nothing in particular carries the topic's opening
        message instead."""
        user = self._user(user_id, first_name, username, language_code)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": user,
            "chat": self._chat(chat_id),
            "date": int(self._clock()) if date is None else date,
            "text": text,
        }
        if entities := bot_command_entities(text):
            message["entities"] = entities
        target_id = reply_to if reply_to is not None else thread_id
        target = self._messages.get((chat_id, target_id)) if target_id is not None else None
        if reply_to is not None and target is None:
            raise KeyError(f"no message {reply_to} in chat {chat_id} to reply to")
        if target is not None:
            message["reply_to_message"] = {
                k: v for k, v in target.items() if k != "reply_to_message"
            }
            thread_id = thread_id or target.get("message_thread_id")
        if thread_id:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = chat_id in self._forums
        self._remember_message(message)
        return {"message": message}

    def push_group_message(self, text: str, **kwargs: Any) -> int:
        """Queue `group_message(text, **kwargs)` for getUpdates."""
        return self.push_update(self.group_message(text, **kwargs))

    def push_callback_query(
        self,
        data: str,
        *,
        message_id: int,
        user_id: int = 1001,
        first_name: str = "Anna",
        username: str | None = None,
        language_code: str | None = "ru",
        chat_id: int | None = None,
    ) -> int:
        """Queue a press on an inline button of the bot's message `message_id`."""
        user = self._user(user_id, first_name, username, language_code)
        chat_id = user_id if chat_id is None else chat_id
        message = dict(
            self._messages.get((chat_id, message_id))
            or {
                "message_id": message_id,
                "chat": self._chat(chat_id),
                "date": int(self._clock()),
            }
        )
        self._query_count += 1
        return self.push_update(
            {
                "callback_query": {
                    "id": f"{self.bot_id}{self._query_count:06d}",
                    "from": user,
                    "message": message,
                    "chat_instance": str(chat_id),
                    "data": data,
                }
            }
        )

    # ------------------------------------------------------------ waiting
    def _pulse(self) -> None:
        # Wake everyone waiting for a state change, then arm a fresh event for the next one.
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)
        return True

    # ------------------------------------------------------------ state helpers
    def _accepts(self, kind: str) -> bool:
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _OPT_IN_UPDATES

    def _user(
        self, user_id: int, first_name: str, username: str | None, language_code: str | None
    ) -> dict[str, Any]:
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "username": username,
            "language_code": language_code,
        }
        self._users[user_id] = {k: v for k, v in user.items() if v is not None}
        return self._users[user_id]

"""An OpenAI-compatible chat-completions server on 127.0.0.1, for tests of the LLM replies.

The real ``openai.AsyncOpenAI`` client talks to it over HTTP exactly as it talks to
api.openai.com, so tests exercise the client's real request encoding, response parsing,
streaming, timeouts, retries and exception mapping instead of a mock of them. The fake answers
from a script the test writes before or during the run — a reply, a computed reply, a hang, a
delay, an OpenAI-style error, an empty completion, a dropped connection — one step per chat
request in arrival order, then a default; every request is recorded with its body and headers
so a test can assert what the bot sent (the key, the model, the prompt).
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web
from multidict import CIMultiDict

__all__ = ["FakeOpenAI", "LlmRequest", "Responder"]

Responder = Callable[["LlmRequest"], str | Awaitable[str]]
"""Computes an answer from the request (e.g. echoes part of the prompt); may be async."""

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"

# The `type` and `code` OpenAI puts in its error bodies, by status; a test may override both.
_ERROR_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    502: ("server_error", None),
    503: ("server_error", None),
}

_PIECES = re.compile(r"\S+\s*|\s+")  # words with their trailing spaces: the stream's chunks


def _content_text(content: Any) -> str:
    """A message's text, whether its content is a string or a list of parts (text, image…)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""


def _tokens(text: str) -> int:
    """A deterministic stand-in for a tokenizer: words count, so usage is plausible and stable."""
    return len(text.split())


@dataclass(slots=True)
class LlmRequest:
    """One request as the fake received it, and what it was answered.

    `headers` are case-insensitive; `body` is the parsed JSON (``{}`` for a GET or a body that
    was not JSON). The answer fields are filled as the request is handled, so a test that
    awaits the client can assert them right after.
    """

    method: str
    path: str
    headers: CIMultiDict[str]
    body: dict[str, Any]
    status: int | None = None  # the HTTP status answered; None: dropped or never answered
    answer: str | None = None  # the assistant content sent (also None for a null content)
    cancelled: bool = False  # the client went away (its timeout) or the fake stopped first
    dropped: bool = False  # the fake closed the connection on purpose (`drop()`)
    error: BaseException | None = None  # what a `reply_with` callable raised

    @property
    def api_key(self) -> str | None:
        """The bearer token of the Authorization header, as the client sent it."""
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        return token if scheme.lower() == "bearer" and token else None

    @property
    def model(self) -> str | None:
        return self.body.get("model")

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def messages(self) -> list[dict[str, Any]]:
        messages = self.body.get("messages")
        return messages if isinstance(messages, list) else []

    def texts_of(self, *roles: str) -> list[str]:
        """The text of every message with one of these roles, in order."""
        return [
            _content_text(m.get("content"))
            for m in self.messages
            if isinstance(m, dict) and m.get("role") in roles
        ]

    @property
    def system(self) -> str:
        """The system prompt ("developer" is the newer name of the role); "" when absent."""
        return "\n\n".join(self.texts_of("system", "developer"))

    @property
    def user_text(self) -> str:
        """Every user message's text joined, so a test can check what reached the model."""
        return "\n".join(self.texts_of("user"))

    @property
    def last_user(self) -> str:
        """The latest user message: usually the customer's message being answered."""
        texts = self.texts_of("user")
        return texts[-1] if texts else ""


@dataclass(frozen=True, slots=True)
class _Step:
    """One scripted answer: what to do with the next chat request."""

    kind: Literal["answer", "hang", "fail", "drop"]
    text: str | None = None  # for "answer"; None with `null` unset: the default answer
    null: bool = False  # answer with content null (some providers do)
    compute: Responder | None = None
    delay: float = 0.0
    status: int = 200
    message: str = ""
    error_type: str | None = None
    code: str | None = None
    retry_after: float | None = None


@dataclass
class FakeOpenAI:
    """An async context manager serving the OpenAI chat API on 127.0.0.1:<free port>.

    Pass `base_url` and a key to ``AsyncOpenAI``. With `api_key` set, a request with any other
    bearer key is answered 401 as OpenAI does (and does not consume a scripted step).
    """

    api_key: str | None = None
    model: str = "gpt-4o-mini"
    default: str | Responder = "OK"  # the answer once the script is used up
    shutdown_timeout: float = 0.5
    requests: list[LlmRequest] = field(default_factory=list, init=False)
    port: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._script: deque[_Step] = deque()
        self._ids = itertools.count(1)
        self._handlers: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._arrived = asyncio.Event()

    # -- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> FakeOpenAI:
        app = web.Application()
        app.router.add_post(CHAT_PATH, self._chat)
        app.router.add_get(MODELS_PATH, self._models)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        # handler_cancellation: a client that gives up (its timeout) cancels the handler, so
        # a hang ends when the client leaves instead of holding a task until shutdown.
        self._runner = web.AppRunner(
            app,
            access_log=None,
            shutdown_timeout=self.shutdown_timeout,
            handler_cancellation=True,
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # Hung and delayed handlers are cancelled first, so stopping never waits them out.
        self._stopping.set()
        pending = [task for task in self._handlers if not task.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """What ``AsyncOpenAI(base_url=...)`` takes: the server's root with the /v1 prefix."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- the script ----------------------------------------------------------------------

    def reply(self, text: str) -> FakeOpenAI:
        """Answer the next unscripted chat request with `text`."""
        return self._push(_Step("answer", text=text))

    def reply_with(self, responder: Responder) -> FakeOpenAI:
        """Answer the next request with what `responder(request)` returns (sync or async)."""
        return self._push(_Step("answer", compute=responder))

    def delay(self, seconds: float, text: str | None = None) -> FakeOpenAI:
        """Answer after `seconds` (a slow model), with `text` or else the default answer."""
        return self._push(_Step("answer", text=text, delay=seconds))

    def hang(self) -> FakeOpenAI:
        """Never answer: the request waits until the client gives up or the fake stops."""
        return self._push(_Step("hang"))

    def empty(self, *, null: bool = False) -> FakeOpenAI:
        """Answer a completion with content "" (or null, with `null=True`)."""
        return self._push(_Step("answer", text=None if null else "", null=null))

    def drop(self) -> FakeOpenAI:
        """Close the connection without any response, as a crashed upstream does."""
        return self._push(_Step("drop"))

    def fail(
        self,
        status: int = 500,
        message: str = "The server had an error while processing your request.",
        *,
        error_type: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        times: int = 1,
    ) -> FakeOpenAI:
        """Answer `times` requests with an OpenAI error body and `status`.

        `error_type` and `code` default to what OpenAI sends for the status. A 429 carries a
        Retry-After header (1 s unless `retry_after` says otherwise; the client honours
        fractions, so retry tests stay fast); other statuses carry it only when given.
        """
        kind, default_code = _ERROR_KINDS.get(status, ("server_error", None))
        if retry_after is None and status == 429:
            retry_after = 1.0
        step = _Step(
            "fail",
            status=status,
            message=message,
            error_type=error_type or kind,
            code=code if code is not None else default_code,
            retry_after=retry_after,
        )
        for _ in range(times):
            self._push(step)
        return self

    @property
    def queued(self) -> int:
        """Scripted steps not yet consumed: 0 once every scripted answer was asked for."""
        return len(self._script)

    def clear(self) -> None:
        """Forget the unconsumed script (the default answer applies again)."""
        self._script.clear()

    def _push(self, step: _Step) -> FakeOpenAI:
        self._script.append(step)
        return self

    # -- what arrived --------------------------------------------------------------------

    @property
    def completions(self) -> list[LlmRequest]:
        """The chat-completion requests only (not model listings or stray paths)."""
        return [r for r in self.requests if r.path == CHAT_PATH]

    @property
    def last(self) -> LlmRequest:
        """The latest chat-completion request; fails loudly when none arrived."""
        completions = self.completions
        if not completions:
            raise AssertionError("no chat completion request reached the fake OpenAI server")
        return completions[-1]

    async def wait_for_requests(self, count: int = 1, timeout: float = 5.0) -> None:
        """Until `count` chat requests arrived (for a request the test does not await)."""
        async with asyncio.timeout(timeout):
            while len(self.completions) < count:
                self._arrived.clear()
                await self._arrived.wait()

    # -- the endpoints -------------------------------------------------------------------

    async def _record(self, request: web.Request) -> LlmRequest:
        body: dict[str, Any] = {}
        if request.can_read_body:
            try:
                parsed = json.loads(await request.read() or b"null")
            except ValueError:
                parsed = None
            if isinstance(parsed, dict):
                body = parsed
        record = LlmRequest(request.method, request.path, CIMultiDict(request.headers), body)
        self.requests.append(record)
        self._arrived.set()
        return record

    def _unauthorized(self, record: LlmRequest) -> web.Response | None:
        if self.api_key is None or record.api_key == self.api_key:
            return None
        shown = record.api_key or ""
        if shown:
            shown = f"{shown[:3]}***{shown[-4:]}" if len(shown) > 8 else "***"
        message = (
            f"Incorrect API key provided: {shown}."
            if record.api_key
            else "You didn't provide an API key."
        )
        return self._error(record, 401, message, "invalid_request_error", "invalid_api_key")

    def _error(
        self,
        record: LlmRequest,
        status: int,
        message: str,
        error_type: str | None,
        code: str | None,
        retry_after: float | None = None,
    ) -> web.Response:
        record.status = status
        headers = {"x-request-id": f"req_fake{next(self._ids):06d}"}
        if retry_after is not None:
            headers["Retry-After"] = f"{retry_after:g}"
        body = {"error": {"message": message, "type": error_type, "param": None, "code": code}}
        return web.json_response(body, status=status, headers=headers)

    async def _unknown(self, request: web.Request) -> web.Response:
        record = await self._record(request)
        message = f"Unknown request URL: {request.method} {request.path}."
        return self._error(record, 404, message, "invalid_request_error", "unknown_url")

    async def _models(self, request: web.Request) -> web.Response:
        record = await self._record(request)
        if (denied := self._unauthorized(record)) is not None:
            return denied
        record.status = 200
        model = {"id": self.model, "object": "model", "created": 0, "owned_by": "fake-openai"}
        return web.json_response({"object": "list", "data": [model]})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        record = await self._record(request)
        try:
            return await self._answer(request, record)
        except asyncio.CancelledError:
            record.cancelled = not record.dropped
            raise
        finally:
            self._handlers.discard(task)

    async def _answer(self, request: web.Request, record: LlmRequest) -> web.StreamResponse:
        if (denied := self._unauthorized(record)) is not None:
            return denied
        if not record.messages or not isinstance(record.body.get("model"), str):
            message = "'messages' and 'model' are required properties."
            return self._error(record, 400, message, "invalid_request_error", None)
        step = self._script.popleft() if self._script else _Step("answer")
        if step.delay:
            await asyncio.sleep(step.delay)
        if step.kind == "hang":
            await self._stopping.wait()  # the client's timeout or our exit cancels this
            raise asyncio.CancelledError
        if step.kind == "drop":
            record.dropped = True
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError  # aiohttp's way out of a handler with no response
        if step.kind == "fail":
            return self._error(
                record, step.status, step.message, step.error_type, step.code, step.retry_after
            )
        try:
            text = await self._text_of(step, record)
        except Exception as error:
            record.error = error
            message = f"The fake's responder raised {error!r}"
            return self._error(record, 500, message, "server_error", None)
        record.answer = text
        if record.stream:
            return await self._stream(request, record, text)
        record.status = 200
        return web.json_response(self._completion(record, text))

    async def _text_of(self, step: _Step, record: LlmRequest) -> str | None:
        if step.null:
            return None
        if step.compute is not None:
            return await self._compute(step.compute, record)
        if step.text is not None:
            return step.text
        if isinstance(self.default, str):
            return self.default
        return await self._compute(self.default, record)

    @staticmethod
    async def _compute(responder: Responder, record: LlmRequest) -> str:
        answer = responder(record)
        if inspect.isawaitable(answer):
            answer = await answer
        return str(answer)

    def _usage(self, record: LlmRequest, text: str | None) -> dict[str, int]:
        prompt = sum(_tokens(_content_text(m.get("content"))) for m in record.messages)
        completion = _tokens(text or "")
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }

    def _completion(self, record: LlmRequest, text: str | None) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake{next(self._ids):06d}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": record.model or self.model,
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": self._usage(record, text),
        }

    async def _stream(
        self, request: web.Request, record: LlmRequest, text: str | None
    ) -> web.StreamResponse:
        """Server-sent events as OpenAI sends them: the role, the content in word-sized
        deltas, a closing chunk with the finish reason, usage if asked for, then [DONE]."""
        base = {
            "id": f"chatcmpl-fake{next(self._ids):06d}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": record.model or self.model,
            "system_fingerprint": None,
        }

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return {**base, "choices": [choice]}

        events = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": piece}) for piece in _PIECES.findall(text or "")]
        events.append(chunk({}, "stop"))
        options = record.body.get("stream_options")
        if isinstance(options, dict) and options.get("include_usage"):
            events.append({**base, "choices": [], "usage": self._usage(record, text)})

        response = web.StreamResponse(
            status=200,
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"},
        )
        await response.prepare(request)
        record.status = 200
        try:
            for event in events:
                await response.write(f"data: {json.dumps(event)}\n\n".encode())
            await response.write(b"data: [DONE]\n\n")
            await response.write_eof()
        except ConnectionError as error:
            raise asyncio.CancelledError from error  # the client left mid-stream
        return response

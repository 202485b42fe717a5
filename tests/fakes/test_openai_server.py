"""The fake OpenAI server, driven by the real ``openai.AsyncOpenAI`` client over HTTP.

These pin the fake to what the real client accepts — the response shapes it parses, the SSE
stream it reads, the statuses it maps to its exceptions — so tests of the bot's LLM replies
that use the fake can trust it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import openai
import pytest
from openai import AsyncOpenAI

from tests.fakes.openai_server import FakeOpenAI, LlmRequest

KEY = "sk-test-barista-0001"
MODEL = "gpt-4o-mini"
PROMPT = [
    {"role": "system", "content": "Ты бариста кофейни."},
    {"role": "user", "content": "Привет!"},
    {"role": "assistant", "content": "Здравствуйте!"},
    {"role": "user", "content": "Есть ли латте на овсяном?"},
]


def make_client(llm: FakeOpenAI, *, key: str = KEY, timeout: float = 5.0) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=llm.base_url, api_key=key, max_retries=0, timeout=timeout)


@pytest.fixture
async def llm() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI(api_key=KEY, model=MODEL) as fake:
        yield fake


@pytest.fixture
async def client(llm: FakeOpenAI) -> AsyncIterator[AsyncOpenAI]:
    client = make_client(llm)
    try:
        yield client
    finally:
        await client.close()


async def ask(client: AsyncOpenAI) -> str | None:
    completion = await client.chat.completions.create(model=MODEL, messages=PROMPT)  # type: ignore[arg-type]
    return completion.choices[0].message.content


async def test_a_scripted_reply_then_the_default(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    llm.reply("Да, латте на овсяном есть.").reply("Второй ответ")

    completion = await client.chat.completions.create(model=MODEL, messages=PROMPT)  # type: ignore[arg-type]

    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    assert completion.model == MODEL
    choice = completion.choices[0]
    assert (choice.index, choice.finish_reason) == (0, "stop")
    assert choice.message.role == "assistant"
    assert choice.message.content == "Да, латте на овсяном есть."
    assert completion.usage is not None
    assert completion.usage.completion_tokens == 5
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )
    assert await ask(client) == "Второй ответ"
    assert await ask(client) == "OK"
    assert llm.queued == 0
    llm.default = "Другое по умолчанию"
    assert await ask(client) == "Другое по умолчанию"


async def test_the_raw_body_has_openais_exact_shape(llm: FakeOpenAI) -> None:
    llm.reply("Готово")
    headers = {"Authorization": f"Bearer {KEY}"}
    body = {"model": MODEL, "messages": PROMPT}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{llm.base_url}/chat/completions", json=body, headers=headers) as response,
    ):
        assert response.status == 200
        data = await response.json()

    assert set(data) >= {"id", "object", "created", "model", "choices", "usage"}
    assert isinstance(data["created"], int)
    assert data["choices"] == [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Готово", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]
    assert set(data["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}


async def test_a_streamed_answer(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    llm.reply("Латте на овсяном — 250 ₽.")

    stream = await client.chat.completions.create(
        model=MODEL,
        messages=PROMPT,  # type: ignore[arg-type]
        stream=True,
        stream_options={"include_usage": True},
    )
    pieces: list[str] = []
    finish: list[str] = []
    usage = None
    async for chunk in stream:
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.delta.content or "")
            if choice.finish_reason:
                finish.append(choice.finish_reason)

    assert "".join(pieces) == "Латте на овсяном — 250 ₽."
    assert len([p for p in pieces if p]) > 1  # really delivered in several deltas
    assert finish == ["stop"]
    assert usage is not None and usage.completion_tokens == 6
    assert llm.last.stream and llm.last.answer == "Латте на овсяном — 250 ₽."


async def test_the_raw_stream_is_server_sent_events_ending_with_done(llm: FakeOpenAI) -> None:
    llm.reply("раз два")
    headers = {"Authorization": f"Bearer {KEY}"}
    body = {"model": MODEL, "messages": PROMPT, "stream": True}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{llm.base_url}/chat/completions", json=body, headers=headers) as response,
    ):
        assert response.headers["Content-Type"].startswith("text/event-stream")
        raw = (await response.read()).decode()

    events = [line.removeprefix("data: ") for line in raw.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert [c["choices"][0]["delta"] for c in chunks] == [
        {"role": "assistant", "content": ""},
        {"content": "раз "},
        {"content": "два"},
        {},
    ]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


async def test_requests_are_recorded(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    await client.chat.completions.create(model=MODEL, messages=PROMPT, temperature=0.2)  # type: ignore[arg-type]

    [request] = llm.requests
    assert request.api_key == KEY
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.model == MODEL
    assert request.body["temperature"] == 0.2
    assert request.messages == PROMPT
    assert request.system == "Ты бариста кофейни."
    assert request.user_text == "Привет!\nЕсть ли латте на овсяном?"
    assert request.last_user == "Есть ли латте на овсяном?"
    assert (request.status, request.answer, request.cancelled) == (200, "OK", False)


async def test_content_parts_count_as_text(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    parts = [{"type": "text", "text": "Что на фото?"}, {"type": "image_url", "image_url": {}}]
    llm.reply("Капучино")
    await client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "developer", "content": "Будь краток."},
            {"role": "user", "content": parts},
        ],  # type: ignore[list-item]
    )
    assert (llm.last.system, llm.last.user_text) == ("Будь краток.", "Что на фото?")


async def test_reply_with_computes_from_the_request(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    async def later(request: LlmRequest) -> str:
        return request.model or ""

    llm.reply_with(lambda request: f"Вы спросили: {request.last_user}").reply_with(later)

    assert await ask(client) == "Вы спросили: Есть ли латте на овсяном?"
    assert await ask(client) == MODEL


async def test_a_failing_responder_is_a_500_with_the_cause(
    llm: FakeOpenAI, client: AsyncOpenAI
) -> None:
    def broken(request: LlmRequest) -> str:
        raise KeyError("missing")

    llm.reply_with(broken)
    with pytest.raises(openai.InternalServerError, match="KeyError"):
        await ask(client)
    assert isinstance(llm.last.error, KeyError)


async def test_500_is_an_internal_server_error(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    llm.fail(500, "Upstream exploded")

    with pytest.raises(openai.InternalServerError) as raised:
        await ask(client)

    assert raised.value.status_code == 500
    assert raised.value.body == {
        "message": "Upstream exploded",
        "type": "server_error",
        "param": None,
        "code": None,
    }
    assert llm.last.status == 500
    assert await ask(client) == "OK"  # the failure was consumed


async def test_429_carries_retry_after_and_the_client_retries(llm: FakeOpenAI) -> None:
    llm.fail(429, "Rate limit reached", retry_after=0.05, times=2)
    client = make_client(llm)
    with pytest.raises(openai.RateLimitError) as raised:
        await ask(client)
    assert raised.value.response.headers["retry-after"] == "0.05"
    assert raised.value.code == "rate_limit_exceeded"

    retrying = AsyncOpenAI(base_url=llm.base_url, api_key=KEY, max_retries=1)
    try:
        started = time.monotonic()
        assert await ask(retrying) == "OK"  # one more 429, waited 0.05 s, then the answer
        assert time.monotonic() - started < 1.0
    finally:
        await client.close()
        await retrying.close()
    assert [r.status for r in llm.completions] == [429, 429, 200]


async def test_a_wrong_key_is_401_and_consumes_no_step(llm: FakeOpenAI) -> None:
    llm.reply("для правильного ключа")
    intruder = make_client(llm, key="sk-wrong-key-123456")
    try:
        with pytest.raises(openai.AuthenticationError) as raised:
            await ask(intruder)
    finally:
        await intruder.close()

    assert raised.value.status_code == 401
    assert raised.value.code == "invalid_api_key"
    assert "sk-wrong-key-123456" not in str(raised.value)  # masked, as OpenAI does
    assert llm.last.api_key == "sk-wrong-key-123456"
    assert llm.queued == 1


async def test_any_key_is_accepted_without_api_key() -> None:
    async with FakeOpenAI() as llm:
        client = make_client(llm, key="anything")
        try:
            assert await ask(client) == "OK"
        finally:
            await client.close()


async def test_a_hang_times_the_client_out_quickly(llm: FakeOpenAI) -> None:
    llm.hang()
    client = make_client(llm, timeout=0.5)
    try:
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            await ask(client)
        assert time.monotonic() - started < 1.5
    finally:
        await client.close()

    # The client left, so the server's handler was cancelled rather than left hanging.
    async with asyncio.timeout(1.0):
        while not llm.last.cancelled:
            await asyncio.sleep(0.01)
    assert llm.last.status is None


async def test_stopping_does_not_wait_for_a_hung_request() -> None:
    async with FakeOpenAI() as llm:
        llm.hang()
        client = make_client(llm, timeout=30.0)
        pending = asyncio.create_task(ask(client))
        await llm.wait_for_requests(1)
        started = time.monotonic()
    assert time.monotonic() - started < 1.0
    try:
        with pytest.raises(openai.APIConnectionError):
            await pending
    finally:
        await client.close()
    assert llm.last.cancelled


async def test_empty_and_null_content(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    llm.empty().empty(null=True)

    assert await ask(client) == ""
    assert await ask(client) is None

    llm.empty()
    stream = await client.chat.completions.create(model=MODEL, messages=PROMPT, stream=True)  # type: ignore[arg-type]
    assert "".join([c.choices[0].delta.content or "" async for c in stream if c.choices]) == ""


async def test_a_drop_is_a_connection_error(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    llm.drop()

    with pytest.raises(openai.APIConnectionError):
        await ask(client)

    assert llm.last.dropped and not llm.last.cancelled
    assert llm.last.status is None
    assert await ask(client) == "OK"  # the next request gets a fresh connection


async def test_a_delay_answers_late(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    llm.delay(0.3, "Не спеша").delay(0.2)

    started = time.monotonic()
    assert await ask(client) == "Не спеша"
    assert 0.3 <= time.monotonic() - started < 1.0
    assert await ask(client) == "OK"  # a delay without text answers the default


async def test_a_delay_past_the_client_timeout_times_out(llm: FakeOpenAI) -> None:
    llm.delay(1.0, "слишком поздно")
    client = make_client(llm, timeout=0.2)
    try:
        with pytest.raises(openai.APITimeoutError):
            await ask(client)
    finally:
        await client.close()


async def test_models_list_the_configured_model(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    models = [model.id async for model in client.models.list()]
    assert models == [MODEL]


async def test_bad_requests_and_unknown_paths(llm: FakeOpenAI, client: AsyncOpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        await client.chat.completions.create(model=MODEL, messages=[])
    with pytest.raises(openai.NotFoundError):
        await client.embeddings.create(model="text-embedding-3-small", input="латте")
    assert [r.status for r in llm.requests] == [400, 404]
    assert llm.completions == llm.requests[:1]

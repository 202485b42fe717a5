"""The OpenAI-compatible chat client: `openai.AsyncOpenAI` pointed at OPENAI_BASE_URL, with
a hard time limit and a bound on requests in flight.

The limit is the customer's: `asyncio.timeout` around the whole call (connect, queue, read),
not only the client's own read timeout, and no retries inside it — a retry is the rule
engine's answer, which is ready at once. When LLM_MAX_CONCURRENCY requests are already
running, a new one does not queue behind them: it fails at once as `LlmBusy`, and the rules
answer.
"""

from __future__ import annotations

import asyncio

import openai


class LlmError(Exception):
    """The model gave no usable answer; `reason` is short and machine-readable."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class LlmBusy(LlmError):
    def __init__(self) -> None:
        super().__init__("busy")


class ChatClient:
    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        model: str,
        timeout_s: float,
        max_concurrency: int,
        max_tokens: int,
    ) -> None:
        # A local vLLM or Ollama needs no key, but the client insists on one.
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout_s, max_retries=0
        )
        self.model = model
        self.timeout_s = timeout_s
        self.max_tokens = max_tokens
        self._slots = asyncio.Semaphore(max_concurrency)

    async def complete(self, messages: list[dict[str, str]]) -> str:
        """The model's answer to `messages`; raises `LlmError` on anything else."""
        if self._slots.locked():
            raise LlmBusy()
        async with self._slots:
            try:
                async with asyncio.timeout(self.timeout_s):
                    response = await self._client.chat.completions.create(
                        model=self.model,
                        messages=messages,  # type: ignore[arg-type]
                        max_tokens=self.max_tokens,
                        temperature=0.3,
                    )
            except TimeoutError:
                raise LlmError("timeout") from None
            except openai.APITimeoutError:
                raise LlmError("timeout") from None
            except openai.APIStatusError as exc:
                raise LlmError("http_error", str(exc.status_code)) from None
            except openai.APIError as exc:
                raise LlmError("connection", type(exc).__name__) from None
        if not response.choices:
            raise LlmError("empty")
        content = response.choices[0].message.content
        if not content or not content.strip():
            raise LlmError("empty")
        return content.strip()

    async def close(self) -> None:
        await self._client.close()

"""One interface over the backends: a prompt in, text out, with provenance.

A ``Prompt`` carries both shapes of the same request: a few-shot completion text for the
embedded base model and chat messages for instruction models, so the pipelines never
branch on the backend. Remote calls run under one deadline (``COACH_LLM_TIMEOUT_S``) with
bounded retries; when they still fail, the embedded model answers and a notice says so.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from coach.config import Settings, get_settings
from coach.errors import BackendError
from coach.generate import local, remote

log = logging.getLogger(__name__)

# After a failed round of retries the remote server is skipped for this long, so the next
# candidates of the same draft (and the next requests) do not wait out the deadline again.
REMOTE_COOLDOWN_S = 30.0


@dataclass(frozen=True)
class Prompt:
    completion: str
    messages: list[tuple[str, str]] = field(default_factory=list)
    stop: list[str] = field(default_factory=list)
    max_tokens: int = 96
    chat_max_tokens: int | None = None  # instruction models write whole messages


@dataclass(frozen=True)
class Generation:
    text: str
    backend: str
    model: str
    seconds: float
    notice: str | None = None
    remote_seconds: float | None = None  # time spent on the remote server before a fallback


def _is_retryable(exc: Exception) -> bool:
    import openai

    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | openai.APITimeoutError | TimeoutError)


def _describe(exc: Exception) -> str:
    """A short reason that never includes request headers or keys."""
    import openai

    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "connection failed"
    return type(exc).__name__


class Generator:
    """The configured backend, with the embedded model as the fallback."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.settings.validate_backend()
        self._chat = None
        self._local: local.LocalCompletionLLM | None = None
        self.last_notice: str | None = None
        self._remote_down_until = 0.0
        self._remote_down_reason = ""

    @property
    def name(self) -> str:
        return self.settings.llm

    @property
    def is_chat(self) -> bool:
        return self.settings.llm == "openai"

    @property
    def model_name(self) -> str:
        if self.is_chat:
            return remote.remote_model_name(self.settings)
        return local.LOCAL_MODEL_NAME

    def local_llm(self) -> local.LocalCompletionLLM:
        if self._local is None:
            self._local = local.LocalCompletionLLM(
                n_ctx=self.settings.local_context, n_threads=self.settings.local_threads
            )
        return self._local

    def chat_model(self):
        if self._chat is None:
            self._chat = remote.make_chat_model(self.settings)
        return self._chat

    def generate(
        self, prompt: Prompt, *, temperature: float = 0.7, seed: int | None = None
    ) -> Generation:
        start = time.perf_counter()
        if self.is_chat:
            try:
                text = self._remote_with_retries(prompt, temperature)
                return Generation(text, "openai", self.model_name, time.perf_counter() - start)
            except BackendError as exc:
                if not self.settings.llm_fallback_local:
                    raise
                remote_seconds = time.perf_counter() - start
                notice = f"{exc} Se usó el modelo local. / Used the local model instead."
                log.warning(notice)
                text = self._local_text(prompt, temperature, seed)
                return Generation(
                    text, "local", local.LOCAL_MODEL_NAME, time.perf_counter() - start, notice,
                    remote_seconds,
                )
        text = self._local_text(prompt, temperature, seed)
        return Generation(text, "local", self.model_name, time.perf_counter() - start)

    def stream(self, prompt: Prompt, *, temperature: float = 0.7) -> Iterator[str]:
        """Yield text pieces as they are produced (used by the chat UI)."""
        self.last_notice = None
        if self.is_chat:
            try:
                yield from self._remote_stream(prompt, temperature)
                return
            except BackendError as exc:
                if not self.settings.llm_fallback_local:
                    raise
                self.last_notice = f"{exc} Se usó el modelo local. / Used the local model instead."
        yield from self.local_llm().stream(
            prompt.completion,
            stop=prompt.stop or None,
            max_tokens=prompt.max_tokens,
            temperature=temperature,
        )

    def _local_text(self, prompt: Prompt, temperature: float, seed: int | None) -> str:
        return self.local_llm().invoke(
            prompt.completion,
            stop=prompt.stop or None,
            max_tokens=prompt.max_tokens,
            temperature=temperature,
            seed=seed,
        )

    def _token_limit(self, prompt: Prompt) -> dict:
        # langchain-openai sends only `max_completion_tokens`; llama.cpp's server, Ollama and
        # other compatible servers read `max_tokens`, so they get both.
        limit = prompt.chat_max_tokens or prompt.max_tokens
        if self.settings.openai_base_url:
            return {"max_tokens": limit, "extra_body": {"max_tokens": limit}}
        return {"max_tokens": limit}

    def _check_remote_up(self) -> None:
        if time.monotonic() < self._remote_down_until:
            raise BackendError(self._remote_down_reason)

    def _mark_remote_down(self, reason: str) -> BackendError:
        self._remote_down_until = time.monotonic() + REMOTE_COOLDOWN_S
        self._remote_down_reason = reason
        return BackendError(reason)

    def _remote_with_retries(self, prompt: Prompt, temperature: float) -> str:
        self._check_remote_up()
        deadline = time.monotonic() + self.settings.llm_timeout_s
        attempts = self.settings.llm_max_retries + 1
        last: Exception | None = None
        for attempt in range(attempts):
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                break
            try:
                message = self.chat_model().invoke(
                    prompt.messages,
                    timeout=remaining,
                    temperature=temperature,
                    stop=prompt.stop or None,
                    **self._token_limit(prompt),
                )
                return str(message.content)
            except Exception as exc:  # noqa: BLE001 - classified below
                last = exc
                if not _is_retryable(exc):
                    break
                pause = min(0.25 * 2**attempt, max(0.0, deadline - time.monotonic() - 0.05))
                time.sleep(pause)
        reason = _describe(last) if last else "timed out"
        raise self._mark_remote_down(f"The OpenAI-compatible server failed ({reason}).")

    def _remote_stream(self, prompt: Prompt, temperature: float) -> Iterator[str]:
        self._check_remote_up()
        try:
            for chunk in self.chat_model().stream(
                prompt.messages,
                temperature=temperature,
                stop=prompt.stop or None,
                timeout=self.settings.llm_timeout_s,
                **self._token_limit(prompt),
            ):
                if chunk.content:
                    yield str(chunk.content)
        except Exception as exc:  # noqa: BLE001
            raise self._mark_remote_down(
                f"The OpenAI-compatible server failed ({_describe(exc)}).") from exc


_shared: Generator | None = None
_shared_lock = threading.Lock()


def get_generator(settings: Settings | None = None) -> Generator:
    """The process-wide generator for the current settings (models load lazily)."""
    global _shared
    settings = settings or get_settings()
    with _shared_lock:
        if _shared is None or _shared.settings is not settings:
            _shared = Generator(settings)
        return _shared

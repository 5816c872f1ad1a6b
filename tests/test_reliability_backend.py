"""Backend failures: the OpenAI-compatible server down, slow, answering 500 or 429.

A real llama_cpp.server cannot be told to fail, so a tiny stdlib HTTP server on 127.0.0.1
plays the failing server and counts the requests it receives (the happy path runs against
the real llama_cpp.server in tests/test_llm.py). Retries are bounded
(``COACH_LLM_MAX_RETRIES`` + 1 requests at most), the remote part ends within
``COACH_LLM_TIMEOUT_S`` + 1 s, and the answer comes from the local model or the composer
with a visible notice.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import free_port

from coach.config import get_settings, reset_settings
from coach.errors import BackendError
from coach.generate.llm import Generator, Prompt

TIMEOUT_S = 2.0
RETRIES = 2
HELLO = Prompt(completion="Hola, ", messages=[("user", "Di hola.")], max_tokens=4)


class FailingServer:
    """An OpenAI-compatible endpoint that fails on purpose: mode 500, 429, 401 or slow."""

    def __init__(self, mode: str, delay: float = 0.0) -> None:
        self.mode, self.delay = mode, delay
        self.requests: list[tuple[float, str, dict[str, str]]] = []
        self.bodies: list[bytes] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                server.bodies.append(self.rfile.read(length))
                server.requests.append((time.monotonic(), self.path, dict(self.headers)))
                if server.mode == "slow":
                    server.stop.wait(server.delay)
                    status, body = 200, _completion("demasiado tarde")
                elif server.mode == "401":  # like OpenAI: the error echoes the key it got
                    got = self.headers.get("Authorization", "")
                    status, body = 401, {"error": {"message": f"Incorrect API key provided: "
                                                   f"{got.removeprefix('Bearer ')}",
                                                   "type": "invalid_request_error"}}
                elif server.mode == "429":
                    status, body = 429, {"error": {"message": "rate limited",
                                                   "type": "rate_limit"}}
                else:
                    status, body = 500, {"error": {"message": "boom", "type": "server"}}
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", "30")  # must not stretch the deadline
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout): expected for "slow"

            def log_message(self, *args) -> None:  # noqa: ANN002 - silence
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FailingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _completion(text: str) -> dict:
    return {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


@pytest.fixture
def remote(monkeypatch) -> Iterator:
    """Point the coach at a URL with a 2 s deadline and 2 retries."""

    def configure(url: str, fallback_local: bool = False) -> None:
        monkeypatch.setenv("COACH_LLM", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
        monkeypatch.setenv("COACH_LLM_TIMEOUT_S", str(TIMEOUT_S))
        monkeypatch.setenv("COACH_LLM_MAX_RETRIES", str(RETRIES))
        monkeypatch.setenv("COACH_LLM_FALLBACK_LOCAL", "true" if fallback_local else "false")
        reset_settings()

    yield configure
    reset_settings()


def _fail_fast(remote_url_configure, url: str) -> tuple[BackendError, float]:
    remote_url_configure(url)
    start = time.perf_counter()
    with pytest.raises(BackendError) as info:
        Generator(get_settings()).generate(HELLO, temperature=0.0)
    return info.value, time.perf_counter() - start


@pytest.mark.parametrize("mode, reason", [("500", "HTTP 500"), ("429", "HTTP 429")])
def test_errors_are_retried_a_bounded_number_of_times(remote, mode, reason):
    with FailingServer(mode) as server:
        error, seconds = _fail_fast(remote, server.url)
    assert len(server.requests) == RETRIES + 1
    assert all(path.endswith("/chat/completions") for _, path, _ in server.requests)
    gaps = [b[0] - a[0] for a, b in zip(server.requests, server.requests[1:], strict=False)]
    assert all(gap >= 0.2 for gap in gaps), gaps  # backoff between attempts
    assert seconds <= TIMEOUT_S + 1.0
    assert reason in str(error) and "\n" not in str(error)


def test_a_slow_server_is_cut_at_the_deadline(remote):
    with FailingServer("slow", delay=TIMEOUT_S * 5) as server:
        error, seconds = _fail_fast(remote, server.url)
    assert 1 <= len(server.requests) <= RETRIES + 1
    assert TIMEOUT_S - 0.2 <= seconds <= TIMEOUT_S + 1.0
    assert "timed out" in str(error)


def test_a_server_that_is_down_fails_fast(remote):
    error, seconds = _fail_fast(remote, f"http://127.0.0.1:{free_port()}/v1")
    assert seconds <= TIMEOUT_S + 1.0
    assert "connection failed" in str(error)


@pytest.mark.parametrize("mode", ["500", "slow"])
def test_the_local_model_answers_after_the_remote_part_with_a_notice(remote, mode):
    with FailingServer(mode, delay=TIMEOUT_S * 5) as server:
        remote(server.url, fallback_local=True)
        result = Generator(get_settings()).generate(HELLO, temperature=0.0, seed=1)
    assert result.backend == "local" and result.text.strip()
    assert result.notice and "local" in result.notice.lower()
    assert result.remote_seconds is not None and result.remote_seconds <= TIMEOUT_S + 1.0
    assert len(server.requests) <= RETRIES + 1


def _contact_with_notes() -> str:
    from coach.services.contacts import add_contact, add_note, set_profile

    set_profile(name="Marta Ruiz", role="consultora de logística", offer="una intro a un "
                "operador de frío", goal="clients")
    ana = add_contact(name="Ana Gómez", company="Frutas del Sur", where_met="Feria Alimentaria",
                      tier="prospect")
    add_note(ana["id"], "Hablamos de su problema con la cadena de frío en las exportaciones.")
    return str(ana["id"])


@pytest.fixture
def remote_time(monkeypatch) -> list[float]:
    """Seconds spent in each remote attempt cycle (retries included) during a test."""
    spent: list[float] = []
    original = Generator._remote_with_retries

    def timed(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    monkeypatch.setattr(Generator, "_remote_with_retries", timed)
    return spent


@pytest.mark.parametrize("mode", ["500", "429", "slow", "down"])
def test_a_draft_survives_a_failing_server_with_the_composed_draft_and_a_notice(
        remote, remote_time, mode, monkeypatch):
    from coach.services.drafting import draft_follow_up

    monkeypatch.setenv("COACH_CANDIDATES", "2")
    ref = _contact_with_notes()
    with FailingServer(mode if mode != "down" else "500", delay=TIMEOUT_S * 5) as server:
        url = server.url if mode != "down" else f"http://127.0.0.1:{free_port()}/v1"
        remote(url)
        draft = draft_follow_up(ref)
    assert draft["fallback_used"] and draft["backend"] == "composer"
    assert draft["notice"] and "composed" in draft["notice"]
    assert all(draft["checks"].values()), draft["reasons"]
    assert "Ana" in draft["text"]
    assert len(server.requests) <= RETRIES + 1  # one bounded round for the whole draft
    assert sum(remote_time) <= TIMEOUT_S + 1.0, remote_time


def test_a_draft_falls_back_to_the_local_model_within_the_deadline(remote, remote_time,
                                                                   monkeypatch):
    from coach.services.drafting import draft_follow_up

    monkeypatch.setenv("COACH_CANDIDATES", "2")
    ref = _contact_with_notes()
    with FailingServer("500") as server:
        remote(server.url, fallback_local=True)
        draft = draft_follow_up(ref)
    assert draft["notice"] and "local" in draft["notice"].lower()
    assert draft["candidates_tried"] == 2
    assert all(draft["checks"].values()), draft["reasons"]
    # the remote part (until the local model starts) fits the deadline, once per draft
    assert sum(remote_time) <= TIMEOUT_S + 1.0, remote_time
    assert len(server.requests) <= RETRIES + 1

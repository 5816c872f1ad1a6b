"""The LLM layer with real parts: the embedded model and a real OpenAI-compatible server."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from coach.config import get_settings, reset_settings
from coach.errors import ConfigError
from coach.generate import local
from coach.generate.llm import Generator, Prompt

HELLO = Prompt(
    completion="Saludo breve en español.\nMensaje: Hola Ana, gracias por",
    messages=[("system", "Answer in Spanish."), ("user", "Di hola a Ana en una frase.")],
    max_tokens=8,
)


@pytest.mark.slow
def test_local_model_generates_a_few_tokens():
    result = Generator(get_settings()).generate(HELLO, temperature=0.0)
    assert result.backend == "local"
    assert result.text.strip()
    assert result.notice is None
    assert local.load_seconds() is not None


@pytest.mark.slow
def test_local_model_is_loaded_once_and_safe_under_concurrent_callers():
    generator = Generator(get_settings())
    first = local.load_model()
    texts: list[str] = []
    errors: list[BaseException] = []

    def call() -> None:
        try:
            texts.append(generator.generate(HELLO, temperature=0.0, seed=1).text)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(texts) == 3 and all(t.strip() for t in texts)
    assert len(set(texts)) == 1, "same seed, same prompt, temperature 0: same text"
    assert local.load_model() is first


@pytest.mark.slow
def test_local_stream_yields_pieces():
    pieces = list(Generator(get_settings()).stream(HELLO, temperature=0.0))
    assert len(pieces) >= 1
    assert "".join(pieces).strip()


@pytest.mark.slow
def test_openai_backend_against_real_llama_server(openai_env):
    generator = Generator(get_settings())
    assert generator.is_chat and generator.name == "openai"
    result = generator.generate(HELLO, temperature=0.0)
    assert result.backend == "openai"
    assert result.notice is None
    assert result.text.strip()


@pytest.mark.slow
def test_openai_backend_streams_from_real_server(openai_env):
    pieces = list(Generator(get_settings()).stream(HELLO, temperature=0.0))
    assert "".join(pieces).strip()


@pytest.mark.slow
def test_server_down_falls_back_to_local_with_notice(monkeypatch):
    from conftest import free_port

    monkeypatch.setenv("COACH_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("COACH_LLM_TIMEOUT_S", "3")
    reset_settings()
    result = Generator(get_settings()).generate(HELLO, temperature=0.0)
    assert result.backend == "local"
    assert result.notice and "connection failed" in result.notice
    assert result.text.strip()


def test_openai_without_key_or_url_is_a_config_error(monkeypatch):
    monkeypatch.setenv("COACH_LLM", "openai")
    reset_settings()
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        Generator(get_settings())


def test_cli_misconfiguration_is_one_actionable_line(monkeypatch, coach_home):
    env = {"COACH_LLM": "openai", "COACH_HOME": str(coach_home), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "coach", "doctor", "--json"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "OPENAI_API_KEY" in lines[0] and "OPENAI_BASE_URL" in lines[0]
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_remote_flag_only_for_non_loopback_servers(monkeypatch):
    monkeypatch.setenv("COACH_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    reset_settings()
    assert not get_settings().is_remote_llm
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.example.com/v1")
    reset_settings()
    assert get_settings().is_remote_llm
    monkeypatch.delenv("COACH_LLM")
    reset_settings()
    assert not get_settings().is_remote_llm

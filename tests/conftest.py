"""Shared fixtures: every test gets its own COACH_HOME; real parts are started on demand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coach.config import REPO_ROOT, reset_settings

SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

for name in ("COACH_LLM", "OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_MODEL",
             "COACH_DATABASE_URL", "COACH_CHROMA_URL"):
    os.environ.pop(name, None)


@pytest.fixture(autouse=True)
def coach_home(tmp_path, monkeypatch):
    """An empty data folder for each test, with fresh settings and database engines."""
    from coach.store.db import dispose_engines

    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    reset_settings()
    dispose_engines()
    yield home
    dispose_engines()
    reset_settings()


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``coach ARGS`` in process; return the exit code, stdout and stderr."""
    from coach.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def run_cli_json(capsys, *args: str):
    """Run ``coach ARGS --json``, require success and parse its stdout."""
    import json

    code, out, err = run_cli(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def draft_scenarios() -> list[dict]:
    import json

    return json.loads((Path(__file__).parent / "data" / "draft_scenarios.json")
                      .read_text(encoding="utf-8"))


def scenario_facts(s: dict):
    """The drafting facts of one scenario of tests/data/draft_scenarios.json."""
    from coach.compose.facts import build_facts

    return build_facts(s["task"], s["lang"], contact=s["contact"], notes=s["notes"],
                       profile=s["profile"], channel=s["channel"], topic=s["topic"],
                       event=s["event"], goal=s["goal"], seconds=s["seconds"])


def seeds_or_skip() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the source articles are not here ({SEEDS_DIR} is absent: no ../shared)")
    return SEEDS_DIR


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 120.0, process=None) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"no answer from {url} within {timeout} s")


def stop_process(process, timeout: float = 15.0) -> None:
    """Terminate a server started by a test, killing it if it does not exit in time."""
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def llama_server():
    """A real OpenAI-compatible server (llama_cpp.server) on 127.0.0.1 with the packaged GGUF."""
    import subprocess
    import sys

    from coach.generate.local import model_path

    port = free_port()
    log = open(os.devnull, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", model_path(),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/v1/models", process=process)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop_process(process)
        log.close()


@pytest.fixture
def openai_env(llama_server, monkeypatch):
    """Settings that point the coach at the real local OpenAI-compatible server."""
    monkeypatch.setenv("COACH_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("COACH_MODEL", "gemma-3-270m")
    reset_settings()
    return llama_server

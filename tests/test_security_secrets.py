"""Secrets: the API key never reaches logs, stdout/stderr, error messages, the database,
the index, saved drafts or any export — even when the server echoes it back (as OpenAI's
401 does) and with the OpenAI client's own debug logging switched on.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import free_port
from test_reliability_backend import FailingServer

from coach.config import get_settings, reset_settings
from coach.errors import CoachError

KEY = "sk-test-SECRET-7f3a9c1e5b2d4f60a8e1c3b5d7f9a1c3"
MARKERS = (KEY, KEY[8:], "SECRET-7f3a9c1e")  # the key, without its prefix, a fragment


def leaks(text: str | bytes) -> list[str]:
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    return [m for m in MARKERS if m.encode() in data]


def files_leaking(folder: Path) -> list[str]:
    return [f"{p}: {leaks(p.read_bytes())}" for p in sorted(folder.rglob("*"))
            if p.is_file() and leaks(p.read_bytes())]


@pytest.fixture
def secret_env(monkeypatch):
    def configure(url: str) -> dict[str, str]:
        env = {"COACH_LLM": "openai", "OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": url,
               "COACH_LLM_TIMEOUT_S": "2", "COACH_LLM_MAX_RETRIES": "1",
               "COACH_LLM_FALLBACK_LOCAL": "false", "COACH_CANDIDATES": "1",
               "OPENAI_LOG": "debug"}
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        reset_settings()
        return env

    yield configure
    reset_settings()


def _seed() -> None:
    from coach.services.contacts import add_contact, add_note, set_profile

    set_profile(name="Marta Ruiz", role="consultora", offer="una intro a un operador de frío")
    ana = add_contact(name="Ana Gómez", company="Frutas del Sur", email="ana@frutas.es",
                      where_met="Feria Alimentaria", tier="prospect")
    add_note(ana["id"], "Hablamos de la cadena de frío en sus exportaciones.")


@pytest.mark.parametrize("mode", ["401", "500"])
def test_the_key_never_leaks_in_process(secret_env, mode, caplog, capsys, coach_home):
    from coach.services import contacts, critique, doctor, drafting

    caplog.set_level(logging.DEBUG)  # every logger, the OpenAI and HTTP clients' included
    _seed()
    with FailingServer(mode) as server:
        secret_env(server.url)
        assert not leaks(repr(get_settings())) and not leaks(str(get_settings().model_dump()))
        outputs: list[str] = []
        for call in (lambda: drafting.draft_follow_up("Ana"),
                     lambda: drafting.draft_advice("Ana", topic="exportar a Alemania"),
                     lambda: doctor.doctor_report(),
                     lambda: critique.critique("Yo soy el mejor, contrátame.")):
            try:
                outputs.append(repr(call()))
            except CoachError as exc:
                outputs.append(str(exc))
        for fmt in ("json", "csv", "vcard", "ics"):
            outputs.append(contacts.export(fmt))
            contacts.export_to_file(fmt, coach_home.parent / f"export.{fmt}")
    assert server.requests, "the failing server was never called"
    sent = " ".join(str(v) for v in server.requests[0][2].values())
    assert leaks(sent), "the key was not configured: this test would prove nothing"
    captured = capsys.readouterr()
    log_text = "\n".join(r.getMessage() + repr(r.args) for r in caplog.records)
    problems = {"outputs": [o[:200] for o in outputs if leaks(o)],
                "stdout/stderr": leaks(captured.out + captured.err),
                "logs": leaks(log_text),
                "files": files_leaking(coach_home) + files_leaking(coach_home.parent)}
    assert not any(problems.values()), problems


def _coach(env: dict[str, str], home: Path, *args: str) -> subprocess.CompletedProcess:
    full = {**os.environ, **env, "COACH_HOME": str(home)}
    full.pop("COACH_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "coach", *args], env=full,
                          capture_output=True, text=True, timeout=300)


def test_the_key_never_leaks_from_cli_commands(secret_env, coach_home):
    _seed()
    with FailingServer("401") as server:
        env = secret_env(server.url)
        out_dir = coach_home.parent
        runs = [
            _coach(env, coach_home, "draft", "follow-up", "Ana", "--json"),
            _coach(env, coach_home, "doctor", "--json"),
            _coach(env, coach_home, "export", "--format", "json",
                   "-o", str(out_dir / "cli.json")),
            _coach(env, coach_home, "contacts", "import", str(out_dir / "missing.csv")),
            _coach({**env, "COACH_LLM_TIMEOUT_S": "-1"}, coach_home, "doctor"),  # ConfigError
            _coach({**env, "OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1"},
                   coach_home, "draft", "advice", "Ana", "--topic", "precios"),
        ]
    assert server.requests
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[3].returncode != 0 and runs[4].returncode != 0
    problems = [f"{' '.join(r.args[3:6])}: {leaks(r.stdout + r.stderr)}" for r in runs
                if leaks(r.stdout + r.stderr)]
    problems += files_leaking(coach_home) + files_leaking(out_dir)
    assert not problems, problems

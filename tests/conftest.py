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


def seeds_or_skip() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the source articles are not here ({SEEDS_DIR} is absent: no ../shared)")
    return SEEDS_DIR

"""Load prompt files from ``prompts/`` and fill their ``$placeholders``.

Prompt files are plain text with ``string.Template`` placeholders (``$name`` or
``${name}``) so JSON braces and examples need no escaping. A missing value is a bug in
the caller and raises ``KeyError``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from coach.config import Settings, get_settings


def prompt_path(name: str, settings: Settings | None = None) -> Path:
    return (settings or get_settings()).prompts_dir / name


@lru_cache(maxsize=256)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load(name: str, settings: Settings | None = None) -> str:
    """The text of ``prompts/<name>`` (cached)."""
    return _read(prompt_path(name, settings))


def render(name: str, **values: object) -> str:
    """``prompts/<name>`` with every ``$placeholder`` replaced by ``values``."""
    return Template(load(name)).substitute({k: str(v) for k, v in values.items()})


def for_language(task: str, stem: str, lang: str) -> str:
    """The file name of a per-language prompt: ``<task>/<stem>.<lang>.txt``."""
    return f"{task}/{stem}.{lang}.txt"

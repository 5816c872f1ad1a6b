"""``coach doctor``: what the coach runs on, and whether the model generates."""

from __future__ import annotations

import time
from typing import Any

from coach.config import Settings, get_settings
from coach.generate import local
from coach.generate.llm import Prompt, get_generator

PROBE = Prompt(completion="Networking means building", max_tokens=8)


def doctor_report(settings: Settings | None = None, generate: bool = True) -> dict[str, Any]:
    settings = settings or get_settings()
    generator = get_generator(settings)
    report: dict[str, Any] = {
        "backend": generator.name,
        "model": generator.model_name,
        "remote": settings.is_remote_llm,
        "data_dir": str(settings.home),
        "database": _redact(settings.db_url),
        "chroma": settings.chroma_url or str(settings.chroma_path),
        "language": settings.language,
        "index": _index_counts(settings),
    }
    if generate:
        start = time.perf_counter()
        result = generator.generate(PROBE, temperature=0.0)
        report["gen_ms"] = round((time.perf_counter() - start) * 1000, 1)
        report["sample"] = result.text
        report["generated_by"] = result.backend
        report["notice"] = result.notice
        if local.load_seconds() is not None:
            report["load_ms"] = round(local.load_seconds() * 1000, 1)
    return report


def _index_counts(settings: Settings) -> dict[str, int]:
    from coach.services.knowledge import index_counts

    return index_counts(settings)


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

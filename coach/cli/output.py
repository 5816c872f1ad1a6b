"""How commands print: JSON on stdout with ``--json``, readable text otherwise."""

from __future__ import annotations

import json
from typing import Any

import typer


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    """Print ``data`` as JSON, or ``text`` (falling back to JSON when no text is given)."""
    typer.echo(to_json(data) if as_json or text is None else text)

"""``coach critique``: a thin shell over ``coach.services.critique``."""

from __future__ import annotations

from typing import Any

import typer

from coach.cli.output import emit
from coach.errors import InputError


def register(app: typer.Typer) -> None:
    @app.command()
    def critique(
        source: str = typer.Argument(
            None, metavar="[FILE|-]", help="Message file, or - for stdin."
        ),
        lang: str = typer.Option(None, "--lang", help="es or en (detected when omitted)."),
        rewrite: bool = typer.Option(
            None, "--rewrite/--no-rewrite",
            help="Add a verified rewrite (default: on for one message, off for --batch).",
        ),
        batch: str = typer.Option(None, "--batch", help="JSONL file: one message per line."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Score how self-centred a message is (yoísmo), explain why and offer a rewrite."""
        from coach.services import critique as service

        if batch:
            if source:
                raise InputError("Give either FILE|- or --batch FILE.jsonl, not both.")
            lines = service.read_batch(batch)
            for result in service.critique_batch(lines, lang, rewrite=bool(rewrite)):
                typer.echo(_one_line(result))  # JSON Lines, with or without --json
            return
        text = service.read_text(source or "-")
        result = service.critique(text, lang, rewrite=True if rewrite is None else rewrite)
        emit(result, as_json, _human(result))


def _one_line(result: dict[str, Any]) -> str:
    import json

    return json.dumps(result, ensure_ascii=False)


def _human(result: dict[str, Any]) -> str:
    lines = [f"yoísmo: {result['yoismo_score']}/100 · {result['verdict']} · "
             f"self {result['self_refs']} / other {result['other_refs']} ({result['lang']})"]
    for f in result["findings"]:
        lines.append(f"- [{f['code']}] «{f['excerpt'][:70]}» {f['advice']} ({f['card_id']})")
    if "rewrite" in result:
        lines.append(f"\nrewrite ({result['rewrite_source']}, score {result['rewrite_score']}):")
        lines.append(result["rewrite"])
        if result.get("notice"):
            lines.append(f"note: {result['notice']}")
    return "\n".join(lines)

"""``coach pitch`` and ``coach draft follow-up|advice``: thin shells over
``coach.services.drafting``."""

from __future__ import annotations

from typing import Any

import typer

from coach.cli.output import emit

draft_app = typer.Typer(help="Draft a message to a contact (saved to their history as a draft).",
                        no_args_is_help=True)


def _message_text(result: dict[str, Any]) -> str:
    lines = []
    if result.get("subject"):
        lines.append(f"Subject: {result['subject']}\n")
    lines.append(result["text"])
    failed = [k for k, ok in result["checks"].items() if not ok]
    who = "composer (fallback)" if result["fallback_used"] else result["backend"]
    lines.append(f"\n— {who} · checks: {'all passed' if not failed else ', '.join(failed)} · "
                 f"yoísmo {result['critique'].get('yoismo_score')} · draft #{result['draft_id']}")
    lines.append("— sources: " + ", ".join(result["sources"]))
    return "\n".join(lines)


def _pitch_text(result: dict[str, Any]) -> str:
    lines = [result["pitch"], f"\n({result['words']} words, ~{result['seconds']} s)"]
    if result["variants"]:
        lines.append("\nVariants:")
        lines += [f"- {v}" for v in result["variants"]]
    lines.append("\nQuestions:")
    lines += [f"- {q}" for q in result["questions"]]
    if result["targets"]:
        lines.append("\nWho to find:")
        lines += [f"- {t['name']}" + (f" ({t['company']})" if t["company"] else "") +
                  (f": {t['why']}" if t["why"] else "") for t in result["targets"]]
    lines.append(f"\n{result['aim']}")
    lines.append("— sources: " + ", ".join(result["sources"]))
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command()
    def pitch(
        event: str = typer.Option(..., "--event", help="The event you are going to."),
        goal: str = typer.Option(..., "--goal", help="What you want from it."),
        seconds: int = typer.Option(60, "--seconds", help="Length of the spoken pitch (30 or 60)."),
        lang: str = typer.Option(None, "--lang", help="es or en (default: settings)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Prepare an elevator pitch, three questions and who to find at an event."""
        from coach.services.drafting import pitch as run_pitch

        result = run_pitch(event, goal, seconds=seconds, lang=lang)
        emit(result, as_json, _pitch_text(result))

    @draft_app.command("follow-up")
    def follow_up(
        contact: str = typer.Argument(..., help="Contact id or unambiguous name."),
        channel: str = typer.Option("email", "--channel", help="email, linkedin or whatsapp."),
        lang: str = typer.Option(None, "--lang", help="es or en (default: settings)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Thank them, name what you talked about, offer value, propose one small step."""
        from coach.services.drafting import draft_follow_up

        result = draft_follow_up(contact, channel=channel, lang=lang)
        emit(result, as_json, _message_text(result))

    @draft_app.command("advice")
    def advice(
        contact: str = typer.Argument(..., help="Contact id or unambiguous name."),
        topic: str = typer.Option(..., "--topic", help="What you want advice on."),
        channel: str = typer.Option("email", "--channel", help="email, linkedin or whatsapp."),
        lang: str = typer.Option(None, "--lang", help="es or en (default: settings)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Ask for specific, time-boxed advice (never for a job)."""
        from coach.services.drafting import draft_advice

        result = draft_advice(contact, topic, channel=channel, lang=lang)
        emit(result, as_json, _message_text(result))

    app.add_typer(draft_app, name="draft")

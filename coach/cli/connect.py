"""``coach connect``, ``coach draft intro`` and ``coach intro record``: a thin shell over
``coach.services.connect``.

``draft intro`` is added to the ``draft`` sub-app that ``coach.cli.drafting`` registers
(this module is registered after it); only if no ``draft`` group exists is one created.
"""

from __future__ import annotations

from typing import Any

import typer

from coach.cli.output import emit


def _draft_group(app: typer.Typer) -> typer.Typer:
    """The ``draft`` sub-app: the one already registered, else the module-level one in
    ``coach.cli.drafting``; a new group only when that module does not exist."""
    import importlib
    import importlib.util

    for group in app.registered_groups:
        if group.name == "draft" and group.typer_instance is not None:
            return group.typer_instance
    if importlib.util.find_spec("coach.cli.drafting") is not None:
        module = importlib.import_module("coach.cli.drafting")
        for name in ("draft_app", "draft"):
            found = getattr(module, name, None)
            if isinstance(found, typer.Typer):
                return found
    draft_app = typer.Typer(help="Draft messages.", no_args_is_help=True)
    app.add_typer(draft_app, name="draft")
    return draft_app


def register(app: typer.Typer) -> None:
    @app.command()
    def connect(
        contact: str = typer.Option(None, "--contact", help="Only pairs with this contact."),
        k: int = typer.Option(5, "--k", help="How many pairs."),
        include_introduced: bool = typer.Option(
            False, "--all", help="Include pairs you have already introduced."),
        lang: str = typer.Option(None, "--lang", help="es or en (reasons)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Introductions that help both sides: whose need meets whose offer."""
        from coach.services import connect as service

        pairs = service.connect(contact, k, include_introduced, lang)
        emit(pairs, as_json, _pairs_text(pairs))

    draft_app = _draft_group(app)

    @draft_app.command("intro")
    def draft_intro(
        a: str = typer.Argument(..., metavar="A", help="Contact to ask first (id or name)."),
        b: str = typer.Argument(..., metavar="B", help="Contact to introduce (id or name)."),
        lang: str = typer.Option(None, "--lang", help="es or en."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Double opt-in introduction: ask A first, then the message to both."""
        from coach.services import connect as service

        result = service.draft_intro(a, b, lang=lang)
        emit(result, as_json, _draft_text(result))

    intro_app = typer.Typer(help="Introductions you have made.", no_args_is_help=True)
    app.add_typer(intro_app, name="intro")

    @intro_app.command("record")
    def record(
        a: str = typer.Argument(..., metavar="A"),
        b: str = typer.Argument(..., metavar="B"),
        text: str = typer.Option(None, "--text", help="Note text (default: a short line)."),
        date: str = typer.Option(None, "--date", help="When (YYYY-MM-DD, default today)."),
        force: bool = typer.Option(False, "--force", help="Record it again."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Record an introduction as a "given" interaction for both contacts."""
        from coach.services import connect as service

        result = service.record_intro(a, b, text=text, occurred_on=date, force=force)
        emit(result, as_json,
             f"recorded: introduced {result['a']['name']} and {result['b']['name']}"
             + (f"\nwarning: {result['warning']}" if result.get("warning") else ""))


def _pairs_text(pairs: list[dict[str, Any]]) -> str:
    if not pairs:
        return "no introductions found (add notes with what people need and offer)"
    lines = []
    for i, p in enumerate(pairs, 1):
        flag = " (already introduced)" if p["already_introduced"] else ""
        both = " · helps both" if p["mutual"] else ""
        lines.append(f"{i}. {p['a']['name']} ↔ {p['b']['name']}  score {p['score']}{both}{flag}")
        lines.append(f"   {p['reason']}")
    return "\n".join(lines)


def _draft_text(r: dict[str, Any]) -> str:
    lines = [f"reason: {r['reason']}", ""]
    for key, title in (("opt_in", f"1) to {r['a']['name']} (ask first)"),
                       ("opt_in_other", f"2) to {r['b']['name']} (ask too)"),
                       ("introduction", "3) once both agreed, to both")):
        msg = r[key]
        lines += [title, f"Subject: {msg['subject']}", msg["text"], ""]
    lines.append(f"backend: {r['backend']}" + (" (composed)" if r["fallback_used"] else ""))
    return "\n".join(lines)

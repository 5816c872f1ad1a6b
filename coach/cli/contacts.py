"""``coach contacts``, ``coach notes``, ``coach profile``, ``coach review``, ``coach export``:
a thin shell over ``coach.services.contacts`` and ``coach.services.review``."""

from __future__ import annotations

import sys
from typing import Any

import typer

from coach.cli.output import emit
from coach.errors import InputError

contacts_app = typer.Typer(help="Add, list, show, edit, delete and import contacts.",
                           no_args_is_help=True)
notes_app = typer.Typer(help="Notes and interactions with a contact.", no_args_is_help=True)
profile_app = typer.Typer(help="Your own profile (who you are, what you offer).",
                          no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")


def _warn(result: Any) -> None:
    if isinstance(result, dict) and result.get("warning"):
        typer.echo(f"warning: {result['warning']}", err=True)


def _contact_line(c: dict[str, Any]) -> str:
    extra = " · ".join(x for x in (c.get("company"), c.get("role"), c.get("email")) if x)
    tags = f" [{', '.join(c['tags'])}]" if c.get("tags") else ""
    return f"{c['id']:>5}  {c['name']}  ({c['tier']}/{c['stage']})" + \
        (f"  {extra}" if extra else "") + tags


def _contact_fields(**kw: Any) -> dict[str, Any]:
    mapping = {"url": "profile_url", "cadence": "cadence_days", "lang": "language"}
    return {mapping.get(k, k): v for k, v in kw.items() if v is not None}


@contacts_app.command("add")
def contacts_add(
    name: str = typer.Option(..., "--name", help="Full name."),
    company: str | None = typer.Option(None, "--company"),
    role: str | None = typer.Option(None, "--role"),
    email: str | None = typer.Option(None, "--email"),
    phone: str | None = typer.Option(None, "--phone"),
    url: str | None = typer.Option(None, "--url", help="Profile URL (e.g. LinkedIn)."),
    location: str | None = typer.Option(None, "--location"),
    where_met: str | None = typer.Option(None, "--where-met", help="Where you met."),
    met_on: str | None = typer.Option(None, "--met-on", help="When you met (YYYY-MM-DD)."),
    tier: str | None = typer.Option(None, "--tier",
                                    help="prospect (immediate) | ally (future strategic) | "
                                         "radar (keep on radar)."),
    stage: str | None = typer.Option(None, "--stage",
                                     help="connect | cultivate | exchange | maintain."),
    tags: str | None = typer.Option(None, "--tags", help="Comma-separated tags."),
    needs: str | None = typer.Option(None, "--needs", help="What they need."),
    offers: str | None = typer.Option(None, "--offers", help="What you can offer them."),
    cadence: int | None = typer.Option(None, "--cadence",
                                       help="Keep-in-touch days (default by tier: 14/30/90)."),
    lang: str | None = typer.Option(None, "--lang", help="Their language: es | en."),
    as_json: bool = JSON,
) -> None:
    """Add a contact."""
    from coach.services.contacts import add_contact

    contact = add_contact(**_contact_fields(
        name=name, company=company, role=role, email=email, phone=phone, url=url,
        location=location, where_met=where_met, met_on=met_on, tier=tier, stage=stage,
        tags=tags, needs=needs, offers=offers, cadence=cadence, lang=lang))
    emit(contact, as_json, f"added {_contact_line(contact).strip()}")


@contacts_app.command("list")
def contacts_list(
    tier: str | None = typer.Option(None, "--tier"),
    tag: str | None = typer.Option(None, "--tag"),
    query: str | None = typer.Option(None, "--query", "-q", help="Text to look for."),
    as_json: bool = JSON,
) -> None:
    """List contacts (filter by tier, tag or text)."""
    from coach.services.contacts import list_contacts

    items = list_contacts(tier=tier, tag=tag, query=query)
    emit(items, as_json, "\n".join(_contact_line(c) for c in items) or "no contacts")


@contacts_app.command("show")
def contacts_show(contact: str = typer.Argument(..., help="Id or name."),
                  as_json: bool = JSON) -> None:
    """Show a contact with notes and drafts."""
    from coach.services.contacts import get_contact

    c = get_contact(contact)
    lines = [_contact_line(c).strip()]
    for key in ("where_met", "met_on", "needs", "offers", "cadence_days", "profile_url"):
        if c.get(key):
            lines.append(f"  {key}: {c[key]}")
    for n in c["notes"]:
        flow = f" [{n['value']}]" if n["value"] != "none" else ""
        lines.append(f"  #{n['id']} {n['occurred_on']} {n['kind']}{flow}: {n['text']}")
    emit(c, as_json, "\n".join(lines))


@contacts_app.command("edit")
def contacts_edit(
    contact: str = typer.Argument(..., help="Id or name."),
    name: str | None = typer.Option(None, "--name"),
    company: str | None = typer.Option(None, "--company"),
    role: str | None = typer.Option(None, "--role"),
    email: str | None = typer.Option(None, "--email"),
    phone: str | None = typer.Option(None, "--phone"),
    url: str | None = typer.Option(None, "--url"),
    location: str | None = typer.Option(None, "--location"),
    where_met: str | None = typer.Option(None, "--where-met"),
    met_on: str | None = typer.Option(None, "--met-on"),
    tier: str | None = typer.Option(None, "--tier"),
    stage: str | None = typer.Option(None, "--stage"),
    tags: str | None = typer.Option(None, "--tags"),
    needs: str | None = typer.Option(None, "--needs"),
    offers: str | None = typer.Option(None, "--offers"),
    cadence: int | None = typer.Option(None, "--cadence"),
    lang: str | None = typer.Option(None, "--lang"),
    as_json: bool = JSON,
) -> None:
    """Change some fields of a contact."""
    from coach.services.contacts import edit_contact

    c = edit_contact(contact, **_contact_fields(
        name=name, company=company, role=role, email=email, phone=phone, url=url,
        location=location, where_met=where_met, met_on=met_on, tier=tier, stage=stage,
        tags=tags, needs=needs, offers=offers, cadence=cadence, lang=lang))
    _warn(c)
    emit(c, as_json, f"updated {_contact_line(c).strip()}")


@contacts_app.command("delete")
def contacts_delete(contact: str = typer.Argument(..., help="Id or name."),
                    as_json: bool = JSON) -> None:
    """Delete a contact and its notes."""
    from coach.services.contacts import delete_contact

    result = delete_contact(contact)
    _warn(result)
    emit(result, as_json,
         f"deleted {result['deleted']}: {result['name']} ({len(result['notes'])} notes)")


@contacts_app.command("import")
def contacts_import(
    file: str = typer.Argument(..., help="The file to import."),
    fmt: str | None = typer.Option(None, "--format",
                                   help="linkedin | vcard | csv | json (default: detected)."),
    mapping: str | None = typer.Option(None, "--map",
                                       help='CSV columns, e.g. "name=Nombre,email=Correo".'),
    as_json: bool = JSON,
) -> None:
    """Import contacts (all or nothing); duplicates are merged."""
    from coach.input.csv_generic import parse_mapping
    from coach.services.contacts import import_file

    def progress(done: int, total: int) -> None:
        if total >= 2000 and sys.stderr.isatty():
            typer.echo(f"\r{done}/{total}", err=True, nl=done == total)

    result = import_file(file, fmt, parse_mapping(mapping), progress)
    _warn(result)
    lines = [f"imported {result['imported']}, merged {result['merged']}, "
             f"skipped {len(result['skipped'])} ({result['format']})"]
    lines += [f"  row {x['row']}: {x['reason']}" for x in result["skipped"]]
    emit(result, as_json, "\n".join(lines))


@notes_app.command("add")
def notes_add(
    contact: str = typer.Argument(..., help="Id or name."),
    text: str = typer.Argument(..., help="What happened, what you learned."),
    kind: str = typer.Option("note", "--kind",
                             help="note | meeting | call | message | email | event | intro."),
    gave: bool = typer.Option(False, "--gave", help="You gave value (help, intro, idea)."),
    received: bool = typer.Option(False, "--received", help="You received value."),
    date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)."),
    related: str | None = typer.Option(None, "--related",
                                       help="Another contact involved (e.g. an intro)."),
    as_json: bool = JSON,
) -> None:
    """Add a note or interaction to a contact."""
    from coach.services.contacts import add_note

    if gave and received:
        raise InputError("use --gave or --received, not both")
    value = "given" if gave else "received" if received else "none"
    note = add_note(contact, text, kind=kind, value=value, occurred_on=date, related=related)
    _warn(note)
    emit(note, as_json, f"note #{note['id']} added to {note['contact_name']}")


@notes_app.command("edit")
def notes_edit(
    note_id: int = typer.Argument(...),
    text: str | None = typer.Option(None, "--text"),
    kind: str | None = typer.Option(None, "--kind"),
    value: str | None = typer.Option(None, "--value", help="given | received | none."),
    date: str | None = typer.Option(None, "--date"),
    as_json: bool = JSON,
) -> None:
    """Change a note."""
    from coach.services.contacts import edit_note

    note = edit_note(note_id, text=text, kind=kind, value=value, occurred_on=date)
    _warn(note)
    emit(note, as_json, f"note #{note['id']} updated")


@notes_app.command("delete")
def notes_delete(note_id: int = typer.Argument(...), as_json: bool = JSON) -> None:
    """Delete a note."""
    from coach.services.contacts import delete_note

    result = delete_note(note_id)
    _warn(result)
    emit(result, as_json, f"note #{note_id} deleted")


@notes_app.command("list")
def notes_list(contact: str = typer.Argument(..., help="Id or name."),
               as_json: bool = JSON) -> None:
    """List a contact's notes, newest first."""
    from coach.services.contacts import list_notes

    items = list_notes(contact)
    emit(items, as_json, "\n".join(
        f"#{n['id']} {n['occurred_on']} {n['kind']} [{n['value']}]: {n['text']}"
        for n in items) or "no notes")


@profile_app.command("set")
def profile_set(
    name: str | None = typer.Option(None, "--name"),
    role: str | None = typer.Option(None, "--role"),
    company: str | None = typer.Option(None, "--company"),
    offer: str | None = typer.Option(None, "--offer", help="What you can offer others."),
    goal: str | None = typer.Option(None, "--goal",
                                    help="clients | allies | funding | knowledge | job."),
    passion: str | None = typer.Option(None, "--passion", help="What you care about."),
    lang: str | None = typer.Option(None, "--lang", help="es | en."),
    as_json: bool = JSON,
) -> None:
    """Set your profile."""
    from coach.services.contacts import set_profile

    profile = set_profile(name=name, role=role, company=company, offer=offer, goal=goal,
                          passion=passion, language=lang)
    emit(profile, as_json, "profile saved")


@profile_app.command("show")
def profile_show(as_json: bool = JSON) -> None:
    """Show your profile."""
    from coach.services.contacts import get_profile

    profile = get_profile()
    emit(profile, as_json, "\n".join(f"{k}: {v}" for k, v in profile.items()))


def _review_text(r: dict[str, Any]) -> str:
    en = r["lang"] == "en"
    lines = [("Weekly plan: " if en else "Plan semanal: ") + r["plan_summary"]]
    lines += [f"  - {p['action_text']} ({p['minutes']} min; {p['card_id']})"
              for p in r["weekly_plan"]]
    lines.append(("Due: " if en else "Pendientes: ") + str(len(r["due"])))
    lines += [f"  - {d['name']} ({d['tier']}), {d['due_on']}" for d in r["due"][:10]]
    lines.append(("Dormant: " if en else "Dormidos: ") + str(len(r["dormant"])))
    lines += [f"  - {d['name']}: {d['days_since']} d" for d in r["dormant"][:10]]
    lines.append(("Tiers: " if en else "Niveles: ") +
                 ", ".join(f"{k} {v}" for k, v in r["tiers"].items()))
    warnings = [b for b in r["bank"] if b["warning"]]
    if warnings:
        lines.append(("Never helped yet: " if en else "Aún sin aportar: ") +
                     ", ".join(b["name"] for b in warnings[:10]))
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.add_typer(contacts_app, name="contacts")
    app.add_typer(notes_app, name="notes")
    app.add_typer(profile_app, name="profile")

    @app.command("review")
    def review_cmd(
        today: str | None = typer.Option(None, "--today", help="Review as of YYYY-MM-DD."),
        lang: str | None = typer.Option(None, "--lang", help="es | en."),
        as_json: bool = JSON,
    ) -> None:
        """Who is due, who has gone quiet, the relationship bank and this week's plan."""
        from coach.services.review import review

        result = review(today, lang)
        emit(result, as_json, _review_text(result))

    @app.command("export")
    def export_cmd(
        fmt: str = typer.Option("json", "--format", help="json | csv | vcard | ics."),
        output: str | None = typer.Option(None, "-o", "--output",
                                          help="File to write (default: stdout)."),
        today: str | None = typer.Option(None, "--today", help="For ics: as of YYYY-MM-DD."),
        lang: str | None = typer.Option(None, "--lang", help="For ics: es | en."),
    ) -> None:
        """Export contacts: a full JSON backup, CSV, vCard, or due follow-ups as iCalendar."""
        from coach.services.contacts import export, export_to_file

        if output:
            result = export_to_file(fmt, output, today, lang)
            typer.echo(f"wrote {result['bytes']} bytes to {result['path']}", err=True)
        else:
            sys.stdout.write(export(fmt, today, lang))
            sys.stdout.flush()

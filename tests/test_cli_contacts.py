"""The CLI commands for contacts, notes, profile, review, import and export (in process)."""

from __future__ import annotations

import json

from conftest import FIXTURES
from conftest import run_cli as run
from conftest import run_cli_json as run_json


def test_contacts_crud_and_notes(capsys):
    ana = run_json(capsys, "contacts", "add", "--name", "Ana Gómez", "--company", "Acme",
                   "--tier", "prospect", "--met-on", "2024-05-01", "--tags", "feria,café",
                   "--where-met", "Feria del café", "--needs", "distribuidores")
    assert (ana["tier"], ana["cadence_days"], ana["tags"]) == ("prospect", 14, ["feria", "café"])
    run_json(capsys, "contacts", "add", "--name", "Ana Ruiz", "--tier", "ally")
    listed = run_json(capsys, "contacts", "list", "--tier", "prospect")
    assert [c["name"] for c in listed] == ["Ana Gómez"]
    assert run_json(capsys, "contacts", "list", "--tag", "CAFE")[0]["id"] == ana["id"]

    note = run_json(capsys, "notes", "add", "ana gomez", "Le presenté a un distribuidor",
                    "--kind", "intro", "--gave", "--date", "2024-05-03")
    assert (note["value"], note["kind"], note["occurred_on"]) == ("given", "intro", "2024-05-03")
    shown = run_json(capsys, "contacts", "show", str(ana["id"]))
    assert [n["text"] for n in shown["notes"]] == ["Le presenté a un distribuidor"]
    edited = run_json(capsys, "notes", "edit", str(note["id"]), "--text", "Intro a Luis")
    assert edited["text"] == "Intro a Luis"
    assert run_json(capsys, "notes", "list", "Ana Gómez")[0]["text"] == "Intro a Luis"
    assert run_json(capsys, "notes", "delete", str(note["id"]))["deleted"] == note["id"]

    changed = run_json(capsys, "contacts", "edit", "Ana Gómez", "--stage", "cultivate",
                       "--tier", "ally")
    assert (changed["stage"], changed["tier"], changed["cadence_days"]) == ("cultivate", "ally",
                                                                            30)
    code, out, err = run(capsys, "contacts", "delete", "Ana Ruiz")
    assert code == 0 and "deleted" in out
    assert len(run_json(capsys, "contacts", "list")) == 1


def test_errors_are_one_line_on_stderr_with_a_non_zero_exit(capsys):
    run_json(capsys, "contacts", "add", "--name", "Ana Gómez")
    run_json(capsys, "contacts", "add", "--name", "Ana Ruiz")
    code, out, err = run(capsys, "notes", "add", "Ana", "hola")
    assert code == 1 and out == ""
    assert err.startswith("error: ambiguous: 'Ana' matches") and err.count("\n") == 1
    code, _, err = run(capsys, "notes", "add", "Ana Ruiz", "x", "--gave", "--received")
    assert code == 1 and "not both" in err
    code, _, err = run(capsys, "contacts", "add", "--name", "X", "--tier", "friend")
    assert code == 1 and "unknown tier 'friend'" in err
    code, _, err = run(capsys, "contacts", "show", "Nadie")
    assert code == 1 and err == "error: no contact matches 'Nadie'\n"


def test_import_reports_rows_and_a_broken_file_changes_nothing(capsys):
    result = run_json(capsys, "contacts", "import", str(FIXTURES / "linkedin_connections.csv"))
    assert (result["format"], result["imported"], result["merged"]) == ("linkedin", 5, 1)
    assert [s["row"] for s in result["skipped"]] == [8, 9]
    code, out, err = run(capsys, "contacts", "import", str(FIXTURES / "broken.vcf"))
    assert code == 1 and "broken vCard" in err
    assert len(run_json(capsys, "contacts", "list")) == 5
    mapped = run_json(capsys, "contacts", "import", str(FIXTURES / "contactos_generic.csv"),
                      "--format", "csv", "--map", "name=Nombre,email=Correo")
    assert mapped["imported"] == 2
    code, _, err = run(capsys, "contacts", "import", str(FIXTURES / "contactos_generic.csv"),
                       "--format", "csv", "--map", "name=Missing")
    assert code == 1 and "not in the CSV header" in err


def test_profile_review_and_export(capsys, tmp_path):
    code, _, err = run(capsys, "profile", "set", "--name", "Carmen", "--role", "Fundadora",
                       "--offer", "logística", "--goal", "allies", "--lang", "es")
    assert code == 0, err
    assert run_json(capsys, "profile", "show")["goal"] == "allies"
    run_json(capsys, "contacts", "add", "--name", "Ana", "--tier", "prospect",
             "--met-on", "2024-06-01")
    review = run_json(capsys, "review", "--today", "2024-06-30", "--lang", "en")
    assert review["tiers"] == {"prospect": 1, "ally": 0, "radar": 0}
    assert review["due"][0]["name"] == "Ana" and review["lang"] == "en"
    assert review["bank"][0]["never_helped"] is True
    assert review["weekly_plan"][0]["action"] == "thank_you"  # met 29 days ago, no follow-up
    assert review["weekly_plan"][0]["card_id"] == "follow-up-matters"
    code, text, _ = run(capsys, "review", "--today", "2024-06-30")
    assert code == 0 and text.startswith("Plan semanal:")

    code, out, _ = run(capsys, "export", "--format", "json")
    assert code == 0 and json.loads(out)["profile"]["name"] == "Carmen"
    target = tmp_path / "due.ics"
    code, out, err = run(capsys, "export", "--format", "ics", "-o", str(target),
                         "--today", "2024-06-30")
    assert code == 0 and out == "" and "wrote" in err
    assert target.read_text(encoding="utf-8").count("BEGIN:VALARM") == 1
    code, _, err = run(capsys, "export", "--format", "pdf")
    assert code == 1 and "unknown export format" in err

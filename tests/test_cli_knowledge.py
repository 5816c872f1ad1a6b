"""``coach search/ask/ingest/reindex/who`` through the real CLI entry point."""

from __future__ import annotations

import json

import pytest
from conftest import seeds_or_skip

from coach.cli import main


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ingest_then_search_json(capsys):
    seeds = seeds_or_skip()
    code, out, _ = _run(capsys, "ingest", str(seeds / "003_386ffe93b3111be1.txt"))
    assert code == 0 and "documents added: 1" in out
    code, out, _ = _run(capsys, "search", "yoísmo", "--k", "3", "--kind", "guidance", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 3
    assert set(hits[0]) >= {"id", "kind", "title", "source", "text", "score"}
    assert any(h["id"] == "avoid-yoismo" for h in hits)


def test_notes_search_who_and_reindex(capsys):
    code, _, _ = _run(capsys, "contacts", "add", "--name", "Marta Gómez", "--company", "Agro")
    assert code == 0
    code, _, err = _run(capsys, "notes", "add", "Marta Gómez", "Quiere exportar aceite a Japón")
    assert code == 0, err
    code, out, _ = _run(capsys, "search", "exportaciones a Asia", "--kind", "note", "--json")
    hits = json.loads(out)
    assert hits[0]["kind"] == "note" and hits[0]["contact_name"] == "Marta Gómez"
    code, out, _ = _run(capsys, "who", "exportar", "--json")
    assert json.loads(out)[0]["contact"]["name"] == "Marta Gómez"
    code, out, _ = _run(capsys, "reindex", "--json")
    assert code == 0 and json.loads(out)["notes"] == 1


def test_errors_are_one_line(capsys, tmp_path):
    code, _, err = _run(capsys, "search", "x", "--kind", "cards")
    assert code != 0 and err.startswith("error:") and err.count("\n") == 1
    code, _, err = _run(capsys, "ingest", str(tmp_path / "nope.md"))
    assert code != 0 and "no such file" in err


@pytest.mark.slow
def test_ask_json_with_sources(capsys):
    code, out, _ = _run(capsys, "ask", "How do I prepare my elevator pitch?", "--json")
    data = json.loads(out)
    assert code == 0 and data["backend"] == "local" and data["sources"]
    assert {"answer", "sources", "backend", "fallback_used"} <= set(data)
    assert "elevator-pitch" in [s["id"] for s in data["sources"]]

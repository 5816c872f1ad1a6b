"""``coach connect``, ``coach draft intro`` and ``coach intro record`` in process."""

from __future__ import annotations

import pytest
from conftest import run_cli as run
from conftest import run_cli_json as run_json

from coach.config import reset_settings

PEOPLE = [
    ("Lucía Fernández", "Busca financiación para su startup de comida saludable."),
    ("Javier Ortega", "Es inversor ángel: invierte en startups en fase semilla de alimentación."),
    ("George Patel", "He needs a bank loan to open a second bakery."),
    ("Fiona Walsh", "Expert in river bank restoration and wetland ecology."),
    ("Luis Moreno", "Puede ayudar con préstamos y financiación bancaria para pymes."),
]


@pytest.fixture
def people(capsys, monkeypatch):
    monkeypatch.setenv("COACH_CANDIDATES", "0")  # the composed drafts; the model is tested apart
    reset_settings()
    for name, note in PEOPLE:
        run_json(capsys, "contacts", "add", "--name", name)
        run_json(capsys, "notes", "add", name, note)


def test_connect_json(capsys, people):
    pairs = run_json(capsys, "connect", "--k", "5")
    names = [{p["a"]["name"], p["b"]["name"]} for p in pairs]
    assert {"Lucía Fernández", "Javier Ortega"} in names
    assert {"George Patel", "Luis Moreno"} in names  # English need, Spanish offer
    assert {"George Patel", "Fiona Walsh"} not in names  # only "bank" in common
    for p in pairs:
        assert set(p) >= {"a", "b", "reason", "notes", "score", "already_introduced"}
        assert len(p["notes"]) == 2 and all(n["id"] for n in p["notes"])
    one = run_json(capsys, "connect", "--contact", "george patel")
    assert [p["b"]["name"] for p in one] == ["Luis Moreno"]


def test_draft_intro_and_record(capsys, people):
    out = run_json(capsys, "draft", "intro", "Lucía", "Javier", "--lang", "es")
    assert out["opt_in"]["text"].startswith("Hola Lucía,")
    assert out["introduction"]["text"].startswith("Hola Lucía y Javier")
    assert all(out[k]["passed"] for k in ("opt_in", "opt_in_other", "introduction"))
    code, text, _ = run(capsys, "draft", "intro", "Lucía", "Javier", "--lang", "en")
    assert code == 0 and "Hi Lucía," in text and "Hi Lucía and Javier" in text
    recorded = run_json(capsys, "intro", "record", "Lucía", "Javier")
    assert [i["value"] for i in recorded["interactions"]] == ["given", "given"]
    pairs = run_json(capsys, "connect", "--k", "10")
    assert {"Lucía Fernández", "Javier Ortega"} not in [{p["a"]["name"], p["b"]["name"]}
                                                         for p in pairs]
    shown = run_json(capsys, "connect", "--contact", "Lucía", "--all")
    assert shown[0]["already_introduced"] is True


def test_errors_are_one_line(capsys, people):
    code, _, err = run(capsys, "connect", "--contact", "Nobody")
    assert code != 0 and err.startswith("error:") and err.count("\n") == 1
    code, _, err = run(capsys, "intro", "record", "Lucía", "Lucía")
    assert code != 0 and "two different contacts" in err
    code, _, err = run(capsys, "draft", "intro", "Fiona", "Javier")
    assert code != 0 and "no need" in err

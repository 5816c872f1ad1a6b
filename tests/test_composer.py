"""The deterministic composer: every composed draft passes every check (pure, fast)."""

from __future__ import annotations

import json

import pytest
from conftest import draft_scenarios, scenario_facts

from coach.compose import composer
from coach.compose.facts import build_facts
from coach.compose.pipeline import verify
from coach.verify import checks

SCENARIOS = draft_scenarios()


def test_there_are_enough_scenarios_in_both_languages():
    assert len(SCENARIOS) >= 30
    for task in ("follow_up", "advice", "pitch"):
        for lang in ("es", "en"):
            assert any(s["task"] == task and s["lang"] == lang for s in SCENARIOS)
    assert sum(1 for s in SCENARIOS if "nstruc" in json.dumps(s) or "prompt" in json.dumps(s)) >= 3


@pytest.mark.parametrize("s", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_composed_draft_passes_every_check(s):
    f = scenario_facts(s)
    if s["task"] == "pitch":
        done = composer.compose_pitch(f, composer.load_phrases("pitch", s["lang"]))
        result, critique = verify(f, done.text)
        assert len(done.questions) == 3 and all(q.endswith("?") for q in done.questions)
        assert len(done.text.split()) <= s["seconds"] * 2.5
        assert "2–3" in done.aim
    else:
        done = composer.compose_message(f, composer.load_phrases("draft", s["lang"]))
        result, critique = verify(f, done.text, done.subject)
        assert bool(done.subject) == (s["channel"] == "email")
    assert result.passed, (done.text, result.reasons)
    assert critique["verdict"] != "rewrite"


def test_linkedin_note_is_shortened_to_300_characters():
    long_note = ("Hablamos de " + "la transformación digital de la cadena de suministro "
                 "de sus plantas de producción en el norte " * 3)
    f = build_facts("follow_up", "es", contact={"name": "Ana Ruiz", "where_met":
                                                 "el congreso anual de directivos industriales"},
                    notes=[{"id": 1, "text": long_note}], profile={"name": "Lucía"},
                    channel="linkedin")
    done = composer.compose_message(f, composer.load_phrases("draft", "es"))
    assert len(done.text) <= 300
    assert checks.check_message(done.text, f).passed


def test_english_composer_speaks_english():
    f = build_facts("advice", "en", contact={"name": "Sam Lee"}, notes=[],
                    profile={"name": "Raj"}, topic="pricing a first product")
    done = composer.compose_message(f, composer.load_phrases("draft", "en"))
    assert done.text.startswith("Hi Sam,")
    assert "20 minutes" in done.text and "return the favour" in done.text
    assert checks.detect_language(done.text) == "en"


def test_pitch_fits_thirty_seconds_by_dropping_optional_parts():
    profile = {"name": "Diego", "role": "fundador", "offer": "verdura local " * 10,
               "passion": "el campo " * 12}
    f = build_facts("pitch", "es", profile=profile, event="Gastrónoma", goal="aliados",
                    seconds=30)
    done = composer.compose_pitch(f, composer.load_phrases("pitch", "es"))
    assert len(done.text.split()) <= 75
    assert done.text.endswith("?")

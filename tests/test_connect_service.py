"""The connector over a real store (SQLite) and the real offline multilingual encoder,
on the labelled scenario set in tests/data/connect_contacts.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.errors import InputError, NotFoundError
from coach.services import connect
from coach.services import contacts as contacts_service
from coach.services import review as review_service

DATA = Path(__file__).resolve().parent / "data" / "connect_contacts.json"


def load_scenario() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def seed_network(scenario: dict) -> dict[str, int]:
    """Add every contact and note through the store; return name -> id."""
    from coach.store import contacts as store
    from coach.store.db import session_scope

    ids: dict[str, int] = {}
    with session_scope() as s:
        for entry in scenario["contacts"]:
            fields = {k: v for k, v in entry.items() if k != "notes"}
            contact = store.add_contact(s, **fields)
            for text in entry["notes"]:
                store.add_interaction(s, contact, text, occurred_on="2025-03-01")
            ids[entry["name"]] = contact.id
    return ids


@pytest.fixture
def network():
    scenario = load_scenario()
    return scenario, seed_network(scenario)


def _pairs(results: list[dict]) -> set[frozenset[int]]:
    return {frozenset((r["a"]["id"], r["b"]["id"])) for r in results}


def _key(ids: dict[str, int], a: str, b: str) -> frozenset[int]:
    return frozenset((ids[a], ids[b]))


def test_scenario_is_big_enough():
    scenario = load_scenario()
    assert len(scenario["contacts"]) >= 40
    assert len(scenario["good_pairs"]) >= 15
    assert len(scenario["must_not_match"]) >= 5


def test_top_suggestions_are_labelled_good_pairs(network):
    scenario, ids = network
    good = {_key(ids, a, b) for a, b in scenario["good_pairs"]}
    top = connect.suggest_introductions(k=10)
    assert len(top) == 10
    hits = sum(1 for key in _pairs(top) if key in good)
    assert hits >= 8, [r["reason"] for r in top]
    first = top[0]
    assert set(first) >= {"a", "b", "reason", "notes", "score", "already_introduced"}
    assert first["score"] >= top[-1]["score"]


def test_pairs_that_only_share_a_word_never_match(network):
    scenario, ids = network
    suggested = _pairs(connect.suggest_introductions(k=500))
    for case in scenario["must_not_match"]:
        assert _key(ids, *case["pair"]) not in suggested, case["why"]


def test_cross_language_matches(network):
    scenario, ids = network
    suggested = _pairs(connect.suggest_introductions(k=500))
    found = [pair for pair in scenario["cross_language"] if _key(ids, *pair) in suggested]
    assert len(found) >= 3, found
    # need in Spanish, offer in English
    marta = connect.connect("Marta Ruiz", k=3)
    assert marta[0]["b"]["name"] == "Daniel Brooks"
    assert "México" in marta[0]["need"] and "Mexico" in marta[0]["offer"]


def test_reason_cites_the_two_notes(network):
    _, ids = network
    result = connect.connect("Pablo Navarro", k=1, lang="es")[0]
    assert {result["a"]["name"], result["b"]["name"]} == {"Pablo Navarro", "Elena Castro"}
    need_note, offer_note = result["notes"]
    assert need_note["contact_id"] == ids["Pablo Navarro"] and need_note["id"]
    assert "abogado laboral" in need_note["text"]
    assert offer_note["contact_id"] == ids["Elena Castro"]
    assert "derecho laboral" in offer_note["text"]
    assert "Pablo Navarro" in result["reason"] and "Elena Castro" in result["reason"]


def test_explicit_fields_are_used(network):
    result = connect.connect("Patricia Cano", k=1)[0]
    assert result["b"]["name"] == "Dr. Alan Price"
    assert [n["source"] for n in result["notes"]] == ["field", "field"]


def test_mutual_pairs_are_marked(network):
    result = connect.connect("Olivia Grant", k=1)[0]
    assert result["b"]["name"] == "Andrés Romero" or result["a"]["name"] == "Andrés Romero"
    assert result["mutual"] is True


def test_record_excludes_the_pair_and_reaches_the_bank(network):
    _, ids = network
    before = connect.connect("Pablo Navarro", k=5)
    assert any(r["b"]["name"] == "Elena Castro" for r in before)
    done = connect.record_intro("Pablo Navarro", "Elena Castro", occurred_on="2025-04-02")
    assert [i["kind"] for i in done["interactions"]] == ["intro", "intro"]
    assert [i["value"] for i in done["interactions"]] == ["given", "given"]
    assert {i["related_contact_id"] for i in done["interactions"]} == {
        ids["Pablo Navarro"], ids["Elena Castro"]}
    for name in ("Pablo Navarro", "Elena Castro"):
        notes = contacts_service.list_notes(name)
        assert notes[0]["kind"] == "intro" and notes[0]["value"] == "given"
    after = connect.connect("Pablo Navarro", k=5)
    assert not any(r["b"]["name"] == "Elena Castro" for r in after)
    shown = connect.connect("Pablo Navarro", k=5, include_introduced=True)
    assert any(r["already_introduced"] for r in shown)
    report = review_service.review(today="2025-04-10")
    bank = {row["contact_id"]: row for row in report["bank"]}
    for name in ("Pablo Navarro", "Elena Castro"):
        assert bank[ids[name]]["given"] >= 1
    with pytest.raises(InputError, match="already introduced"):
        connect.record_intro("Elena Castro", "Pablo Navarro")


def test_record_is_all_or_nothing(network):
    with pytest.raises(NotFoundError):
        connect.record_intro("Pablo Navarro", "Nobody Here")
    assert all(n["kind"] != "intro" for n in contacts_service.list_notes("Pablo Navarro"))
    with pytest.raises(InputError):
        connect.record_intro("Pablo Navarro", "Pablo Navarro")


def test_unknown_contact_and_bad_k(network):
    with pytest.raises(NotFoundError):
        connect.connect("Nobody Here")
    with pytest.raises(InputError):
        connect.suggest_introductions(k=0)


def test_empty_network_gives_no_pairs():
    assert connect.suggest_introductions() == []


def test_draft_intro_composed_passes_every_check(network):
    out = connect.draft_intro("Lucía Fernández", "Javier Ortega", lang="es", candidates=0)
    assert out["backend"] == "composer" and out["fallback_used"]
    for key in ("opt_in", "opt_in_other", "introduction"):
        assert out[key]["passed"], (key, out[key]["reasons"], out[key]["text"])
    opt_in = out["opt_in"]["text"]
    assert opt_in.startswith("Hola Lucía,")
    assert "Javier Ortega" in opt_in and "startups en fase semilla" in opt_in
    assert "financiación para tu startup" in opt_in
    assert opt_in.count("?") == 1 and "compromiso" in opt_in
    assert out["opt_in_other"]["text"].startswith("Hola Javier,")
    assert out["introduction"]["text"].startswith("Hola Lucía y Javier")
    assert len(out["draft_ids"]) == 2


def test_draft_intro_to_the_offer_side_and_in_english(network):
    out = connect.draft_intro("Daniel Brooks", "Marta Ruiz", lang="en", candidates=0)
    assert out["opt_in"]["text"].startswith("Hi Daniel,")
    assert "Marta Ruiz" in out["opt_in"]["text"]
    assert out["opt_in"]["passed"] and out["introduction"]["passed"]


def test_draft_intro_without_a_reason_is_refused(network):
    with pytest.raises(InputError, match="no need"):
        connect.draft_intro("Manuel Ortiz", "Hannah Lee", candidates=0)


def test_checks_catch_wrong_names_and_invented_facts(network):
    from coach.network import intro

    out = connect.draft_intro("Lucía Fernández", "Javier Ortega", lang="es", candidates=0)
    contacts, _, match, _ = connect.pair_match(out["a"]["id"], out["b"]["id"])
    ph = connect._phrases("es")
    f = intro.make_facts("es", contacts[match.a], contacts[match.b], match.need.to_dict(),
                         match.offer.to_dict(), {})
    good = out["opt_in"]["text"]
    swapped = good.replace("Hola Lucía", "Hola Javier", 1)
    assert not intro.check_intro(swapped, f, ph, message="opt_in_a",
                                 subject="x").checks["addresses_by_name"]
    invented = good.replace("Javier Ortega", "Javier Ortega (de Telefónica, 300 empleados)")
    result = intro.check_intro(invented, f, ph, message="opt_in_a", subject="x")
    assert not result.checks["no_invented_facts"]
    vague = "Hola Lucía, ¿te presento a Javier Ortega? Sin compromiso."
    assert not intro.check_intro(vague, f, ph, message="opt_in_a",
                                 subject="x").checks["names_reason"]
    leaked = good + " Su email es javier@ortega.vc."
    assert not intro.check_intro(leaked, f, ph, message="opt_in_a",
                                 subject="x").checks["no_contact_details_before_consent"]

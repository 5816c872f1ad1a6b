"""``draft intro`` with the real embedded model: every candidate is verified, and what
comes back passes every check (the model's opening or the composed fallback)."""

from __future__ import annotations

from coach.services import connect
from coach.services import contacts as contacts_service


def test_draft_intro_with_the_local_model():
    contacts_service.set_profile(name="Marina Soto", role="consultora")
    contacts_service.add_contact(name="Lucía Fernández", company="Verdea Foods")
    contacts_service.add_note("Lucía", "Está cerrando una ronda semilla: busca financiación "
                                       "para su startup de comida saludable.")
    contacts_service.add_contact(name="Javier Ortega", company="Ortega Capital")
    contacts_service.add_note("Javier", "Es inversor ángel: invierte en startups en fase "
                                        "semilla, sobre todo de alimentación y consumo.")
    out = connect.draft_intro("Lucía", "Javier", lang="es", candidates=2)
    assert len(out["candidates"]) == 2
    assert {c["backend"] for c in out["candidates"]} == {"local"}
    for key in ("opt_in", "opt_in_other", "introduction"):
        assert out[key]["passed"], (key, out[key]["reasons"])
    assert out["opt_in"]["text"].startswith("Hola Lucía,")
    assert "Javier Ortega" in out["opt_in"]["text"]
    assert out["fallback_used"] == (out["backend"] == "composer")
    if not out["fallback_used"]:
        assert any(c["passed"] and c["text"] == out["opt_in"]["text"]
                   for c in out["candidates"])

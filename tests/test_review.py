"""The network review: pure logic with fixed dates, then the same over the real store."""

from __future__ import annotations

from datetime import date, timedelta

from coach.network.review import (
    ContactFacts,
    bank,
    bank_warning,
    dormant,
    due,
    review,
    tier_counts,
    weekly_plan,
)

TODAY = date(2024, 6, 30)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_due_by_cadence_since_last_interaction_then_met_on_then_created():
    facts = [
        ContactFacts(1, "Prospecto al día", "prospect", last_interaction=days_ago(13),
                     interactions=1),
        ContactFacts(2, "Prospecto vencido", "prospect", last_interaction=days_ago(20),
                     interactions=1),
        ContactFacts(3, "Aliado sin notas", "ally", met_on=days_ago(30)),
        ContactFacts(4, "Radar nuevo", "radar", created_on=days_ago(89)),
        ContactFacts(5, "Radar vencido", "radar", created_on=days_ago(100)),
        ContactFacts(6, "Cadencia propia", "radar", cadence_days=7,
                     last_interaction=days_ago(7), interactions=1),
    ]
    items = due(facts, TODAY)
    assert [i["contact_id"] for i in items] == [2, 3, 5, 6]  # prospects, allies, radar
    first = items[0]
    assert (first["due_on"], first["days_overdue"]) == (days_ago(6).isoformat(), 6)
    assert (first["days_since"], first["cadence_days"]) == (20, 14)


def test_dormant_after_180_days_without_interaction():
    facts = [
        ContactFacts(1, "Callada", "ally", last_interaction=days_ago(181), interactions=3),
        ContactFacts(2, "Reciente", "ally", last_interaction=days_ago(179), interactions=3),
        ContactFacts(3, "Nunca hablamos", "radar", met_on=days_ago(400)),
    ]
    items = dormant(facts, TODAY, "en")
    assert [(i["contact_id"], i["days_since"]) for i in items] == [(1, 181), (3, 400)]
    assert items[0]["card_id"] == "six-month-rule"
    assert items[0]["action_text"].startswith("Reconnect with Callada")


def test_tier_counts_and_bank_balance_with_a_warning_for_never_helped():
    facts = [
        ContactFacts(1, "Ana", "prospect", given=0, received=2, interactions=2),
        ContactFacts(2, "Bea", "ally", given=3, received=1, interactions=4),
        ContactFacts(3, "Caro", "ally", given=1, received=2, interactions=3),
        ContactFacts(4, "Dani", "radar"),
    ]
    assert tier_counts(facts) == {"prospect": 1, "ally": 2, "radar": 1}
    entries = {e["contact_id"]: e for e in bank(facts)}
    assert set(entries) == {1, 2, 3}  # a radar contact with no history is not listed
    assert (entries[1]["balance"], entries[1]["never_helped"]) == (-2, True)
    assert entries[1]["warning"] == ("Nunca le has aportado nada a Ana: antes de pedirle "
                                     "consejo, ofrece algo útil primero.")
    assert entries[2]["warning"] is None and entries[2]["balance"] == 2
    assert entries[3]["advice"].startswith("Has recibido más de lo que has dado a Caro")
    assert bank_warning("Bea", 3) is None
    assert "never helped Ana" in bank_warning("Ana", 0, "en")


def test_weekly_plan_picks_two_or_three_people_within_the_budget_with_cards():
    facts = [
        ContactFacts(1, "Nueva", "prospect", met_on=days_ago(3)),
        ContactFacts(2, "Aliada en curso", "ally", stage="cultivate", given=1,
                     last_interaction=days_ago(40), interactions=2),
        ContactFacts(3, "Prospecto sin aportar", "prospect", needs="financiación",
                     last_interaction=days_ago(20), interactions=1),
        ContactFacts(4, "Radar dormido", "radar", last_interaction=days_ago(300),
                     interactions=1),
        ContactFacts(5, "Otro prospecto", "prospect", last_interaction=days_ago(16),
                     interactions=1, given=2),
    ]
    plan = weekly_plan(facts, TODAY)
    assert 2 <= len(plan) <= 3
    assert sum(p["minutes"] for p in plan) <= 60
    assert [p["contact_id"] for p in plan] == [3, 5, 1]
    by_id = {p["contact_id"]: p for p in plan}
    assert (by_id[1]["action"], by_id[1]["card_id"]) == ("thank_you", "follow-up-matters")
    assert (by_id[3]["action"], by_id[3]["card_id"]) == ("give_first", "give-before-ask")
    assert "para lo que necesita (financiación)" in by_id[3]["action_text"]
    assert all(p["minutes"] > 0 and p["action_text"] for p in plan)


def test_plan_skips_a_person_that_does_not_fit_the_budget():
    facts = [ContactFacts(i, f"Aliado {i}", "ally", stage="exchange", given=1,
                          last_interaction=days_ago(40 + i), interactions=1) for i in range(4)]
    plan = weekly_plan(facts, TODAY)
    assert [p["minutes"] for p in plan] == [30, 30]  # a third coffee would exceed 60 minutes


def test_review_accepts_plain_dicts_and_speaks_english_on_request():
    result = review([{"id": 1, "name": "Ana", "tier": "ally", "met_on": "2024-05-01"}], TODAY,
                    "en")
    assert set(result) >= {"due", "dormant", "tiers", "bank", "weekly_plan"}
    assert result["lang"] == "en" and result["plan_card_id"] == "weekly-time"
    assert result["weekly_plan"][0]["action_text"].startswith("Give Ana something")


def test_review_service_over_the_store_with_a_fixed_date():
    from coach.services import contacts as svc
    from coach.services.review import bank_for
    from coach.services.review import review as review_service

    ana = svc.add_contact(name="Ana", tier="prospect", met_on="2024-06-01")
    svc.add_contact(name="Bea", tier="ally", met_on="2023-01-01")
    svc.add_note("Ana", "Le pasé un artículo", value="given", occurred_on="2024-06-02")
    svc.add_note("Ana", "Me presentó a su socio", value="received", occurred_on="2024-06-10")
    result = review_service("2024-06-30")
    assert result["tiers"] == {"prospect": 1, "ally": 1, "radar": 0}
    assert [d["name"] for d in result["due"]] == ["Ana", "Bea"]
    assert result["due"][0]["last_interaction"] == "2024-06-10"
    assert [d["name"] for d in result["dormant"]] == ["Bea"]
    entry = bank_for(ana["id"])
    assert (entry["given"], entry["received"], entry["balance"]) == (1, 1, 0)
    assert result["lang"] == "es"


def test_last_contacts_covers_everyone_quietest_first_in_one_query():
    from sqlalchemy import event

    from coach.services import contacts as svc
    from coach.services.review import last_contacts
    from coach.store.db import get_engine

    svc.add_contact(name="Ana", tier="prospect", met_on="2024-06-01")
    svc.add_contact(name="Bea", tier="ally", met_on="2023-01-01")
    svc.add_contact(name="Caro", tier="radar", met_on="2024-06-29")  # neither due nor dormant
    svc.add_contact(name="Dani", tier="radar")  # no note, no met-on: the day it was added
    svc.add_note("Ana", "Le pasé un artículo", value="given", occurred_on="2024-06-02")
    svc.add_note("Ana", "Me presentó a su socio", value="received", occurred_on="2024-06-10")
    for n in range(30):
        svc.add_contact(name=f"Extra {n:02d}", tier="radar", met_on="2024-05-01")
        svc.add_note(f"Extra {n:02d}", "nota", occurred_on="2024-05-02")
    statements: list[str] = []
    engine = get_engine()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        rows = last_contacts("2024-06-30")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len([q for q in statements if "contacts" in q.lower()]) == 1  # no N+1
    assert len(rows) == 34
    by_name = {r["name"]: r for r in rows}
    assert by_name["Ana"] == {"contact_id": by_name["Ana"]["contact_id"], "name": "Ana",
                              "tier": "prospect", "last_contact": "2024-06-10",
                              "days_since": 20}
    assert (by_name["Bea"]["last_contact"], by_name["Bea"]["days_since"]) == ("2023-01-01", 546)
    assert (by_name["Caro"]["last_contact"], by_name["Caro"]["days_since"]) == ("2024-06-29", 1)
    assert by_name["Extra 00"]["last_contact"] == "2024-05-02"
    dani = by_name["Dani"]
    assert dani["last_contact"] == date.today().isoformat()
    assert dani["days_since"] == (TODAY - date.today()).days  # added today, "after" TODAY
    assert rows[0]["name"] == "Bea"
    days = [r["days_since"] for r in rows]
    assert days == sorted(days, reverse=True)

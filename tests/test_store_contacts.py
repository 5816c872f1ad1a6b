"""The store API on a real SQLite database."""

from __future__ import annotations

from datetime import date

import pytest

from coach.errors import InputError, NotFoundError
from coach.store import contacts as store
from coach.store import drafts as drafts_store
from coach.store import profile as profile_store
from coach.store.db import session_scope


def test_add_contact_defaults_cadence_by_tier_and_validates():
    with session_scope() as s:
        p = store.add_contact(s, name="  Ana   Gómez ", tier="prospect", tags="café, Bogotá,café")
        a = store.add_contact(s, name="Luis", tier="ally", met_on="12 Mar 2024")
        r = store.add_contact(s, name="Eva")
        assert (p.name, p.cadence_days, p.tags) == ("Ana Gómez", 14, ["café", "Bogotá"])
        assert (a.cadence_days, a.met_on) == (30, date(2024, 3, 12))
        assert (r.tier, r.cadence_days, r.stage) == ("radar", 90, "connect")
        with pytest.raises(InputError, match="unknown tier"):
            store.add_contact(s, name="X", tier="vip")
        with pytest.raises(InputError, match="unknown stage"):
            store.add_contact(s, name="X", stage="married")
        with pytest.raises(InputError, match="needs a name"):
            store.add_contact(s, name="  ")
        with pytest.raises(InputError, match="e-mail"):
            store.add_contact(s, name="X", email="not-an-email")
        with pytest.raises(InputError, match="not a date"):
            store.add_contact(s, name="X", met_on="yesterday-ish")


def test_tier_change_moves_a_default_cadence_but_keeps_a_custom_one():
    with session_scope() as s:
        c = store.add_contact(s, name="Ana", tier="radar")
        store.update_contact(s, c, tier="prospect")
        assert c.cadence_days == 14
        d = store.add_contact(s, name="Bea", tier="radar", cadence_days=45)
        store.update_contact(s, d, tier="ally")
        assert d.cadence_days == 45


def test_resolve_by_id_or_unambiguous_name_case_and_accent_insensitive():
    with session_scope() as s:
        jose = store.add_contact(s, name="José Núñez", company="Acme")
        store.add_contact(s, name="Josefina Ruiz")
        store.add_contact(s, name="Marta Díaz")
        assert store.resolve_contact(s, str(jose.id)).id == jose.id
        assert store.resolve_contact(s, "jose nunez").id == jose.id
        assert store.resolve_contact(s, "MARTA").name == "Marta Díaz"
        with pytest.raises(InputError, match="ambiguous"):
            store.resolve_contact(s, "jose")
        with pytest.raises(NotFoundError):
            store.resolve_contact(s, "nobody")
        with pytest.raises(NotFoundError):
            store.resolve_contact(s, "999")


def test_interactions_newest_first_validated_and_deleted_with_contact():
    with session_scope() as s:
        c = store.add_contact(s, name="Ana")
        other = store.add_contact(s, name="Bea")
        n1 = store.add_interaction(s, c, "Coffee", kind="meeting", occurred_on="2024-01-10")
        n2 = store.add_interaction(s, c, "Intro to Bea", kind="intro", value="given",
                                   occurred_on="2024-02-01", related_contact_id=other.id)
        assert [n.id for n in store.notes_for(s, c.id)] == [n2.id, n1.id]
        with pytest.raises(InputError, match="unknown kind"):
            store.add_interaction(s, c, "x", kind="telepathy")
        with pytest.raises(InputError, match="unknown value"):
            store.add_interaction(s, c, "x", value="stolen")
        with pytest.raises(InputError, match="needs some text"):
            store.add_interaction(s, c, "  ")
        store.update_interaction(s, n1, text="Coffee at the fair", value="received")
        d = store.interaction_to_dict(n1)
        assert (d["text"], d["value"], d["occurred_on"]) == ("Coffee at the fair", "received",
                                                             "2024-01-10")
        assert sorted(store.delete_contact(s, c)) == sorted([n1.id, n2.id])
        assert store.notes_for(s, c.id) == []


def test_profile_and_drafts_round_trip_to_dicts():
    with session_scope() as s:
        profile_store.set_profile(s, name="Carmen", role="Founder", goal="funding",
                                  language="en")
        with pytest.raises(InputError, match="unknown goal"):
            profile_store.set_profile(s, goal="fame")
        c = store.add_contact(s, name="Ana")
        drafts_store.save_draft(s, c.id, "follow-up", "email", "es", "Gracias", "Hola Ana",
                                "local", False, {"score": 3})
    with session_scope() as s:
        p = profile_store.profile_to_dict(profile_store.get_profile(s))
        assert (p["name"], p["goal"], p["language"]) == ("Carmen", "funding", "en")
        [d] = [drafts_store.draft_to_dict(x) for x in drafts_store.drafts_for(s, c.id)]
        assert (d["subject"], d["details"], d["status"]) == ("Gracias", {"score": 3}, "draft")


def test_contact_to_dict_is_json_safe():
    import json

    with session_scope() as s:
        c = store.add_contact(s, name="Ana", met_on="2024-01-01", emails=["a@x.com", "b@x.com"])
        data = store.contact_to_dict(c)
    assert json.loads(json.dumps(data))["emails"] == ["a@x.com", "b@x.com"]
    assert data["email"] == "a@x.com"

"""Saving the user's edits over a saved draft (service level, real SQLite)."""

from __future__ import annotations

import pytest

from coach.errors import InputError, NotFoundError
from coach.services import contacts, drafting
from coach.store.db import session_scope
from coach.store.drafts import save_draft


def _saved_draft(channel: str = "email") -> tuple[int, int]:
    contact = contacts.add_contact(name="Lucía Pérez", tier="ally", company="Acme")
    with session_scope() as s:
        draft = save_draft(s, contact["id"], "follow_up", channel, "es", "Gracias por el café",
                           "Hola Lucía, gracias por la charla.", "template", True,
                           {"verdict": "ok"})
        return contact["id"], draft.id


def test_update_draft_saves_text_and_subject_and_stays_a_draft():
    contact_id, draft_id = _saved_draft()
    out = drafting.update_draft(draft_id, "  Hola Lucía, te paso el artículo.  ",
                                subject="Artículo prometido")
    assert (out["id"], out["text"], out["subject"]) == (
        draft_id, "Hola Lucía, te paso el artículo.", "Artículo prometido")
    assert out["status"] == "draft"
    saved = contacts.get_contact(contact_id)["drafts"]
    assert len(saved) == 1  # edited in place, not a second draft
    assert saved[0]["text"] == "Hola Lucía, te paso el artículo."
    assert saved[0]["subject"] == "Artículo prometido"
    assert saved[0]["status"] == "draft"
    assert saved[0]["details"] == {"verdict": "ok"}  # provenance kept


def test_update_draft_without_subject_keeps_the_old_one():
    contact_id, draft_id = _saved_draft()
    drafting.update_draft(draft_id, "Texto nuevo")
    saved = contacts.get_contact(contact_id)["drafts"][0]
    assert (saved["text"], saved["subject"]) == ("Texto nuevo", "Gracias por el café")


def test_unknown_draft_is_not_found():
    _saved_draft()
    with pytest.raises(NotFoundError, match="no draft with id 999"):
        drafting.update_draft(999, "Hola")
    with pytest.raises(NotFoundError):
        drafting.update_draft("abc", "Hola")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   \n ", None])
def test_empty_text_is_refused_and_loses_nothing(text):
    contact_id, draft_id = _saved_draft()
    with pytest.raises(InputError, match="empty"):
        drafting.update_draft(draft_id, text, subject="otro")  # type: ignore[arg-type]
    saved = contacts.get_contact(contact_id)["drafts"][0]
    assert (saved["text"], saved["subject"]) == ("Hola Lucía, gracias por la charla.",
                                                 "Gracias por el café")

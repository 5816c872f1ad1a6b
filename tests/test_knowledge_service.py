"""The knowledge service end to end on real SQLite and embedded Chroma."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import seeds_or_skip

from coach.config import get_settings
from coach.errors import InputError
from coach.retrieve.index import get_index
from coach.services import knowledge
from coach.store import contacts as store
from coach.store.db import session_scope


def _add_note(name: str, text: str, company: str = "") -> tuple[int, int]:
    with session_scope() as s:
        contact = store.add_contact(s, name=name, company=company)
        note = store.add_interaction(s, contact, text)
        ids = (contact.id, note.id)
    knowledge.sync_notes([ids[1]])
    return ids


def test_ingest_real_seed_articles_and_find_them():
    seeds = seeds_or_skip()
    result = knowledge.ingest(seeds)
    assert result["documents"] == 5 and result["chunks"] >= 20
    again = knowledge.ingest(seeds)
    assert again["documents"] == 0 and len(again["skipped"]) == 5
    hits = knowledge.search("bonche de tarjetas de presentación", k=5, kind="guidance")
    assert any(h["source"] == "002_08b713eb2f32417e.txt" for h in hits)
    assert knowledge.index_counts()["documents"] == 5


def test_ingest_rejects_bad_input_and_writes_nothing(tmp_path):
    with pytest.raises(InputError):
        knowledge.ingest(tmp_path / "absent")
    (tmp_path / "a.docx").write_text("x")
    with pytest.raises(InputError):
        knowledge.ingest(tmp_path / "a.docx")
    assert knowledge.index_counts()["documents"] == 0


def test_note_add_edit_delete_stays_in_sync():
    contact_id, note_id = _add_note("Lucía Pérez", "Busca inversores para su app de logística",
                                    company="Rutas SL")
    other_id, _ = _add_note("Tom Hart", "Runs a bakery and loves sourdough")
    hits = knowledge.search("financiación para una startup", k=3, kind="note")
    assert hits[0]["contact_id"] == contact_id and hits[0]["note_id"] == note_id
    assert knowledge.search("pan", k=5, kind="note", contact_id=other_id)[0]["contact_id"] \
        == other_id

    with session_scope() as s:
        store.update_interaction(s, store.get_interaction(s, note_id),
                                 text="Quiere aprender a tocar la guitarra")
    knowledge.sync_notes([note_id])
    top = knowledge.search("guitarra", k=1, kind="note")[0]
    assert top["note_id"] == note_id and "guitarra" in top["text"]

    with session_scope() as s:
        store.delete_interaction(s, store.get_interaction(s, note_id))
    knowledge.sync_notes([note_id])
    assert all(h["note_id"] != note_id for h in knowledge.search("guitarra", k=5, kind="note"))
    assert knowledge.index_counts()["notes"] == 1


def test_who_returns_contacts_with_their_note():
    contact_id, note_id = _add_note("Ana Ruiz", "Trabaja en ciberseguridad y busca clientes")
    _add_note("Bo Lee", "Organises a photography club")
    rows = knowledge.who("seguridad informática")
    assert rows[0]["contact"]["id"] == contact_id and rows[0]["note"]["id"] == note_id


def test_reindex_equals_incremental_index(tmp_path):
    doc = tmp_path / "guia.md"
    doc.write_text("# Mi guía\n\nLlama a tus contactos clave cada trimestre. "
                   "Prepara una pregunta útil para cada uno.\n", encoding="utf-8")
    knowledge.ingest(doc)
    _, keep = _add_note("Eva Gil", "Conocimos a Eva en un congreso de salud digital")
    _, edit = _add_note("Juan Mora", "Le interesa el marketing para tiendas online")
    _, gone = _add_note("Rita Sol", "Nota que se borrará")
    with session_scope() as s:
        store.update_interaction(s, store.get_interaction(s, edit), text="Ahora vende cursos")
        store.delete_interaction(s, store.get_interaction(s, gone))
    knowledge.sync_notes([edit, gone])
    index = get_index(get_settings())
    incremental = index.all_entries()
    counts = knowledge.reindex()
    rebuilt = index.all_entries()
    assert counts["notes"] == 2 and counts["documents"] == 1
    assert set(rebuilt) == set(incremental)
    for entry_id, entry in incremental.items():
        other = rebuilt[entry_id]
        assert other["document"] == entry["document"], entry_id
        assert other["metadata"] == entry["metadata"], entry_id
        assert np.allclose(other["embedding"], entry["embedding"], atol=1e-6), entry_id
    assert f"note:{keep}" in rebuilt and f"note:{gone}" not in rebuilt


def test_cards_reindex_when_they_change(tmp_path, monkeypatch):
    cards = tmp_path / "knowledge"
    cards.mkdir()
    source = get_settings().knowledge_dir / "listen-first.md"
    (cards / "listen-first.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("COACH_KNOWLEDGE_DIR", str(cards))
    from coach.config import reset_settings

    reset_settings()
    assert knowledge.search("escuchar", k=1, kind="guidance")[0]["id"] == "listen-first"
    text = source.read_text(encoding="utf-8").replace("id: listen-first", "id: listen-more")
    (cards / "listen-first.md").write_text(text, encoding="utf-8")
    monkeypatch.setattr(knowledge, "CARDS_CHECK_S", 0.0)
    assert knowledge.search("escuchar", k=1, kind="guidance")[0]["id"] == "listen-more"
    assert knowledge.index_counts()["guidance"] == 1


def test_search_input_errors():
    with pytest.raises(InputError):
        knowledge.search("   ")
    with pytest.raises(InputError):
        knowledge.search("hola", kind="cards")


def test_ask_falls_back_cleanly_and_always_cites(monkeypatch):
    from coach.generate import llm

    class Broken:
        def generate(self, prompt, **_):
            return llm.Generation("Llama a Pedro el 12 de marzo", "local", "m", 0.1)

    monkeypatch.setattr(llm, "get_generator", lambda settings=None: Broken())
    result = knowledge.ask("How do I follow up after an event?")
    assert result["lang"] == "en" and result["fallback_used"] is True
    assert result["answer"].startswith("Here is what")
    assert result["sources"] and all(s["kind"] == "guidance" for s in result["sources"])


@pytest.mark.slow
def test_ask_with_the_real_local_model():
    result = knowledge.ask("¿Cómo hago seguimiento después de conocer a alguien en un evento?")
    assert result["backend"] == "local" and result["lang"] == "es"
    assert len(result["sources"]) == 3
    titles = [p["title"] for p in result["key_points"]]
    assert all(t in result["answer"] for t in titles)
    first = result["answer"].splitlines()[0]
    assert first and (result["fallback_used"] or "Pedro" not in first)

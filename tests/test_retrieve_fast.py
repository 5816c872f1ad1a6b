"""The fast retrieval path gives the same answers as the shipped parts it replaces:
encoder vectors and tokens, exact vector scoring vs Chroma's HNSW, and fresh results
after another process edits the index."""

from __future__ import annotations

import numpy as np

from coach.config import get_settings
from coach.retrieve import embeddings, encoder
from coach.retrieve import index as index_mod
from coach.retrieve.cards import card_chunks, load_cards
from coach.retrieve.search import search
from coach.services import knowledge
from coach.store import contacts as store
from coach.store.db import session_scope

SAMPLE = [
    "Conocí a Lucía en la feria de Valencia; trabaja en exportar a México (12 personas).",
    "Wants advice on a B2B pricing problem.",
    "¿Cómo hago el seguimiento después de un evento?",
    "ﬁ café ½ Ｔｅｓｔ  con   espacios  raros",
    "数字 123 😀 emoji",
    "",
    "a" * 300,
]


def _sample() -> list[str]:
    cards = load_cards(get_settings().knowledge_dir)
    return SAMPLE + [c for card in cards[:8] for c in card_chunks(card)]


def test_fast_tokenizer_matches_the_shipped_tokenizer_exactly():
    fast = embeddings.get_encoder()
    shipped = embeddings.get_shipped_encoder()
    for text in _sample():
        assert fast.tokenize(text) == shipped._tokenizer.encode(text, out_type=int), text


def test_fast_encoder_gives_the_shipped_vectors():
    texts = _sample()
    fast = embeddings.get_encoder().encode(texts)
    shipped = embeddings.get_shipped_encoder().encode(texts)
    cosine = (fast * shipped).sum(axis=1) / (
        np.linalg.norm(fast, axis=1) * np.linalg.norm(shipped, axis=1))
    assert cosine.min() >= 0.999
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    # batch composition does not change a text's vector
    alone = embeddings.get_encoder().encode(texts[:1])
    assert np.allclose(alone[0], fast[0], atol=1e-5)


def test_fast_encoder_when_the_token_cache_is_full(monkeypatch):
    model = encoder.FastUSE()
    monkeypatch.setattr(model, "_rows", np.zeros((4, model._row_width), dtype=np.float32))
    texts = SAMPLE[:3]
    got = model.encode(texts)
    want = embeddings.get_shipped_encoder().encode(texts)
    assert ((got * want).sum(axis=1) >= 0.999).all()


def test_encode_restores_the_blas_thread_count():
    before = encoder.blas_threads()
    embeddings.get_encoder().encode(["hola"])
    assert encoder.blas_threads() == before


def _note(name: str, text: str) -> tuple[int, int]:
    with session_scope() as s:
        contact = store.add_contact(s, name=name)
        note = store.add_interaction(s, contact, text)
        ids = (contact.id, note.id)
    knowledge.sync_notes([ids[1]])
    return ids


def test_exact_scoring_agrees_with_the_chroma_query_path(monkeypatch):
    _note("Lucía Pérez", "Busca inversores para su app de logística")
    contact_id, _ = _note("Tom Hart", "Runs a bakery and loves sourdough")
    index = knowledge._index()
    queries = [("financiación para una startup", None, None), ("pan", "note", contact_id),
               ("How do I thank someone after we met?", "guidance", None)]
    exact = [[h.id for h in search(index, q, k=3, kind=kind, contact_id=cid)]
             for q, kind, cid in queries]
    monkeypatch.setattr(index_mod, "MATRIX_MAX", 0)  # force Chroma's HNSW query
    index._seen = None
    via_chroma = [[h.id for h in search(index, q, k=3, kind=kind, contact_id=cid)]
                  for q, kind, cid in queries]
    assert index.tables == {}
    assert via_chroma == exact


def test_edits_by_another_process_are_seen():
    """A second client on the same store (as another process would be) writes; the
    first index notices through the change marker, even when the counts do not move."""
    _, note_id = _note("Eva Gil", "Le interesa el marketing para tiendas online")
    settings = get_settings()
    index = knowledge._index()
    assert search(index, "marketing", k=1, kind="note")[0].id == f"note-{note_id}"
    other = index_mod.KnowledgeIndex(settings, embedder=index.embedder)
    with session_scope() as s:
        store.update_interaction(s, store.get_interaction(s, note_id),
                                 text="Ahora organiza un club de ajedrez")
        records = knowledge._note_records(s, [note_id])
    other.upsert(other.notes, records)
    top = search(index, "ajedrez", k=1, kind="note")[0]
    assert top.id == f"note-{note_id}" and "ajedrez" in top.text
    other.delete(other.notes, ids=[f"note:{note_id}"])
    assert search(index, "ajedrez", k=3, kind="note") == []

"""Retrieval parts: card parsing, text terms, BM25, grounding checks, cross-lingual search."""

from __future__ import annotations

import pytest

from coach.config import get_settings
from coach.retrieve.cards import card_chunks, load_cards, parse_card
from coach.retrieve.chunking import chunk_text
from coach.retrieve.embeddings import Embedder
from coach.retrieve.grounding import check_sentence
from coach.retrieve.index import get_index
from coach.retrieve.keyword import BM25Index
from coach.retrieve.search import search
from coach.retrieve.text import detect_language, sentences, terms

CARD = """---
id: demo-card
title: Escucha antes de hablar
title_en: Listen before you speak
topic: conversation
tags: [escucha, listening]
source: 000_x.txt
language: es
---
La escucha activa es la habilidad más poderosa. Demuestra interés sincero.

Acciones concretas:
- Habla menos de la mitad del tiempo.

## English summary
Active listening is the most powerful networking skill.
"""


def test_parse_card_splits_body_actions_and_summary():
    card = parse_card(CARD, "demo-card.md")
    assert card.id == "demo-card" and card.tags == ["escucha", "listening"]
    assert card.actions == ["Habla menos de la mitad del tiempo."]
    assert card.summary_en.startswith("Active listening")
    assert card.key_point("en").startswith("Active listening")
    assert "escucha activa" in card.key_point("es")
    chunks = card_chunks(card)
    assert chunks[0].startswith("Escucha antes de hablar. Listen before you speak.")
    assert "Active listening is the most powerful networking skill." in chunks


def test_every_real_card_parses_with_english_summary():
    cards = load_cards(get_settings().knowledge_dir)
    assert len(cards) >= 25
    for card in cards:
        assert card.title and card.title_en and card.source and card.summary_en, card.id


def test_terms_fold_accents_and_lemmatise():
    assert terms("Reuniones después del evento") == terms("reunión despues evento")
    assert "el" not in terms("el seguimiento")


def test_sentences_and_language():
    assert sentences("Hola Ana. Te escribo por la charla de ayer en Madrid.") == [
        "Hola Ana. Te escribo por la charla de ayer en Madrid."]
    assert len(sentences("Primera frase bastante larga aquí. Segunda frase también larga.")) == 2
    assert detect_language("¿Cómo hago el seguimiento?") == "es"
    assert detect_language("How do I follow up with a contact?") == "en"


def test_chunk_text_keeps_chunks_short():
    text = " ".join(f"Frase número {i} sobre networking y relaciones." for i in range(200))
    chunks = chunk_text(text)
    assert len(chunks) > 5 and all(len(c) <= 500 for c in chunks)


def test_bm25_ranks_and_removes():
    index = BM25Index()
    index.add("a", "seguimiento después del evento con un café")
    index.add("b", "discurso de ascensor preparado")
    assert index.search("cafés de seguimiento")[0][0] == "a"
    index.remove("a")
    assert index.search("seguimiento") == [] and len(index) == 1


@pytest.mark.parametrize(("sentence", "ok"), [
    ("Después del evento, escribe pronto y recuerda algo concreto de la charla.", True),
    ("", False),
    ("Escribe a Marta en 48 horas tras el evento para el seguimiento.", False),
    ("After the event, write soon and mention the talk.", False),  # wrong language
    ("evento evento evento evento evento evento", False),
])
def test_check_sentence(sentence, ok):
    grounding = "¿Qué hago después del evento? Escribe pronto y recuerda la charla."
    assert (check_sentence(sentence, "es", grounding) is None) is ok


def test_embedder_cache_is_exact_and_hits():
    embedder = Embedder()
    first = embedder.embed(["hola mundo", "hola mundo", "otra frase distinta"])
    before = embedder.encoded
    again = embedder.embed(["otra frase distinta", "hola mundo"])
    assert embedder.encoded == before  # all from cache
    assert (again[0] == first[2]).all() and (first[0] == first[1]).all()


def test_english_question_finds_spanish_card_by_meaning():
    index = get_index(get_settings())
    index.ensure_cards()
    hits = search(index, "How do I thank someone after we met?", k=3, kind="guidance",
                  mode="vector")
    assert {"personal-thank-you", "follow-up-matters"} & {h.id for h in hits}
    hits = search(index, "What should I do with my elevator pitch?", k=3, kind="guidance")
    assert "elevator-pitch" in [h.id for h in hits]
    assert all(h.kind == "guidance" and h.source and h.text for h in hits)

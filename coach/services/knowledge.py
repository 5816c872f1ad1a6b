"""Knowledge and memory: guidance cards, ingested documents and contact notes in one
retrieval store, and grounded answers with their sources.

SQLite is the source of truth; the Chroma collections are derived and can be rebuilt
with ``reindex``. Every note change is committed to SQLite first and then mirrored here
with ``sync_notes``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from coach.config import Settings, get_settings
from coach.errors import CoachError, InputError
from coach.prompting import templates
from coach.retrieve import search as hybrid
from coach.retrieve.cards import Card, load_cards
from coach.retrieve.grounding import check_sentence, first_sentence
from coach.retrieve.index import (
    KnowledgeIndex,
    Record,
    document_records,
    get_index,
    note_record,
)
from coach.retrieve.text import detect_language
from coach.store.db import session_scope
from coach.store.models import Contact, Document, DocumentChunk, Interaction

log = logging.getLogger(__name__)
CARDS_CHECK_S = 10.0
_cards_checked: dict[int, float] = {}


# ----- the index, with the cards indexed on first use -----
def _index(settings: Settings | None = None, cards: bool = True) -> KnowledgeIndex:
    settings = settings or get_settings()
    index = get_index(settings)
    if cards:
        last = _cards_checked.get(id(index), 0.0)
        if time.monotonic() - last > CARDS_CHECK_S:
            index.ensure_cards()
            _cards_checked[id(index)] = time.monotonic()
    return index


def guidance_cards(settings: Settings | None = None) -> list[dict[str, Any]]:
    settings = settings or get_settings()
    return [card.to_dict() for card in load_cards(settings.knowledge_dir)]


def _cards_by_id(settings: Settings) -> dict[str, Card]:
    return {card.id: card for card in load_cards(settings.knowledge_dir)}


def index_counts(settings: Settings | None = None) -> dict[str, int]:
    """Cards and notes in the index, documents in the store (cheap: embeds nothing)."""
    settings = settings or get_settings()
    index = _index(settings, cards=False)
    cards = {m["unit"] for m in index.guidance.get(where={"origin": "card"},
                                                    include=["metadatas"])["metadatas"]}
    with session_scope(settings) as s:
        documents = s.scalar(select(func.count(Document.id))) or 0
    return {"guidance": len(cards), "notes": index.notes.count(), "documents": documents,
            "chunks": index.guidance.count()}


# ----- notes -----
def _note_records(s, note_ids: list[int]) -> list[Record]:
    rows = s.execute(
        select(Interaction, Contact).join(Contact, Interaction.contact_id == Contact.id)
        .where(Interaction.id.in_(note_ids))
    ).all()
    return [
        note_record(i.id, i.text, c.id, c.name, c.company or "", i.occurred_on.isoformat())
        for i, c in rows if (i.text or "").strip()
    ]


def sync_notes(note_ids: list[int], settings: Settings | None = None) -> None:
    """Mirror these notes from SQLite: upsert those that exist, delete the others."""
    ids = sorted({int(n) for n in note_ids})
    if not ids:
        return
    settings = settings or get_settings()
    with session_scope(settings) as s:
        records = []
        for start in range(0, len(ids), 500):
            records += _note_records(s, ids[start:start + 500])
    index = _index(settings, cards=False)
    present = {r.meta["note_id"] for r in records}
    gone = [f"note:{n}" for n in ids if n not in present]
    index.upsert(index.notes, records)
    if gone:
        index.delete(index.notes, ids=gone)


def _all_note_ids(s) -> list[int]:
    return list(s.scalars(select(Interaction.id).order_by(Interaction.id)))


# ----- search -----
def search(query: str, k: int = 5, kind: str | None = None, contact_id: int | None = None,
           lang: str | None = None, mode: str = "hybrid",
           settings: Settings | None = None) -> list[dict[str, Any]]:
    """Hybrid search over guidance and notes; each hit carries its provenance."""
    index = _index(settings)
    hits = hybrid.search(index, query, k=k, kind=kind, contact_id=contact_id, mode=mode)
    return [hit.to_dict() for hit in hits]


def who(query: str, k: int = 10, settings: Settings | None = None) -> list[dict[str, Any]]:
    """Contacts whose notes match ``query``, best first, each with its best note."""
    from coach.store.contacts import contact_to_dict, interaction_to_dict

    settings = settings or get_settings()
    hits = search(query, k=max(50, k * 5), kind="note", settings=settings)
    best: dict[int, dict[str, Any]] = {}
    for hit in hits:
        if hit["contact_id"] not in best:
            best[hit["contact_id"]] = hit
    ranked = list(best.values())[:k]
    out = []
    with session_scope(settings) as s:
        for hit in ranked:
            contact = s.get(Contact, hit["contact_id"])
            note = s.get(Interaction, hit["note_id"])
            if contact is None or note is None:
                continue
            out.append({"contact": contact_to_dict(contact), "note": interaction_to_dict(note),
                        "score": hit["score"]})
    return out


# ----- documents -----
def ingest(path: str | Path, settings: Settings | None = None) -> dict[str, Any]:
    """Add Markdown, text and PDF files to the guidance (dedupe by sha256)."""
    from coach.input.documents import find_documents, read_document

    settings = settings or get_settings()
    files = find_documents(Path(path))
    if not files:
        raise InputError(f"no .md, .txt or .pdf files in {path}")
    parsed = [read_document(p) for p in files]  # parse everything before writing anything
    added: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    skipped: list[str] = []
    with session_scope(settings) as s:
        for doc in parsed:
            if s.scalar(select(Document.id).where(Document.sha256 == doc.sha256)) is not None:
                skipped.append(Path(doc.path).name)
                continue
            row = Document(path=doc.path, title=doc.title, sha256=doc.sha256,
                           language=doc.language)
            row.chunks = [DocumentChunk(ordinal=i, text=t) for i, t in enumerate(doc.chunks)]
            s.add(row)
            s.flush()
            added.append((row.id, row.title, Path(doc.path).name, list(enumerate(doc.chunks))))
    index = _index(settings)
    for doc_id, title, source, chunks in added:
        index.upsert(index.guidance, document_records(doc_id, title, source, chunks))
    return {"documents": len(added), "chunks": sum(len(a[3]) for a in added),
            "skipped": skipped}


def reindex(settings: Settings | None = None) -> dict[str, int]:
    """Rebuild both collections from knowledge/ and SQLite, exactly."""
    settings = settings or get_settings()
    index = _index(settings, cards=False)
    with session_scope(settings) as s:
        docs = [(d.id, d.title, Path(d.path).name, [(c.ordinal, c.text) for c in d.chunks])
                for d in s.scalars(select(Document).order_by(Document.id))]
        notes: list[Record] = []
        ids = _all_note_ids(s)
        for start in range(0, len(ids), 500):
            notes += _note_records(s, ids[start:start + 500])
    index.reset()
    index.ensure_cards()
    _cards_checked[id(index)] = time.monotonic()
    for doc_id, title, source, chunks in docs:
        index.upsert(index.guidance, document_records(doc_id, title, source, chunks))
    index.upsert(index.notes, notes)
    return index_counts(settings)


# ----- grounded answers -----
def _prompt_file(settings: Settings, name: str) -> str:
    return templates.load(f"ask/{name}", settings)


def _key_points(hits: list[dict[str, Any]], cards: dict[str, Card], lang: str) -> list[dict]:
    points = []
    for hit in hits:
        card = cards.get(hit["id"])
        if card is not None:
            title = card.title_en if lang == "en" else card.title
            text = card.key_point(lang)
            action = card.actions[0] if lang == "es" and card.actions else None
        else:
            title, text, action = hit["title"], hit["text"][:400], None
        points.append({"id": hit["id"], "title": title, "point": text, "action": action})
    return points


def _intro(question: str, lang: str, points: list[dict], settings: Settings) -> dict[str, Any]:
    """One model-written sentence, checked; the fixed intro when it fails the check."""
    from coach.generate.llm import Prompt, get_generator

    topics = "; ".join(p["title"] for p in points)
    listing = "\n".join(f"- {p['title']}: {p['point']}" for p in points)
    prompt = Prompt(
        completion=_prompt_file(settings, f"completion_{lang}.txt").format(
            question=question, topics=topics).rstrip(),
        messages=[("system", _prompt_file(settings, f"chat_system_{lang}.txt").strip()),
                  ("human", _prompt_file(settings, f"chat_user_{lang}.txt").format(
                      question=question, points=listing))],
        stop=["\n", "###"],
        max_tokens=48,
    )
    grounding = " ".join([question, listing])
    backend, reason, sentence = "none", None, ""
    try:
        generation = get_generator(settings).generate(prompt, temperature=0.2, seed=7)
        backend = generation.backend
        sentence = first_sentence(generation.text)
        reason = check_sentence(sentence, lang, grounding)
    except CoachError as exc:
        reason = f"backend failed: {exc}"
    if reason is None:
        return {"intro": sentence, "backend": backend, "fallback_used": False, "reason": None}
    log.info("ask: dropped the model sentence (%s)", reason)
    return {"intro": _prompt_file(settings, f"fallback_{lang}.txt").strip(),
            "backend": backend, "fallback_used": True, "reason": reason}


def ask(question: str, lang: str | None = None, k: int = 3,
        settings: Settings | None = None) -> dict[str, Any]:
    """A grounded answer: the key points of the best guidance, introduced by one
    checked model sentence, with the sources it rests on."""
    settings = settings or get_settings()
    question = " ".join(question.split())
    if not question:
        raise InputError("the question is empty")
    lang = lang or detect_language(question, default=settings.language)
    if lang not in ("es", "en"):
        raise InputError(f"unsupported language {lang!r}: use es or en")
    hits = search(question, k=k, kind="guidance", settings=settings)
    points = _key_points(hits, _cards_by_id(settings), lang)
    intro = _intro(question, lang, points, settings)
    label = "Qué hacer" if lang == "es" else "What to do"
    lines = [intro["intro"], ""]
    for n, p in enumerate(points, 1):
        lines.append(f"{n}. {p['title']}: {p['point']}")
        if p["action"]:
            lines.append(f"   {label}: {p['action']}")
    return {
        "answer": "\n".join(lines).strip(),
        "sources": hits,
        "backend": intro["backend"],
        "fallback_used": intro["fallback_used"],
        "fallback_reason": intro["reason"],
        "lang": lang,
        "key_points": points,
    }

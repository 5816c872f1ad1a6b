"""Hybrid retrieval: vector similarity (Chroma) fused with BM25 by reciprocal rank.

Chunks are aggregated to *units* (a card, a document chunk, a note) by their best
passage, so a card with one very relevant sentence ranks well; every hit carries its
provenance (id, kind, title, source, text, contact).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from coach.errors import InputError
from coach.retrieve.index import KnowledgeIndex

Mode = Literal["hybrid", "vector", "keyword"]
RRF_K = 20
KEYWORD_WEIGHT = 0.7
TOP_PASSAGES = 3


@dataclass
class Hit:
    id: str
    kind: str
    title: str
    source: str
    text: str
    score: float
    similarity: float | None = None
    contact_id: int | None = None
    contact_name: str | None = None
    note_id: int | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.kind != "note":
            for key in ("contact_id", "contact_name", "note_id", "date"):
                data.pop(key)
        return data


def _where(kind: str, contact_id: int | None) -> dict | None:
    if kind == "note" and contact_id is not None:
        return {"contact_id": contact_id}
    return None


def _passages(index: KnowledgeIndex, query_vec, kind: str, contact_id: int | None,
              wanted: int) -> list[tuple[float, str, str]]:
    """The ``wanted`` nearest passages of one collection as (cosine, unit, document):
    exact numpy scoring over the cached vectors, Chroma's HNSW query above MATRIX_MAX."""
    collection = index.guidance if kind == "guidance" else index.notes
    table = index.tables.get(collection.name)
    if table is not None:
        return [(sim, table.units[row], table.documents[row])
                for sim, row in table.top(query_vec, wanted, contact_id)]
    total = collection.count()
    if not total:
        return []
    got = collection.query(
        query_embeddings=[query_vec], n_results=min(total, wanted),
        where=_where(kind, contact_id), include=["documents", "metadatas", "distances"])
    return [(1.0 - float(dist), meta["unit"], doc) for doc, meta, dist in
            zip(got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True)]


def _vector(index: KnowledgeIndex, query_vec, kinds: list[str], contact_id: int | None,
            depth: int) -> dict[str, tuple[float, str]]:
    """Per unit: the mean of its best ``TOP_PASSAGES`` passage similarities (missing ones
    count as the lowest similarity returned) and its best passage."""
    sims: dict[str, list[float]] = {}
    best: dict[str, str] = {}
    floor = 1.0
    for kind in kinds:
        wanted = depth if kind == "guidance" else max(40, depth // 3)
        for sim, unit, doc in _passages(index, query_vec, kind, contact_id, wanted):
            floor = min(floor, sim)
            if unit not in sims:
                best[unit] = doc
            sims.setdefault(unit, []).append(sim)
    out = {}
    for unit, values in sims.items():
        top = sorted(values, reverse=True)[:TOP_PASSAGES]
        if len(values) < TOP_PASSAGES and unit in index.units:
            top += [floor] * (min(TOP_PASSAGES, index.units[unit].get("chunks", 1)) - len(top))
        out[unit] = (sum(top) / len(top), best[unit])
    return out


def search(index: KnowledgeIndex, query: str, k: int = 5, kind: str | None = None,
           contact_id: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
    query = " ".join(query.split())
    if not query:
        raise InputError("the search query is empty")
    if kind not in (None, "guidance", "note"):
        raise InputError(f"unknown kind {kind!r}: use guidance or note")
    if k < 1:
        raise InputError("--k must be at least 1")
    if contact_id is not None and kind is None:
        kind = "note"
    kinds = [kind] if kind else ["guidance", "note"]
    depth = max(120, k * 10)
    index.refresh()

    vec: dict[str, tuple[float, str]] = {}
    if mode != "keyword":
        query_vec = index.embedder.embed([query])[0]
        vec = _vector(index, query_vec, kinds, contact_id, depth)
    vec_rank = {u: r for r, (u, _) in enumerate(sorted(vec.items(), key=lambda kv: -kv[1][0]))}

    kw_rank: dict[str, int] = {}
    if mode != "vector":
        units = index.units

        def accept(unit: str) -> bool:
            meta = units.get(unit)
            if meta is None or meta["kind"] not in kinds:
                return False
            return contact_id is None or meta.get("contact_id") == contact_id

        ranked = index.keyword.search(query, limit=depth, accept=accept)
        kw_rank = {u: r for r, (u, _) in enumerate(ranked)}

    fused: dict[str, float] = {}
    for unit, rank in vec_rank.items():
        fused[unit] = 1.0 / (RRF_K + rank + 1)
    for unit, rank in kw_rank.items():
        fused[unit] = fused.get(unit, 0.0) + KEYWORD_WEIGHT / (RRF_K + rank + 1)

    order = sorted(fused, key=lambda u: (-fused[u], u))[:k]
    return [_hit(index, u, fused[u], vec.get(u)) for u in order]


def _hit(index: KnowledgeIndex, unit: str, score: float,
         vec: tuple[float, str] | None) -> Hit:
    meta = index.units.get(unit, {})
    text = vec[1] if vec else meta.get("first_text", "")
    hit = Hit(
        id=unit, kind=meta.get("kind", "guidance"), title=meta.get("title", unit),
        source=meta.get("source", ""), text=text, score=round(score, 5),
        similarity=round(vec[0], 4) if vec else None,
    )
    if hit.kind == "note":
        hit.contact_id = meta.get("contact_id")
        hit.contact_name = meta.get("contact_name")
        hit.note_id = meta.get("note_id")
        hit.date = meta.get("date")
    return hit

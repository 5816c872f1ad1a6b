"""The Chroma side of retrieval: two collections, an explicit embedding function, and
the records that go in them.

- ``guidance``: sentence-level chunks of the knowledge cards (``origin=card``) and of the
  user's ingested documents (``origin=document``);
- ``notes``: one entry per contact note, with its ``contact_id``.

Embedded ``PersistentClient`` under ``COACH_HOME`` by default; ``HttpClient`` when
``COACH_CHROMA_URL`` is set. Vectors are always computed here (cached, batched) and passed
to Chroma, and the collections carry an explicit embedding function, so Chroma never
tries to download its default model.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from coach.config import Settings
from coach.errors import ConfigError
from coach.retrieve.cards import Card, card_chunks, cards_hash, load_cards
from coach.retrieve.embeddings import DIM, Embedder
from coach.retrieve.keyword import BM25Index

log = logging.getLogger(__name__)

GUIDANCE = "guidance"
NOTES = "notes"
BATCH = 5000
HNSW = {"space": "cosine", "ef_construction": 100, "ef_search": 100}
# Notes are scored exactly with numpy over the cached vectors (``VectorTable``), so their
# HNSW graph only serves the fallback above ``MATRIX_MAX`` rows: a cheaper build (about
# 1.5x faster inserts of 10,000 notes, measured in benchmarks/bench_retrieval.py).
HNSW_NOTES = {"space": "cosine", "ef_construction": 32, "max_neighbors": 12, "ef_search": 100}
MATRIX_MAX = 200_000
VERSION_KEY = "version"


class CoachEmbeddingFunction(EmbeddingFunction[Documents]):
    """USE multilingual v3 through the coach's cached embedder."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or Embedder()

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's name
        return list(self._embedder.embed_passages(list(input)))

    @staticmethod
    def name() -> str:
        return "coach-usem3"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> CoachEmbeddingFunction:
        return CoachEmbeddingFunction()

    def is_legacy(self) -> bool:
        return False


@dataclass(frozen=True)
class Record:
    """One entry of a collection: id, passage, metadata (``unit`` = the hit it belongs to)."""

    id: str
    text: str
    meta: dict[str, Any]


def card_records(cards: Iterable[Card]) -> list[Record]:
    out = []
    for card in cards:
        for i, chunk in enumerate(card_chunks(card)):
            out.append(Record(f"card:{card.id}:{i:03d}", chunk, {
                "kind": "guidance", "origin": "card", "unit": card.id, "title": card.title,
                "title_en": card.title_en, "source": card.source, "ordinal": i,
            }))
    return out


def document_records(document_id: int, title: str, source: str,
                     chunks: Sequence[tuple[int, str]]) -> list[Record]:
    return [
        Record(f"doc:{document_id}:{ordinal:05d}", text, {
            "kind": "guidance", "origin": "document", "unit": f"doc-{document_id}-{ordinal}",
            "title": title, "source": source, "document_id": document_id, "ordinal": ordinal,
        })
        for ordinal, text in chunks
    ]


def note_record(note_id: int, text: str, contact_id: int, contact_name: str,
                company: str, day: str) -> Record:
    return Record(f"note:{note_id}", text, {
        "kind": "note", "origin": "note", "unit": f"note-{note_id}", "note_id": note_id,
        "contact_id": contact_id, "contact_name": contact_name, "company": company,
        "date": day, "title": f"{contact_name} · {day}", "source": f"contact:{contact_id}",
    })


def make_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise ConfigError(f"COACH_CHROMA_URL is not a URL: {settings.chroma_url!r}")
        try:
            client = chromadb.HttpClient(
                host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https", settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001 - any connection failure
            raise ConfigError(
                f"cannot reach the Chroma server at {settings.chroma_url} "
                f"({type(exc).__name__}); start it or unset COACH_CHROMA_URL") from None
        return client
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


@dataclass
class VectorTable:
    """One collection's passages in memory: unit vectors, documents and metadata rows."""

    vectors: np.ndarray
    documents: list[str]
    units: list[str]
    contact_ids: np.ndarray

    @classmethod
    def build(cls, got: dict) -> VectorTable:
        metas = got["metadatas"]
        vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(metas), DIM)
        contacts = np.fromiter((int(m.get("contact_id", -1)) for m in metas), dtype=np.int64,
                               count=len(metas))
        return cls(np.ascontiguousarray(vectors), list(got["documents"]),
                   [m["unit"] for m in metas], contacts)

    def top(self, query_vec: np.ndarray, n: int,
            contact_id: int | None = None) -> list[tuple[float, int]]:
        """The ``n`` most similar rows as (cosine, row), best first (exact search)."""
        if not len(self.units):
            return []
        from coach.retrieve.encoder import single_blas_thread

        with single_blas_thread():  # a 2-thread GEMV spins on a shared machine
            sims = self.vectors @ np.asarray(query_vec, dtype=np.float32)
        rows = np.arange(len(sims))
        if contact_id is not None:
            rows = np.flatnonzero(self.contact_ids == contact_id)
            sims = sims[rows]
        if n < len(sims):
            part = np.argpartition(-sims, n - 1)[:n]
            rows, sims = rows[part], sims[part]
        order = np.argsort(-sims, kind="stable")
        return [(float(sims[i]), int(rows[i])) for i in order]


class KnowledgeIndex:
    """Both collections plus the keyword index over the same units.

    The in-memory side (BM25 units and the vector tables) is rebuilt when a collection's
    change marker moves: every write stores a fresh random ``version`` in the collection's
    metadata, after the data, so edits made by another process (or another client of the
    same Chroma server) are seen on the next search for the cost of one metadata read.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.home / "embeddings.sqlite3",
                                             threads=settings.local_threads)
        self.ef = CoachEmbeddingFunction(self.embedder)
        self.client = make_client(settings)
        self.lock = threading.RLock()
        self.keyword = BM25Index()
        self.units: dict[str, dict[str, Any]] = {}
        self.tables: dict[str, VectorTable] = {}
        self._seen: tuple[str, str] | None = None
        self.guidance = self._collection(GUIDANCE)
        self.notes = self._collection(NOTES)

    # ----- collections -----
    def _collection(self, name: str):
        return self.client.get_or_create_collection(
            name, embedding_function=self.ef,
            configuration={"hnsw": HNSW_NOTES if name == NOTES else HNSW},
            metadata={"coach": name})

    def markers(self) -> tuple[str, str]:
        """The change markers of (guidance, notes), read fresh (one round trip)."""
        found = {c.name: str((c.metadata or {}).get(VERSION_KEY, ""))
                 for c in self.client.list_collections()}
        return found.get(GUIDANCE, ""), found.get(NOTES, "")

    def _touch(self, collection) -> None:
        """Move the collection's change marker (after its data changed)."""
        fresh = self.client.get_collection(collection.name, embedding_function=self.ef)
        meta = dict(fresh.metadata or {})
        meta[VERSION_KEY] = uuid.uuid4().hex
        collection.modify(metadata=meta)
        self._seen = None

    def reset(self) -> None:
        """Drop and recreate both collections (used by ``reindex``)."""
        with self.lock:
            for name in (GUIDANCE, NOTES):
                with contextlib.suppress(Exception):  # absent collection
                    self.client.delete_collection(name)
            self.guidance = self._collection(GUIDANCE)
            self.notes = self._collection(NOTES)
            self.keyword = BM25Index()
            self.units = {}
            self.tables = {}
            self._touch(self.guidance)
            self._touch(self.notes)

    def counts(self) -> dict[str, int]:
        cards = len(self.guidance.get(where={"origin": "card"}, include=[])["ids"])
        return {"guidance": self.guidance.count(), "cards_chunks": cards,
                "notes": self.notes.count()}

    # ----- writes -----
    def upsert(self, collection, records: Sequence[Record]) -> None:
        if not records:
            return
        vectors = self.embedder.embed_passages([r.text for r in records])
        with self.lock, _gc_paused():
            for start in range(0, len(records), BATCH):
                part = records[start:start + BATCH]
                collection.upsert(
                    ids=[r.id for r in part],
                    embeddings=vectors[start:start + BATCH],
                    documents=[r.text for r in part],
                    metadatas=[r.meta for r in part],
                )
            self._touch(collection)

    def delete(self, collection, ids: Sequence[str] = (), where: dict | None = None) -> None:
        with self.lock:
            if ids:
                collection.delete(ids=list(ids))
            if where:
                collection.delete(where=where)
            self._touch(collection)

    def ensure_cards(self) -> bool:
        """(Re)index the knowledge cards when the index lacks them or they changed."""
        directory = self.settings.knowledge_dir
        digest = cards_hash(directory)
        meta = dict(self.guidance.metadata or {})
        if meta.get("cards_hash") == digest:
            return False
        with self.lock:
            self.delete(self.guidance, where={"origin": "card"})
            self.upsert(self.guidance, card_records(load_cards(directory)))
            fresh = self.client.get_collection(GUIDANCE, embedding_function=self.ef)
            meta = dict(fresh.metadata or {})
            meta["cards_hash"] = digest
            meta[VERSION_KEY] = uuid.uuid4().hex
            self.guidance.modify(metadata=meta)
            self._seen = None
        log.info("indexed the knowledge cards (%s)", digest)
        return True

    # ----- in-memory side: keyword units and vector tables -----
    def refresh(self) -> None:
        """Rebuild the BM25 units and vector tables when a change marker moved."""
        markers = self.markers()  # read before the data: a later write moves it again
        if markers == self._seen:
            return
        with self.lock:
            keyword = BM25Index()
            units: dict[str, dict[str, Any]] = {}
            texts: dict[str, list[str]] = {}
            tables: dict[str, VectorTable] = {}
            for collection in (self.guidance, self.notes):
                if collection.count() <= MATRIX_MAX:
                    got = collection.get(include=["documents", "metadatas", "embeddings"])
                    tables[collection.name] = VectorTable.build(got)
                else:
                    got = collection.get(include=["documents", "metadatas"])
                for doc, meta in zip(got["documents"], got["metadatas"], strict=True):
                    unit = meta["unit"]
                    units.setdefault(unit, dict(meta))
                    texts.setdefault(unit, []).append(doc)
            for unit, parts in texts.items():
                meta = units[unit]
                extra = [meta.get("title", ""), meta.get("title_en", ""),
                         meta.get("company", "")]
                keyword.add(unit, " ".join([*parts, *filter(None, extra)]))
                meta["first_text"] = parts[0]
                meta["chunks"] = len(parts)
            self.keyword, self.units, self.tables = keyword, units, tables
            self._seen = markers

    refresh_keyword = refresh  # the older name

    def all_entries(self) -> dict[str, dict[str, Any]]:
        """Everything in both collections, by id (tests compare reindex with incremental)."""
        out: dict[str, dict[str, Any]] = {}
        for collection in (self.guidance, self.notes):
            got = collection.get(include=["documents", "metadatas", "embeddings"])
            for i, entry_id in enumerate(got["ids"]):
                out[entry_id] = {
                    "collection": collection.name,
                    "document": got["documents"][i],
                    "metadata": got["metadatas"][i],
                    "embedding": np.asarray(got["embeddings"][i], dtype=np.float32),
                }
        return out


@contextlib.contextmanager
def _gc_paused():
    """No cyclic GC passes while Chroma converts thousands of records."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_indexes: dict[str, KnowledgeIndex] = {}
_indexes_lock = threading.Lock()


def get_index(settings: Settings) -> KnowledgeIndex:
    """The process-wide index for these settings (one client per store location)."""
    key = f"{settings.chroma_url or settings.chroma_path}|{settings.knowledge_dir}"
    with _indexes_lock:
        index = _indexes.get(key)
        if index is None:
            index = KnowledgeIndex(settings)
            _indexes[key] = index
        return index


def forget_indexes() -> None:
    """Drop cached clients (tests switch COACH_HOME)."""
    with _indexes_lock:
        _indexes.clear()

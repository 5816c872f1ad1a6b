"""An in-memory BM25 index over retrieval units (accent-folded es/en lemmas).

Units are whole cards, document chunks and notes; the index is rebuilt from the vector
store's own documents and metadata, so both signals always rank the same corpus.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Callable

from coach.retrieve.text import terms


class BM25Index:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._postings: dict[str, dict[str, int]] = defaultdict(dict)
        self._lengths: dict[str, int] = {}
        self._terms: dict[str, list[str]] = {}
        self._total = 0
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._lengths)

    def __contains__(self, key: str) -> bool:
        return key in self._lengths

    def add(self, key: str, text: str) -> None:
        with self._lock:
            self.remove(key)
            counts = Counter(terms(text))
            for term, tf in counts.items():
                self._postings[term][key] = tf
            length = sum(counts.values())
            self._lengths[key] = length
            self._terms[key] = list(counts)
            self._total += length

    def remove(self, key: str) -> None:
        with self._lock:
            if key not in self._lengths:
                return
            for term in self._terms.pop(key):
                posting = self._postings.get(term)
                if posting is not None:
                    posting.pop(key, None)
                    if not posting:
                        del self._postings[term]
            self._total -= self._lengths.pop(key)

    def search(self, query: str, limit: int = 50,
               accept: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """The best ``limit`` units for ``query`` as (key, score), best first."""
        with self._lock:
            n = len(self._lengths)
            if not n:
                return []
            avg = self._total / n or 1.0
            scores: dict[str, float] = defaultdict(float)
            for term in set(terms(query)):
                posting = self._postings.get(term)
                if not posting:
                    continue
                idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
                for key, tf in posting.items():
                    norm = tf + self.k1 * (1 - self.b + self.b * self._lengths[key] / avg)
                    scores[key] += idf * tf * (self.k1 + 1) / norm
        if accept is not None:
            scores = {key: score for key, score in scores.items() if accept(key)}
        return heapq.nsmallest(limit, scores.items(), key=lambda kv: (-kv[1], kv[0]))

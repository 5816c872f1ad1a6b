"""Concurrency: two real processes add contacts and notes at the same time (through the
service API, as the CLI and the web app do) and lose no update, and neither surfaces
"database is locked" — not as an error, not as an index warning.

This file is also the worker: ``python tests/test_reliability_concurrency.py worker TAG N
SHARED_ID GO_FILE`` writes N contacts with a note each, plus a note on a shared contact.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

WRITES = int(os.environ.get("COACH_CONCURRENT_WRITES", "200"))


def worker(tag: str, n: int, shared: int, go: Path) -> None:
    from coach.services.contacts import add_contact, add_note, edit_contact

    while not go.exists():  # start together
        time.sleep(0.01)
    warnings: list[str] = []
    ids: list[int] = []
    for i in range(n):
        contact = add_contact(name=f"{tag} Persona {i}", company=f"{tag} SA",
                              tier=("prospect", "ally", "radar")[i % 3])
        ids.append(contact["id"])
        for result in (add_note(contact["id"], f"{tag}: conversación {i} sobre logística"),
                       add_note(shared, f"{tag} nota compartida {i}")):
            if result.get("warning"):
                warnings.append(result["warning"])
        if i % 10 == 0:
            edited = edit_contact(contact["id"], needs=f"{tag} necesita {i}")
            if edited.get("warning"):
                warnings.append(edited["warning"])
    print(json.dumps({"ids": ids, "warnings": warnings}))


def _spawn(home: Path, tag: str, n: int, shared: int, go: Path) -> subprocess.Popen:
    env = {**os.environ, "COACH_HOME": str(home)}
    return subprocess.Popen([sys.executable, __file__, "worker", tag, str(n), str(shared),
                             str(go)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def run_writers(home: Path, n: int, writers: int = 2) -> list[dict]:
    """Start ``writers`` processes together; return their reports (stdout JSON + stderr)."""
    from coach.services.contacts import add_contact

    shared = add_contact(name="Contacto Compartido")["id"]
    go = home.parent / "go"
    go.unlink(missing_ok=True)
    procs = [_spawn(home, f"W{w}", n, shared, go) for w in range(writers)]
    time.sleep(2.0)  # let both import the services before the start line
    go.touch()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=1800)
        report = json.loads(out.strip().splitlines()[-1]) if proc.returncode == 0 else {}
        reports.append({"rc": proc.returncode, "stderr": err, **report, "shared": shared})
    return reports


def check(home: Path, reports: list[dict], n: int) -> list[str]:
    """Every problem found: lost writes, lock errors, warnings, index out of step."""
    problems = []
    for r in reports:
        if r["rc"] != 0:
            problems.append(f"worker exited {r['rc']}: {r['stderr'][-500:]}")
        if "locked" in r["stderr"].lower():
            problems.append(f"'locked' on stderr: {r['stderr'][-300:]}")
        problems += [f"warning: {w}" for w in r.get("warnings", [])]
    writers = len(reports)
    conn = sqlite3.connect(home / "coach.db", timeout=60)
    contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
    notes = conn.execute("SELECT count(*) FROM interactions").fetchone()[0]
    shared_notes = conn.execute("SELECT count(*) FROM interactions WHERE contact_id = ?",
                                (reports[0]["shared"],)).fetchone()[0]
    edited = conn.execute("SELECT count(*) FROM contacts WHERE needs != ''").fetchone()[0]
    note_ids = {f"note:{r[0]}" for r in conn.execute("SELECT id FROM interactions")}
    conn.close()
    expected = {"contacts": writers * n + 1, "notes": writers * n * 2,
                "shared": writers * n, "edited": writers * len(range(0, n, 10))}
    found = {"contacts": contacts, "notes": notes, "shared": shared_notes, "edited": edited}
    if found != expected:
        problems.append(f"lost updates: expected {expected}, found {found}")
    from coach.services.knowledge import _index

    index_ids = set(_index(cards=False).notes.get(include=[])["ids"])
    if index_ids != note_ids:
        problems.append(f"index out of step: {len(note_ids - index_ids)} notes missing, "
                        f"{len(index_ids - note_ids)} extra")
    return problems


def test_two_processes_writing_at_once_lose_nothing_and_never_see_a_lock(coach_home):
    reports = run_writers(coach_home, WRITES)
    problems = check(coach_home, reports, WRITES)
    assert not problems, "\n".join(problems[:20])


def test_sqlite_connections_use_wal_busy_timeout_and_immediate_transactions(coach_home):
    from sqlalchemy import text

    from coach.store.db import get_engine

    engine = get_engine()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 30_000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        # The transaction began with BEGIN IMMEDIATE: it holds the write lock already, so a
        # second writer waits (busy timeout) instead of failing when both upgrade at once.
        other = sqlite3.connect(coach_home / "coach.db", timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            raise AssertionError("the first transaction did not take the write lock")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
        finally:
            other.close()


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))

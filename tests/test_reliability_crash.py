"""Crash safety: a real ``coach contacts import`` killed with SIGKILL leaves all of the file
or none of it in SQLite, and ``coach reindex`` makes the notes index equal to SQLite again.

"Mid-import" is observed, not guessed: the test polls the database with a zero busy
timeout and kills the importer the moment it holds the write lock (its one transaction).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from coach.store.db import get_engine

N = 10_000


def linkedin_csv(path: Path, n: int = N, prefix: str = "Persona") -> Path:
    lines = ["Notes:", '"When exporting your connection data, you may notice that some of the '
             'email addresses are missing."', "",
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    for i in range(n):
        email = f"p{i}@example.org" if i % 3 == 0 else ""
        lines.append(f"{prefix}{i},Apellido{i % 97},https://www.linkedin.com/in/{prefix.lower()}"
                     f"-{i},{email},Empresa {i % 301},Cargo {i % 13},"
                     f"{1 + i % 28:02d} {months[i % 12]} 20{10 + i % 15}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def notes_csv(path: Path, n: int) -> Path:
    rows = ["name,company,note"] + [
        f"Nota Persona {i},Casa {i},Hablamos de logística en frío y del piloto número {i}"
        for i in range(n)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def start(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "COACH_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-m", "coach", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def writer_is_busy(db: Path) -> bool:
    """True while another connection holds SQLite's write lock."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    finally:
        conn.close()


def kill_when(proc: subprocess.Popen, ready, timeout: float = 300) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            return True
        time.sleep(0.005)
    proc.kill()
    raise TimeoutError("the importer never became busy")


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db, timeout=60)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def index_equals_database(db: Path) -> tuple[dict, set, set]:
    from coach.services.knowledge import _index, index_counts

    counts = index_counts()
    ids = set(_index(cards=False).notes.get(include=[])["ids"])
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT id FROM interactions WHERE trim(text) != ''").fetchall()
    finally:
        conn.close()
    return counts, ids, {f"note:{r[0]}" for r in rows}


def test_sigkill_mid_import_leaves_all_or_nothing_and_reindex_restores_the_index(coach_home):
    get_engine()  # migrate first, so the only write lock the importer takes is the import
    db = coach_home / "coach.db"
    folder = coach_home.parent

    # 1. A 10,000-contact LinkedIn import, killed while it holds the write transaction.
    proc = start(coach_home, "contacts", "import", str(linkedin_csv(folder / "conn.csv")),
                 "--format", "linkedin")
    killed = kill_when(proc, lambda: writer_is_busy(db))
    assert killed, f"the import finished before it could be killed: {proc.stderr.read()!r}"
    assert proc.returncode == -signal.SIGKILL
    assert count(db, "contacts") in (0, N)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    # 2. An import with notes, killed after its commit while the index is being updated:
    #    SQLite has everything, the index lags behind until `coach reindex`.
    before = count(db, "contacts")
    proc = start(coach_home, "contacts", "import", str(notes_csv(folder / "notes.csv", 300)),
                 "--format", "csv")
    kill_when(proc, lambda: not writer_is_busy(db) and
              count(db, "contacts") > before)
    assert count(db, "contacts") in (before, before + 300)
    assert count(db, "interactions") in (0, 300)

    # 3. `coach reindex` (a real process) makes the index equal to the database.
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    done = subprocess.run([sys.executable, "-m", "coach", "reindex"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    counts, index_ids, db_ids = index_equals_database(db)
    assert index_ids == db_ids
    assert counts["notes"] == len(db_ids) == count(db, "interactions")
    from coach.services.knowledge import guidance_cards

    assert counts["guidance"] == len(guidance_cards())

    # 4. The file that was cut off imports whole on a second try (nothing half-there to merge).
    env_import = subprocess.run(
        [sys.executable, "-m", "coach", "contacts", "import", str(folder / "conn.csv"),
         "--format", "linkedin", "--json"], env=env, capture_output=True, text=True,
        timeout=600)
    assert env_import.returncode == 0, env_import.stderr
    assert count(db, "contacts") == N + count(db, "contacts WHERE source = 'csv'")

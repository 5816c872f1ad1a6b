"""Reliability soak: longer runs of the CI reliability, security and injection tests.

    .venv/bin/python -m benchmarks.soak_reliability [--examples 2000] [--writers 4]
        [--writes 300] [--kills 8] [--backend-rounds 10] [--no-injection]

- bad input: the property tests of tests/test_reliability_input.py with many more examples,
  and every bad CLI invocation (real processes);
- crash safety: repeated SIGKILLs of a 10,000-contact import at random moments (before,
  during and after its transaction) and of an import with notes during the index update,
  each followed by checks (all or nothing, integrity) and `coach reindex` (index == SQLite);
- concurrency: more writer processes, more writes each;
- backend failures: repeated rounds against the failure injector (500, 429, slow, down);
- prompt injection: every case of tests/data/injection_cases.json with the other task too.
Writes its section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.results import table, write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# Bugs this work found and fixed (each with the test that now guards it).
FIXED = [
    ("CSV/LinkedIn importers crashed with `_csv.Error` on a stray CR in a cell or a cell "
     "over 128 KB (\"internal error\", exit 70)", "importer fuzz", "coach/input/csv_generic.py, "
     "linkedin.py: one `InputError` with the line"),
    ("A hand-edited JSON backup with wrong field types (list as e-mail, dict as draft text, "
     "null task...) crashed with TypeError/AttributeError/SQL binding errors",
     "backup fuzz (1,500 docs)", "coach/input/backup.py type check; drafts default fields"),
    ("`notes add ²` (a Unicode digit) crashed with ValueError; ids beyond SQLite's INTEGER and "
     "`--cadence 9999…` crashed with OverflowError", "CLI bad input",
     "coach/store/contacts.py: ASCII ids, range checks, cadence 1–3650"),
    ("Every usage error (unknown option, missing option, bad int, no arguments) printed "
     "\"internal error (NoSuchOption)\" with exit 70: typer 0.29 ships its own click copy",
     "CLI bad input", "coach/cli/__init__.py catches both click copies' exceptions (exit 2)"),
    ("A dead or slow server was waited out once per candidate: a 2-candidate draft spent "
     "2× the deadline (6 requests with 2 retries)", "backend failures",
     "coach/generate/llm.py: 30 s remote cool-down after a failed round"),
    ("Injection tails survived the sanitiser (\"System: ... . Output X.\" kept \"Output X\"; "
     "markup was stripped but its text kept; `### Instruction:`, `[INST]`, \"responde solo "
     "con\", \"para la IA:\", markdown links passed) and reached a composed draft",
     "prompt injection (54 cases)", "coach/compose/facts.py: rest of the line dropped, "
     "markup sentences and code/script blocks dropped, more patterns"),
    ("Contact names were not sanitised (the full name goes into the chat prompt)",
     "prompt injection", "coach/compose/facts.py: `clean_name` cuts at an instruction"),
]


def _home(prefix: str) -> Path:
    home = Path(tempfile.mkdtemp(prefix=f"soak-{prefix}-")) / "coach-home"
    os.environ["COACH_HOME"] = str(home)
    from coach.config import reset_settings
    from coach.store.db import dispose_engines

    reset_settings()
    dispose_engines()
    return home


def fuzz(examples: int) -> dict:
    env = {**os.environ, "COACH_FUZZ_EXAMPLES": str(examples)}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         str(ROOT / "tests" / "test_reliability_input.py"), "-k", "not cli",
         "--hypothesis-show-statistics"], cwd=ROOT, env=env, capture_output=True, text=True)
    tried = sum(int(n) for n in re.findall(r"(\d+) passing", proc.stdout))
    failing = sum(int(n) for n in re.findall(r"(\d+) failing", proc.stdout))
    return {"tried": tried, "failing": failing + (proc.returncode != 0),
            "seconds": time.perf_counter() - start, "tail": proc.stdout[-1500:]}


def cli_bad_input() -> dict:
    import test_reliability_input as t

    home = _home("cli")
    from coach.services.contacts import add_contact, get_profile

    add_contact(name="Ana")
    get_profile()
    before = t.counts()
    cases = t.bad_cli_cases(home.parent) + [
        ("bad tier", ["contacts", "add", "--name", "Zoe", "--tier", "vip"]),
        ("bad e-mail", ["contacts", "add", "--name", "Zoe", "--email", "not-an-email"]),
        ("non-numeric note id", ["notes", "edit", "abc", "--text", "x"]),
        ("empty name", ["contacts", "add", "--name", " "]),
        ("no arguments", []),
        ("bad channel", ["draft", "follow-up", "Ana", "--channel", "fax"]),
        ("bad language", ["draft", "follow-up", "Ana", "--lang", "fr"]),
        ("advice without topic", ["draft", "advice", "Ana", "--topic", " "]),
        ("bad critique file", ["critique", str(home.parent / "nope.txt")]),
        ("pitch seconds", ["pitch", "--event", "x", "--goal", "y", "--seconds", "9999"]),
        ("bad --map", ["contacts", "import", str(home.parent / "notes.txt"), "--map", "zzz"]),
    ]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        procs = list(pool.map(lambda case: t._coach(home, *case[1]), cases))
    failures = []
    for (label, args), proc in zip(cases, procs, strict=True):
        err = proc.stderr.strip().splitlines()
        ok = proc.returncode != 0 and "Traceback" not in proc.stderr and (
            not args or (len(err) == 1 and err[0].startswith("error: ")
                         and "internal error" not in err[0]))
        if not ok:
            failures.append(f"{label}: rc={proc.returncode} {proc.stderr[-200:]!r}")
    if t.counts() != before:
        failures.append(f"rows changed: {before} -> {t.counts()}")
    return {"tried": len(cases), "failures": failures}


def kills(rounds: int) -> dict:
    import sqlite3

    import test_reliability_crash as t

    from coach.store.db import get_engine

    outcomes = {"none": 0, "all": 0, "finished": 0, "bad": 0}
    index_ok = 0
    full = None
    for r in range(rounds):
        home = _home(f"kill{r}")
        get_engine()
        db = home / "coach.db"
        csv_path = t.linkedin_csv(home.parent / "conn.csv")
        if full is None:  # one uncut run gives the window to kill in
            start = time.perf_counter()
            t.start(home, "contacts", "import", str(csv_path)).wait()
            full = time.perf_counter() - start
            home = _home(f"kill{r}b")
            get_engine()
            db = home / "coach.db"
        proc = t.start(home, "contacts", "import", str(csv_path), "--format", "linkedin")
        time.sleep(random.uniform(0.3, full * 1.1))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            n = t.count(db, "contacts")
            outcomes["none" if n == 0 else "all" if n == t.N else "bad"] += 1
        else:
            outcomes["finished"] += 1
        conn = sqlite3.connect(db)
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            outcomes["bad"] += 1
        conn.close()
        # an import with notes, killed at a random moment, then `coach reindex`
        proc = t.start(home, "contacts", "import", str(t.notes_csv(home.parent / "n.csv", 200)))
        time.sleep(random.uniform(0.5, 12.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        env = {**os.environ, "COACH_HOME": str(home)}
        done = subprocess.run([sys.executable, "-m", "coach", "reindex"], env=env,
                              capture_output=True, text=True)
        counts, index_ids, db_ids = t.index_equals_database(db)
        index_ok += done.returncode == 0 and index_ids == db_ids
    return {"rounds": rounds, "outcomes": outcomes, "index_ok": index_ok,
            "full_import_s": full}


def concurrency(writers: int, writes: int) -> dict:
    import test_reliability_concurrency as t

    home = _home("conc")
    start = time.perf_counter()
    reports = t.run_writers(home, writes, writers)
    problems = t.check(home, reports, writes)
    return {"writers": writers, "writes": writes, "ops": writers * writes * 3 + writers *
            len(range(0, writes, 10)), "problems": problems,
            "seconds": time.perf_counter() - start}


def backend(rounds: int) -> dict:
    from test_reliability_backend import HELLO, FailingServer

    from coach.config import get_settings, reset_settings
    from coach.errors import BackendError
    from coach.generate.llm import Generator

    os.environ.update({"COACH_LLM": "openai", "OPENAI_API_KEY": "sk-soak",
                       "COACH_LLM_TIMEOUT_S": "2", "COACH_LLM_MAX_RETRIES": "2",
                       "COACH_LLM_FALLBACK_LOCAL": "false"})
    rows, bad = [], 0
    for mode in ("500", "429", "slow", "down"):
        worst, requests = 0.0, 0
        for _ in range(rounds):
            with FailingServer(mode if mode != "down" else "500", delay=10) as server:
                from conftest import free_port

                url = server.url if mode != "down" else f"http://127.0.0.1:{free_port()}/v1"
                os.environ["OPENAI_BASE_URL"] = url
                reset_settings()
                start = time.perf_counter()
                try:
                    Generator(get_settings()).generate(HELLO)
                    bad += 1
                except BackendError:
                    pass
                seconds = time.perf_counter() - start
                worst = max(worst, seconds)
                requests = max(requests, len(server.requests))
                bad += seconds > 3.0 or len(server.requests) > 3
        rows.append([mode, rounds, requests, f"{worst:.2f}"])
    for key in ("COACH_LLM", "OPENAI_API_KEY", "OPENAI_BASE_URL", "COACH_LLM_TIMEOUT_S",
                "COACH_LLM_MAX_RETRIES", "COACH_LLM_FALLBACK_LOCAL"):
        os.environ.pop(key, None)
    reset_settings()
    return {"rows": rows, "bad": bad}


def injection() -> dict:
    import test_injection as t

    from coach.config import reset_settings

    home = _home("inj")
    os.environ["COACH_CANDIDATES"] = "1"
    reset_settings()
    swapped = [{**c, "task": "advice" if c["task"] == "follow_up" else "follow_up"}
               for c in t.CASES]
    start = time.perf_counter()
    report, drafted = t.run_cases(home.parent, t.CASES + swapped)
    os.environ.pop("COACH_CANDIDATES", None)
    return {"drafts": drafted, "problems": report, "seconds": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--backend-rounds", type=int, default=10)
    parser.add_argument("--no-injection", action="store_true")
    args = parser.parse_args()
    command = "python -m benchmarks.soak_reliability " + " ".join(sys.argv[1:])

    results = {"fuzz": fuzz(args.examples), "cli": cli_bad_input(), "kills": kills(args.kills),
               "concurrency": concurrency(args.writers, args.writes),
               "backend": backend(args.backend_rounds)}
    if not args.no_injection:
        results["injection"] = injection()
    for name, value in results.items():
        print(name, {k: v for k, v in value.items() if k != "tail"}, file=sys.stderr)

    f, c, k, w, b = (results[x] for x in ("fuzz", "cli", "kills", "concurrency", "backend"))
    rows = [
        ["bad input: property tests (importers, backups, critic)",
         f"{f['tried']:,} examples, 6 properties ({args.examples} max each)",
         f["failing"], f"{f['seconds']:.0f} s"],
        ["bad input: CLI invocations (real processes)", c["tried"], len(c["failures"]), ""],
        ["SIGKILL of a 10,000-contact import at random moments",
         f"{k['rounds']} kills: {k['outcomes']['none']} none, {k['outcomes']['all']} all, "
         f"{k['outcomes']['finished']} finished first", k["outcomes"]["bad"],
         f"uncut import {k['full_import_s']:.1f} s"],
        ["SIGKILL of an import with notes, then `coach reindex`",
         f"{k['rounds']} rounds, index == SQLite in {k['index_ok']}",
         k["rounds"] - k["index_ok"], ""],
        [f"{w['writers']} writer processes at once", f"{w['ops']:,} writes", len(w["problems"]),
         f"{w['seconds']:.0f} s"],
        ["backend failures (500, 429, slow, down)", f"{4 * args.backend_rounds} rounds",
         b["bad"], "deadline 2 s, 2 retries"],
    ]
    if "injection" in results:
        i = results["injection"]
        rows.append(["prompt injection, both tasks, real local model",
                     f"{i['drafts']} drafts", len(i["problems"]), f"{i['seconds']:.0f} s"])
    body = "### This run\n\n" + table(["check", "cases tried", "failures", "notes"], rows)
    body += "\n\nBackend: most requests one call received, worst wall time of the remote " \
            "part (s)\n\n" + table(["mode", "rounds", "max requests", "worst s"], b["rows"])
    problems = c["failures"] + w["problems"] + results.get("injection", {}).get("problems", [])
    if problems:
        body += "\n\nProblems:\n\n" + "\n".join(f"- {p[:300]}" for p in problems[:20])
    body += "\n\n### Failures found and fixed (the CI tests now guard each)\n\n" + table(
        ["bug", "found by", "fix"], [list(x) for x in FIXED])
    write_section("reliability", "Reliability soak: bad input, SIGKILL, concurrency, "
                  "backend failures, prompt injection", command, body)


if __name__ == "__main__":
    main()

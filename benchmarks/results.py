"""Write one benchmark's section of ``benchmarks/RESULTS.md`` without touching the others.

Each benchmark owns the text between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``;
sections are kept in name order so reruns give stable diffs.
"""

from __future__ import annotations

import fcntl
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Each section is written by the script named in it, on the machine it names.\n"
    "Rerun a script to refresh its section.\n"
)
SECTION = re.compile(r"<!-- bench:(?P<name>[\w-]+) -->\n(?P<body>.*?)<!-- /bench:(?P=name) -->\n",
                     re.S)


def machine() -> str:
    import os

    load = os.getloadavg()[0]
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load:.1f} at the end of the run")


def write_section(name: str, title: str, command: str, body: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        f"## {title}\n\n"
        f"Command: `{command}`  \nRun: {stamp} on {machine()}\n\n{body.strip()}\n\n"
    )
    RESULTS.touch(exist_ok=True)
    with RESULTS.open("r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        sections = {m["name"]: m["body"] for m in SECTION.finditer(handle.read())}
        sections[name] = text
        out = HEADER + "\n" + "".join(
            f"<!-- bench:{key} -->\n{sections[key]}<!-- /bench:{key} -->\n"
            for key in sorted(sections)
        )
        handle.seek(0)
        handle.write(out)
        handle.truncate()
    print(text, file=sys.stderr)


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)

"""Benchmark the yoísmo critic: ms per 100-word message, batch throughput, accuracy.

Baseline in the same run: a naive regex counter of I/you words (the Lavender-style
heuristic), timed on the same messages and scored on the same labelled set.
Run: .venv/bin/python -m benchmarks.bench_critic
"""

from __future__ import annotations

import gc
import json
import os
import re
import statistics
import time
from pathlib import Path

from benchmarks.results import table, write_section
from coach.services.critique import critique_batch
from coach.verify.critic import analyze

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
NAIVE_SELF = re.compile(r"\b(?:i|me|my|mine|yo|mi|mis|me)\b", re.I)
NAIVE_OTHER = re.compile(r"\b(?:you|your|yours|tú|tu|tus|te|usted)\b", re.I)


def naive(text: str) -> str:
    """'self' when first-person words outnumber second-person ones."""
    return "self" if len(NAIVE_SELF.findall(text)) > len(NAIVE_OTHER.findall(text)) else "other"


def hundred_word_messages(rows: list[dict]) -> list[str]:
    words = " ".join(r["text"] for r in rows).split()
    return [" ".join(words[i:i + 100]) for i in range(0, len(words) - 100, 37)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_each(fn, messages: list[str], rounds: int = 7) -> list[float]:
    """Per message, the median of ``rounds`` timings (robust to other load on the box)."""
    for m in messages[:50]:
        fn(m)
    per_message: list[list[float]] = [[] for _ in messages]
    gc.disable()
    try:
        for _ in range(rounds):
            for i, m in enumerate(messages):
                start = time.perf_counter()
                fn(m)
                per_message[i].append((time.perf_counter() - start) * 1000)
    finally:
        gc.enable()
    return [statistics.median(t) for t in per_message]


def main() -> None:
    rows = [json.loads(line) for line in (DATA / "critic_labelled.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    messages = hundred_word_messages(rows)
    critic_ms = time_each(analyze, messages)
    naive_ms = time_each(naive, messages)

    lines = [json.dumps({"text": r["text"]}, ensure_ascii=False) for r in rows] * 8
    start = time.perf_counter()
    count = sum(1 for _ in critique_batch(lines))
    batch_rate = count / (time.perf_counter() - start)
    start = time.perf_counter()
    for line in lines:
        naive(json.loads(line)["text"])
    naive_rate = len(lines) / (time.perf_counter() - start)

    def accuracy(pred) -> float:
        return sum(pred(r["text"]) == r["label"] for r in rows) / len(rows)

    critic_acc = accuracy(lambda t: "self" if analyze(t).verdict != "ok" else "other")
    naive_acc = accuracy(naive)
    pairs = [json.loads(line) for line in (DATA / "critic_pairs.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    ranked = sum(analyze(p["original"]).yoismo_score > analyze(p["rewrite"]).yoismo_score
                 for p in pairs)
    n_es = sum(r["lang"] == "es" for r in rows)

    p50, p95 = percentile(critic_ms, 0.5), percentile(critic_ms, 0.95)
    np50, np95 = percentile(naive_ms, 0.5), percentile(naive_ms, 0.95)
    body = table(
        ["measure", "critic", "naive I/you regex", "ratio critic/naive"],
        [
            ["ms per 100-word message, p50", f"{p50:.3f}", f"{np50:.4f}", f"{p50 / np50:.0f}x"],
            ["ms per 100-word message, p95", f"{p95:.3f}", f"{np95:.4f}", f"{p95 / np95:.0f}x"],
            ["mean ms", f"{statistics.mean(critic_ms):.3f}", f"{statistics.mean(naive_ms):.4f}",
             f"{statistics.mean(critic_ms) / statistics.mean(naive_ms):.0f}x"],
            ["batch messages/second (JSONL, incl. parsing)", f"{batch_rate:,.0f}",
             f"{naive_rate:,.0f}", f"{batch_rate / naive_rate:.2f}x"],
            [f"labelled accuracy ({len(rows)} msgs, {n_es} es)", f"{critic_acc:.1%}",
             f"{naive_acc:.1%}", f"{critic_acc / naive_acc:.2f}x"],
            [f"hand-made pairs ranked right ({len(pairs)})", f"{ranked}/{len(pairs)}", "n/a", ""],
        ],
    )
    verdict = "meets" if p95 <= 1.0 else "misses"
    body += (
        f"\n\n{len(messages)} distinct 100-word messages; each timed 7 times (GC off), its median "
        f"kept; p50/p95 over messages. Load average at run: {os.getloadavg()[0]:.1f}. "
        f"The critic {verdict} the 1 ms goal at p95. It costs more than a bare I/you count "
        "because it also reads Spanish pro-drop verbs, voseo/usted/vosotros, self-praise, "
        "premature asks, value offers and questions; the naive counter cannot see pro-drop "
        "Spanish (\"tengo 20 años...\" has no \"yo\"). The labelled set and the lexicon were "
        "written by the same author, so the accuracy is optimistic for unseen writing styles."
    )
    write_section("critic", "Yoísmo critic", "python -m benchmarks.bench_critic", body)


if __name__ == "__main__":
    main()

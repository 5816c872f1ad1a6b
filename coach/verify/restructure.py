"""Rule-based rewrite of a self-centred message (pure, deterministic).

It leads with the other person (greeting, then a question about them), removes
sentences that praise the writer, turns a job/money/sales ask into a small advice
question, adds a value offer when there is none, and keeps the rest in order. Several
variants are scored with the critic; the lowest wins, and the original is returned
unchanged when no variant scores lower (a rewrite is never worse than its input).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from coach.verify.critic import Critique, analyze, split_sentences

_TEMPLATES: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).resolve().parent / "data" / "restructure.json").read_text(encoding="utf-8")
)
GREETING = re.compile(
    r"^\s*(?i:hola|buenas(?:\s+tardes|\s+noches)?|buenos\s+d[ií]as|hi|hello|hey|dear|"
    r"estimad[oa]|querid[oa]|che|oye)\b"
    r"(?:\s+(?i:sr|sra|srta|dr|dra|mr|mrs|ms)\.?)?(?:\s+[A-ZÁÉÍÓÚÑ][\w-]+)?\s*[,!:]?"
)
DROP_CODES = {"self_praise", "titles_over_contributions"}
ASK_CODES = {"job_ask", "money_ask", "hard_sell"}
FOCUS_CODES = {"self_focus", "opens_with_self"}


@dataclass(frozen=True)
class Restructured:
    text: str
    changed: bool
    score_before: int
    score_after: int


def _sentence_codes(critique: Critique, start: int, end: int) -> set[str]:
    return {f.code for f in critique.findings if f.start < end and f.end > start
            and f.code in DROP_CODES | ASK_CODES | FOCUS_CODES}


def _finish(sentence: str) -> str:
    sentence = sentence.strip(" ,;:-")
    if not any(ch.isalnum() for ch in sentence):
        return ""
    if sentence[-1] not in ".!?…":
        sentence += "."
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


def _lower_first(sentence: str) -> str:
    """'¿En qué...' -> '¿en qué...' (the sentence follows a greeting and a comma)."""
    for i, ch in enumerate(sentence):
        if ch.isalpha():
            return sentence[:i] + ch.lower() + sentence[i + 1:]
    return sentence


def restructure(text: str, lang: str | None = None) -> Restructured:
    """The best rule-based rewrite of ``text``, or ``text`` itself if nothing scores lower."""
    before = analyze(text, lang)
    tpl = _TEMPLATES[before.lang]
    greeting = ""
    body_start = 0
    m = GREETING.match(text)
    if m and m.end() > m.start():
        greeting = m.group().strip().rstrip(",!:")
        body_start = m.end()

    kept: list[str] = []
    focused: list[str] = []
    had_ask = False
    for start, end in split_sentences(text):
        start = max(start, body_start)
        if start >= end:
            continue
        codes = _sentence_codes(before, start, end)
        if codes & ASK_CODES:
            had_ask = True
            continue
        if codes & DROP_CODES:
            continue
        sentence = _finish(text[start:end])
        if not sentence:
            continue
        kept.append(sentence)
        if codes & FOCUS_CODES:
            focused.append(sentence)

    tail = [] if before.metrics.get("value_offer") else [tpl["offer"]]
    if had_ask:
        tail.append(tpl["ask"])
    lead = [f"{greeting}, {_lower_first(tpl['question'])}" if greeting else tpl["question"]]
    variants = [
        lead + kept + tail,
        lead + [s for s in kept if s not in focused] + tail,
        lead + tail,
    ]
    # Keep as much of the original as possible: the first variant judged "ok" wins,
    # otherwise the lowest score; never anything that scores worse than the input.
    best_text, best_score = text, before.yoismo_score
    for parts in variants:
        candidate = " ".join(p for p in parts if p).strip()
        if not candidate or candidate == text:
            continue
        result = analyze(candidate, before.lang)
        if result.yoismo_score < best_score:
            best_text, best_score = candidate, result.yoismo_score
            if result.verdict == "ok":
                break
    return Restructured(best_text, best_text != text, before.yoismo_score, best_score)

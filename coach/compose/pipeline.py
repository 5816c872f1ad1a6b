"""One drafting pipeline for every task: prompt → candidates → verify → best or composed.

The facts (already retrieved and cleaned by the service) go into a prompt from
``prompts/``. With the embedded base model the model writes only the short personal part
(the opening line of a message, the "what I do" line of a pitch) from a few-shot
completion prompt whose examples form a fixed prefix, so llama.cpp reuses its KV cache;
the composer adds the value offer and the one small ask. An instruction model (the
OpenAI-compatible backend) writes the whole message from chat prompts. Every candidate is
verified the same way (critic + named checks); the best passing one wins, otherwise the
deterministic composer draft, built from the same facts, is returned.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

from coach.compose import composer
from coach.compose.facts import Facts
from coach.errors import BackendError
from coach.generate.llm import Prompt
from coach.prompting.templates import render
from coach.verify import checks

log = logging.getLogger(__name__)

BASE_SEED = 1234
MAX_NOTE_CHARS = 320


@dataclass
class Candidate:
    text: str
    subject: str = ""
    raw: str = ""
    seconds: float = 0.0
    backend: str = ""
    result: checks.CheckResult = field(default_factory=checks.CheckResult)
    critique: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return bool(self.text) and self.result.passed

    def summary(self) -> dict[str, Any]:
        return {"text": self.text, "passed": self.passed, "reasons": self.result.reasons,
                "seconds": round(self.seconds, 3), "backend": self.backend}


def _kind(facts: Facts) -> str:
    return "pitch" if facts.task == "pitch" else "draft"


def notes_block(facts: Facts, limit: int = MAX_NOTE_CHARS) -> str:
    text = " ".join(n["text"] for n in facts.notes[:3])
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0]
    return text or "-"


def guidance_block(facts: Facts, limit: int = 3) -> str:
    parts = [str(g.get("summary") or g.get("title") or "") for g in facts.guidance[:limit]]
    return " / ".join(p for p in parts if p) or "-"


def build_prompt(facts: Facts, is_chat: bool) -> Prompt:
    """The completion prompt (fixed few-shot prefix, variable facts last) and the chat one."""
    lang, kind = facts.lang, _kind(facts)
    p = facts.profile
    values = {
        "first": facts.first_name, "contact_name": facts.contact.get("name", ""),
        "company": facts.contact.get("company") or "-", "where": facts.where_met or "-",
        "notes": notes_block(facts), "channel": facts.channel, "topic": facts.topic or "-",
        "me": p.get("name") or "-", "my_role": p.get("role") or "-",
        "my_company": p.get("company") or "-", "my_offer": p.get("offer") or "-",
        "passion": p.get("passion") or "-", "role": p.get("role") or "-",
        "offer": p.get("offer") or "-", "event": facts.event or "-", "goal": facts.goal or "-",
        "seconds": facts.seconds, "words": int(facts.seconds * checks.WORDS_PER_SECOND),
        "guidance": guidance_block(facts),
    }
    if kind == "pitch":
        completion = render(f"pitch/middle.{lang}.txt", **values)
        messages = [("system", render(f"pitch/system.{lang}.txt")),
                    ("user", render(f"pitch/user.{lang}.txt", **values))]
    else:
        completion = render(f"draft/{facts.task}.{lang}.txt", **values)
        messages = [("system", render(f"draft/system.{lang}.txt")),
                    ("user", render(f"draft/{facts.task}_user.{lang}.txt", **values))]
    # Both shapes travel together; stop and length suit the shape the backend will use.
    # The completion ends right where the model must write (no trailing newline).
    completion = completion.rstrip()
    if is_chat:
        return Prompt(completion=completion, messages=messages, stop=[], max_tokens=200)
    return Prompt(completion=completion, messages=messages, stop=["\n"],
                  max_tokens=40 if kind == "pitch" else 48)


def first_sentence_line(raw: str) -> str:
    """The first generated sentence; empty if the line never ends a sentence."""
    line = raw.strip().splitlines()[0].strip() if raw.strip() else ""
    ends = [m.end() for m in re.finditer(r"[.!](?=\s|$)", line)]
    return line[:ends[0]].strip() if ends else ""


def parse_chat(raw: str, facts: Facts) -> tuple[str, str]:
    """(text, subject) from an instruction model's whole message."""
    text = raw.strip().strip("`").strip()
    subject = ""
    match = re.match(r"^\s*\**\s*(asunto|subject)\s*:\s*(.+?)\**\s*$", text.splitlines()[0]
                     if text else "", re.I)
    if match:
        subject = match.group(2).strip()
        text = "\n".join(text.splitlines()[1:]).strip()
    return text, subject


def assemble(facts: Facts, ph: dict[str, Any], raw: str, is_chat: bool
             ) -> tuple[str, str, str | None]:
    """Turn model output into a full candidate: (text, subject, the model-written part)."""
    if is_chat:
        text, subject = parse_chat(raw, facts)
        if facts.task == "pitch":
            return text, "", None
        return text, subject or composer.subject(facts, ph), None
    line = first_sentence_line(raw)
    if not line:
        return "", "", None
    if facts.task == "pitch":
        return composer.compose_pitch(facts, ph, middle=line).text, "", line
    greeting = composer.fill(ph["greeting"], first=facts.first_name)
    done = composer.finish(facts, ph, f"{greeting} {line}")
    return done.text, done.subject, line


def critique_of(text: str, lang: str) -> dict[str, Any]:
    from coach.verify.critic import analyze

    return analyze(text, lang).to_dict()


def verify(facts: Facts, text: str, subject: str = "", model_part: str | None = None
           ) -> tuple[checks.CheckResult, dict[str, Any]]:
    critique = critique_of(text, facts.lang) if text else {}
    if facts.task == "pitch":
        return checks.check_pitch(text, facts, critique=critique,
                                  model_part=model_part), critique
    return checks.check_message(text, facts, subject=subject, critique=critique,
                                model_part=model_part), critique


def has_material(facts: Facts) -> bool:
    """Whether the model has anything personal to write from (else the composer alone)."""
    return facts.task == "pitch" or bool(facts.notes)


def _best(candidates: list[Candidate]) -> Candidate | None:
    passing = [c for c in candidates if c.passed]
    if not passing:
        return None
    return min(passing, key=lambda c: (c.critique.get("yoismo_score", 0), -len(c.text)))


def run(facts: Facts, generator: Any = None, n_candidates: int = 2,
        seed: int = BASE_SEED, temperature: float = 0.7) -> dict[str, Any]:
    """Generate ``n_candidates``, verify each, return the best passing or the composed draft."""
    start = time.perf_counter()
    kind = _kind(facts)
    ph = composer.load_phrases(kind, facts.lang)
    tried: list[Candidate] = []
    notice = None
    if generator is not None and n_candidates > 0 and has_material(facts):
        is_chat = bool(generator.is_chat)
        try:
            prompt = build_prompt(facts, is_chat)
            for i in range(n_candidates):
                gen = generator.generate(prompt, temperature=temperature, seed=seed + i)
                notice = notice or gen.notice
                text, subject, part = assemble(facts, ph, gen.text,
                                               is_chat and gen.backend != "local")
                cand = Candidate(text=text, subject=subject, raw=gen.text,
                                 seconds=gen.seconds, backend=gen.backend)
                cand.result, cand.critique = verify(facts, text, subject, part)
                tried.append(cand)
        except BackendError as exc:
            notice = f"{exc} Se usó el borrador compuesto. / Used the composed draft."
            log.warning(notice)
    best = _best(tried)
    composed = composer.compose_pitch(facts, ph) if kind == "pitch" else \
        composer.compose_message(facts, ph)
    if best is None:
        result, critique = verify(facts, composed.text, composed.subject)
        best = Candidate(text=composed.text, subject=composed.subject, backend="composer",
                         result=result, critique=critique)
    out: dict[str, Any] = {
        "text": best.text,
        "critique": best.critique,
        "checks": dict(best.result.checks),
        "reasons": dict(best.result.reasons),
        "backend": best.backend,
        "llm_backend": tried[0].backend if tried else (generator.name if generator else None),
        "fallback_used": best.backend == "composer",
        "llm_won": best.backend != "composer",
        "candidates_tried": len(tried),
        "candidates": [c.summary() for c in tried],
        "elapsed_s": round(time.perf_counter() - start, 3),
        "notice": notice,
    }
    if kind == "pitch":
        out.update(variants=_checked_variants(facts, composed.variants, best.text),
                   questions=composed.questions, aim=composed.aim)
    elif facts.channel == "email":
        out["subject"] = best.subject
    return out


def _checked_variants(facts: Facts, variants: list[str], main: str) -> list[str]:
    """Only variants that pass the same checks as the pitch."""
    return [v for v in variants if v != main and verify(facts, v)[0].passed]

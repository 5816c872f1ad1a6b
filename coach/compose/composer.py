"""The deterministic composer: a complete, checked draft built only from the facts.

Pure code. The phrases come from ``prompts/draft/compose.<lang>.json`` and
``prompts/pitch/compose.<lang>.json`` (loaded by ``load_phrases``); every slot is filled
from ``Facts``, so the composer can never invent a name, a company or a number. The
pipeline also uses it to finish a model-written opening: the model writes the personal
line, the composer adds the value offer and the one small ask.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from string import Template
from typing import Any

from coach.compose.facts import Facts, fold

CHANNEL_LIMITS = {"linkedin": 300, "whatsapp": 400, "email": 1500}
WORDS_PER_SECOND = 2.5


@dataclass
class Composed:
    text: str
    subject: str = ""
    variants: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    aim: str = ""


@lru_cache(maxsize=16)
def _load(kind: str, lang: str) -> str:
    from coach.prompting.templates import load

    return load(f"{kind}/compose.{lang}.json")


def load_phrases(kind: str, lang: str) -> dict[str, Any]:
    """The composer phrases for ``kind`` ("draft" or "pitch") in ``lang``."""
    return json.loads(_load(kind, lang))


def fill(template: str, **values: str) -> str:
    text = Template(template).safe_substitute(values)
    return re.sub(r"\b([Aa]|[Dd]e) el\b", lambda m: m.group(1) + "l", text)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _trim_words(text: str, n: int, trailing: list[str] | None = None) -> str:
    tokens = text.split()[:n]
    while trailing and len(tokens) > 1 and fold(tokens[-1]) in trailing:
        tokens.pop()
    return " ".join(tokens).rstrip(" ,;:")


def _my_field(facts: Facts, ph: dict[str, Any]) -> str:
    offer = facts.profile.get("offer", "").strip().rstrip(".")
    first = fold(offer.split()[0]) if offer else ""
    if offer and first not in {fold(v) for v in ph["verb_starts"]} and len(offer.split()) <= 8:
        return offer[:1].lower() + offer[1:] if not offer[:2].isupper() else offer
    return ph["my_field_default"]


def _join(parts: list[str], channel: str) -> str:
    body = " ".join(p.strip() for p in parts[:-1] if p.strip())
    last = parts[-1].strip() if parts else ""
    if channel == "email" and last:
        return f"{body}\n\n{last}"
    return f"{body} {last}".strip() if last else body


def message_tail(facts: Facts, ph: dict[str, Any], detail_words: int = 12,
                 short: bool = False) -> list[str]:
    """The parts after the personal opening: value offer, the ask, the sign-off."""
    detail = _trim_words(facts.detail, detail_words)
    me = facts.profile.get("name", "").strip()
    if facts.task == "advice":
        topic = _trim_words(facts.topic, detail_words) or detail
        value = fill(ph["advice_value_short" if short else "advice_value"],
                     my_field=_my_field(facts, ph))
        ask = fill(ph["advice_ask_short" if short else "advice_ask"], topic=topic)
    else:
        value_topic = _trim_words(facts.pain, detail_words, ph["trailing_words"])
        value = (fill(ph["value_short" if short else "value"], value_topic=value_topic)
                 if value_topic else ph["value_plain_short" if short else "value_plain"])
        ask = ph["ask_short" if short else "ask"]
    signoff = "" if facts.channel != "email" else (
        fill(ph["signoff"], me=me) if me else ph["signoff_plain"])
    return [value, ask, signoff]


def openings(facts: Facts, ph: dict[str, Any]) -> list[str]:
    """Opening lines from the richest to the plainest (the detail shortened step by step)."""
    prefix = "advice_context" if facts.task == "advice" else "thanks"
    greeting = fill(ph["greeting"], first=facts.first_name)
    where = facts.where_met
    lines: list[str] = []
    for key, needs_where in ((f"{prefix}_where_detail", True), (f"{prefix}_detail", False)):
        if not facts.detail or (needs_where and not where):
            continue
        for words in (12, 8, 5):
            detail = _trim_words(facts.detail, words, ph["trailing_words"])
            lines.append(fill(ph[key], where=where, detail=detail))
    if where:
        lines.append(fill(ph[f"{prefix}_where"], where=where))
    lines.append(ph[f"{prefix}_plain"])
    return [f"{greeting} {line}" for line in dict.fromkeys(lines)]


def subject(facts: Facts, ph: dict[str, Any]) -> str:
    if facts.channel != "email":
        return ""
    if facts.task == "advice":
        topic = _trim_words(facts.topic or facts.detail, 8, ph["trailing_words"])
        return fill(ph["advice_subject"], subject_topic=topic)
    topic = _trim_words(facts.detail, 8, ph["trailing_words"])
    return fill(ph["subject"], subject_topic=topic) if topic else ph["subject_plain"]


def finish(facts: Facts, ph: dict[str, Any], first_line: str) -> Composed:
    """A model-written opening plus the composer's value offer, ask and sign-off."""
    limit = CHANNEL_LIMITS.get(facts.channel, 1500)
    for short in (facts.channel == "linkedin", True):
        for words in (12, 8, 5, 3):
            text = _join([first_line.strip(), *message_tail(facts, ph, words, short)],
                         facts.channel)
            if len(text) <= limit:
                return Composed(text=text, subject=subject(facts, ph))
    return Composed(text=text, subject=subject(facts, ph))


def compose_message(facts: Facts, ph: dict[str, Any]) -> Composed:
    """The complete composed follow-up or advice request, shortened to fit the channel."""
    limit = CHANNEL_LIMITS.get(facts.channel, 1500)
    text = ""
    for short in (facts.channel == "linkedin", True):
        for first in openings(facts, ph):
            for words in (12, 8, 5):
                text = _join([first, *message_tail(facts, ph, words, short)], facts.channel)
                if len(text) <= limit:
                    return Composed(text=text, subject=subject(facts, ph))
    return Composed(text=text, subject=subject(facts, ph))


# --- pitch -----------------------------------------------------------------------------


def _what(facts: Facts, ph: dict[str, Any]) -> str:
    offer = facts.profile.get("offer", "").strip().rstrip(".")
    if not offer:
        return ""
    first = fold(offer.split()[0])
    if first in {fold(v) for v in ph["verb_starts"]}:
        return fill(ph["what_verb"], offer=_cap(offer))
    return fill(ph["what_noun"], offer=offer[:1].lower() + offer[1:]
                if not offer[:2].isupper() else offer)


def pitch_intro(facts: Facts, ph: dict[str, Any], plain: bool = False) -> str:
    p = facts.profile
    name, role, company = p.get("name", ""), p.get("role", ""), p.get("company", "")
    key = "intro_plain" if plain else "intro"
    if company and fold(company) not in fold(role):
        return fill(ph[f"{key}_company"], name=name, role=role, company=company)
    return fill(ph[key], name=name, role=role)


def goal_phrase(facts: Facts, ph: dict[str, Any]) -> str:
    return ph["goal_phrases"].get(fold(facts.goal), facts.goal)


def pitch_parts(facts: Facts, ph: dict[str, Any], middle: str | None = None) -> list[str]:
    """Intro, what you do (or the model's line), what you care about, the aim, the question."""
    p = facts.profile
    what = middle if middle is not None else _what(facts, ph)
    care = fill(ph["care"], passion=p["passion"].rstrip(".")) if p.get("passion") else ""
    goal = fill(ph["goal"], event=facts.event, goal=goal_phrase(facts, ph)) \
        if facts.event and facts.goal else ""
    return [pitch_intro(facts, ph), what, care, goal, ph["close"]]


def fit_words(parts: list[str], budget: int) -> str:
    """Join parts, dropping optional middle parts (care, then goal) until the budget fits."""
    chosen = [p for p in parts if p]
    order = [2, 3, 1]  # care, goal, what: dropped in this order when too long
    text = " ".join(chosen)
    for index in order:
        if len(text.split()) <= budget:
            break
        if index < len(parts) and parts[index] in chosen:
            chosen.remove(parts[index])
            text = " ".join(chosen)
    return text


def compose_pitch(facts: Facts, ph: dict[str, Any], middle: str | None = None) -> Composed:
    budget = int(facts.seconds * WORDS_PER_SECOND)
    parts = pitch_parts(facts, ph, middle)
    text = fit_words(parts, budget)
    intro, what, care, goal, close = pitch_parts(facts, ph)
    alt_close = fill(ph["close_alt"], event=facts.event) if facts.event else close
    variants = [
        fit_words([intro, what, "", "", alt_close], budget),
        fit_words([_cap(care), pitch_intro(facts, ph, plain=True), "", goal, close], budget)
        if care else
        fit_words([intro, goal, "", "", alt_close], budget),
    ]
    variants = [v for v in dict.fromkeys(variants) if v and v != text]
    return Composed(text=text, variants=variants, questions=pitch_questions(facts, ph),
                    aim=fill(ph["aim"], event=facts.event or ph["event_default"]))


def pitch_questions(facts: Facts, ph: dict[str, Any]) -> list[str]:
    event = facts.event
    base = [fill(q, event=event) for q in ph["questions"]] if event else list(ph["questions"][1:])
    goal_key = fold(facts.profile.get("goal") or "clients")
    for key in ph["goal_questions"]:
        if key in fold(facts.goal):
            goal_key = key
    extra = ph["goal_questions"].get(goal_key, ph["goal_questions"]["clients"])
    questions = [*base, extra]
    others = [q for k, q in ph["goal_questions"].items() if q not in questions]
    while len(questions) < 3 and others:
        questions.append(others.pop(0))
    return questions[:3]

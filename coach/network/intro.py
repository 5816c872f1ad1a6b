"""Double opt-in introductions: the composed messages and their checks.

Pure code (no store, no model). Three messages, all built only from the two contacts,
the need and offer items (with the notes they came from) and the user's profile:

- ``opt_in_a``: to the person with the need: why the other person, what they could
  bring, one question ("would you like me to introduce you?"), no pressure;
- ``opt_in_b``: the same question to the other side (the second opt-in);
- ``introduction``: once both agreed, the message to both.

Phrases live in ``prompts/intro/compose.<lang>.json`` and are passed in as ``ph``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import Template
from typing import Any

from coach.compose.facts import Facts, build_facts, first_name, fold, to_second_person
from coach.retrieve.text import detect_language
from coach.verify import checks

LIMIT = checks.CHANNEL_LIMITS["email"]
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(r"\+?\d[\d\s-]{7,}\d")


@dataclass
class Side:
    """One need or offer as used in a message."""

    text: str
    clause: str
    cue: str
    lang: str
    source: str = "note"
    note_id: int | None = None
    note_text: str = ""

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Side:
        lang = detect_language(item.get("clause") or item.get("text") or "", default="es")
        return cls(item["text"], item.get("clause") or item["text"], item.get("cue") or "",
                   lang, item.get("source", "note"), item.get("note_id"),
                   item.get("note_text", ""))


@dataclass
class IntroFacts:
    lang: str
    a: dict[str, Any]
    b: dict[str, Any]
    need: Side
    offer: Side
    profile: dict[str, Any] = field(default_factory=dict)
    mutual: tuple[Side, Side] | None = None
    facts: Facts | None = None  # the grounding corpus for the shared checks

    @property
    def a_first(self) -> str:
        return first_name(self.a.get("name", ""))

    @property
    def b_first(self) -> str:
        return first_name(self.b.get("name", ""))


def make_facts(lang: str, a: dict[str, Any], b: dict[str, Any], need: dict[str, Any],
               offer: dict[str, Any], profile: dict[str, Any] | None = None,
               mutual: tuple[dict[str, Any], dict[str, Any]] | None = None) -> IntroFacts:
    sides = [need, offer, *(mutual or ())]
    notes = [{"id": s.get("note_id"), "text": s.get("note_text") or s.get("clause") or ""}
             for s in sides]
    facts = build_facts("intro", lang, contact=a, notes=notes, profile=profile or {})
    facts.targets = [{"name": b.get("name", ""), "company": b.get("company", "")}]
    pair = (Side.from_item(mutual[0]), Side.from_item(mutual[1])) if mutual else None
    return IntroFacts(lang, a, b, Side.from_item(need), Side.from_item(offer),
                      facts.profile, pair, facts)


def fill(template: str, **values: str) -> str:
    return Template(template).safe_substitute(values)


def _company(ph: dict[str, Any], contact: dict[str, Any], key: str = "company") -> str:
    company = str(contact.get("company") or "").strip()
    return fill(ph[key], company=company) if company else ""


def phrase_words(ph: dict[str, Any]) -> str:
    """The composer's own fixed words (allowed in any draft: they are not facts)."""
    parts: list[str] = []
    for value in ph.values():
        if isinstance(value, str):
            parts.append(re.sub(r"\$\w+", " ", value))
        elif isinstance(value, dict):
            parts += [f"{k} {v}" for k, v in value.items()]
    return " ".join(parts)


def as_you(side: Side, ph: dict[str, Any], lang: str, kind: str) -> str:
    """The clause said to the person themselves ("busca X" -> "buscas X")."""
    cue = fold(side.cue)
    you = {fold(k): v for k, v in ph["you"].items()}
    if side.cue and side.clause.lower().startswith(side.cue.lower()) and cue in you:
        rest = side.clause[len(side.cue):].strip()
        return to_second_person(f"{you[cue]} {rest}", lang)
    default = ph[kind + "_field_cue"]
    return to_second_person(f"{you.get(fold(default), default)} {side.text}", lang)


def as_third(side: Side, ph: dict[str, Any], kind: str) -> str:
    """The clause about the person ("busca X"), with a default cue for field items."""
    if side.cue:
        return side.clause[:1].lower() + side.clause[1:]
    return f"{ph[kind + '_field_cue']} {side.text}"


def _same(side: Side, lang: str) -> bool:
    return side.lang == lang


def _mode(side: Side, lang: str) -> str:
    return "same" if _same(side, lang) else "other"


def _text_in(side: Side, lang: str) -> str:
    return to_second_person(side.text, lang)


def _join(parts: list[str], signoff: str) -> str:
    body = " ".join(p.strip() for p in parts if p.strip())
    return f"{body}\n\n{signoff}" if signoff else body


def _signoff(f: IntroFacts, ph: dict[str, Any]) -> str:
    me = str(f.profile.get("name") or "").strip()
    return fill(ph["signoff"], me=me) if me else ph["signoff_plain"]


def opening_a(f: IntroFacts, ph: dict[str, Any]) -> str:
    """Greeting and why this introduction: the personal line the model may write instead."""
    mode = _mode(f.need, f.lang)
    need = as_you(f.need, ph, f.lang, "need") if mode == "same" else _text_in(f.need, f.lang)
    return f"{fill(ph['greeting'], first=f.a_first)} {fill(ph['why_a_' + mode], need=need)}"


def opt_in_a_tail(f: IntroFacts, ph: dict[str, Any]) -> list[str]:
    mode = _mode(f.offer, f.lang)
    offer = as_third(f.offer, ph, "offer") if mode == "same" else f.offer.text
    return [fill(ph["who_b_" + mode], b_name=f.b.get("name", ""),
                 b_company=_company(ph, f.b), offer=offer),
            fill(ph["bring_b"], b_first=f.b_first), ph["ask_a"], ph["no_pressure"]]


def compose_opt_in_a(f: IntroFacts, ph: dict[str, Any], opening: str | None = None
                     ) -> tuple[str, str]:
    text = _join([opening or opening_a(f, ph), *opt_in_a_tail(f, ph)], _signoff(f, ph))
    return text, fill(ph["subject_opt_in"], b_name=f.b.get("name", ""))


def compose_opt_in_b(f: IntroFacts, ph: dict[str, Any]) -> tuple[str, str]:
    need_mode, offer_mode = _mode(f.need, f.lang), _mode(f.offer, f.lang)
    need = as_third(f.need, ph, "need") if need_mode == "same" else f.need.text
    offer = (as_you(f.offer, ph, f.lang, "offer") if offer_mode == "same"
             else _text_in(f.offer, f.lang))
    parts = [f"{fill(ph['greeting'], first=f.b_first)} "
             + fill(ph["why_b_" + need_mode], a_name=f.a.get("name", ""),
                    a_company=_company(ph, f.a), need=need),
             fill(ph["fit_b_" + offer_mode], offer=offer), ph["ask_b"], ph["no_pressure"]]
    return _join(parts, _signoff(f, ph)), fill(ph["subject_opt_in_b"],
                                                a_name=f.a.get("name", ""))


def compose_introduction(f: IntroFacts, ph: dict[str, Any]) -> tuple[str, str]:
    need_mode, offer_mode = _mode(f.need, f.lang), _mode(f.offer, f.lang)
    need = as_third(f.need, ph, "need") if need_mode == "same" else f.need.text
    offer = as_third(f.offer, ph, "offer") if offer_mode == "same" else f.offer.text
    parts = [fill(ph["greeting_both"], first_a=f.a_first, first_b=f.b_first) + " "
             + ph["intro_open"],
             fill(ph["intro_a_" + need_mode], a_first=f.a_first,
                  a_company_mid=_company(ph, f.a, "company_mid"), need=need),
             fill(ph["intro_b_" + offer_mode], b_first=f.b_first, offer=offer)]
    if f.mutual:
        m_need, m_offer = f.mutual
        mode = "same" if _same(m_need, f.lang) and _same(m_offer, f.lang) else "other"
        parts.append(fill(ph["intro_mutual_" + mode], a_first=f.a_first, b_first=f.b_first,
                          need=as_third(m_need, ph, "need") if mode == "same" else m_need.text,
                          offer=as_third(m_offer, ph, "offer") if mode == "same"
                          else m_offer.text))
    parts += [ph["intro_value"], ph["intro_ask"]]
    text = _join(parts, _signoff(f, ph))
    return text, fill(ph["subject_intro"], a_first=f.a_first, b_first=f.b_first)


# ----- checks ------------------------------------------------------------------------------

def _stems(text: str) -> set[str]:
    return checks.content_stems(text, "es")


def _covers(side: Side, text: str, names: set[str]) -> bool:
    wanted = _stems(side.text) - names
    return not wanted or len(wanted & _stems(text)) >= min(2, len(wanted))


def check_intro(text: str, f: IntroFacts, ph: dict[str, Any], *, message: str,
                subject: str = "", critique: dict[str, Any] | None = None
                ) -> checks.CheckResult:
    """Named checks for an intro message: ``message`` is "opt_in_a", "opt_in_b" or
    "introduction"."""
    result = checks.CheckResult()
    opening = fold(" ".join(re.split(r"(?<=[.!?:])\s+|\n+", text)[:1]))[:160]
    greeting = fold(re.split(r"[,:;.!?\n]", text, maxsplit=1)[0])
    to = {"opt_in_a": [f.a_first], "opt_in_b": [f.b_first],
          "introduction": [f.a_first, f.b_first]}[message]
    missing = [n for n in to if not n or not re.search(rf"\b{re.escape(fold(n))}\b", opening)]
    result.add("addresses_by_name", not missing, f"does not greet {', '.join(missing)} by name")
    other = {"opt_in_a": f.b.get("name", ""), "opt_in_b": f.a.get("name", ""),
             "introduction": ""}[message]
    folded = fold(text)
    result.add("names_other_person", not other or fold(other) in folded,
               f"does not name {other} in full")
    wrong = fold(f.a_first) if message == "opt_in_b" else fold(f.b_first)
    result.add("right_person_greeted", not (message != "introduction" and wrong and
                                            re.search(rf"\b{re.escape(wrong)}\b", greeting)),
               "greets the wrong person")
    names = {checks.stem(w) for w in checks.words(f.a.get("name", "") + " "
                                                  + f.b.get("name", ""))}
    names |= _stems(phrase_words(ph))  # the composer's own words prove nothing
    # The need must be named outside the sentence that describes the offer.
    without_offer = fold(text).replace(fold(f.offer.clause), " ").replace(fold(f.offer.text), " ")
    ok = _covers(f.need, without_offer, names) and _covers(f.offer, text, names)
    result.add("names_reason", ok, "does not name the concrete need and offer from the notes")
    if message == "opt_in_a" and f.need.cue:
        third = fold(f.need.clause)
        result.add("speaks_to_the_person", third not in fold(text),
                   "talks about their need in the third person (as if it were someone else's)")
    questions = text.count("?")
    result.add("one_question", questions == 1, f"{questions} questions (ask one)")
    if message != "introduction":
        result.add("no_pressure", re.search(ph["no_pressure_pattern"], folded) is not None,
                   "say there is no pressure to accept")
        leaked = _EMAIL.search(text) or _PHONE.search(text)
        result.add("no_contact_details_before_consent", leaked is None,
                   "shares contact details before both sides agreed")
    verdict = (critique or {}).get("verdict")
    result.add("no_hard_sell", verdict != "rewrite", "critic: rewrite (self-centred or selling)")
    detected = checks.detect_language(text + " " + subject)
    result.add("language", detected == f.lang,
               f"written in {detected or 'an unclear language'}, not {f.lang}")
    facts = f.facts
    invented = (checks.invented_tokens(text + "\n" + subject, facts, phrase_words(ph))
                if facts else [])
    result.add("no_invented_facts", not invented,
               "names or numbers in no input: " + ", ".join(dict.fromkeys(invented)))
    payloads = checks.injected_payloads(text + "\n" + subject, facts) if facts else []
    result.add("no_injected_instructions", not payloads,
               "repeats instructions hidden in notes: " + "; ".join(payloads[:3]))
    result.add("channel_length", len(text) <= LIMIT and bool(subject.strip())
               and len(subject) <= checks.SUBJECT_LIMIT,
               f"{len(text)} characters (limit {LIMIT}) and a short subject")
    return result

"""The weekly network review, as pure functions over plain facts (no database, no framework).

Given one ``ContactFacts`` per contact (dates and given/received counts), it answers: who
is due a follow-up (by their keep-in-touch cadence), who has gone quiet (no interaction in
180 days), how contacts split by tier, the relationship bank (what you have given versus
received, with a warning before asking a favour of someone you have never helped), and a
weekly plan of 2-3 people that fits a 30-60 minute budget, each with the next action and
the knowledge card behind it.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from coach.input.records import DEFAULT_CADENCE, TIERS

TIER_RANK = {"prospect": 0, "ally": 1, "radar": 2}
DORMANT_DAYS = 180
RECENT_MEETING_DAYS = 30
PLAN_MIN_MINUTES = 30
PLAN_MAX_MINUTES = 60
PLAN_MAX_PEOPLE = 3
PLAN_HEAD = 64

# action -> (minutes, knowledge card id)
ACTIONS: dict[str, tuple[int, str]] = {
    "thank_you": (10, "follow-up-matters"),
    "give_first": (15, "give-before-ask"),
    "reconnect": (10, "six-month-rule"),
    "coffee": (30, "next-step-coffee"),
    "key_person": (20, "key-people-quarter"),
    "check_in": (10, "follow-up-matters"),
}

TEXT: dict[str, dict[str, str]] = {
    "es": {
        "thank_you": "Envía a {name} un agradecimiento personal que mencione lo que hablasteis.",
        "give_first": "Aporta algo a {name} antes de pedir nada: una idea, un artículo o una "
                      "presentación útil{needs}.",
        "reconnect": "Retoma el contacto con {name}: un mensaje breve para saber cómo le va.",
        "coffee": "Propón a {name} un café o una llamada de 15-30 minutos con un tema concreto.",
        "key_person": "Dedica tiempo a {name}, una de tus personas clave este trimestre: "
                      "comparte algo útil y pregunta por sus prioridades.",
        "check_in": "Escribe a {name} un seguimiento breve con algo de valor para su situación.",
        "needs": " para lo que necesita ({needs})",
        "warning": "Nunca le has aportado nada a {name}: antes de pedirle consejo, ofrece "
                   "algo útil primero.",
        "owing": "Has recibido más de lo que has dado a {name}: busca cómo devolver el favor.",
        "due_reason": "Toca seguimiento: {days} días sin contacto (cadencia de {cadence}).",
        "dormant_reason": "Sin interacción desde hace {days} días.",
        "new_reason": "Os conocisteis hace {days} días y aún no has hecho seguimiento.",
        "upcoming_reason": "Seguimiento previsto el {due_on}.",
        "plan_summary": "{people} personas, unos {minutes} minutos esta semana "
                        "(presupuesto {low}-{high} min).",
    },
    "en": {
        "thank_you": "Send {name} a personal thank-you that names what you talked about.",
        "give_first": "Give {name} something before asking for anything: an idea, an article "
                      "or a useful introduction{needs}.",
        "reconnect": "Reconnect with {name}: a short message asking how things are going.",
        "coffee": "Suggest a 15-30 minute coffee or call with {name} around a concrete topic.",
        "key_person": "Spend time on {name}, one of your key people this quarter: share "
                      "something useful and ask about their priorities.",
        "check_in": "Write {name} a short follow-up with something of value for their situation.",
        "needs": " for what they need ({needs})",
        "warning": "You have never helped {name}: before asking for advice, offer something "
                   "useful first.",
        "owing": "You have received more than you have given {name}: look for a way to return "
                 "the favour.",
        "due_reason": "Follow-up due: {days} days without contact (cadence {cadence}).",
        "dormant_reason": "No interaction for {days} days.",
        "new_reason": "You met {days} days ago and have not followed up yet.",
        "upcoming_reason": "Follow-up planned for {due_on}.",
        "plan_summary": "{people} people, about {minutes} minutes this week "
                        "(budget {low}-{high} min).",
    },
}


@dataclass(slots=True)
class ContactFacts:
    """What the review needs to know about one contact."""

    id: int
    name: str
    tier: str = "radar"
    stage: str = "connect"
    company: str = ""
    needs: str = ""
    cadence_days: int | None = None
    met_on: date | None = None
    created_on: date | None = None
    last_interaction: date | None = None
    interactions: int = 0
    given: int = 0
    received: int = 0

    @property
    def cadence(self) -> int:
        return self.cadence_days or DEFAULT_CADENCE.get(self.tier, 90)

    @property
    def anchor(self) -> date | None:
        """The date the keep-in-touch clock runs from: last interaction, else met, else added."""
        return self.last_interaction or self.met_on or self.created_on


def facts_from(item: dict[str, Any] | ContactFacts) -> ContactFacts:
    """Accept a plain dict (e.g. from JSON or a database row) as well as ContactFacts."""
    if isinstance(item, ContactFacts):
        return item
    data = {k: item.get(k) for k in ContactFacts.__dataclass_fields__ if k in item}
    for key in ("met_on", "created_on", "last_interaction"):
        data[key] = _to_date(data.get(key))
    for key in ("interactions", "given", "received"):
        data[key] = int(data.get(key) or 0)
    return ContactFacts(**data)


def _to_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _lang(lang: str | None) -> str:
    return lang if lang in TEXT else "es"


def due_on(f: ContactFacts) -> date | None:
    anchor = f.anchor
    return anchor + timedelta(days=f.cadence) if anchor else None


def next_action(f: ContactFacts, today: date) -> str:
    """The one next step for this person, from the guidance's rules."""
    anchor = f.anchor
    quiet = (today - anchor).days if anchor else 0
    if quiet >= DORMANT_DAYS:
        return "reconnect"
    if f.interactions == 0 and f.met_on and (today - f.met_on).days <= RECENT_MEETING_DAYS:
        return "thank_you"
    if f.given == 0 and f.tier in ("prospect", "ally"):
        return "give_first"
    if f.stage in ("cultivate", "exchange"):
        return "coffee"
    if f.tier == "ally":
        return "key_person"
    return "check_in"


def action_item(f: ContactFacts, action: str, lang: str) -> dict[str, Any]:
    texts = TEXT[_lang(lang)]
    minutes, card = ACTIONS[action]
    return {"action": action, "action_text": _action_text(texts, action, f),
            "minutes": minutes, "card_id": card}


class _Scan:
    """One pass over the contacts that collects every list of the review (no N+1, no
    repeated date arithmetic): due, dormant, bank entries and the plan's candidates."""

    def __init__(self, today: date, lang: str) -> None:
        self.today = today
        self.lang = _lang(lang)
        self.texts = TEXT[self.lang]
        self.counts = dict.fromkeys(TIERS, 0)
        self.due: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.dormant: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.bank: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.ranked: list[tuple[tuple[Any, ...], ContactFacts, str, dict[str, Any]]] = []

    def run(self, facts: list[ContactFacts], parts: frozenset[str]) -> _Scan:
        today = self.today
        reconnect = self.texts["reconnect"]
        reconnect_minutes, reconnect_card = ACTIONS["reconnect"]
        want_due, want_dormant = "due" in parts, "dormant" in parts
        want_bank, want_plan = "bank" in parts, "plan" in parts
        for f in facts:
            tier = f.tier
            self.counts[tier] = self.counts.get(tier, 0) + 1
            rank = TIER_RANK.get(tier, 3)
            if want_bank and (f.interactions or f.given or f.received or tier != "radar"):
                entry = bank_entry(f, self.lang)
                self.bank.append(((entry["balance"], rank, f.name, f.id), entry))
            anchor = f.last_interaction or f.met_on or f.created_on
            if anchor is None:
                continue
            quiet = (today - anchor).days
            cadence = f.cadence_days or DEFAULT_CADENCE.get(tier, 90)
            overdue = quiet - cadence
            if want_due and overdue >= 0:
                self.due.append(((rank, -overdue, f.name, f.id),
                                 self._due_item(f, anchor, quiet, cadence)))
            if want_dormant and quiet >= DORMANT_DAYS:
                last = f.last_interaction
                self.dormant.append(((rank, -quiet, f.name, f.id), {
                    "contact_id": f.id, "name": f.name, "company": f.company, "tier": tier,
                    "last_interaction": last.isoformat() if last else None,
                    "days_since": quiet, "action": "reconnect",
                    "action_text": reconnect.format(name=f.name),
                    "minutes": reconnect_minutes, "card_id": reconnect_card,
                }))
            if want_plan:
                self._candidate(f, rank, anchor, quiet, cadence, overdue)
        return self

    def _due_item(self, f: ContactFacts, anchor: date, quiet: int,
                  cadence: int) -> dict[str, Any]:
        action = next_action(f, self.today)
        minutes, card = ACTIONS[action]
        last = f.last_interaction
        return {
            "contact_id": f.id, "name": f.name, "company": f.company, "tier": f.tier,
            "stage": f.stage, "last_interaction": last.isoformat() if last else None,
            "due_on": (anchor + timedelta(days=cadence)).isoformat(),
            "days_overdue": quiet - cadence, "days_since": quiet, "cadence_days": cadence,
            "action": action, "action_text": _action_text(self.texts, action, f),
            "minutes": minutes, "card_id": card,
        }

    def _candidate(self, f: ContactFacts, rank: int, anchor: date, quiet: int, cadence: int,
                   overdue: int) -> None:
        """Plan order: due prospects/allies and people met in the last month without a
        follow-up, then the long-quiet, then due radar contacts, then upcoming key people."""
        if overdue >= 0:
            group, reason = (0 if f.tier != "radar" else 2), "due_reason"
            args: dict[str, Any] = {"days": quiet, "cadence": cadence}
        elif f.tier != "radar":
            group, reason = 3, "upcoming_reason"
            args = {"due_on": (anchor + timedelta(days=cadence)).isoformat()}
        else:
            return
        if quiet >= DORMANT_DAYS and overdue >= 0:
            group, reason, args = min(group, 1), "dormant_reason", {"days": quiet}
        if f.interactions == 0 and f.met_on and overdue < 0:
            met = (self.today - f.met_on).days
            if met <= RECENT_MEETING_DAYS:
                group, reason, args = 0, "new_reason", {"days": met}
        self.ranked.append(((group, rank, -overdue, f.name, f.id), f, reason, args))

    def plan(self, max_minutes: int, max_people: int) -> list[dict[str, Any]]:
        # Only the head of the ranking matters; sort everything only if the head falls short.
        head = heapq.nsmallest(PLAN_HEAD, self.ranked, key=_first)
        plan = self._fill(head, max_minutes, max_people)
        if len(plan) < max_people and len(self.ranked) > PLAN_HEAD:
            plan = self._fill(sorted(self.ranked, key=_first), max_minutes, max_people)
        return plan

    def _fill(self, ranked: list[Any], max_minutes: int,
              max_people: int) -> list[dict[str, Any]]:
        plan: list[dict[str, Any]] = []
        total = 0
        for _, f, reason, args in ranked:
            if len(plan) >= max_people:
                break
            item = action_item(f, next_action(f, self.today), self.lang)
            if total + item["minutes"] > max_minutes:
                continue
            total += item["minutes"]
            plan.append({"contact_id": f.id, "name": f.name, "tier": f.tier,
                         "reason": self.texts[reason].format(**args), **item})
        return plan


def _first(pair: tuple[Any, ...]) -> Any:
    return pair[0]


def _sorted(keyed: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> list[dict[str, Any]]:
    keyed.sort(key=_first)
    return [item for _, item in keyed]


def _action_text(texts: dict[str, str], action: str, f: ContactFacts) -> str:
    needs = texts["needs"].format(needs=f.needs) if f.needs and action == "give_first" else ""
    return texts[action].format(name=f.name, needs=needs)


def _scan(facts: list[ContactFacts], today: date, lang: str, *parts: str) -> _Scan:
    return _Scan(today, lang).run(facts, frozenset(parts))


def due(facts: list[ContactFacts], today: date, lang: str = "es") -> list[dict[str, Any]]:
    """Contacts whose keep-in-touch cadence has run out: prospects first, most overdue first."""
    return _sorted(_scan(facts, today, lang, "due").due)


def dormant(facts: list[ContactFacts], today: date, lang: str = "es") -> list[dict[str, Any]]:
    """Contacts with no interaction in 180 days (or, without any, since met or added)."""
    return _sorted(_scan(facts, today, lang, "dormant").dormant)


def tier_counts(facts: list[ContactFacts]) -> dict[str, int]:
    counts = dict.fromkeys(TIERS, 0)
    for f in facts:
        counts[f.tier] = counts.get(f.tier, 0) + 1
    return counts


def bank_warning(name: str, given: int, lang: str = "es") -> str | None:
    """The warning to show before an advice request to someone you have never helped."""
    return TEXT[_lang(lang)]["warning"].format(name=name) if given == 0 else None


def bank_entry(f: ContactFacts, lang: str = "es") -> dict[str, Any]:
    texts = TEXT[_lang(lang)]
    balance = f.given - f.received
    advice = texts["owing"].format(name=f.name) if f.given and balance < 0 else None
    return {
        "contact_id": f.id, "name": f.name, "tier": f.tier, "given": f.given,
        "received": f.received, "balance": balance, "never_helped": f.given == 0,
        "warning": texts["warning"].format(name=f.name) if f.given == 0 else None,
        "advice": advice,
        "card_id": "give-before-ask" if f.given == 0 else "relationship-bank",
    }


def bank(facts: list[ContactFacts], lang: str = "es") -> list[dict[str, Any]]:
    """Everyone with some history, plus every prospect and ally (the people you may ask),
    lowest balance first."""
    return _sorted(_scan(facts, date.today(), lang, "bank").bank)


def weekly_plan(facts: list[ContactFacts], today: date, lang: str = "es",
                max_minutes: int = PLAN_MAX_MINUTES,
                max_people: int = PLAN_MAX_PEOPLE) -> list[dict[str, Any]]:
    """2-3 people for this week within the time budget, each with the next action."""
    return _scan(facts, today, lang, "plan").plan(max_minutes, max_people)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects (it
    would otherwise rescan them again and again; this halves the review's time at 10,000)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Hand the new objects straight to the oldest generation: re-enabling would
            # otherwise trigger a young collection that walks all of them once more.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def review(facts: list[ContactFacts | dict[str, Any]], today: date,
           lang: str = "es") -> dict[str, Any]:
    """The whole review in one pass; ``facts`` may be ContactFacts or plain dicts."""
    lang = _lang(lang)
    with paused_gc():
        items = [facts_from(f) for f in facts]
        scan = _scan(items, today, lang, "due", "dormant", "bank", "plan")
        plan = scan.plan(PLAN_MAX_MINUTES, PLAN_MAX_PEOPLE)
        due_items, dormant_items, bank_items = (_sorted(scan.due), _sorted(scan.dormant),
                                                _sorted(scan.bank))
    minutes = sum(p["minutes"] for p in plan)
    return {
        "today": today.isoformat(),
        "lang": lang,
        "due": due_items,
        "dormant": dormant_items,
        "tiers": scan.counts,
        "bank": bank_items,
        "weekly_plan": plan,
        "plan_minutes": minutes,
        "plan_summary": TEXT[lang]["plan_summary"].format(
            people=len(plan), minutes=minutes, low=PLAN_MIN_MINUTES, high=PLAN_MAX_MINUTES),
        "plan_card_id": "weekly-time",
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

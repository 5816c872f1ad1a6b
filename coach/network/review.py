"""The weekly network review, as pure functions over plain facts (no database, no framework).

Given one ``ContactFacts`` per contact (dates and given/received counts), it answers: who
is due a follow-up (by their keep-in-touch cadence), who has gone quiet (no interaction in
180 days), how contacts split by tier, the relationship bank (what you have given versus
received, with a warning before asking a favour of someone you have never helped), and a
weekly plan of 2-3 people that fits a 30-60 minute budget, each with the next action and
the knowledge card behind it.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
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
    needs = texts["needs"].format(needs=f.needs) if f.needs and action == "give_first" else ""
    return {"action": action, "action_text": texts[action].format(name=f.name, needs=needs),
            "minutes": minutes, "card_id": card}


def due(facts: list[ContactFacts], today: date, lang: str = "es") -> list[dict[str, Any]]:
    texts = TEXT[_lang(lang)]
    items = []
    for f in facts:
        when = due_on(f)
        if when is None or when > today:
            continue
        quiet = (today - f.anchor).days if f.anchor else 0
        items.append({
            "contact_id": f.id, "name": f.name, "company": f.company, "tier": f.tier,
            "stage": f.stage, "last_interaction": _iso(f.last_interaction),
            "due_on": when.isoformat(), "days_overdue": (today - when).days,
            "reason": texts["due_reason"].format(days=quiet, cadence=f.cadence),
            **action_item(f, next_action(f, today), lang),
        })
    items.sort(key=lambda i: (TIER_RANK.get(i["tier"], 3), -i["days_overdue"], i["name"]))
    return items


def dormant(facts: list[ContactFacts], today: date, lang: str = "es",
            days: int = DORMANT_DAYS) -> list[dict[str, Any]]:
    texts = TEXT[_lang(lang)]
    items = []
    for f in facts:
        anchor = f.anchor
        if anchor is None or (today - anchor).days < days:
            continue
        quiet = (today - anchor).days
        items.append({
            "contact_id": f.id, "name": f.name, "company": f.company, "tier": f.tier,
            "last_interaction": _iso(f.last_interaction), "days_since": quiet,
            "reason": texts["dormant_reason"].format(days=quiet),
            **action_item(f, "reconnect", lang),
        })
    items.sort(key=lambda i: (TIER_RANK.get(i["tier"], 3), -i["days_since"], i["name"]))
    return items


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
        "warning": bank_warning(f.name, f.given, lang), "advice": advice,
        "card_id": "give-before-ask" if f.given == 0 else "relationship-bank",
    }


def bank(facts: list[ContactFacts], lang: str = "es") -> list[dict[str, Any]]:
    """Everyone with some history, plus every prospect and ally (the people you may ask)."""
    items = [bank_entry(f, lang) for f in facts
             if f.interactions or f.given or f.received or f.tier in ("prospect", "ally")]
    items.sort(key=lambda i: (i["balance"], TIER_RANK.get(i["tier"], 3), i["name"]))
    return items


def weekly_plan(facts: list[ContactFacts], today: date, lang: str = "es",
                max_minutes: int = PLAN_MAX_MINUTES,
                max_people: int = PLAN_MAX_PEOPLE) -> list[dict[str, Any]]:
    """2-3 people for this week within the time budget: due prospects and allies first, then
    the longest-quiet, then (if the week is free) the key people whose follow-up comes next."""
    texts = TEXT[_lang(lang)]
    ranked: list[tuple[tuple[int, int, int, str], ContactFacts, str]] = []
    for f in facts:
        when = due_on(f)
        if when is None:
            continue
        overdue = (today - when).days
        quiet = (today - f.anchor).days if f.anchor else 0
        if overdue >= 0:
            group = 0 if f.tier != "radar" else 2
            reason = texts["due_reason"].format(days=quiet, cadence=f.cadence)
        elif f.tier != "radar":
            group = 3
            reason = texts["upcoming_reason"].format(due_on=when.isoformat())
        else:
            continue
        if quiet >= DORMANT_DAYS and overdue >= 0:
            group = min(group, 1)
            reason = texts["dormant_reason"].format(days=quiet)
        if f.interactions == 0 and f.met_on and overdue < 0 and \
                (today - f.met_on).days <= RECENT_MEETING_DAYS:
            group = 0
            reason = texts["new_reason"].format(days=(today - f.met_on).days)
        ranked.append(((group, TIER_RANK.get(f.tier, 3), -overdue, f.name), f, reason))
    ranked.sort(key=lambda r: r[0])
    plan: list[dict[str, Any]] = []
    total = 0
    for _, f, reason in ranked:
        if len(plan) >= max_people:
            break
        item = action_item(f, next_action(f, today), lang)
        if total + item["minutes"] > max_minutes:
            continue
        total += item["minutes"]
        plan.append({"contact_id": f.id, "name": f.name, "tier": f.tier, "reason": reason,
                     **item})
    return plan


def review(facts: list[ContactFacts | dict[str, Any]], today: date,
           lang: str = "es") -> dict[str, Any]:
    """The whole review; ``facts`` may be ContactFacts or plain dicts."""
    lang = _lang(lang)
    items = [facts_from(f) for f in facts]
    plan = weekly_plan(items, today, lang)
    minutes = sum(p["minutes"] for p in plan)
    return {
        "today": today.isoformat(),
        "lang": lang,
        "due": due(items, today, lang),
        "dormant": dormant(items, today, lang),
        "tiers": tier_counts(items),
        "bank": bank(items, lang),
        "weekly_plan": plan,
        "plan_minutes": minutes,
        "plan_summary": TEXT[lang]["plan_summary"].format(
            people=len(plan), minutes=minutes, low=PLAN_MIN_MINUTES, high=PLAN_MAX_MINUTES),
        "plan_card_id": "weekly-time",
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None

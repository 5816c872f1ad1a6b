"""Drafting and pitch prep: grounded follow-ups, advice requests and elevator pitches.

Each service reads what it needs from SQLite in one short transaction (contact, notes,
profile), retrieves guidance cards, runs ``coach.compose.pipeline`` (no database lock is
held while the model writes), then saves the result to the contact's history as a draft
(status ``draft``, never ``sent``) in a second transaction.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from coach.compose import pipeline
from coach.compose.facts import CHANNELS, Facts, build_facts, fold
from coach.config import Settings, get_settings
from coach.errors import BackendError, CoachError, InputError, NotFoundError
from coach.store.db import session_scope

log = logging.getLogger(__name__)

# Cards every task leans on, whatever the search returns (ids from knowledge/).
DEFAULT_CARDS = {
    "follow_up": ["follow-up-matters", "personal-thank-you", "give-before-ask",
                  "next-step-coffee"],
    "advice": ["advice-not-job", "specific-timeboxed-ask", "give-before-ask",
               "relationship-bank"],
    "pitch": ["elevator-pitch", "pitch-prepared-not-recited", "event-preparation",
              "quality-over-quantity", "smart-questions"],
}
QUERIES = {
    "follow_up": {"es": "seguimiento agradecer conversación ofrecer valor café",
                  "en": "follow-up thank you conversation offer value coffee"},
    "advice": {"es": "pedir consejo no empleo petición concreta 15 30 minutos",
               "en": "ask for advice not a job specific time-boxed request"},
    "pitch": {"es": "elevator pitch presentación evento preguntas",
              "en": "elevator pitch introduction event questions"},
}
MAX_NOTES = 5


def _lang(lang: str | None, settings: Settings) -> str:
    value = (lang or settings.language or "es").lower()
    if value not in ("es", "en"):
        raise InputError(f"unknown language {lang!r}: use es or en")
    return value


def _channel(channel: str | None) -> str:
    value = (channel or "email").lower()
    if value not in CHANNELS:
        raise InputError(f"unknown channel {channel!r}: use {', '.join(CHANNELS)}")
    return value


def retrieve_guidance(task: str, lang: str, extra: str = "",
                      settings: Settings | None = None) -> list[dict[str, Any]]:
    """Guidance cards for the task: the search hits first, then the task's default cards."""
    from coach.services import knowledge

    found: list[dict[str, Any]] = []
    try:
        query = f"{QUERIES[task][lang]} {extra}".strip()
        found = [h for h in knowledge.search(query, k=3, kind="guidance", lang=lang,
                                             settings=settings) if h.get("id")]
    except (CoachError, OSError, ValueError, RuntimeError) as exc:  # index unavailable
        log.warning("guidance search failed (%s); using the task's default cards", exc)
    cards: dict[str, dict[str, Any]] = {}
    try:
        cards = {c["id"]: c for c in knowledge.guidance_cards(settings)}
    except (CoachError, OSError, ValueError) as exc:
        log.warning("guidance cards unavailable (%s)", exc)
    out: list[dict[str, Any]] = []
    for hit in found:
        card = cards.get(hit["id"], {})
        out.append({"id": hit["id"], "title": hit.get("title", ""),
                    "summary": _summary(card, lang) or hit.get("text", "")[:200]})
    for card_id in DEFAULT_CARDS[task]:
        if card_id in cards and all(g["id"] != card_id for g in out):
            out.append({"id": card_id, "title": cards[card_id].get("title", ""),
                        "summary": _summary(cards[card_id], lang)})
    return out[:5]


def _summary(card: dict[str, Any], lang: str) -> str:
    if not card:
        return ""
    if lang == "en" and card.get("summary_en"):
        return str(card["summary_en"]).split(". ")[0]
    return str(card.get("body", "")).split(". ")[0][:200]


def _load_contact(ref: str, settings: Settings) -> tuple[dict, list[dict], dict]:
    from coach.store.contacts import (
        contact_to_dict,
        interaction_to_dict,
        notes_for,
        resolve_contact,
    )
    from coach.store.profile import get_profile, profile_to_dict

    with session_scope(settings) as s:
        contact = resolve_contact(s, ref)
        notes = [interaction_to_dict(i) for i in notes_for(s, contact.id)[:MAX_NOTES]]
        return contact_to_dict(contact), notes, profile_to_dict(get_profile(s))


def _run(facts: Facts, settings: Settings) -> dict[str, Any]:
    from coach.generate.llm import get_generator

    generator = None
    try:
        generator = get_generator(settings)
    except CoachError as exc:
        log.warning("no generator (%s); the composer writes the draft", exc)
    try:
        return pipeline.run(facts, generator, settings.candidates)
    except (BackendError, ImportError) as exc:
        log.warning("generation failed (%s); the composer writes the draft", exc)
        return pipeline.run(facts, None, 0)


def _save(settings: Settings, contact_id: int | None, task: str, channel: str, lang: str,
          subject: str, text: str, result: dict[str, Any], extra: dict[str, Any]) -> int:
    from coach.store.drafts import save_draft

    details = {
        "checks": result["checks"], "reasons": result["reasons"],
        "verdict": result["critique"].get("verdict"),
        "yoismo_score": result["critique"].get("yoismo_score"),
        "sources": extra.get("sources", []), "candidates_tried": result["candidates_tried"],
        "llm_won": result["llm_won"], **{k: v for k, v in extra.items() if k != "sources"},
    }
    with session_scope(settings) as s:
        draft = save_draft(s, contact_id, task, channel, lang, subject, text,
                           result["backend"], result["fallback_used"], details)
        return draft.id


def _message(task: str, ref: str, channel: str | None, lang: str | None, topic: str = "",
             settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or get_settings()
    lang, channel = _lang(lang, settings), _channel(channel)
    contact, notes, profile = _load_contact(ref, settings)
    facts = build_facts(task, lang, contact=contact, notes=notes, profile=profile,
                        channel=channel, topic=topic)
    facts.guidance = retrieve_guidance(task, lang, topic, settings)
    result = _run(facts, settings)
    sources = [g["id"] for g in facts.guidance] + facts.note_sources()
    subject = result.get("subject", "")
    draft_id = _save(settings, contact["id"], task, channel, lang, subject, result["text"],
                     result, {"sources": sources, "topic": topic})
    out: dict[str, Any] = {
        "task": task, "contact": {"id": contact["id"], "name": contact["name"]},
        "channel": channel, "language": lang, "text": result["text"],
    }
    if channel == "email":
        out["subject"] = subject
    out.update({
        "critique": result["critique"], "checks": result["checks"],
        "reasons": result["reasons"], "sources": sources, "backend": result["backend"],
        "fallback_used": result["fallback_used"], "draft_id": draft_id,
        "candidates_tried": result["candidates_tried"], "llm_won": result["llm_won"],
        "elapsed_s": result["elapsed_s"], "notice": result["notice"],
    })
    if topic:
        out["topic"] = facts.topic
    return out


def update_draft(draft_id: int, text: str, subject: str | None = None,
                 settings: Settings | None = None) -> dict[str, Any]:
    """Save the user's edits over a saved draft (text, and subject when given); still a draft."""
    from coach.store.drafts import draft_to_dict, get_draft
    from coach.store.drafts import update_draft as store_update

    if not (text or "").strip():
        raise InputError("a draft cannot be saved empty: write its text first")
    try:
        key = int(draft_id)
    except (TypeError, ValueError):
        raise NotFoundError(f"no draft with id {draft_id!r}") from None
    fields: dict[str, Any] = {"text": text.strip()}
    if subject is not None:
        fields["subject"] = subject.strip()
    with session_scope(settings or get_settings()) as s:
        draft = get_draft(s, key)
        if draft is None:
            raise NotFoundError(f"no draft with id {key}")
        return draft_to_dict(store_update(s, draft, **fields))


def draft_follow_up(ref: str, channel: str | None = "email", lang: str | None = None,
                    settings: Settings | None = None) -> dict[str, Any]:
    """Thank them, name what you talked about, offer value first, one small next step."""
    return _message("follow_up", ref, channel, lang, settings=settings)


def draft_advice(ref: str, topic: str, channel: str | None = "email", lang: str | None = None,
                 settings: Settings | None = None) -> dict[str, Any]:
    """A specific, time-boxed advice request that shows how you could return the favour."""
    if not (topic or "").strip():
        raise InputError("say what you want advice on: --topic \"...\"")
    return _message("advice", ref, channel, lang, topic=topic.strip(), settings=settings)


# --- pitch --------------------------------------------------------------------------------


def _keywords(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"\w+", fold(text)) if len(w) >= 4}


def find_targets(event: str, goal: str, settings: Settings, k: int = 5) -> list[dict[str, Any]]:
    """Contacts worth finding at the event: where-met, tags, needs or notes match it."""
    from coach.store.contacts import list_contacts

    event_words, goal_words = _keywords(event), _keywords(goal)
    ranked: list[tuple[float, dict[str, Any]]] = []
    with session_scope(settings) as s:
        for contact in list_contacts(s):
            fields = " ".join([contact.where_met or "", " ".join(contact.tags or []),
                               contact.needs or "", contact.offers or "", contact.role or "",
                               contact.company or ""])
            notes = " ".join(i.text for i in contact.interactions[-MAX_NOTES:])
            words = _keywords(fields + " " + notes)
            score = 2 * len(event_words & words) + len(goal_words & words)
            if score == 0:
                continue
            score += {"prospect": 0.5, "ally": 0.3}.get(contact.tier, 0)
            why = [w for w in (contact.where_met, ", ".join(contact.tags or []), contact.needs)
                   if w and _keywords(w) & (event_words | goal_words)]
            ranked.append((score, {"contact_id": contact.id, "name": contact.name,
                                   "company": contact.company or "", "tier": contact.tier,
                                   "why": "; ".join(why)[:200]}))
    ranked.sort(key=lambda item: -item[0])
    return [item[1] for item in ranked[:k]]


def pitch(event: str, goal: str, seconds: int = 60, lang: str | None = None,
          settings: Settings | None = None) -> dict[str, Any]:
    """A spoken pitch that fits the seconds, variants, three questions and who to find."""
    from coach.store.profile import get_profile, is_empty, profile_to_dict

    settings = settings or get_settings()
    lang = _lang(lang, settings)
    if not (event or "").strip() or not (goal or "").strip():
        raise InputError("a pitch needs --event and --goal")
    if not 10 <= int(seconds) <= 180:
        raise InputError("--seconds must be between 10 and 180 (usually 30 or 60)")
    with session_scope(settings) as s:
        profile = get_profile(s)
        if is_empty(profile):
            raise InputError("set your profile first: coach profile set --name ... --role ... "
                             "--offer ...")
        profile_data = profile_to_dict(profile)
    facts = build_facts("pitch", lang, profile=profile_data, event=event, goal=goal,
                        seconds=int(seconds))
    facts.targets = find_targets(facts.event, facts.goal, settings)
    facts.guidance = retrieve_guidance("pitch", lang, facts.goal, settings)
    result = _run(facts, settings)
    sources = [g["id"] for g in facts.guidance]
    words = len(result["text"].split())
    extra = {"sources": sources, "event": facts.event, "goal": facts.goal,
             "variants": result["variants"], "questions": result["questions"],
             "targets": facts.targets, "seconds": int(seconds)}
    draft_id = _save(settings, None, "pitch", "pitch", lang, "", result["text"], result, extra)
    return {
        "task": "pitch", "language": lang, "event": facts.event, "goal": facts.goal,
        "pitch": result["text"], "variants": result["variants"],
        "questions": result["questions"], "targets": facts.targets, "aim": result["aim"],
        "seconds": int(seconds), "words": words,
        "max_words": int(int(seconds) * 2.5),
        "critique": result["critique"], "checks": result["checks"],
        "reasons": result["reasons"], "sources": sources, "backend": result["backend"],
        "fallback_used": result["fallback_used"], "draft_id": draft_id,
        "candidates_tried": result["candidates_tried"], "llm_won": result["llm_won"],
        "elapsed_s": result["elapsed_s"], "notice": result["notice"],
    }

"""Be a connector: find introductions that help both sides, draft and record them.

- ``suggest_introductions(contact_id=None, k=5)``: ranked pairs (a, b) where a's need
  meets b's offer, in either language, with the reason and the notes behind it.
- ``draft_intro(a, b, lang=None)``: the double opt-in messages (see ``coach.network.intro``).
- ``record_intro(a, b)``: the introduction as an interaction for both contacts (kind
  "intro", value "given", related_contact_id = the other), so the relationship bank and
  the review see it.

Needs and offers come from ``coach.network.needs`` (pure), the decision from
``coach.network.matching`` (pure); this module loads the store in two bulk queries and
computes the similarities with the offline multilingual encoder (cached by text hash).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select

from coach.config import get_settings
from coach.errors import InputError, NotFoundError
from coach.network import intro, matching
from coach.network.needs import Item, Needs, extract
from coach.retrieve.embeddings import Embedder
from coach.store import contacts as store
from coach.store.db import session_scope
from coach.store.models import Contact, Interaction

_embedder: dict[str, Embedder] = {}
OBJECT_WEIGHT = 0.7

REASON = {
    "es": "{a} {need}; {b} {offer}.",
    "en": "{a}: {need}; {b}: {offer}.",
}
MUTUAL = {
    "es": " Y a la inversa: {b} {need}; {a} {offer}.",
    "en": " And the other way round: {b}: {need}; {a}: {offer}.",
}


def embedder() -> Embedder:
    settings = get_settings()
    key = str(settings.home)
    if key not in _embedder:
        _embedder[key] = Embedder(settings.home / "embeddings.sqlite3",
                                  threads=settings.local_threads)
    return _embedder[key]


def similarity(a: str, b: str) -> float:
    vectors = embedder().embed([a, b])
    return float(vectors[0] @ vectors[1])


# ----- loading -----------------------------------------------------------------------------

def load_network(s) -> tuple[dict[int, dict[str, Any]], dict[int, list[dict[str, Any]]],
                             set[frozenset[int]]]:
    """Contacts, their notes (newest first) and the pairs already introduced, in bulk."""
    contacts = {c.id: store.contact_to_dict(c)
                for c in s.scalars(select(Contact).order_by(Contact.id))}
    notes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    introduced: set[frozenset[int]] = set()
    rows = s.scalars(select(Interaction).order_by(Interaction.occurred_on.desc(),
                                                  Interaction.id.desc()))
    for i in rows:
        notes[i.contact_id].append({"id": i.id, "text": i.text, "kind": i.kind,
                                    "occurred_on": i.occurred_on.isoformat()})
        if i.kind == "intro" and i.related_contact_id:
            introduced.add(matching.pair_key(i.contact_id, i.related_contact_id))
    return contacts, notes, introduced


def needs_of(contacts: dict[int, dict[str, Any]],
             notes: dict[int, list[dict[str, Any]]]) -> dict[int, Needs]:
    return {cid: extract(c, notes.get(cid, [])) for cid, c in contacts.items()}


# ----- scoring -------------------------------------------------------------------------------

def _vectors(texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return embedder().embed(list(texts))


def similarity_matrix(needs: Sequence[Item], offers: Sequence[Item]) -> np.ndarray:
    """Cosine similarity of each need to each offer: a mix of the bare objects ("seed
    funding") and the clauses with their cue ("invierte en startups"), which keeps the
    verb that says what kind of help it is."""
    objects = _vectors([n.text for n in needs]) @ _vectors([o.text for o in offers]).T
    clauses = _vectors([n.clause for n in needs]) @ _vectors([o.clause for o in offers]).T
    return OBJECT_WEIGHT * objects + (1 - OBJECT_WEIGHT) * clauses


def hubness(sim: np.ndarray, neighbours: int = matching.HUB_NEIGHBOURS
            ) -> tuple[np.ndarray, np.ndarray]:
    """Mean similarity of each need (row) and offer (column) to its nearest neighbours on
    the other side; zeros when the network is too small for the correction to mean much."""
    rows, cols = sim.shape
    if rows <= neighbours or cols <= neighbours:
        return np.zeros(rows), np.zeros(cols)
    return (np.sort(sim, axis=1)[:, -neighbours:].mean(axis=1),
            np.sort(sim, axis=0)[-neighbours:, :].mean(axis=0))


def score_items(needs: list[Item], offers: list[Item]
                ) -> dict[tuple[int, int], matching.Signal]:
    """Signals for every need-offer pair close enough to matter (others cannot match)."""
    if not needs or not offers:
        return {}
    sim = similarity_matrix(needs, offers)
    r_need, r_offer = hubness(sim)
    out: dict[tuple[int, int], matching.Signal] = {}
    for i, j in zip(*np.nonzero(sim >= matching.SEMANTIC_MIN), strict=True):
        if needs[i].contact_id == offers[j].contact_id:
            continue
        hub = (r_need[i] + r_offer[j]) / 2 if r_need[i] or r_offer[j] else 0.0
        out[(int(i), int(j))] = matching.signal(float(sim[i, j]), needs[i].text,
                                                offers[j].text, similarity, hub=hub)
    return out


def all_matches(profiles: dict[int, Needs]) -> dict[tuple[int, int], matching.Match]:
    needs = [item for p in profiles.values() for item in p.needs]
    offers = [item for p in profiles.values() for item in p.offers]
    return matching.best_matches(needs, offers, score_items(needs, offers))


# ----- presentation --------------------------------------------------------------------------

def _note_ref(item: Item, contact: dict[str, Any]) -> dict[str, Any]:
    return {"contact_id": contact["id"], "id": item.note_id, "source": item.source,
            "text": item.note_text if item.source == "note" else "",
            "field": None if item.source == "note" else f"{item.kind}s"}


INTRO_NOTE = {"es": "Presentación a {other}.", "en": "Introduced to {other}."}
FIELD_CUE = {"es": {"need": "busca", "offer": "puede ayudar con"},
             "en": {"need": "is looking for", "offer": "can help with"}}


def _clause(item: Item, lang: str) -> str:
    return item.clause if item.cue else f"{FIELD_CUE[lang][item.kind]} {item.text}"


def reason(match: matching.Match, contacts: dict[int, dict[str, Any]], lang: str) -> str:
    a, b = contacts[match.a]["name"], contacts[match.b]["name"]
    text = REASON[lang].format(a=a, b=b, need=_clause(match.need, lang),
                               offer=_clause(match.offer, lang))
    if match.mutual:
        need, offer = match.mutual
        text += MUTUAL[lang].format(a=a, b=b, need=_clause(need, lang),
                                    offer=_clause(offer, lang))
    return text


def match_to_dict(match: matching.Match, contacts: dict[int, dict[str, Any]],
                  lang: str) -> dict[str, Any]:
    a, b = contacts[match.a], contacts[match.b]
    out = {
        "a": {"id": a["id"], "name": a["name"], "company": a["company"]},
        "b": {"id": b["id"], "name": b["name"], "company": b["company"]},
        "reason": reason(match, contacts, lang),
        "need": match.need.text, "offer": match.offer.text,
        "notes": [_note_ref(match.need, a), _note_ref(match.offer, b)],
        "score": round(match.score, 4),
        "semantic": round(match.signal.semantic, 4),
        "keyword": round(match.signal.keyword, 4),
        "mutual": match.mutual is not None,
        "already_introduced": match.already_introduced,
    }
    return out


# ----- public API ----------------------------------------------------------------------------

def suggest_introductions(contact_id: int | None = None, k: int = 5,
                          include_introduced: bool = False,
                          lang: str | None = None) -> list[dict[str, Any]]:
    """Ranked introductions (for the CLI and the web app's "Possible introductions" panel).

    Each item: a{id,name,company}, b{...}, reason, need, offer, notes[2] (the note or
    field behind the need and the offer), score, semantic, keyword, mutual,
    already_introduced. Pairs already introduced are left out unless asked for.
    """
    if k < 1:
        raise InputError("--k must be at least 1")
    language = lang or get_settings().language
    with session_scope() as s:
        if contact_id is not None:
            store.get_contact(s, contact_id)
        contacts, notes, introduced = load_network(s)
    matches = all_matches(needs_of(contacts, notes))
    ranked = matching.rank(matches, contact_id=contact_id, introduced=introduced,
                           include_introduced=include_introduced, k=k)
    return [match_to_dict(m, contacts, language) for m in ranked]


def connect(contact: str | int | None = None, k: int = 5, include_introduced: bool = False,
            lang: str | None = None) -> list[dict[str, Any]]:
    """``coach connect``: like ``suggest_introductions`` with a contact id or name."""
    contact_id = None
    if contact not in (None, ""):
        with session_scope() as s:
            contact_id = store.resolve_contact(s, contact).id
    return suggest_introductions(contact_id, k, include_introduced, lang)


def needs_for(ref: str | int) -> dict[str, Any]:
    """One contact's needs and offers with the notes they came from."""
    with session_scope() as s:
        contact = store.resolve_contact(s, ref)
        data = store.contact_to_dict(contact)
        notes = [{"id": n.id, "text": n.text, "kind": n.kind}
                 for n in store.notes_for(s, contact.id)]
    return {"contact": {"id": data["id"], "name": data["name"]},
            **{k: v for k, v in extract(data, notes).to_dict().items() if k != "contact_id"}}


def pair_match(a_id: int, b_id: int) -> tuple[dict[int, dict[str, Any]],
                                             dict[int, list[dict[str, Any]]],
                                             matching.Match | None, bool]:
    """The best match between two given contacts (either direction) for drafting."""
    with session_scope() as s:
        contacts, notes, introduced = load_network(s)
    pair = {a_id: contacts[a_id], b_id: contacts[b_id]}
    matches = all_matches(needs_of(pair, notes))
    ranked = matching.rank(matches, introduced=introduced, include_introduced=True, k=1)
    return contacts, notes, (ranked[0] if ranked else None), \
        matching.pair_key(a_id, b_id) in introduced


def record_intro(a: str | int, b: str | int, text: str | None = None,
                 occurred_on: date | str | None = None, lang: str | None = None,
                 force: bool = False) -> dict[str, Any]:
    """Record an introduction as a "given" interaction for both contacts (one transaction)."""
    from coach.services.contacts import sync_index

    language = lang or get_settings().language
    with session_scope() as s:
        ca, cb = store.resolve_contact(s, a), store.resolve_contact(s, b)
        if ca.id == cb.id:
            raise InputError("an introduction needs two different contacts")
        done = s.scalars(select(Interaction).where(
            Interaction.kind == "intro",
            ((Interaction.contact_id == ca.id) & (Interaction.related_contact_id == cb.id))
            | ((Interaction.contact_id == cb.id) & (Interaction.related_contact_id == ca.id))
        ).limit(1)).first()
        if done is not None and not force:
            raise InputError(f"{ca.name} and {cb.name} were already introduced on "
                             f"{done.occurred_on.isoformat()} (use --force to record it again)")
        template = INTRO_NOTE[language]
        notes = []
        for mine, other in ((ca, cb), (cb, ca)):
            body = text or template.format(other=other.name)
            notes.append(store.add_interaction(s, mine, body, kind="intro", value="given",
                                               occurred_on=occurred_on,
                                               related_contact_id=other.id))
        out = {"a": {"id": ca.id, "name": ca.name}, "b": {"id": cb.id, "name": cb.name},
               "interactions": [store.interaction_to_dict(n) for n in notes]}
    warning = sync_index([n["id"] for n in out["interactions"]])
    if warning:
        out["warning"] = warning
    return out


def get_contact_name(contact_id: int) -> str:
    with session_scope() as s:
        contact = s.get(Contact, contact_id)
        if contact is None:
            raise NotFoundError(f"no contact with id {contact_id}")
        return contact.name


# ----- drafting ------------------------------------------------------------------------------

def _phrases(lang: str) -> dict[str, Any]:
    import json

    from coach.prompting.templates import load

    return json.loads(load(f"intro/compose.{lang}.json"))


def _profile() -> dict[str, Any]:
    from coach.store.profile import get_profile, profile_to_dict

    with session_scope() as s:
        return profile_to_dict(get_profile(s))


def _verified(f: intro.IntroFacts, ph: dict[str, Any], message: str, text: str,
              subject: str, backend: str) -> dict[str, Any]:
    from coach.compose.pipeline import critique_of

    critique = critique_of(text, f.lang) if text else {}
    result = intro.check_intro(text, f, ph, message=message, subject=subject,
                               critique=critique)
    return {"text": text, "subject": subject, "checks": dict(result.checks),
            "reasons": dict(result.reasons), "passed": result.passed,
            "critique": critique, "backend": backend}


def _prompt(f: intro.IntroFacts, ph: dict[str, Any], is_chat: bool):
    from coach.generate.llm import Prompt
    from coach.prompting.templates import render

    values = {"a_first": f.a_first, "a_name": f.a.get("name", ""),
              "b_name": f.b.get("name", ""), "b_company": intro._company(ph, f.b),
              "need": intro.as_third(f.need, ph, "need"),
              "offer": intro.as_third(f.offer, ph, "offer"),
              "me": f.profile.get("name") or "-"}
    completion = render(f"intro/opt_in.{f.lang}.txt", **values)
    messages = [("system", render(f"intro/system.{f.lang}.txt")),
                ("user", render(f"intro/opt_in_user.{f.lang}.txt", **values))]
    if is_chat:
        return Prompt(completion=completion, messages=messages, stop=[], max_tokens=220)
    return Prompt(completion=completion, messages=messages, stop=["\n"], max_tokens=48)


def _model_opt_in(f: intro.IntroFacts, ph: dict[str, Any], n: int
                  ) -> tuple[list[dict[str, Any]], str | None]:
    """Model candidates for the opt-in to the person with the need, each verified."""
    from coach.compose import pipeline
    from coach.errors import BackendError
    from coach.generate.llm import get_generator

    tried: list[dict[str, Any]] = []
    notice = None
    if n <= 0:
        return tried, notice
    try:
        generator = get_generator()
        prompt = _prompt(f, ph, generator.is_chat)
        for i in range(n):
            gen = generator.generate(prompt, temperature=0.7, seed=pipeline.BASE_SEED + i)
            notice = notice or gen.notice
            if generator.is_chat and gen.backend != "local":
                text, subject = pipeline.parse_chat(gen.text, None)
                subject = subject or intro.fill(ph["subject_opt_in"], b_name=f.b.get("name", ""))
            else:
                line = pipeline.first_sentence_line(gen.text)
                greeting = intro.fill(ph["greeting"], first=f.a_first)
                text, subject = intro.compose_opt_in_a(f, ph, f"{greeting} {line}") \
                    if line else ("", "")
            cand = _verified(f, ph, "opt_in_a", text, subject, gen.backend)
            cand["seconds"] = round(gen.seconds, 3)
            tried.append(cand)
    except BackendError as exc:
        notice = f"{exc} Se usó el borrador compuesto. / Used the composed draft."
    return tried, notice


def draft_intro(a: str | int, b: str | int, lang: str | None = None,
                candidates: int | None = None, save: bool = True) -> dict[str, Any]:
    """``coach draft intro A B``: the double opt-in messages for introducing A and B.

    Returns opt_in (to A: why B, what B could bring, one question, no pressure),
    opt_in_other (the same question to B), introduction (to both, once both agreed),
    each with text, subject, checks, backend; plus reason, notes, score, backend,
    fallback_used and already_introduced. The model may write the opt-in to the person
    with the need; a candidate that fails any check is replaced by the composed draft.
    """
    settings = get_settings()
    language = lang or settings.language
    if language not in ("es", "en"):
        raise InputError(f"unknown language {language!r}: use es or en")
    with session_scope() as s:
        ca, cb = store.resolve_contact(s, a), store.resolve_contact(s, b)
        a_id, b_id = ca.id, cb.id
    if a_id == b_id:
        raise InputError("an introduction needs two different contacts")
    contacts, notes, match, introduced = pair_match(a_id, b_id)
    if match is None:
        raise InputError(f"no need of {contacts[a_id]['name']} meets an offer of "
                         f"{contacts[b_id]['name']} (or the other way round) in their notes: "
                         f"add a note with what they need or offer")
    ph = _phrases(language)
    mutual = (match.mutual[0].to_dict(), match.mutual[1].to_dict()) if match.mutual else None
    f = intro.make_facts(language, contacts[match.a], contacts[match.b], match.need.to_dict(),
                         match.offer.to_dict(), _profile(), mutual)
    start = time.perf_counter()
    n = settings.candidates if candidates is None else candidates
    tried, notice = _model_opt_in(f, ph, n)
    passing = [c for c in tried if c["passed"]]
    best_a = min(passing, key=lambda c: (c["critique"].get("yoismo_score", 0),
                                         -len(c["text"]))) if passing else None
    if best_a is None:
        best_a = _verified(f, ph, "opt_in_a", *intro.compose_opt_in_a(f, ph), "composer")
    opt_in_b = _verified(f, ph, "opt_in_b", *intro.compose_opt_in_b(f, ph), "composer")
    both = _verified(f, ph, "introduction", *intro.compose_introduction(f, ph), "composer")
    to_a, to_b = (best_a, opt_in_b) if match.a == a_id else (opt_in_b, best_a)
    out = {
        "a": {"id": a_id, "name": contacts[a_id]["name"]},
        "b": {"id": b_id, "name": contacts[b_id]["name"]},
        "lang": language,
        "reason": reason(match, contacts, language),
        "notes": [_note_ref(match.need, contacts[match.a]),
                  _note_ref(match.offer, contacts[match.b])],
        "score": round(match.score, 4),
        "opt_in": to_a, "opt_in_other": to_b, "introduction": both,
        "text": to_a["text"], "subject": to_a["subject"], "checks": to_a["checks"],
        "backend": best_a["backend"], "fallback_used": best_a["backend"] == "composer",
        "candidates": [{k: c[k] for k in ("text", "passed", "reasons", "backend")}
                       for c in tried],
        "already_introduced": introduced,
        "sources": [f"note:{n['id']}" for n in
                    (_note_ref(match.need, contacts[match.a]),
                     _note_ref(match.offer, contacts[match.b])) if n["id"] is not None],
        "seconds": round(time.perf_counter() - start, 3),
        "notice": notice,
    }
    if save:
        out["draft_ids"] = _save(out, language)
    return out


def _save(out: dict[str, Any], lang: str) -> list[int]:
    from coach.store.drafts import save_draft

    ids = []
    with session_scope() as s:
        for key, contact in (("opt_in", out["a"]), ("opt_in_other", out["b"])):
            msg = out[key]
            draft = save_draft(s, contact["id"], "intro", "email", lang, msg["subject"],
                               msg["text"], msg["backend"], msg["backend"] == "composer",
                               {"checks": msg["checks"], "reason": out["reason"],
                                "introduction": out["introduction"]["text"]})
            ids.append(draft.id)
    return ids

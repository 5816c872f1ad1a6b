"""``coach review``: the network review over the whole store, with two bulk queries."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from coach.config import get_settings
from coach.errors import NotFoundError
from coach.input.records import parse_date
from coach.network import review as pure
from coach.store.db import session_scope
from coach.store.models import Contact, Interaction


def load_facts(s: Session, contact_id: int | None = None) -> list[pure.ContactFacts]:
    """One row per contact with its last interaction and given/received counts."""
    stats = (
        select(
            Interaction.contact_id.label("cid"),
            func.max(Interaction.occurred_on).label("last"),
            func.count(Interaction.id).label("n"),
            func.sum(case((Interaction.value == "given", 1), else_=0)).label("given"),
            func.sum(case((Interaction.value == "received", 1), else_=0)).label("received"),
        )
        .group_by(Interaction.contact_id)
        .subquery()
    )
    stmt = (
        select(Contact.id, Contact.name, Contact.tier, Contact.stage, Contact.company,
               Contact.needs, Contact.cadence_days, Contact.met_on, Contact.created_at,
               stats.c.last, stats.c.n, stats.c.given, stats.c.received)
        .outerjoin(stats, stats.c.cid == Contact.id)
    )
    if contact_id is not None:
        stmt = stmt.where(Contact.id == contact_id)
    rows = s.execute(stmt).all()
    return [
        pure.ContactFacts(
            id=r[0], name=r[1], tier=r[2], stage=r[3], company=r[4] or "", needs=r[5] or "",
            cadence_days=r[6], met_on=r[7], created_on=r[8].date() if r[8] else None,
            last_interaction=r[9], interactions=r[10] or 0, given=r[11] or 0,
            received=r[12] or 0,
        )
        for r in rows
    ]


def review(today: date | str | None = None, lang: str | None = None) -> dict[str, Any]:
    """due[], dormant[], tiers{}, bank[], weekly_plan[] for ``today`` (default: today)."""
    day = parse_date(today) or date.today()
    language = lang or get_settings().language
    with session_scope() as s:
        facts = load_facts(s)
    return pure.review(facts, day, language)


def bank_for(contact_id: int, lang: str | None = None) -> dict[str, Any]:
    """The relationship-bank entry for one contact (used before drafting an advice request)."""
    language = lang or get_settings().language
    with session_scope() as s:
        facts = load_facts(s, contact_id)
    if not facts:
        raise NotFoundError(f"no contact with id {contact_id}")
    return pure.bank_entry(facts[0], language)

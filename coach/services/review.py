"""``coach review``: the network review over the whole store, with two bulk queries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from coach.config import get_settings
from coach.errors import NotFoundError
from coach.input.records import parse_date
from coach.network import review as pure
from coach.store.db import session_scope

_CONTACTS_SQL = ("SELECT id, name, tier, stage, company, needs, cadence_days, met_on, created_at "
                 "FROM contacts")
_STATS_SQL = ("SELECT contact_id, max(occurred_on), count(*), "
              "sum(CASE WHEN value = 'given' THEN 1 ELSE 0 END), "
              "sum(CASE WHEN value = 'received' THEN 1 ELSE 0 END) "
              "FROM interactions GROUP BY contact_id")
_LAST_SQL = ("SELECT c.id, c.name, c.tier, c.met_on, c.created_at, max(i.occurred_on) "
             "FROM contacts c LEFT JOIN interactions i ON i.contact_id = c.id "
             "GROUP BY c.id, c.name, c.tier, c.met_on, c.created_at")


def _day(value: Any) -> date | None:
    """A date from a driver value: SQLite gives text, PostgreSQL gives date/datetime."""
    if type(value) is str:  # the SQLite case first: this runs three times per contact
        return date.fromisoformat(value[:10])
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def load_facts(s: Session, contact_id: int | None = None) -> list[pure.ContactFacts]:
    """One fact row per contact with its last interaction and given/received counts.

    Two plain bulk queries (contacts; one aggregate over interactions, answered from a
    covering index), joined in memory: no per-contact query and no ORM objects.
    """
    conn = s.connection()
    where = f" WHERE id = {int(contact_id)}" if contact_id is not None else ""
    stats_where = f" WHERE contact_id = {int(contact_id)}" if contact_id is not None else ""
    stats_sql = _STATS_SQL.replace(" GROUP BY", f"{stats_where} GROUP BY")
    stats = {row[0]: row for row in conn.exec_driver_sql(stats_sql).all()}
    facts = []
    empty = (None, None, 0, 0, 0)
    for cid, name, tier, stage, company, needs, cadence, met_on, created in \
            conn.exec_driver_sql(_CONTACTS_SQL + where).all():
        st = stats.get(cid, empty)
        facts.append(pure.ContactFacts(
            cid, name, tier, stage, company or "", needs or "", cadence, _day(met_on),
            _day(created), _day(st[1]), st[2] or 0, st[3] or 0, st[4] or 0))
    return facts


def review(today: date | str | None = None, lang: str | None = None) -> dict[str, Any]:
    """due[], dormant[], tiers{}, bank[], weekly_plan[] for ``today`` (default: today)."""
    day = parse_date(today) or date.today()
    language = lang or get_settings().language
    with pure.paused_gc():
        with session_scope() as s:
            facts = load_facts(s)
        return pure.review(facts, day, language)


def last_contacts(today: date | str | None = None) -> list[dict[str, Any]]:
    """Everyone's last contact (last note, else met-on, else added) and days since, quietest first.

    One aggregate query over contacts LEFT JOIN interactions: no per-contact query.
    """
    day = parse_date(today) or date.today()
    rows = []
    with session_scope() as s:
        for cid, name, tier, met_on, created, last in s.connection().exec_driver_sql(_LAST_SQL):
            anchor = _day(last) or _day(met_on) or _day(created)
            rows.append({"contact_id": cid, "name": name, "tier": tier,
                         "last_contact": anchor.isoformat() if anchor else None,
                         "days_since": (day - anchor).days if anchor else None})
    rows.sort(key=lambda r: (r["days_since"] is None, -(r["days_since"] or 0), r["name"]))
    return rows


def bank_for(contact_id: int, lang: str | None = None) -> dict[str, Any]:
    """The relationship-bank entry for one contact (used before drafting an advice request)."""
    language = lang or get_settings().language
    with session_scope() as s:
        facts = load_facts(s, contact_id)
    if not facts:
        raise NotFoundError(f"no contact with id {contact_id}")
    return pure.bank_entry(facts[0], language)

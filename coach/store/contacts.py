"""Contacts and interactions in the store. Every function takes a Session ``s`` first;
the caller owns the transaction (``coach.store.db.session_scope``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from coach.errors import InputError, NotFoundError
from coach.input.records import (
    CONTACT_FIELDS,
    DEFAULT_CADENCE,
    KINDS,
    STAGES,
    TIERS,
    VALUES,
    all_emails,
    fold,
    normalize_email,
    parse_date,
    split_list,
)
from coach.store.models import Contact, Interaction

INTERACTION_FIELDS = ("text", "kind", "value", "occurred_on", "related_contact_id")
MAX_CADENCE_DAYS = 3650
MAX_ID = 2**63 - 1  # SQLite INTEGER; a larger id cannot exist


def clean_contact_fields(fields: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    """Validate and normalise contact fields; raise InputError with one clear line."""
    unknown = set(fields) - set(CONTACT_FIELDS) - {"created_at", "updated_at"}
    if unknown:
        raise InputError(f"unknown contact field(s): {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None and partial:
            continue
        out[key] = value
    if "name" in out or not partial:
        name = " ".join(str(out.get("name") or "").split())
        if not name:
            raise InputError("a contact needs a name")
        out["name"] = name
    for key in ("company", "role", "phone", "profile_url", "location", "where_met", "needs",
                "offers"):
        if key in out:
            out[key] = str(out[key] or "").strip()
    if "tier" in out:
        out["tier"] = _choice(out["tier"] or "radar", TIERS, "tier")
    if "stage" in out:
        out["stage"] = _choice(out["stage"] or "connect", STAGES, "stage")
    if "language" in out:
        out["language"] = _choice(out["language"] or "es", ("es", "en"), "language")
    if "met_on" in out:
        out["met_on"] = parse_date(out["met_on"])
    if "tags" in out:
        out["tags"] = split_list(out["tags"])
    if "cadence_days" in out and out["cadence_days"] not in (None, ""):
        try:
            out["cadence_days"] = int(out["cadence_days"])
        except (TypeError, ValueError):
            bad = out["cadence_days"]
            raise InputError(f"cadence must be a number of days, not {bad!r}") from None
        if not 0 < out["cadence_days"] <= MAX_CADENCE_DAYS:
            raise InputError(f"cadence must be between 1 and {MAX_CADENCE_DAYS} days")
    elif "cadence_days" in out:
        out["cadence_days"] = None
    if "email" in out or "emails" in out:
        emails = all_emails({"email": out.get("email"), "emails": out.get("emails") or []})
        for email in emails:
            if "@" not in email or " " in email:
                raise InputError(f"not an e-mail address: {email!r}")
        out["email"] = normalize_email(out.get("email")) or (emails[0] if emails else "")
        out["emails"] = emails
    return out


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    text = fold(str(value))
    if text not in allowed:
        raise InputError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return text


def add_contact(s: Session, **fields: Any) -> Contact:
    """Create a contact; the keep-in-touch cadence defaults by tier."""
    data = clean_contact_fields(fields)
    data.setdefault("tier", "radar")
    if not data.get("cadence_days"):
        data["cadence_days"] = DEFAULT_CADENCE[data["tier"]]
    contact = Contact(**data)
    s.add(contact)
    s.flush()
    return contact


def get_contact(s: Session, contact_id: int) -> Contact:
    contact = s.get(Contact, contact_id) if 0 < contact_id <= MAX_ID else None
    if contact is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    return contact


def resolve_contact(s: Session, ref: str | int) -> Contact:
    """A contact by id or by an unambiguous name (case- and accent-insensitive)."""
    text = str(ref).strip()
    if not text:
        raise InputError("name a contact (an id or a name)")
    if text.isascii() and text.isdigit():
        return get_contact(s, int(text))
    wanted = fold(text)
    rows = s.execute(select(Contact.id, Contact.name, Contact.company)).all()
    exact = [r for r in rows if fold(r.name) == wanted]
    matches = exact or [r for r in rows if wanted in fold(r.name)]
    if not matches:
        raise NotFoundError(f"no contact matches {text!r}")
    if len(matches) > 1:
        shown = "; ".join(f"{r.id}: {r.name}" + (f" ({r.company})" if r.company else "")
                          for r in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise InputError(f"ambiguous: {text!r} matches {shown}{more}; use the id")
    return get_contact(s, matches[0].id)


def list_contacts(s: Session, tier: str | None = None, tag: str | None = None,
                  query: str | None = None) -> list[Contact]:
    stmt = select(Contact).order_by(Contact.name, Contact.id)
    if tier:
        stmt = stmt.where(Contact.tier == _choice(tier, TIERS, "tier"))
    contacts = list(s.scalars(stmt))
    if tag:
        wanted = fold(tag)
        contacts = [c for c in contacts if any(fold(t) == wanted for t in c.tags or [])]
    if query:
        wanted = fold(query)
        contacts = [c for c in contacts if wanted in fold(" ".join(
            [c.name, c.company, c.role, c.email, c.where_met, c.needs, c.offers,
             " ".join(c.tags or [])]))]
    return contacts


def update_contact(s: Session, contact: Contact, **fields: Any) -> Contact:
    data = clean_contact_fields(fields, partial=True)
    old_default = DEFAULT_CADENCE.get(contact.tier)
    if "tier" in data and "cadence_days" not in data and contact.cadence_days == old_default:
        data["cadence_days"] = DEFAULT_CADENCE[data["tier"]]
    if "cadence_days" in data and data["cadence_days"] is None:
        data["cadence_days"] = DEFAULT_CADENCE[data.get("tier", contact.tier)]
    for key, value in data.items():
        setattr(contact, key, value)
    s.flush()
    return contact


def delete_contact(s: Session, contact: Contact) -> list[int]:
    """Delete a contact with its notes; return the deleted note ids (to drop from the index)."""
    note_ids = list(s.scalars(select(Interaction.id).where(Interaction.contact_id == contact.id)))
    s.delete(contact)
    s.flush()
    return note_ids


def clean_interaction(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "text" in out:
        out["text"] = str(out["text"] or "").strip()
        if not out["text"]:
            raise InputError("a note needs some text")
    if "kind" in out:
        out["kind"] = _choice(out["kind"] or "note", KINDS, "kind")
    if "value" in out:
        out["value"] = _choice(out["value"] or "none", VALUES, "value")
    if "occurred_on" in out:
        out["occurred_on"] = parse_date(out["occurred_on"]) or date.today()
    return out


def add_interaction(s: Session, contact: Contact, text: str, kind: str = "note",
                    value: str = "none", occurred_on: date | str | None = None,
                    related_contact_id: int | None = None) -> Interaction:
    data = clean_interaction({"text": text, "kind": kind, "value": value,
                               "occurred_on": occurred_on})
    if related_contact_id is not None:
        get_contact(s, related_contact_id)
    interaction = Interaction(contact_id=contact.id, related_contact_id=related_contact_id,
                              **data)
    s.add(interaction)
    s.flush()
    return interaction


def get_interaction(s: Session, interaction_id: int) -> Interaction:
    interaction = (s.get(Interaction, interaction_id) if 0 < interaction_id <= MAX_ID
                   else None)
    if interaction is None:
        raise NotFoundError(f"no note with id {interaction_id}")
    return interaction


def update_interaction(s: Session, interaction: Interaction, **fields: Any) -> Interaction:
    unknown = set(fields) - set(INTERACTION_FIELDS)
    if unknown:
        raise InputError(f"unknown note field(s): {', '.join(sorted(unknown))}")
    data = clean_interaction({k: v for k, v in fields.items() if v is not None})
    for key, value in data.items():
        setattr(interaction, key, value)
    s.flush()
    return interaction


def delete_interaction(s: Session, interaction: Interaction) -> None:
    s.delete(interaction)
    s.flush()


def notes_for(s: Session, contact_id: int) -> list[Interaction]:
    """A contact's interactions, newest first."""
    stmt = (select(Interaction).where(Interaction.contact_id == contact_id)
            .order_by(Interaction.occurred_on.desc(), Interaction.id.desc()))
    return list(s.scalars(stmt))


def count_contacts(s: Session) -> int:
    return s.scalar(select(func.count(Contact.id))) or 0


def find_by_keys(s: Session, email: str = "", profile_url: str = "") -> Contact | None:
    """A contact with this e-mail or profile URL (exact stored form), if any."""
    clauses = []
    if email:
        clauses.append(Contact.email == email)
    if profile_url:
        clauses.append(Contact.profile_url == profile_url)
    if not clauses:
        return None
    return s.scalars(select(Contact).where(or_(*clauses)).limit(1)).first()


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def contact_to_dict(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "name": contact.name,
        "company": contact.company or "",
        "role": contact.role or "",
        "email": contact.email or "",
        "emails": list(contact.emails or []),
        "phone": contact.phone or "",
        "profile_url": contact.profile_url or "",
        "location": contact.location or "",
        "where_met": contact.where_met or "",
        "met_on": _iso(contact.met_on),
        "tier": contact.tier,
        "stage": contact.stage,
        "tags": list(contact.tags or []),
        "needs": contact.needs or "",
        "offers": contact.offers or "",
        "cadence_days": contact.cadence_days or DEFAULT_CADENCE.get(contact.tier, 90),
        "language": contact.language,
        "source": contact.source,
        "created_at": _iso(contact.created_at),
        "updated_at": _iso(contact.updated_at),
    }


def interaction_to_dict(i: Interaction) -> dict[str, Any]:
    return {
        "id": i.id,
        "contact_id": i.contact_id,
        "occurred_on": _iso(i.occurred_on),
        "kind": i.kind,
        "text": i.text,
        "value": i.value,
        "related_contact_id": i.related_contact_id,
        "created_at": _iso(i.created_at),
        "updated_at": _iso(i.updated_at),
    }

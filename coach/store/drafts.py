"""Generated messages saved to a contact's history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.models import Draft


def save_draft(s: Session, contact_id: int | None, task: str, channel: str, language: str,
               subject: str, text: str, backend: str, fallback_used: bool,
               details: dict[str, Any] | None = None) -> Draft:
    draft = Draft(contact_id=contact_id, task=task, channel=channel, language=language,
                  subject=subject or "", text=text, backend=backend or "",
                  fallback_used=bool(fallback_used), details=dict(details or {}))
    s.add(draft)
    s.flush()
    return draft


def drafts_for(s: Session, contact_id: int | None) -> list[Draft]:
    """A contact's drafts, newest first (``None``: drafts not tied to a contact)."""
    cond = Draft.contact_id.is_(None) if contact_id is None else Draft.contact_id == contact_id
    return list(s.scalars(select(Draft).where(cond).order_by(Draft.created_at.desc(),
                                                              Draft.id.desc())))


def draft_to_dict(d: Draft) -> dict[str, Any]:
    return {
        "id": d.id,
        "contact_id": d.contact_id,
        "task": d.task,
        "channel": d.channel,
        "language": d.language,
        "subject": d.subject or "",
        "text": d.text,
        "status": d.status,
        "backend": d.backend or "",
        "fallback_used": bool(d.fallback_used),
        "details": dict(d.details or {}),
        "created_at": d.created_at.isoformat() if d.created_at else None,
    }


EDITABLE_FIELDS = frozenset({"text", "subject"})


def get_draft(s: Session, draft_id: int) -> Draft | None:
    return s.get(Draft, int(draft_id))


def update_draft(s: Session, draft: Draft, **fields: Any) -> Draft:
    """Overwrite the editable fields (text, subject) of a saved draft; it stays a draft."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"draft fields not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.status = "draft"
    s.flush()
    return draft

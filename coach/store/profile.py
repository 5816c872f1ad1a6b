"""The user's profile: a single row (id = 1), created on first use."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coach.errors import InputError
from coach.store.models import GOALS, Profile

PROFILE_FIELDS = ("name", "role", "company", "offer", "passion", "goal", "language")


def get_profile(s: Session) -> Profile:
    profile = s.get(Profile, 1)
    if profile is None:
        profile = Profile(id=1, name="", role="", company="", offer="", passion="",
                          goal="clients", language="es")
        s.add(profile)
        s.flush()
    return profile


def set_profile(s: Session, **fields: Any) -> Profile:
    """Set the given fields (None leaves a field as it is)."""
    unknown = set(fields) - set(PROFILE_FIELDS) - {"updated_at"}
    if unknown:
        raise InputError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    profile = get_profile(s)
    for key, value in fields.items():
        if value is None:
            continue
        if key == "goal" and value not in GOALS:
            raise InputError(f"unknown goal {value!r}: use one of {', '.join(GOALS)}")
        if key == "language" and value not in ("es", "en"):
            raise InputError(f"unknown language {value!r}: use es or en")
        setattr(profile, key, value.strip() if isinstance(value, str) else value)
    s.flush()
    return profile


def profile_to_dict(p: Profile) -> dict[str, Any]:
    return {
        "name": p.name or "",
        "role": p.role or "",
        "company": p.company or "",
        "offer": p.offer or "",
        "passion": p.passion or "",
        "goal": p.goal or "clients",
        "language": p.language or "es",
        "updated_at": p.updated_at.isoformat() if p.updated_at else None,
    }


def is_empty(p: Profile) -> bool:
    return not any((p.name, p.role, p.company, p.offer, p.passion))

"""A JSON backup written by ``coach export --format json``: profile, contacts, interactions
and drafts. Read here and checked for consistency before anything is written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from coach.errors import InputError
from coach.input.records import decode_text

FORMAT = "coach-backup"
VERSION = 1


@dataclass
class Backup:
    profile: dict[str, Any] = field(default_factory=dict)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    drafts: list[dict[str, Any]] = field(default_factory=list)


def looks_like(text: str) -> bool:
    return text.lstrip().startswith("{") and FORMAT in text[:2000]


def parse(data: bytes, mapping: dict[str, str] | None = None) -> Backup:
    text = decode_text(data, "backup file")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not a JSON backup: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"not a coach backup: expected \"format\": \"{FORMAT}\" "
                         "(made by coach export --format json)")
    if doc.get("version") != VERSION:
        raise InputError(f"unsupported backup version {doc.get('version')!r} (this coach "
                         f"reads version {VERSION})")
    backup = Backup(
        profile=_dict(doc.get("profile") or {}, "profile"),
        contacts=_list(doc, "contacts"),
        interactions=_list(doc, "interactions"),
        drafts=_list(doc, "drafts"),
    )
    _check_types(backup)
    ids = set()
    for n, contact in enumerate(backup.contacts, 1):
        if not isinstance(contact.get("id"), int) or not str(contact.get("name") or "").strip():
            raise InputError(f"backup contact #{n} has no id or no name")
        ids.add(contact["id"])
    for n, item in enumerate(backup.interactions, 1):
        if item.get("contact_id") not in ids:
            raise InputError(f"backup interaction #{n} points to a missing contact "
                             f"{item.get('contact_id')!r}")
    for n, item in enumerate(backup.drafts, 1):
        if item.get("contact_id") is not None and item["contact_id"] not in ids:
            raise InputError(f"backup draft #{n} points to a missing contact "
                             f"{item.get('contact_id')!r}")
    return backup


_TEXT = (str, type(None))
_ID = (int,)
_OPTIONAL_ID = (int, type(None))
_TYPES: dict[str, dict[str, tuple[type, ...]]] = {
    "contacts": {"id": _ID, "cadence_days": (int, str, type(None)), "emails": (list,),
                 "tags": (list, str)},
    "interactions": {"id": _OPTIONAL_ID, "contact_id": _ID,
                     "related_contact_id": _OPTIONAL_ID},
    "drafts": {"id": _OPTIONAL_ID, "contact_id": _OPTIONAL_ID,
               "fallback_used": (bool, type(None)), "details": (dict, type(None))},
}


def _check_types(backup: Backup) -> None:
    """Every field has the type the exporter writes (text unless listed), so a hand-edited
    or corrupted backup fails with one clear line before anything is written."""
    for key, value in backup.profile.items():
        if not isinstance(value, _TEXT):
            raise InputError(f"backup profile field {key!r} must be text")
    for section in ("contacts", "interactions", "drafts"):
        types = _TYPES[section]
        for n, item in enumerate(getattr(backup, section), 1):
            for key, value in item.items():
                allowed = types.get(key, _TEXT)
                bad = not isinstance(value, allowed) or (
                    isinstance(value, bool) and bool not in allowed) or (
                    isinstance(value, list) and not all(isinstance(v, str) for v in value))
                if bad:
                    raise InputError(f"backup {section[:-1]} #{n} has a bad {key!r}: "
                                     f"{type(value).__name__}")


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"backup {what} must be an object")
    return value


def _list(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(f"backup {key} must be a list of objects")
    return value

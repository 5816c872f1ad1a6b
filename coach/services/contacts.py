"""Contacts, notes, profile, imports and exports: the use cases behind the CLI and the app.

Every change commits to SQLite first (the source of truth), then the notes index is
updated with ``coach.services.knowledge.sync_notes``. If that update fails, the change is
kept and the result carries a ``warning`` (``coach reindex`` rebuilds the index exactly).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.config import get_settings
from coach.errors import InputError
from coach.input import detect_format, get_parser
from coach.input.backup import Backup
from coach.input.records import (
    CONTACT_FIELDS,
    DEFAULT_CADENCE,
    ContactRecord,
    ParseResult,
    Skipped,
    conflicts,
    fold,
    identity_keys,
    merge_fields,
)
from coach.output import get_exporter
from coach.store import contacts as store
from coach.store import drafts as draft_store
from coach.store import profile as profile_store
from coach.store.db import session_scope
from coach.store.models import Contact, Draft, Interaction

Progress = Callable[[int, int], None]


# --- index sync -------------------------------------------------------------------------

def sync_index(note_ids: list[int]) -> str | None:
    """Update the notes index for these note ids; a failure becomes a warning, not an error."""
    if not note_ids:
        return None
    try:
        from coach.services.knowledge import sync_notes

        sync_notes(sorted(set(note_ids)))
    except Exception as exc:  # noqa: BLE001 - SQLite already holds the change
        return (f"saved, but the search index was not updated ({type(exc).__name__}: "
                f"{' '.join(str(exc).split())[:200]}); run `coach reindex`")
    return None


def _with_warning(result: dict[str, Any], warning: str | None) -> dict[str, Any]:
    if warning:
        result["warning"] = warning
    return result


def _note_ids(s: Session, contact_id: int) -> list[int]:
    return list(s.scalars(select(Interaction.id).where(Interaction.contact_id == contact_id)))


# --- contacts -----------------------------------------------------------------------------

def add_contact(**fields: Any) -> dict[str, Any]:
    with session_scope() as s:
        contact = store.add_contact(s, **fields)
        return store.contact_to_dict(contact)


def list_contacts(tier: str | None = None, tag: str | None = None,
                  query: str | None = None) -> list[dict[str, Any]]:
    with session_scope() as s:
        return [store.contact_to_dict(c) for c in store.list_contacts(s, tier, tag, query)]


def get_contact(ref: str | int) -> dict[str, Any]:
    """One contact with its notes (newest first) and drafts."""
    with session_scope() as s:
        contact = store.resolve_contact(s, ref)
        data = store.contact_to_dict(contact)
        data["notes"] = [store.interaction_to_dict(i) for i in store.notes_for(s, contact.id)]
        data["drafts"] = [draft_store.draft_to_dict(d)
                          for d in draft_store.drafts_for(s, contact.id)]
        return data


def edit_contact(ref: str | int, **fields: Any) -> dict[str, Any]:
    fields = {k: v for k, v in fields.items() if v is not None}
    if not fields:
        raise InputError("nothing to change: pass at least one field")
    with session_scope() as s:
        contact = store.resolve_contact(s, ref)
        renamed = "name" in fields and fields["name"] != contact.name
        store.update_contact(s, contact, **fields)
        data = store.contact_to_dict(contact)
        note_ids = _note_ids(s, contact.id) if renamed else []
    return _with_warning(data, sync_index(note_ids))


def delete_contact(ref: str | int) -> dict[str, Any]:
    with session_scope() as s:
        contact = store.resolve_contact(s, ref)
        result = {"deleted": contact.id, "name": contact.name}
        result["notes"] = store.delete_contact(s, contact)
    return _with_warning(result, sync_index(result["notes"]))


# --- notes ----------------------------------------------------------------------------------

def add_note(ref: str | int, text: str, kind: str = "note", value: str = "none",
             occurred_on: date | str | None = None,
             related: str | int | None = None) -> dict[str, Any]:
    with session_scope() as s:
        contact = store.resolve_contact(s, ref)
        related_id = store.resolve_contact(s, related).id if related not in (None, "") else None
        note = store.add_interaction(s, contact, text, kind=kind, value=value,
                                     occurred_on=occurred_on, related_contact_id=related_id)
        data = store.interaction_to_dict(note)
        data["contact_name"] = contact.name
    return _with_warning(data, sync_index([data["id"]]))


def edit_note(note_id: int, **fields: Any) -> dict[str, Any]:
    fields = {k: v for k, v in fields.items() if v is not None}
    if not fields:
        raise InputError("nothing to change: pass --text, --kind, --value or --date")
    with session_scope() as s:
        note = store.update_interaction(s, store.get_interaction(s, note_id), **fields)
        data = store.interaction_to_dict(note)
    return _with_warning(data, sync_index([note_id]))


def delete_note(note_id: int) -> dict[str, Any]:
    with session_scope() as s:
        store.delete_interaction(s, store.get_interaction(s, note_id))
    return _with_warning({"deleted": note_id}, sync_index([note_id]))


def list_notes(ref: str | int) -> list[dict[str, Any]]:
    with session_scope() as s:
        contact = store.resolve_contact(s, ref)
        return [store.interaction_to_dict(i) for i in store.notes_for(s, contact.id)]


# --- profile --------------------------------------------------------------------------------

def get_profile() -> dict[str, Any]:
    with session_scope() as s:
        return profile_store.profile_to_dict(profile_store.get_profile(s))


def set_profile(**fields: Any) -> dict[str, Any]:
    with session_scope() as s:
        return profile_store.profile_to_dict(profile_store.set_profile(s, **fields))


# --- import ---------------------------------------------------------------------------------

class _Target:
    """Where a record goes: an existing contact (``contact_id``) or a new one (``fields``)."""

    __slots__ = ("contact_id", "fields", "notes", "note_keys", "created")

    def __init__(self, fields: dict[str, Any], contact_id: int | None = None) -> None:
        self.contact_id = contact_id
        self.fields = fields
        self.notes: list[dict[str, Any]] = []
        self.note_keys: set[str] | None = None
        self.created = contact_id is None


class _Merger:
    """Finds the contact a record belongs to: in the database or earlier in the same file."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.by_key: dict[str, _Target] = {}
        self.targets: list[_Target] = []
        self.by_id: dict[int, _Target] = {}
        rows = s.execute(select(Contact.id, Contact.name, Contact.company, Contact.email,
                                Contact.emails, Contact.profile_url)).all()
        for r in rows:
            fields = {"name": r.name, "company": r.company, "email": r.email,
                      "emails": r.emails or [], "profile_url": r.profile_url}
            target = _Target(fields, r.id)
            self.by_id[r.id] = target
            for key in identity_keys(fields):
                self.by_key.setdefault(key, target)

    def place(self, fields: dict[str, Any]) -> tuple[_Target, bool]:
        """The target for these fields and whether it was merged into an existing one."""
        for key in identity_keys(fields):
            target = self.by_key.get(key)
            if target is None or (key.startswith("n:") and conflicts(target.fields, fields)):
                continue
            target.fields = merge_fields(target.fields, fields)
            self._index(target)
            return target, True
        target = _Target(dict(fields))
        self.targets.append(target)
        self._index(target)
        return target, False

    def _index(self, target: _Target) -> None:
        for key in identity_keys(target.fields):
            self.by_key.setdefault(key, target)

    def existing_note_keys(self, target: _Target) -> set[str]:
        if target.note_keys is None:
            target.note_keys = set()
            if target.contact_id is not None:
                rows = self.s.execute(select(Interaction.occurred_on, Interaction.text)
                                      .where(Interaction.contact_id == target.contact_id))
                target.note_keys = {fold(t) for _, t in rows}
        return target.note_keys


def _valid(record: ContactRecord) -> dict[str, Any]:
    fields = store.clean_contact_fields(record.fields)
    for note in record.notes:
        store.clean_interaction({"kind": note.kind, "value": note.value})
    return fields


def _apply_existing(s: Session, target: _Target) -> None:
    contact = s.get(Contact, target.contact_id)
    current = store.contact_to_dict(contact)
    merged = merge_fields(current, target.fields)
    changes = {k: merged[k] for k in CONTACT_FIELDS
               if k in merged and merged[k] != current.get(k) and k not in ("cadence_days",)}
    if changes:
        store.update_contact(s, contact, **changes)


def _write(s: Session, merger: _Merger, touched: list[_Target]) -> list[int]:
    """Create the new contacts, update the merged ones, add the notes; return note ids."""
    new = [t for t in merger.targets if t.created]
    objects = []
    for t in new:
        data = store.clean_contact_fields(t.fields)
        data.setdefault("tier", "radar")
        data["cadence_days"] = data.get("cadence_days") or DEFAULT_CADENCE[data["tier"]]
        objects.append(Contact(**data))
    s.add_all(objects)
    s.flush()
    for t, obj in zip(new, objects, strict=True):
        t.contact_id = obj.id
    for t in touched:
        if not t.created:
            _apply_existing(s, t)
    notes = [Interaction(contact_id=t.contact_id, **store.clean_interaction(n))
             for t in touched for n in t.notes]
    s.add_all(notes)
    s.flush()
    return [n.id for n in notes]


def _import_records(s: Session, parsed: ParseResult,
                    progress: Progress | None) -> dict[str, Any]:
    merger = _Merger(s)
    skipped: list[Skipped] = list(parsed.skipped)
    touched: dict[int, _Target] = {}
    imported = merged = 0
    total = len(parsed.records)
    for n, record in enumerate(parsed.records, 1):
        try:
            fields = _valid(record)
        except InputError as exc:
            skipped.append(Skipped(record.row, str(exc)))
            continue
        target, was_merged = merger.place(fields)
        if was_merged:
            merged += 1
        else:
            imported += 1
        touched[id(target)] = target
        keys = merger.existing_note_keys(target)
        for note in record.notes:
            if fold(note.text) in keys:
                continue
            keys.add(fold(note.text))
            target.notes.append({"text": note.text, "kind": note.kind, "value": note.value,
                                 "occurred_on": note.occurred_on or fields.get("met_on")})
        if progress and (n % 500 == 0 or n == total):
            progress(n, total)
    note_ids = _write(s, merger, list(touched.values()))
    skipped.sort(key=lambda x: x.row)
    return {"imported": imported, "merged": merged,
            "skipped": [x.to_dict() for x in skipped], "notes": note_ids}


def _stamp(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"bad timestamp in backup: {value!r}") from None


def _import_backup(s: Session, backup: Backup) -> dict[str, Any]:
    profile = profile_store.get_profile(s)
    if backup.profile and profile_store.is_empty(profile):
        fields = {k: backup.profile[k] for k in profile_store.PROFILE_FIELDS
                  if backup.profile.get(k) not in (None, "")}
        profile_store.set_profile(s, **fields)
    merger = _Merger(s)
    id_map: dict[int, int] = {}
    imported = merged = 0
    pending: list[tuple[int, _Target, dict[str, Any]]] = []
    for c in backup.contacts:
        fields = store.clean_contact_fields({k: c[k] for k in CONTACT_FIELDS if k in c})
        target, was_merged = merger.place(fields)
        merged += was_merged
        imported += not was_merged
        stamps = {k: _stamp(c.get(k)) for k in ("created_at", "updated_at") if c.get(k)}
        pending.append((c["id"], target, stamps))
    new = {id(t) for t in merger.targets}
    touched = {id(t): t for _, t, _ in pending}
    note_ids = _write(s, merger, list(touched.values()))
    for old_id, target, stamps in pending:
        id_map[old_id] = target.contact_id
        if id(target) in new and stamps:
            contact = s.get(Contact, target.contact_id)
            for key, value in stamps.items():
                setattr(contact, key, value)
    seen: dict[int, set[tuple[str, str, str]]] = {}
    notes = []
    for item in backup.interactions:
        cid = id_map[item["contact_id"]]
        keys = seen.get(cid)
        if keys is None:
            rows = s.execute(select(Interaction.occurred_on, Interaction.kind, Interaction.text)
                             .where(Interaction.contact_id == cid))
            keys = seen[cid] = {(str(d), k, fold(t)) for d, k, t in rows}
        data = store.clean_interaction({k: item.get(k) for k in
                                         ("text", "kind", "value", "occurred_on")})
        key = (str(data["occurred_on"]), data["kind"], fold(data["text"]))
        if key in keys:
            continue
        keys.add(key)
        related = item.get("related_contact_id")
        stamps = {k: _stamp(item.get(k)) for k in ("created_at", "updated_at") if item.get(k)}
        notes.append(Interaction(contact_id=cid, related_contact_id=id_map.get(related),
                                 **stamps, **data))
    s.add_all(notes)
    drafts = 0
    for d in backup.drafts:
        cid = id_map.get(d["contact_id"]) if d.get("contact_id") is not None else None
        created = _stamp(d.get("created_at"))
        exists = s.scalar(select(Draft.id).where(Draft.contact_id.is_(cid) if cid is None
                                                 else Draft.contact_id == cid,
                                                 Draft.created_at == created,
                                                 Draft.text == d.get("text", "")))
        if exists:
            continue
        draft = draft_store.save_draft(
            s, cid, d.get("task") or "follow-up", d.get("channel") or "email",
            d.get("language") or "es", d.get("subject") or "", d.get("text") or "",
            d.get("backend") or "", bool(d.get("fallback_used")), d.get("details") or {})
        draft.status = d.get("status") or "draft"
        if created:
            draft.created_at = created
        drafts += 1
    s.flush()
    return {"imported": imported, "merged": merged, "skipped": [],
            "notes": note_ids + [n.id for n in notes], "drafts": drafts}


def import_file(path: str | Path, fmt: str | None = None, mapping: dict[str, str] | None = None,
                progress: Progress | None = None) -> dict[str, Any]:
    """Import a file in one transaction: all of it or nothing.

    Returns ``{imported, merged, skipped: [{row, reason}], format, notes}``.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(f"no such file: {file}")
    limit = get_settings().max_upload_mb * 1024 * 1024
    if file.stat().st_size > limit:
        raise InputError(f"{file.name} is larger than {get_settings().max_upload_mb} MB")
    data = file.read_bytes()
    fmt = fmt or detect_format(file, data)
    parsed = get_parser(fmt)(data, mapping)
    with session_scope() as s:
        if isinstance(parsed, Backup):
            result = _import_backup(s, parsed)
        else:
            result = _import_records(s, parsed, progress)
    note_ids = result.pop("notes")
    result = {"format": fmt, **result, "notes_added": len(note_ids)}
    return _with_warning(result, sync_index(note_ids))


# --- export ---------------------------------------------------------------------------------

def export_state(today: date | str | None = None, lang: str | None = None,
                 with_review: bool = False) -> dict[str, Any]:
    """Everything in the store as plain dicts (never a secret)."""
    with session_scope() as s:
        state: dict[str, Any] = {
            "exported_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat(),
            "profile": profile_store.profile_to_dict(profile_store.get_profile(s)),
            "contacts": [store.contact_to_dict(c)
                         for c in s.scalars(select(Contact).order_by(Contact.id))],
            "interactions": [store.interaction_to_dict(i)
                             for i in s.scalars(select(Interaction).order_by(Interaction.id))],
            "drafts": [draft_store.draft_to_dict(d)
                       for d in s.scalars(select(Draft).order_by(Draft.id))],
        }
    if with_review:
        from coach.services.review import review

        state["review"] = review(today, lang)
    return state


def export(fmt: str, today: date | str | None = None, lang: str | None = None) -> str:
    """The export as text: json (full backup), csv, vcard or ics (due follow-ups)."""
    exporter = get_exporter(fmt)
    return exporter(export_state(today, lang, with_review=fmt == "ics"))


def export_to_file(fmt: str, path: str | Path, today: date | str | None = None,
                   lang: str | None = None) -> dict[str, Any]:
    """Write the export atomically (a temporary file in the same folder, then a rename)."""
    text = export(fmt, today, lang)
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError(f"no such folder: {target.parent}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"format": fmt, "path": str(target), "bytes": len(text.encode("utf-8"))}

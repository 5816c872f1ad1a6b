"""Plain records produced by the importers, and the pure helpers they share.

No framework and no database here: an importer turns bytes into ``ContactRecord`` objects;
``coach.services.contacts`` merges them into the store in one transaction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from coach.errors import InputError

TIERS = ("prospect", "ally", "radar")
STAGES = ("connect", "cultivate", "exchange", "maintain")
KINDS = ("note", "meeting", "call", "message", "email", "event", "intro")
VALUES = ("given", "received", "none")
DEFAULT_CADENCE = {"prospect": 14, "ally": 30, "radar": 90}

CONTACT_FIELDS = (
    "name", "company", "role", "email", "emails", "phone", "profile_url", "location",
    "where_met", "met_on", "tier", "stage", "tags", "needs", "offers", "cadence_days",
    "language", "source",
)


@dataclass
class NoteRecord:
    text: str
    occurred_on: date | None = None
    kind: str = "note"
    value: str = "none"


@dataclass
class ContactRecord:
    """One contact read from a file; ``row`` is where it starts (a line or card number)."""

    row: int
    fields: dict[str, Any]
    notes: list[NoteRecord] = field(default_factory=list)


@dataclass
class Skipped:
    row: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "reason": self.reason}


@dataclass
class ParseResult:
    records: list[ContactRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def fold(text: str | None) -> str:
    """Case- and accent-insensitive form: 'José  PÉREZ' -> 'jose perez'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def normalize_url(url: str | None) -> str:
    """A profile URL reduced to host + path: scheme, 'www.', query and trailing '/' dropped."""
    if not url:
        return ""
    text = url.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.removeprefix("www.")
    text = text.split("?", 1)[0].split("#", 1)[0]
    return text.rstrip("/")


def normalize_email(email: str | None) -> str:
    return (email or "").strip().lower()


_DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%d/%m/%Y", "%Y%m%d", "%d-%b-%Y",
                 "%b %d, %Y", "%d.%m.%Y")
_ES_MONTHS = {"ene": "Jan", "feb": "Feb", "mar": "Mar", "abr": "Apr", "may": "May",
              "jun": "Jun", "jul": "Jul", "ago": "Aug", "sep": "Sep", "sept": "Sep",
              "oct": "Oct", "nov": "Nov", "dic": "Dec"}


def parse_date(value: Any) -> date | None:
    """A date from ISO, LinkedIn's '12 Mar 2024' (also Spanish month names) or dd/mm/yyyy.

    Returns None for an empty value; raises ``InputError`` for text that is not a date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    words = text.replace(".", " ").split() if not re.fullmatch(r"[\d.]+", text) else [text]
    if len(words) == 3 and words[1].lower() in _ES_MONTHS:
        words[1] = _ES_MONTHS[words[1].lower()]
        text = " ".join(words)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise InputError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def split_list(value: Any) -> list[str]:
    """Tags from a list or from text separated by commas or semicolons (order kept, no dups)."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else re.split(r"[;,]", str(value))
    seen: dict[str, str] = {}
    for item in items:
        tag = str(item).strip()
        if tag and fold(tag) not in seen:
            seen[fold(tag)] = tag
    return list(seen.values())


def decode_text(data: bytes, what: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), then Windows-1252, then Latin-1."""
    if b"\x00" in data[:4096]:
        raise InputError(f"{what}: this looks like a binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def identity_keys(fields: dict[str, Any]) -> list[str]:
    """The keys that say two records are the same person: e-mails, profile URL, name+company."""
    keys = [f"e:{e}" for e in all_emails(fields)]
    url = normalize_url(fields.get("profile_url"))
    if url:
        keys.append(f"u:{url}")
    name = fold(fields.get("name"))
    if name:
        keys.append(f"n:{name}|{fold(fields.get('company'))}")
    return keys


def all_emails(fields: dict[str, Any]) -> list[str]:
    emails = [normalize_email(fields.get("email"))]
    emails += [normalize_email(e) for e in fields.get("emails") or []]
    out: list[str] = []
    for e in emails:
        if e and e not in out:
            out.append(e)
    return out


def conflicts(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when two records that share a name+company clearly belong to different people
    (both carry e-mails and none is shared, or both carry different profile URLs)."""
    ea, eb = set(all_emails(a)), set(all_emails(b))
    if ea and eb and not ea & eb:
        return True
    ua, ub = normalize_url(a.get("profile_url")), normalize_url(b.get("profile_url"))
    return bool(ua and ub and ua != ub)


def merge_fields(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Fill ``base``'s empty fields from ``extra``; e-mails and tags are united. ``base`` wins."""
    out = dict(base)
    for key, value in extra.items():
        if key in ("emails", "tags"):
            continue
        if value not in (None, "", []) and out.get(key) in (None, "", []):
            out[key] = value
    emails = all_emails(base) + [e for e in all_emails(extra) if e not in all_emails(base)]
    if emails:
        out["email"] = out.get("email") or emails[0]
        out["emails"] = emails
    tags = split_list(list(base.get("tags") or []) + list(extra.get("tags") or []))
    if tags:
        out["tags"] = tags
    return out

"""vCard 3.0 and 4.0 address books (``.vcf``), read with ``vobject``.

Folded lines, several e-mails and accented names are handled by the parser; NOTE becomes a
note on the contact and CATEGORIES become tags.
"""

from __future__ import annotations

import re
from typing import Any

import vobject
from vobject.base import ParseError, VObjectError

from coach.errors import InputError
from coach.input.records import (
    ContactRecord,
    NoteRecord,
    ParseResult,
    Skipped,
    decode_text,
    parse_date,
    split_list,
)

_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.I | re.M)


def looks_like(text: str) -> bool:
    return bool(_BEGIN.search(text[:4096]))


def parse(data: bytes, mapping: dict[str, str] | None = None) -> ParseResult:
    text = decode_text(data, "vCard file")
    if not looks_like(text):
        raise InputError("not a vCard file: no BEGIN:VCARD line")
    starts = [text.count("\n", 0, m.start()) + 1 for m in _BEGIN.finditer(text)]
    result = ParseResult()
    cards = vobject.readComponents(text, ignoreUnreadable=False)
    number = 0
    while True:
        try:
            card = next(cards)
        except StopIteration:
            break
        except (ParseError, VObjectError, ValueError) as exc:
            line = starts[number] if number < len(starts) else number + 1
            detail = re.sub(r"^At line \d+:\s*", "", " ".join(str(exc).split()))
            raise InputError(f"broken vCard (card {number + 1}, starting line {line}): "
                             f"{detail}") from None
        line = starts[number] if number < len(starts) else number + 1
        number += 1
        if card.name.upper() != "VCARD":
            result.skipped.append(Skipped(line, f"not a vCard component: {card.name}"))
            continue
        record = _record(card, line)
        if record is None:
            result.skipped.append(Skipped(line, "no FN or N (no name)"))
        else:
            result.records.append(record)
    if number == 0:
        raise InputError("not a vCard file: no card could be read")
    return result


def _values(card: Any, key: str) -> list[Any]:
    return [item.value for item in card.contents.get(key, [])]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v).strip() for v in value if str(v).strip())
    return str(value or "").strip()


def _name(card: Any) -> str:
    fn = _text((_values(card, "fn") or [""])[0])
    if fn:
        return " ".join(fn.split())
    n = (_values(card, "n") or [None])[0]
    if n is None:
        return ""
    parts = [_text(n.prefix), _text(n.given), _text(n.additional), _text(n.family)]
    return " ".join(" ".join(parts).split())


def _record(card: Any, line: int) -> ContactRecord | None:
    name = _name(card)
    if not name:
        return None
    emails = [e.strip().lower() for e in (_text(v) for v in _values(card, "email")) if e]
    org = (_values(card, "org") or [""])[0]
    company = _text(org[0] if isinstance(org, list) and org else org)
    urls = [_text(u) for u in _values(card, "url") + _values(card, "x-socialprofile")]
    linkedin = next((u for u in urls if "linkedin." in u.lower()), urls[0] if urls else "")
    tags: list[str] = []
    for cats in _values(card, "categories"):
        tags += split_list(cats)
    adr = (_values(card, "adr") or [None])[0]
    location = ", ".join(p for p in (_text(getattr(adr, "city", "")),
                                     _text(getattr(adr, "country", ""))) if p) if adr else ""
    fields: dict[str, Any] = {
        "name": name,
        "company": company,
        "role": _text((_values(card, "title") or [""])[0]) or
                _text((_values(card, "role") or [""])[0]),
        "email": emails[0] if emails else "",
        "emails": emails,
        "phone": re.sub(r"^tel:", "", _text((_values(card, "tel") or [""])[0]), flags=re.I),
        "profile_url": linkedin,
        "location": location,
        "tags": tags,
        "source": "vcard",
    }
    notes = [NoteRecord(_text(n)) for n in _values(card, "note") if _text(n)]
    anniversary = (_values(card, "anniversary") or [""])[0]
    try:
        met = parse_date(_text(anniversary)) if anniversary else None
    except InputError:
        met = None
    if met:
        fields["met_on"] = met
    return ContactRecord(line, fields, notes)

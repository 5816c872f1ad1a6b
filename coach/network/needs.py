"""What each contact needs and what they can offer, from their fields and notes.

Pure code (no store, no model). Explicit fields (``needs``, ``offers``) come first; when a
field is empty, the items are extracted from the notes with bilingual cue patterns
("busca", "necesita", "le interesa", "looking for", "needs" / "ofrece", "puede ayudar
con", "experto en", "expert in", "has contacts in"...), each with the note it came from.
Negated cues ("ya no busca", "no longer looking for") are ignored.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from coach.compose.facts import sanitize

NEED = "need"
OFFER = "offer"

_NEG = r"(?<!\bno )(?<!\bya no )(?<!\bnot )(?<!\bno longer )(?<!\bnever )(?<!\bnunca )"

# Each cue: (pattern, the cue's base form used when rephrasing). The object follows the cue.
_CUES: dict[str, list[str]] = {
    NEED: [
        r"(?:est[aá]|anda) buscando", r"busca(?:ba|n)?", r"necesita(?:ba|n)?",
        r"le (?:interesa|interesar[ií]a)n?", r"quiere(?:n)? (?:encontrar|conseguir)",
        r"le (?:falta|faltan|vendr[ií]a bien|cuesta|cuestan)", r"tiene que encontrar",
        r"(?:is|are|was|were) (?:looking|searching) for", r"looking for", r"searching for",
        r"needs?", r"(?:is |are )?interested in", r"hoping to find", r"could use",
        r"struggl(?:es|ing) with", r"wants? to find",
    ],
    OFFER: [
        r"ofrece(?:n)?", r"puede(?:n)? ayudar (?:con|en|a)", r"puede(?:n)? echar una mano con",
        r"(?:es )?(?:un |una )?(?:experto|experta|especialista) en",
        r"(?:est[aá] )?especializad[oa] en", r"tiene (?:muchos |buenos )?contactos (?:en|con)",
        r"conoce (?:a mucha gente|bien el sector|a gente) (?:en|de)", r"invierte(?:n)? en",
        r"sabe mucho (?:de|sobre)", r"lleva (?:\w+ )?años",
        r"da (?:talleres|clases|cursos) (?:de|sobre)",
        r"ense[nñ]a", r"asesora (?:a|en|sobre)",
        r"offers?", r"can help(?: you| people| founders| teams)? (?:with|on)",
        r"(?:is |an |a )*expert in",
        r"speciali[sz](?:es|ed|ing) in", r"(?:is |a )?specialist in",
        r"has (?:many |good |great )?contacts (?:in|at|with|across)", r"invests? in",
        r"knows (?:a lot|everyone|many people) (?:about|in)", r"teach(?:es)?",
        r"advises? (?:on|startups on)",
        r"provides?", r"(?:has )?(?:\w+ )?years of experience (?:in|with)",
    ],
}
_STOP_AT = re.compile(
    r"[.;:!?\n]|,\s(?=(?:all[ií]|donde|que|porque|which|where|because|so|as)\b)"
    r"|\s(?:pero|aunque|but|although|while|mientras)\s|\s[-–—]\s|\("
    r"|\s(?:y|and)\s(?=(?:puede|tiene|es|ofrece|busca|necesita|da|lleva|he|she|they|can|has|is"
    r"|offers|needs|runs)\b)", re.I)
_TRAILING = {"de", "del", "la", "las", "el", "los", "su", "sus", "a", "en", "con", "para", "por",
             "y", "o", "un", "una", "que", "the", "of", "an", "and", "or", "to", "for",
             "with", "in", "on", "her", "his", "their", "its"}
_SPLIT_FIELD = re.compile(r"\s*(?:;|\n|\|)\s*")
MAX_WORDS = 18
MIN_WORDS = 2


@dataclass
class Item:
    """One need or offer: ``text`` is the object ("financiación para su startup"),
    ``clause`` the cue with its object ("busca financiación para su startup")."""

    kind: str
    text: str
    clause: str
    cue: str = ""
    source: str = "note"  # "field" or "note"
    note_id: int | None = None
    note_text: str = ""
    contact_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Needs:
    contact_id: int | None
    needs: list[Item] = field(default_factory=list)
    offers: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"contact_id": self.contact_id, "needs": [i.to_dict() for i in self.needs],
                "offers": [i.to_dict() for i in self.offers]}


def _compile(kind: str) -> re.Pattern[str]:
    alternatives = "|".join(_CUES[kind])
    return re.compile(r"(?:^|(?<=[\s,;(]))" + _NEG + rf"(?P<cue>{alternatives})\s+(?P<obj>.+)",
                      re.I)


_PATTERNS = {NEED: _compile(NEED), OFFER: _compile(OFFER)}


def _trim(obj: str) -> str:
    cut = _STOP_AT.search(obj)
    text = obj[:cut.start()] if cut else obj
    tokens = text.split()[:MAX_WORDS]
    while len(tokens) > 1 and tokens[-1].lower().strip(",") in _TRAILING:
        tokens.pop()
    return " ".join(tokens).strip(" ,.;:'\"«»“”")


def _pieces(text: str) -> list[str]:
    """Sentences and clauses (split on ';' too) of a cleaned note."""
    return [p.strip() for p in re.split(r"(?<=[.!?;])\s+|\n+", text) if p.strip()]


def extract_from_text(text: str, kind: str) -> list[tuple[str, str, str]]:
    """(cue, object, clause) for each ``kind`` cue found in ``text``."""
    found: list[tuple[str, str, str]] = []
    pattern = _PATTERNS[kind]
    for piece in _pieces(text):
        pos = 0
        while True:
            match = pattern.search(piece, pos)
            if not match:
                break
            obj = _trim(match.group("obj"))
            cue = " ".join(match.group("cue").split()).lower()
            if len(obj.split()) >= MIN_WORDS or (obj and kind == OFFER):
                found.append((cue, obj, f"{cue} {obj}".strip()))
            pos = match.end("cue")
            if obj:
                pos = max(pos, match.start("obj") + len(obj))
    return _dedupe(found)


def _dedupe(found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for item in found:
        if any(item[1].lower() in other[1].lower() for other in out):
            continue
        out = [o for o in out if o[1].lower() not in item[1].lower()]
        out.append(item)
    return out


def from_field(value: str | None, kind: str, contact_id: int | None = None) -> list[Item]:
    """Items typed in the contact's ``needs``/``offers`` field (one per line or ';')."""
    clean, _ = sanitize(str(value or "").replace(";", ".\n"))
    items = []
    for part in _SPLIT_FIELD.split(str(value or "")):
        part_clean, _ = sanitize(part)
        part_clean = part_clean.strip(" .,")
        if not part_clean or part_clean not in clean:
            continue
        matches = extract_from_text(part_clean, kind)
        if matches:
            cue, obj, clause = matches[0]
            items.append(Item(kind, obj, clause, cue, "field", None, part_clean, contact_id))
        else:
            items.append(Item(kind, part_clean, part_clean, "", "field", None, part_clean,
                              contact_id))
    return items


def from_notes(notes: list[dict[str, Any]], kind: str,
               contact_id: int | None = None) -> list[Item]:
    """Items found in the notes (each note a dict with ``id`` and ``text``), newest first."""
    items: list[Item] = []
    seen: set[str] = set()
    for note in notes:
        clean, _ = sanitize(str(note.get("text") or ""))
        if note.get("kind") == "intro":
            continue
        for cue, obj, clause in extract_from_text(clean, kind):
            key = obj.lower()
            if key in seen:
                continue
            seen.add(key)
            items.append(Item(kind, obj, clause, cue, "note", note.get("id"), clean,
                              contact_id))
    return items


def extract(contact: dict[str, Any], notes: list[dict[str, Any]] | None = None) -> Needs:
    """A contact's needs and offers: explicit fields first, otherwise from the notes."""
    cid = contact.get("id")
    notes = notes or []
    needs = from_field(contact.get("needs"), NEED, cid) or from_notes(notes, NEED, cid)
    offers = from_field(contact.get("offers"), OFFER, cid) or from_notes(notes, OFFER, cid)
    return Needs(cid, needs, offers)

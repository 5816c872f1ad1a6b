"""The facts a draft may use, extracted from the contact, the notes and the profile.

Pure code: no store, no model. Notes are *data*, never instructions: lines that look
like instructions to a model ("ignore previous instructions", "system:", "reveal your
prompt"), URLs and markup are removed before anything reaches a prompt, and what was
removed is kept so the verifier can check that no draft repeats it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

TASKS = ("follow_up", "advice", "pitch")
CHANNELS = ("email", "linkedin", "whatsapp")
WEAK_TIERS = ("radar", "prospect")

_INJECTION = re.compile(
    r"(ignor\w*|olvid\w*|disregard|forget|override|bypass)\b.{0,40}"
    r"(instruc\w*|prompt|reglas|rules|above|anterior\w*|previous|todo|everything)"
    r"|\b(system|sistema|assistant|asistente|developer|user)\s*:"
    r"|\b(reveal|show|print|repeat|muestra|revela|imprime|repite)\b.{0,30}"
    r"(prompt|instruc\w*|system|sistema|secret\w*|secret|clave|password|contraseñ\w*)"
    r"|\b(you are now|ahora eres|act[uú]a como|act as|new instructions|nuevas instrucciones"
    r"|jailbreak|do anything now)\b"
    r"|<\|?/?\s*(system|im_start|im_end|start_of_turn|end_of_turn)"
    r"|\b(escribe|write|include|incluye|añade|add|say|di|dile)\b.{0,40}"
    r"\b(en (el|tu) mensaje|in (the|your) (message|reply|answer)|al final|at the end)\b"
    r"|\[/?INST\]|#{2,}\s*(instruc\w*|system|sistema|response|respuesta)"
    r"|\b(reply|respond|answer|output|responde|contesta|devuelve)\b.{0,20}"
    r"\b(only|solo|sólo|solamente|únicamente)\s+(with|con|the|la|el)\b"
    r"|\b(para|to|for) (la|el|the) (ia|ai|modelo|model|bot|asistente|assistant|llm)\s*:"
    r"|\b(instruc\w*|nota|note|importante|important)\b.{0,15}\b(para|for|to) (la|el|the) "
    r"(ia|ai|modelo|model|bot|asistente|assistant|llm)\b"
    r"|\b(translate|traduce)\b.{0,30}\b(message|mensaje|reply|respuesta)",
    re.I,
)
_URL = re.compile(r"(https?://\S+|www\.\S+|\b[\w.-]+\.(com|net|org|io|es|ly|co)/\S*)", re.I)
_MARKUP = re.compile(r"```|</?[a-zA-Z!|][^<>]{0,40}>|\{\{|\}\}|\[\[|\]\]|\[[^\]]*\]\(")
_BLOCK = re.compile(r"```.*?(?:```|$)|<(script|style)\b.*?(?:</\1\s*>|$)", re.S | re.I)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

_TOPIC_PATTERNS = {
    "es": [
        r"\b(?:hablamos|charlamos|conversamos|comentamos|hablé con \w+) (?:de|sobre) "
        r"(?P<t>[^.;:\n]+)",
        r"\b(?:me contó|me habló|nos contó) (?:de|sobre) (?P<t>[^.;:\n]+)",
        r"\b(?:interesad[oa]|interesa) en (?P<t>[^.;:\n]+)",
        r"\ble interesa(?:n)? (?P<t>[^.;:\n]+)",
        r"\btema:\s*(?P<t>[^.;\n]+)",
    ],
    "en": [
        r"\b(?:talked|spoke|chatted) about (?P<t>[^.;:\n]+)",
        r"\bdiscussed (?P<t>[^.;:\n]+)",
        r"\b(?:told me|telling me) about (?P<t>[^.;:\n]+)",
        r"\binterested in (?P<t>[^.;:\n]+)",
        r"\btopic:\s*(?P<t>[^.;\n]+)",
    ],
}
_PAIN_PATTERNS = {
    "es": [
        r"\b(?:le preocupa|le preocupan|le cuesta|le cuestan) (?P<t>[^.;:\n]+)",
        r"\b(?:su|el) (?:reto|problema|desafío|dolor) (?:es|son|:)\s*(?P<t>[^.;\n]+)",
        r"\b(?:busca|está buscando|necesita) (?P<t>[^.;:\n]+)",
    ],
    "en": [
        r"\b(?:worried about|struggling with|struggles with|stuck on) (?P<t>[^.;:\n]+)",
        r"\b(?:her|his|their|the) (?:challenge|problem|pain) (?:is|:)\s*(?P<t>[^.;\n]+)",
        r"\b(?:is looking for|are looking for|needs|need) (?P<t>[^.;:\n]+)",
    ],
}
_SECOND_PERSON = {
    "es": [(r"\bsus\b", "tus"), (r"\bsu\b", "tu")],
    "en": [(r"\b(his|her|their)\b", "your")],
}


@dataclass
class Facts:
    """Everything a draft may say, already cleaned; ``text()`` is the grounding corpus."""

    task: str
    lang: str
    channel: str = "email"
    contact: dict[str, Any] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)
    topic: str = ""
    event: str = ""
    goal: str = ""
    seconds: int = 60
    detail: str = ""
    pain: str = ""
    removed: list[str] = field(default_factory=list)
    guidance: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first_name(self) -> str:
        return first_name(self.contact.get("name", ""))

    @property
    def weak_tie(self) -> bool:
        tier = self.contact.get("tier") or "radar"
        stage = self.contact.get("stage") or "connect"
        return tier in WEAK_TIERS or stage == "connect"

    @property
    def where_met(self) -> str:
        return clean_value(self.contact.get("where_met", ""))

    def note_sources(self) -> list[str]:
        return [f"note:{n['id']}" for n in self.notes if n.get("id") is not None]

    def text(self) -> str:
        """All input text a draft may draw names, companies and numbers from."""
        parts: list[str] = [self.topic, self.event, self.goal, self.detail, self.pain]
        for key in ("name", "company", "role", "where_met", "needs", "offers", "location"):
            parts.append(str(self.contact.get(key) or ""))
        parts += [str(t) for t in self.contact.get("tags") or []]
        for key in ("name", "role", "company", "offer", "passion"):
            parts.append(str(self.profile.get(key) or ""))
        parts += [n.get("text", "") for n in self.notes]
        parts += [t.get("name", "") + " " + t.get("company", "") for t in self.targets]
        return "\n".join(p for p in parts if p)


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced."""
    if not text:
        return ""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def first_name(name: str) -> str:
    parts = [p for p in str(name or "").split() if p.lower() not in ("dr.", "dra.", "sr.", "sra.")]
    return parts[0].strip(",.") if parts else ""


def is_injection(sentence: str) -> bool:
    return bool(_INJECTION.search(sentence))


def sanitize(text: str) -> tuple[str, list[str]]:
    """Drop instruction-like sentences, URLs and markup; return (clean text, removed parts).

    The rest of a line after an instruction-like sentence is dropped too (the payload
    usually follows the "ignore the above"), and so is every sentence that carries markup."""
    removed: list[str] = [m.group(0) for m in _BLOCK.finditer(str(text or ""))]
    kept: list[str] = []
    sentences: list[str] = []
    for line in _BLOCK.sub("\n", str(text or "")).split("\n"):
        parts = _SENTENCE.split(line)
        hit = next((n for n, part in enumerate(parts) if is_injection(part)), None)
        if hit is not None:
            removed += [p.strip() for p in parts[hit:] if p.strip()]
            parts = parts[:hit]
        sentences += parts
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        if _MARKUP.search(sentence):
            removed.append(sentence)
            continue
        for url in _URL.findall(sentence):
            removed.append(url[0])
        sentence = _URL.sub("", sentence)
        sentence = " ".join(sentence.split())
        if sentence.strip(" .,;:"):
            kept.append(sentence)
    return " ".join(kept), removed


def clean_name(name: str | None) -> tuple[str, list[str]]:
    """A contact's name cut where an instruction, link or markup starts (names go into
    prompts too); returns (clean name, removed part)."""
    text = " ".join(str(name or "").split())
    starts = [m.start() for rx in (_INJECTION, _MARKUP, _URL, _BLOCK)
              if (m := rx.search(text)) is not None]
    if not starts:
        return text, []
    cut = min(starts)
    return text[:cut].strip(" ([{-–—,;:|"), [text[cut:]]


def clean_value(text: str | None, limit: int = 160) -> str:
    """A profile/contact field as safe, one-line data."""
    clean, _ = sanitize(str(text or ""))
    clean = clean.strip().rstrip(".")
    return clean[:limit].rsplit(" ", 1)[0] if len(clean) > limit else clean


def to_second_person(phrase: str, lang: str) -> str:
    out = phrase
    for pattern, repl in _SECOND_PERSON.get(lang, []):
        out = re.sub(pattern, repl, out, flags=re.I)
    return out


def _short(phrase: str, words: int = 12) -> str:
    phrase = re.split(r"\s*(?:,|\by\b|\band\b|\bpero\b|\bbut\b|\(|—| - )\s*", phrase)[0] \
        if len(phrase.split()) > words else phrase
    tokens = phrase.split()[:words]
    return " ".join(tokens).strip(" ,.;:")


def _match(patterns: list[str], texts: list[str]) -> str:
    for text in texts:
        for pattern in patterns:
            found = re.search(pattern, text, re.I)
            if found and len(found.group("t").split()) >= 1:
                return found.group("t").strip()
    return ""


def extract_detail(notes: list[str], contact: dict[str, Any], lang: str) -> tuple[str, str]:
    """(detail, pain): what was talked about and the other person's challenge, in 2nd person."""
    other = "en" if lang == "es" else "es"
    patterns = _TOPIC_PATTERNS[lang] + _TOPIC_PATTERNS[other]
    detail = _match(patterns, notes)
    pain = _match(_PAIN_PATTERNS[lang] + _PAIN_PATTERNS[other], notes)
    if not detail:
        detail = pain or clean_value(contact.get("needs")) or _first_clause(notes)
    if not detail and contact.get("tags"):
        detail = ", ".join(str(t) for t in contact["tags"][:2])
    detail = to_second_person(_short(detail), lang)
    pain = to_second_person(_short(pain), lang) if pain else ""
    return detail, pain


def _first_clause(notes: list[str]) -> str:
    for text in notes:
        clause = re.split(r"[.;:\n]", text)[0].strip()
        if len(clause.split()) >= 2:
            return clause if clause[1:2].isupper() else clause[:1].lower() + clause[1:]
    return ""


def build_facts(task: str, lang: str, *, contact: dict[str, Any] | None = None,
                notes: list[dict[str, Any]] | None = None, profile: dict[str, Any] | None = None,
                channel: str = "email", topic: str = "", event: str = "", goal: str = "",
                seconds: int = 60) -> Facts:
    """Clean every input and extract the concrete detail; nothing here invents text."""
    contact = dict(contact or {})
    contact["name"], removed = clean_name(contact.get("name"))
    for key in ("where_met", "needs", "offers", "company", "role"):
        clean, dropped = sanitize(str(contact.get(key) or ""))
        contact[key], removed = clean, removed + dropped
    clean_notes: list[dict[str, Any]] = []
    for note in notes or []:
        clean, dropped = sanitize(str(note.get("text") or ""))
        removed += dropped
        if clean:
            clean_notes.append({**note, "text": clean})
    clean_profile = {}
    for key, value in (profile or {}).items():
        clean, dropped = sanitize(str(value or ""))
        clean_profile[key], removed = clean, removed + dropped
    topic_clean, dropped = sanitize(topic)
    event_clean, dropped2 = sanitize(event)
    goal_clean, dropped3 = sanitize(goal)
    removed += dropped + dropped2 + dropped3
    texts = [n["text"] for n in clean_notes]
    detail, pain = extract_detail(texts, contact, lang) if task != "pitch" else ("", "")
    return Facts(task=task, lang=lang, channel=channel, contact=contact, notes=clean_notes,
                 profile=clean_profile, topic=topic_clean.strip().rstrip("."),
                 event=event_clean.strip().rstrip("."), goal=goal_clean.strip().rstrip("."),
                 seconds=int(seconds), detail=detail, pain=pain, removed=removed)

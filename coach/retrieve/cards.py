"""Guidance cards: ``knowledge/<id>.md`` with front matter, a Spanish body and an
``## English summary`` section. Parsing is pure Python (no YAML dependency needed:
the front matter is flat ``key: value`` lines, lists written as ``[a, b]``)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from coach.errors import InputError
from coach.retrieve.text import sentences

_SUMMARY = re.compile(r"^##\s*English summary\s*$", re.I | re.M)
_ACTIONS = re.compile(r"^(Acciones concretas|Qué hacer|En la práctica)\s*:?\s*$", re.I | re.M)


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    title_en: str
    topic: str
    tags: list[str]
    source: str
    language: str
    body: str
    summary_en: str
    path: str = ""
    actions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def key_point(self, lang: str) -> str:
        """The card's main idea in one or two sentences, in ``lang``."""
        if lang == "en":
            parts = sentences(self.summary_en) or [self.title_en]
        else:
            intro = self.body.split("\n\n")[0]
            parts = sentences(intro) or [self.title]
        return " ".join(parts[:2])


def _parse_value(raw: str) -> str | list[str]:
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        return [item.strip().strip("'\"") for item in raw[1:-1].split(",") if item.strip()]
    return raw.strip("'\"")


def parse_card(text: str, path: str = "") -> Card:
    if not text.startswith("---"):
        raise InputError(f"{path or 'card'}: missing front matter")
    try:
        _, head, rest = text.split("---", 2)
    except ValueError:
        raise InputError(f"{path or 'card'}: unterminated front matter") from None
    meta: dict[str, str | list[str]] = {}
    for line in head.strip().splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            meta[key.strip()] = _parse_value(value)
    match = _SUMMARY.search(rest)
    body = (rest[: match.start()] if match else rest).strip()
    summary = rest[match.end():].strip() if match else ""
    actions: list[str] = []
    act = _ACTIONS.search(body)
    if act:
        actions = [ln.strip().lstrip("-*•").strip() for ln in body[act.end():].splitlines()
                   if ln.strip().startswith(("-", "*", "•"))]
    card_id = str(meta.get("id") or Path(path).stem)
    tags = meta.get("tags") or []
    return Card(
        id=card_id,
        title=str(meta.get("title", card_id)),
        title_en=str(meta.get("title_en", meta.get("title", card_id))),
        topic=str(meta.get("topic", "")),
        tags=list(tags) if isinstance(tags, list) else [str(tags)],
        source=str(meta.get("source", "")),
        language=str(meta.get("language", "es")),
        body=body,
        summary_en=summary,
        path=path,
        actions=actions,
    )


def load_cards(directory: Path) -> list[Card]:
    """Every card under ``directory``, sorted by id (unreadable cards raise InputError)."""
    if not directory.is_dir():
        return []
    cards = [parse_card(p.read_text(encoding="utf-8"), p.name)
             for p in sorted(directory.glob("*.md")) if not p.name.startswith(("_", "README"))]
    return sorted(cards, key=lambda c: c.id)


def cards_hash(directory: Path) -> str:
    """A content hash of the card files: changes when any card is added, edited or removed."""
    digest = hashlib.sha256()
    if directory.is_dir():
        for p in sorted(directory.glob("*.md")):
            digest.update(p.name.encode())
            digest.update(hashlib.sha256(p.read_bytes()).digest())
    return digest.hexdigest()[:32]


def card_chunks(card: Card) -> list[str]:
    """Sentence-level passages of a card: titles + tags, each body sentence, each English
    summary sentence (so a query in either language meets a passage in its language)."""
    head = f"{card.title}. {card.title_en}."
    if card.tags:
        head += " " + ", ".join(card.tags) + "."
    body = _ACTIONS.sub("", card.body)
    return [head, *sentences(body), *sentences(card.summary_en)]


def card_keyword_text(card: Card) -> str:
    return " ".join([card.title, card.title_en, card.topic, " ".join(card.tags) * 2,
                     card.body, card.summary_en])

"""Score introductions: which contact's need meets which other contact's offer.

Pure code: the similarity scores come in from the caller (the service embeds the texts
with the offline multilingual encoder), so this module only decides. A pair matches on
*meaning*, not on a shared word:

- the need and the offer must be semantically close (cosine >= ``SEMANTIC_MIN``), in
  either language;
- when they share a single word, the match must survive removing it: the mean of the
  similarity with and without that word (masked out of both texts) must reach
  ``MASKED_MIN``, so "a bank loan" never meets "river bank restoration" and "learn
  Python" never meets "python snakes";
- the keyword/lemma overlap adds a small bonus on top of a semantic match, never alone;
- ranking subtracts each side's "hubness" (its mean similarity to its nearest
  neighbours, CSLS-style), so a vague offer that is close to every need ranks lower.

Pairs are ranked by the best need-offer score between two contacts, with a bonus when
the introduction helps both sides (each one's need meets the other's offer).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.network.needs import Item
from coach.retrieve.text import terms

SEMANTIC_MIN = 0.35
# With one shared word, the mean of the similarity with and without it must reach this.
MASKED_MIN = 0.32
KEYWORD_WEIGHT = 0.15
MUTUAL_BONUS = 0.05
# Hubness correction (CSLS-style, computed by the caller over the whole network): an offer
# or a need that is close to everything ranks lower.
RELATIVE_WEIGHT = 1.0
HUB_NEIGHBOURS = 3
STEM = 6

_WORD = re.compile(r"[^\W_][\w'’-]*")


@dataclass
class Signal:
    """The evidence for one need-offer pair."""

    semantic: float
    keyword: float = 0.0
    shared: list[str] = field(default_factory=list)
    masked: float | None = None
    hub: float = 0.0  # mean similarity of the two sides to their nearest neighbours

    @property
    def only_shares_a_word(self) -> bool:
        """One shared word and no meaning left once it is masked out."""
        if len(self.shared) != 1:
            return False
        return self.masked is None or (self.semantic + self.masked) / 2 < MASKED_MIN

    @property
    def matched(self) -> bool:
        return self.semantic >= SEMANTIC_MIN and not self.only_shares_a_word

    @property
    def score(self) -> float:
        relative = self.semantic - self.hub if self.hub else 0.0
        return round(self.semantic + RELATIVE_WEIGHT * relative
                     + KEYWORD_WEIGHT * self.keyword, 4)


@dataclass
class Match:
    """A suggested introduction: ``a`` needs what ``b`` offers."""

    a: int
    b: int
    need: Item
    offer: Item
    signal: Signal
    score: float
    mutual: tuple[Item, Item] | None = None
    already_introduced: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = {"a": self.a, "b": self.b, "score": round(self.score, 4),
               "semantic": round(self.signal.semantic, 4),
               "keyword": round(self.signal.keyword, 4), "shared_terms": self.signal.shared,
               "need": self.need.to_dict(), "offer": self.offer.to_dict(),
               "mutual": None, "already_introduced": self.already_introduced}
        if self.mutual:
            out["mutual"] = {"need": self.mutual[0].to_dict(), "offer": self.mutual[1].to_dict()}
        return out


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in plain if not unicodedata.combining(c))


def _stems(text: str) -> set[str]:
    return {t[:STEM] for t in terms(text) if len(t) >= 3}


def shared_terms(need: str, offer: str) -> list[str]:
    """Content lemma stems (es/en, accent-folded, first letters) that both texts use:
    "compostables" and "compostaje" share "compos"."""
    return sorted(_stems(need) & _stems(offer))


def keyword_overlap(need: str, offer: str) -> float:
    """Share of the need's content lemmas that the offer also uses (0..1)."""
    wanted = _stems(need)
    if not wanted:
        return 0.0
    return len(wanted & _stems(offer)) / len(wanted)


def mask(text: str, shared: Iterable[str]) -> str:
    """``text`` without the words whose lemma is one of ``shared``."""
    drop = set(shared)
    kept = [w for w in _WORD.findall(text) if not (_stems(w) & drop)]
    return " ".join(kept)


def signal(semantic: float, need: str, offer: str,
           masked_similarity: Callable[[str, str], float] | None = None,
           hub: float = 0.0) -> Signal:
    """The signal for one need-offer pair; ``masked_similarity`` is asked only when the
    two texts share exactly one word and are semantically close enough to matter."""
    shared = shared_terms(need, offer)
    sig = Signal(float(semantic), keyword_overlap(need, offer), shared, hub=float(hub))
    if len(shared) == 1 and sig.semantic >= SEMANTIC_MIN and masked_similarity is not None:
        a, b = mask(need, shared), mask(offer, shared)
        sig.masked = float(masked_similarity(a, b)) if a.strip() and b.strip() else 0.0
    return sig


def pair_key(a: int, b: int) -> frozenset[int]:
    return frozenset((a, b))


def best_matches(needs: Sequence[Item], offers: Sequence[Item],
                 signals: dict[tuple[int, int], Signal]) -> dict[tuple[int, int], Match]:
    """The best matching need-offer item pair for each directed contact pair (a needs, b offers).

    ``signals`` maps (need index, offer index) to its Signal; pairs absent from it or
    that do not match are ignored, as are a contact's own offers.
    """
    best: dict[tuple[int, int], Match] = {}
    for (i, j), sig in signals.items():
        need, offer = needs[i], offers[j]
        if need.contact_id is None or need.contact_id == offer.contact_id or not sig.matched:
            continue
        key = (need.contact_id, offer.contact_id)
        current = best.get(key)
        if current is None or sig.score > current.score:
            best[key] = Match(need.contact_id, offer.contact_id, need, offer, sig, sig.score)
    return best


def rank(matches: dict[tuple[int, int], Match], *, contact_id: int | None = None,
         introduced: set[frozenset[int]] | None = None, include_introduced: bool = False,
         k: int = 5) -> list[Match]:
    """Unordered pairs, best first: one entry per pair of people, in the direction with the
    stronger match, marked mutual (with a bonus) when the other direction matches too."""
    introduced = introduced or set()
    by_pair: dict[frozenset[int], Match] = {}
    for (a, b), match in matches.items():
        key = pair_key(a, b)
        reverse = matches.get((b, a))
        if key in by_pair:
            continue
        chosen = match if reverse is None or match.score >= reverse.score else reverse
        other = reverse if chosen is match else match
        out = Match(chosen.a, chosen.b, chosen.need, chosen.offer, chosen.signal,
                    chosen.score, already_introduced=key in introduced)
        if other is not None:
            out.mutual = (other.need, other.offer)
            out.score = round(out.score + MUTUAL_BONUS, 4)
        by_pair[key] = out
    ranked = [m for m in by_pair.values()
              if (contact_id is None or contact_id in (m.a, m.b))
              and (include_introduced or not m.already_introduced)]
    ranked.sort(key=lambda m: (-m.score, m.a, m.b))
    return ranked[:k] if k > 0 else ranked

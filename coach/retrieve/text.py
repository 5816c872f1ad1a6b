"""Text helpers for retrieval: sentences, keyword terms and a light language guess.

Pure Python (simplemma ships its lemma data in the wheel); no framework imports.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'“¿¡(\[]?[A-ZÁÉÍÓÚÑÜ0-9])")



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ES_STOP = _words(
    """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
    durante e el ella ellas ellos en entre era eres es esa ese eso esta estas este esto
    estos fue ha han hay la las le les lo los mas me mi mis mucho muy nada ni no nos o
    os otra otro para pero poco por porque que quien se sea ser si sin sobre su sus tambien
    te tiene tu tus un una uno unos unas y ya yo cómo qué quién cuál cuándo dónde más
    también él tú sí está están estoy hacer hago debo puedo"""
)
EN_STOP = _words(
    """a about after all also an and any are as at be been before but by can could did
    do does for from had has have he her his how i if in into is it its me my no not of
    on or our should she so than that the their them then there these they this those to
    up us was we were what when where which who why will with would you your i'm"""
)
_ES_HINTS = frozenset({"el", "la", "los", "las", "de", "que", "y", "en", "para", "con", "por",
                       "una", "un", "es", "cómo", "qué", "mi", "mis", "del", "al", "se", "lo",
                       "debo", "hago", "cuándo", "cuánto", "cuántas", "después", "tras"})
_EN_HINTS = frozenset({"the", "of", "and", "to", "in", "for", "with", "how", "what", "my",
                       "is", "do", "should", "when", "after", "a", "an", "i", "who", "many",
                       "much", "can", "does", "which", "your", "about"})
STOPWORDS = ES_STOP | EN_STOP


def fold(text: str) -> str:
    """Lower case without accents (``Reunión`` -> ``reunion``); keeps ``ñ`` as ``n``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    return fold(simplemma.lemmatize(word, lang=("es", "en")))


def terms(text: str) -> list[str]:
    """Keyword terms: lower-cased words without stopwords, lemmatised (es/en), accent-folded."""
    out = []
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS or len(word) < 2:
            continue
        lemma = _lemma(word)
        if lemma and lemma not in STOPWORDS:
            out.append(lemma)
    return out


def sentences(text: str, min_chars: int = 25) -> list[str]:
    """Split into sentences; list items and lines are sentences too; tiny pieces merge."""
    pieces: list[str] = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*•").strip()
        if not line or line.startswith("#"):
            continue
        pieces.extend(p.strip() for p in _SENTENCE_END.split(line) if p.strip())
    merged: list[str] = []
    for piece in pieces:
        if merged and len(merged[-1]) < min_chars:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def detect_language(text: str, default: str = "es") -> str:
    """``es`` or ``en`` from function words and Spanish-only characters."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    es = sum(w in _ES_HINTS for w in words) + 2 * sum(ch in "ñ¿¡áéíóú" for ch in lowered)
    en = sum(w in _EN_HINTS for w in words)
    if es == en:
        return default
    return "es" if es > en else "en"

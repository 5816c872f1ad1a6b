"""Rule-based rewrite of a self-centred message (pure, deterministic).

It leads with the other person (greeting, then a question about them), turns a
job/money/sales ask into a small advice question, adds a value offer when there is none,
and keeps the rest in order. It keeps the original's facts (names, places, companies,
numbers, dates): a self-praising clause that carries a fact is rewritten as a neutral
clause ("tengo 20 años de experiencia en ventas" -> "llevo 20 años en ventas"), or its
facts are kept in a short "for context" line; only praise with no fact in it is dropped.
The added phrases follow the register of the original (tú, usted, vos; English).

Several variants are scored with the critic; a variant that keeps every fact wins over
one that does not, and the original is returned unchanged when no variant scores lower
(a rewrite is never worse than its input).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from coach.verify.critic import Critique, analyze, split_sentences

_DATA = json.loads(
    (Path(__file__).resolve().parent / "data" / "restructure.json").read_text(encoding="utf-8")
)
_PHRASES: dict[str, dict[str, dict[str, str]]] = _DATA["phrases"]
_CUES = {name: [re.compile(p, re.IGNORECASE) for p in pats]
         for name, pats in _DATA["register_cues"].items()}
_NEUTRAL = {lang: [(re.compile(p, re.IGNORECASE), r) for p, r in rules]
            for lang, rules in _DATA["neutral"].items()}
_FACT_WORDS = frozenset(_DATA["fact_words"])
_NOT_FACTS = frozenset(_DATA["not_facts"])

GREETING = re.compile(
    r"^\s*(?i:hola|buenas(?:\s+tardes|\s+noches)?|buenos\s+d[ií]as|hi|hello|hey|dear|"
    r"estimad[oa]|querid[oa]|che|oye)\b"
    r"(?:\s+(?i:sr|sra|srta|dr|dra|mr|mrs|ms)\.?)?"
    r"(?:\s+[A-ZÁÉÍÓÚÑ][\w-]+|\s+(?i:equipo|team|todos|todas|all|everyone))?\s*[,!:]?"
)
DROP_CODES = {"self_praise", "titles_over_contributions"}
ASK_CODES = {"job_ask", "money_ask", "hard_sell"}
FOCUS_CODES = {"self_focus", "opens_with_self"}
CLAUSE_SEP = re.compile(
    r"\s*[,;:]\s+|\s+(?:y|e|pero|así\s+que|porque|and|but|so|because)\s+", re.IGNORECASE
)

# ------------------------------------------------------------------------- facts
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A time-boxed ask may add its own minutes ("15 minutos"): that is advice, not a new fact.
TIMEBOX_NUMBER = re.compile(r"\b(?:15|20|30)\s*(?:-\s*)?(?:minutos|minutes|min)\b", re.I)
SENTENCE_START = re.compile(r"(?:^|[.!?…¿¡:\n]\s*|\s[-–]\s)$")
ABBREVIATION = re.compile(r"\b(?:sr|sra|srta|dr|dra|mr|mrs|ms|prof|st)\.\s*$", re.I)
ACRONYM = re.compile(r"^[A-ZÁÉÍÓÚÑ]{2,}$")


def facts(text: str) -> set[str]:
    """The facts of ``text``: numbers, number words, dates and names.

    Names are capitalised words that do not just start a sentence (a title such as
    "Sr." does not end one) and acronyms anywhere; the pronoun "I" and generic
    acronyms (CV, HR) carry no fact.
    """
    found = {m.group() for m in NUMBER.finditer(TIMEBOX_NUMBER.sub(" ", text))}
    for m in WORD.finditer(text):
        word = m.group()
        if word in _NOT_FACTS:
            continue
        if word.lower() in _FACT_WORDS:
            found.add(word.lower())
        elif word[0].isupper():
            before = text[: m.start()]
            if (ACRONYM.match(word) or not SENTENCE_START.search(before)
                    or ABBREVIATION.search(before)):
                found.add(word)
    return found


def _tokens(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)} | set(NUMBER.findall(text))


def missing_facts(original: str, candidate: str) -> set[str]:
    """The facts of ``original`` that ``candidate`` lost."""
    have = _tokens(candidate)
    return {f for f in facts(original) if f.lower() not in have}


def keeps_facts(original: str, candidate: str) -> bool:
    """True when ``candidate`` keeps every fact of ``original`` and adds none."""
    if missing_facts(original, candidate):
        return False
    orig_words = _tokens(original)
    return all(f.lower() in orig_words for f in facts(candidate))


# ---------------------------------------------------------------------- register
def register(text: str, lang: str) -> str:
    """'en' for English; for Spanish 'usted', 'vos' or 'tu', by the cues of ``text``."""
    if lang != "es":
        return "en"
    hits = {name: sum(len(p.findall(text)) for p in pats) for name, pats in _CUES.items()}
    if hits["vos"] and hits["vos"] >= hits["usted"]:
        return "vos"
    if hits["usted"] and hits["usted"] >= hits["tu"]:
        return "usted"
    return "tu"


# ---------------------------------------------------------------------- rewrite
@dataclass(frozen=True)
class Restructured:
    text: str
    changed: bool
    score_before: int
    score_after: int
    register: str = "tu"
    keeps_facts: bool = True
    missing: tuple[str, ...] = ()


def _sentence_codes(critique: Critique, start: int, end: int) -> set[str]:
    return {f.code for f in critique.findings if f.start < end and f.end > start
            and f.code in DROP_CODES | ASK_CODES | FOCUS_CODES}


def _finish(sentence: str) -> str:
    sentence = sentence.strip(" ,;:-")
    if not any(ch.isalnum() for ch in sentence):
        return ""
    if sentence[-1] not in ".!?…":
        sentence += "."
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


def _lower_first(sentence: str) -> str:
    """'¿En qué...' -> '¿en qué...' (the sentence follows a greeting and a comma)."""
    for i, ch in enumerate(sentence):
        if ch.isalpha():
            return sentence[:i] + ch.lower() + sentence[i + 1:]
    return sentence


def _clauses(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(separator before, start, end) of the clauses of text[start:end]."""
    out: list[tuple[str, int, int]] = []
    sep, pos = "", start
    for m in CLAUSE_SEP.finditer(text, start, end):
        out.append((sep, pos, m.start()))
        sep, pos = m.group(), m.end()
    out.append((sep, pos, end))
    return [c for c in out if c[2] > c[1]]


def _flagged(clause: str, lang: str) -> bool:
    return any(f.code in DROP_CODES | ASK_CODES for f in analyze(clause, lang).findings)


def _facts_in(fragment: str, known: set[str]) -> set[str]:
    """The facts of the whole message (``known``, lowercased) that ``fragment`` holds."""
    return _tokens(fragment) & known


def _neutral(clause: str, lang: str, known: set[str]) -> str | None:
    """``clause`` without its praise or ask, its facts intact; None if no rule does it."""
    out = clause
    for pattern, repl in _NEUTRAL[lang]:
        out = pattern.sub(repl, out)
    out = " ".join(out.split()).strip(" ,;:")
    if not out or _facts_in(clause, known) - _tokens(out) or _flagged(out, lang):
        return None
    return out


def _fact_items(clause: str, known: set[str]) -> list[str]:
    """The facts of ``clause`` in order of appearance; a number keeps its unit words."""
    words = list(re.finditer(r"\$?\d[\d.,]*\w*|[^\W\d_]+(?:['’][^\W\d_]+)*", clause))
    items: list[str] = []
    i = 0
    while i < len(words):
        token = words[i].group()
        key = token.lower().lstrip("$")
        if not (_tokens(token) & known):
            i += 1
            continue
        j = i
        if key[:1].isdigit() or key in _FACT_WORDS:  # "dos millones de euros", "15 years"
            while j + 1 < len(words) and (words[j + 1].group().lower() in _FACT_WORDS
                                          or words[j + 1].group().lower() in ("de", "of")):
                j += 1
            j = min(j + 1, len(words) - 1)
        items.append(clause[words[i].start():words[j].end()])
        i = j + 1
    return items


def _rewrite_sentence(text: str, start: int, end: int, lang: str, known: set[str],
                      context: list[str]) -> str:
    """The clauses of a praising/asking sentence that carry facts, made neutral.

    Facts that no neutral clause can hold go to ``context``.
    """
    pieces: list[str] = []
    for sep, c_start, c_end in _clauses(text, start, end):
        clause = text[c_start:c_end].strip()
        if not _facts_in(clause, known):
            continue
        if not _flagged(clause, lang):
            kept = clause
        else:
            kept = _neutral(clause, lang, known)
            if kept is None:
                context.extend(_fact_items(clause, known))
                continue
        pieces.append((sep if pieces else "") + kept)
    return _finish("".join(pieces)) if pieces else ""


def _join_items(items: list[str], lang: str) -> str:
    items = list(dict.fromkeys(items))
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + (" and " if lang == "en" else " y ") + items[-1]


def restructure(text: str, lang: str | None = None) -> Restructured:
    """The best rule-based rewrite of ``text``, or ``text`` itself if nothing scores lower."""
    before = analyze(text, lang)
    reg = register(text, before.lang)
    known = {f.lower() for f in facts(text)}
    tpl = _PHRASES[before.lang][reg]
    greeting = ""
    body_start = 0
    m = GREETING.match(text)
    if m and m.end() > m.start():
        greeting = m.group().strip().rstrip(",!:")
        body_start = m.end()

    kept: list[str] = []
    focused: list[str] = []
    context: list[str] = []
    had_ask = False
    for start, end in split_sentences(text):
        start = max(start, body_start)
        if start >= end:
            continue
        codes = _sentence_codes(before, start, end)
        had_ask = had_ask or bool(codes & ASK_CODES)
        if codes & (ASK_CODES | DROP_CODES):
            sentence = _rewrite_sentence(text, start, end, before.lang, known, context)
        else:
            sentence = _finish(text[start:end])
        if not sentence:
            continue
        kept.append(sentence)
        if codes & FOCUS_CODES and not _facts_in(sentence, known):
            focused.append(sentence)

    lead = [f"{greeting}, {_lower_first(tpl['question'])}" if greeting else tpl["question"]]
    if context:
        lead.append(tpl["context"].format(facts=_join_items(context, before.lang)))
    tail = [] if before.metrics.get("value_offer") else [tpl["offer"]]
    if had_ask:
        tail.append(tpl["ask"])
    with_facts = [s for s in kept if _facts_in(s, known)]
    variants = [
        lead + kept + tail,
        lead + [s for s in kept if s not in focused] + tail,
        lead + with_facts + tail,
        lead[:1] + tail,  # keeps no fact: only if nothing else scores lower
    ]
    return _best(text, before, reg, variants)


def _best(text: str, before: Critique, reg: str, variants: list[list[str]]) -> Restructured:
    """Keep as much of the original as possible: a variant keeping every fact beats one
    that does not; among those, the first judged "ok" wins, else the lowest score.
    Nothing that scores worse than the input is ever returned."""
    best: tuple[bool, int, str] | None = None  # (drops facts, score, text)
    for parts in variants:
        candidate = " ".join(p for p in parts if p).strip()
        if not candidate or candidate == text:
            continue
        result = analyze(candidate, before.lang)
        if result.yoismo_score >= before.yoismo_score:
            continue
        key = (bool(missing_facts(text, candidate)), result.yoismo_score, candidate)
        if best is None or key[:2] < best[:2]:
            best = key
        if not key[0] and result.verdict == "ok":
            break
    if best is None:
        return Restructured(text, False, before.yoismo_score, before.yoismo_score, reg)
    lost = tuple(sorted(missing_facts(text, best[2])))
    return Restructured(best[2], True, before.yoismo_score, best[1], reg,
                        keeps_facts(text, best[2]), lost)

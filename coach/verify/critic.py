"""The yoísmo critic: an explainable, deterministic analyzer of self-centred writing.

Pure and fast (stdlib only; regexes and word lists compiled at import). It understands
Spanish and English, including Spanish pro-drop verbs ("tengo 20 años de experiencia"
has no "yo"), voseo, usted and vosotros, and detects the language per sentence so mixed
messages work. Every finding carries a character span into the original text, advice in
the message's language and the id of the knowledge card that backs it.

Score (0-100, higher = more self-centred) = balance of first- vs second-person references
+ self-praise + premature asks (job, money, hard sell) + sentences only about the writer
+ missing question about the reader + missing value offer + length.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from coach.verify import lexicon as lx

VERDICT_OK_BELOW = 35
VERDICT_REWRITE_FROM = 60
MAX_WORDS = 160
LONG_SENTENCE_WORDS = 30

TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d[\d.,]*")
SENTENCE = re.compile(r"\S.*?(?:[.!?…]+(?=[\s\"'»”)]|$)|(?=\n)|$)", re.S)
QUESTION = re.compile(r"[?¿]")
_ADVICE: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).resolve().parent / "data" / "advice.json").read_text(encoding="utf-8")
)


def _union(patterns: list[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(pattern for lowercased text, case-insensitive fallback): the first is ~3x faster."""
    source = r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"
    return re.compile(source), re.compile(source, re.IGNORECASE)


PHRASES: list[tuple[str, str, tuple[re.Pattern[str], re.Pattern[str]]]] = [
    ("titles", "titles_over_contributions", _union(lx.PRAISE_TITLES)),
    ("praise", "self_praise", _union(lx.PRAISE_SUPERLATIVES)),
    ("ask", "job_ask", _union(lx.ASK_JOB)),
    ("ask", "money_ask", _union(lx.ASK_MONEY)),
    ("ask", "hard_sell", _union(lx.ASK_SELL)),
]
OFFER = _union(lx.OFFER)


@dataclass(frozen=True)
class Finding:
    code: str
    start: int
    end: int
    excerpt: str
    advice: str
    card_id: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Critique:
    lang: str
    yoismo_score: int
    verdict: str
    self_refs: int
    other_refs: int
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    highlights: dict[str, list[list[int]]] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        return data


@dataclass
class _Sentence:
    start: int
    end: int
    lang: str
    words: int
    self_w: float = 0.0
    other_w: float = 0.0
    question: bool = False
    has_ask: bool = False


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


ES_CHARS = re.compile("[" + "".join(sorted(lx.ES_CHARS)) + "]", re.IGNORECASE)


def _lang_votes(words: list[str], text: str, start: int, end: int) -> tuple[int, int]:
    es = sum(1 for w in words if w in lx.ES_CUES)
    en = sum(1 for w in words if w in lx.EN_CUES)
    if ES_CHARS.search(text, start, end):
        es += 2
    return es, en


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``, trailing spaces trimmed."""
    spans = []
    for m in SENTENCE.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        if end > m.start():
            spans.append((m.start(), end))
    return spans


# ------------------------------------------------------------------ token classifiers
def _es_ref(words: list[str], origs: list[str], i: int, usted: bool) -> tuple[str, float]:
    """('self'|'other'|'', weight) for the Spanish token at ``i``."""
    w = words[i]
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w == "me":
        return "self", 0.5 if nxt in lx.ES_REACT_AFTER_ME else 1.0
    if w in lx.ES_SELF_PRONOUNS:
        return "self", lx.ES_SELF_PRONOUNS[w]
    if w in lx.ES_OTHER_PRONOUNS:
        return "other", lx.ES_OTHER_PRONOUNS[w]
    if usted and w in lx.ES_USTED_WORDS:
        return "other", 1.0
    if w in lx.ES_SELF_VERBS:
        if w in lx.ES_AMBIGUOUS_VERBS and (
            prev in lx.ES_NOUN_MARKERS or (prev in lx.ES_SELF_VERBS and prev != "te")
        ):
            return "", 0.0
        if w in lx.ES_GIVE_VERBS or w in lx.ES_REACT_VERBS:
            return "self", 0.5
        return "self", 1.0
    if w in lx.ES_OTHER_VERBS and w not in lx.ES_OTHER_EXCEPTIONS:
        return "other", 1.0
    orig = origs[i]
    if len(w) < 4 or (orig[0].isupper() and i > 0):
        return "", 0.0  # short words and mid-sentence capitals (names) are left alone
    if w.endswith("é") and w not in lx.ES_E_ACCENT_EXCEPTIONS:
        return "self", 1.0  # preterite or future 1sg: trabajé, fundé, enviaré
    if w.endswith("í") and w not in lx.ES_I_ACCENT_EXCEPTIONS:
        return "self", 1.0  # preterite 1sg: aprendí, viví, conocí
    if w in lx.ES_OTHER_EXCEPTIONS:
        return "", 0.0
    if len(w) >= 6 and (w.endswith("aste") or w.endswith("iste")):
        return "other", 1.0  # preterite 2sg: comentaste, dijiste
    if len(w) >= 5 and (w.endswith("áis") or w.endswith("éis") or w.endswith("steis")):
        return "other", 1.0  # vosotros: buscáis, tenéis
    return "", 0.0


def _en_ref(words: list[str], i: int) -> tuple[str, float]:
    w = words[i]
    if w in lx.EN_SELF:
        weight = lx.EN_SELF[w]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in ("i", "i'll", "i'd", "i've") and (
            nxt in lx.EN_GIVE_AFTER_I or nxt in lx.EN_REACT_AFTER_I
        ):
            weight = 0.5
        return "self", weight
    if w in lx.EN_OTHER:
        return "other", lx.EN_OTHER[w]
    return "", 0.0


# ------------------------------------------------------------------------- analysis
def analyze(text: str, lang: str | None = None) -> Critique:
    """Score how self-centred ``text`` is; ``lang`` ('es'|'en') forces the language."""
    if not isinstance(text, str):
        raise TypeError("analyze() needs a str")
    lowered = text.lower()
    fast = len(lowered) == len(text)  # lowercasing kept every offset (nearly always)
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    t_starts = [t[0] for t in tokens]
    origs = [t[2] for t in tokens]
    words = [lowered[a:b] for a, b, _ in tokens] if fast else [w.lower() for w in origs]
    if "’" in text:
        words = [w.replace("’", "'") for w in words]
    sent_spans = split_sentences(text)
    starts = [s for s, _ in sent_spans]
    bounds = []
    votes = []
    for s_start, s_end in sent_spans:
        lo = bisect.bisect_left(t_starts, s_start)
        hi = bisect.bisect_left(t_starts, s_end)
        bounds.append((lo, hi))
        votes.append(_lang_votes(words[lo:hi], text, s_start, s_end))
    es_all = sum(v[0] for v in votes)
    en_all = sum(v[1] for v in votes)
    overall = lang if lang in ("es", "en") else ("en" if en_all > es_all else "es")
    usted = any(w in lx.ES_USTED_MARKERS for w in words)

    sentences: list[_Sentence] = []
    tok_sent: list[int] = [-1] * len(tokens)
    for (s_start, s_end), (lo, hi), (es_v, en_v) in zip(sent_spans, bounds, votes, strict=True):
        s_lang = "es" if es_v > en_v else "en" if en_v > es_v else overall
        sentences.append(_Sentence(s_start, s_end, s_lang, hi - lo,
                                   question=bool(QUESTION.search(text, s_start, s_end))))
        for k in range(lo, hi):
            tok_sent[k] = len(sentences) - 1

    self_spans: list[list[int]] = []
    other_spans: list[list[int]] = []
    self_w = other_w = 0.0
    for i, (t_start, t_end, _) in enumerate(tokens):
        if tok_sent[i] < 0:
            continue
        sent = sentences[tok_sent[i]]
        if sent.lang == "es":
            kind, weight = _es_ref(words, origs, i, usted)
        else:
            kind, weight = _en_ref(words, i)
        if kind == "self":
            sent.self_w += weight
            self_w += weight
            self_spans.append([t_start, t_end])
        elif kind == "other":
            sent.other_w += weight
            other_w += weight
            other_spans.append([t_start, t_end])

    greet = lx.GREETING.match(text)
    if greet and greet["name"][0].isupper() and _norm(greet["name"]) not in lx.GREETING_NOT_NAMES:
        other_w += 1.0
        other_spans.insert(0, [greet.start("name"), greet.end("name")])
        if sentences:
            sentences[0].other_w += 1.0

    lang_out = overall
    out = _Builder(text, lang_out)
    counts = {"titles": 0, "praise": 0, "ask": 0}
    haystack = lowered if fast else text
    pick = 0 if fast else 1
    for group, code, patterns in PHRASES:
        for m in patterns[pick].finditer(haystack):
            if m.end() <= m.start():
                continue
            idx = max(0, bisect.bisect_right(starts, m.start()) - 1)
            sent = sentences[idx] if sentences else None
            if group in ("titles", "praise") and sent and sent.self_w == 0 and (
                sent.other_w > 0 or sent.question
            ):
                continue  # praising the reader, or asking about "the best way"
            if group == "ask" and sent:
                sent.has_ask = True
            if out.add(code, m.start(), m.end()):
                counts[group] += 1

    has_offer = OFFER[pick].search(haystack) is not None
    asks_about_other = any(
        s.question and not s.has_ask and (s.other_w > s.self_w or s.self_w == 0)
        for s in sentences
    )
    has_timebox = lx.TIMEBOX.search(text) is not None

    self_focus = 0
    first_content = next((s for s in sentences if s.self_w or s.other_w), None)
    for s in sentences:
        if s is first_content and s.self_w >= 1 and s.other_w == 0:
            out.add("opens_with_self", s.start, s.end)
            self_focus += 1
        elif s.self_w >= 2 and s.other_w == 0:
            out.add("self_focus", s.start, s.end)
            self_focus += 1

    n_words = len(tokens)
    if sentences and not asks_about_other:
        last = sentences[-1]
        out.add("no_question", last.start, last.end)
    if sentences and not has_offer:
        out.add("no_value_offer", sentences[0].start, sentences[-1].end)
    if n_words > MAX_WORDS and sentences:
        out.add("too_long", sentences[0].start, sentences[-1].end)
    long_sents = [s for s in sentences if s.words > LONG_SENTENCE_WORDS]
    for s in long_sents[:3]:
        out.add("long_sentences", s.start, s.end)
    if counts["ask"] and not has_timebox:
        out.add("vague_ask", *out.first_span(("job_ask", "money_ask", "hard_sell")))

    score = _score(self_w, other_w, counts, self_focus, asks_about_other, has_offer,
                   has_timebox, n_words, len(long_sents)) if tokens else 0
    verdict = ("ok" if score < VERDICT_OK_BELOW
               else "rewrite" if score >= VERDICT_REWRITE_FROM else "revise")
    metrics = {
        "words": n_words,
        "sentences": len(sentences),
        "avg_sentence_words": round(n_words / len(sentences), 1) if sentences else 0.0,
        "avg_word_chars": round(sum(len(w) for w in words) / n_words, 2) if n_words else 0.0,
        "self_weight": round(self_w, 2),
        "other_weight": round(other_w, 2),
        "asks_about_other": asks_about_other,
        "value_offer": has_offer,
        "timeboxed": has_timebox,
        "sentence_langs": [s.lang for s in sentences],
    }
    return Critique(
        lang=lang_out,
        yoismo_score=score,
        verdict=verdict,
        self_refs=len(self_spans),
        other_refs=len(other_spans),
        findings=out.findings,
        suggestions=out.suggestions(verdict),
        highlights={"self": self_spans, "other": other_spans},
        metrics=metrics,
    )


def _score(self_w: float, other_w: float, counts: dict[str, int], self_focus: int,
           asks_about_other: bool, has_offer: bool, has_timebox: bool, n_words: int,
           long_sents: int) -> int:
    ratio = (self_w + 0.5) / (self_w + other_w + 1.0)
    score = 50.0 * ratio
    score += 10.0 * min(counts["titles"], 3)
    score += 14.0 * min(counts["praise"], 3)
    score += 18.0 * min(counts["ask"], 3)
    score += 6.0 * min(self_focus, 3)
    score += 0.0 if asks_about_other else 12.0
    score += 0.0 if has_offer else 8.0
    if has_timebox and asks_about_other:
        score -= 5.0
    if n_words > MAX_WORDS:
        score += 5.0
    score += 2.0 * min(long_sents, 3)
    return int(round(min(100.0, max(0.0, score))))


class _Builder:
    """Collects findings (no duplicate code+span) and turns them into suggestions."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, int, int]] = set()

    def add(self, code: str, start: int, end: int) -> bool:
        if not 0 <= start < end <= len(self.text) or (code, start, end) in self._seen:
            return False
        self._seen.add((code, start, end))
        info = _ADVICE[code]
        self.findings.append(
            Finding(code, start, end, self.text[start:end], info[self.lang], info["card"])
        )
        return True

    def first_span(self, codes: tuple[str, ...]) -> tuple[int, int]:
        for f in self.findings:
            if f.code in codes:
                return f.start, f.end
        return 0, 0

    def suggestions(self, verdict: str) -> list[str]:
        order = ["job_ask", "money_ask", "hard_sell", "self_praise", "titles_over_contributions",
                 "opens_with_self", "self_focus", "no_value_offer", "no_question", "vague_ask",
                 "too_long", "long_sentences"]
        present = {f.code for f in self.findings}
        tips = [_ADVICE[code][self.lang] for code in order if code in present]
        if not tips and verdict == "ok":
            tips.append(_ADVICE["balanced"][self.lang])
        return tips

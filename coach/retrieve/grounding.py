"""Checks on a model-written sentence before it is shown beside grounded key points.

Pure Python: a sentence passes when it is in the right language, not empty or garbled,
and names no number or proper name that the question and sources do not contain.
"""

from __future__ import annotations

import re

from coach.retrieve.text import detect_language, fold, terms

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LEAKS = ("pregunta:", "temas:", "question:", "topics:", "respuesta", "answer:", "###",
          "http", "www.", "<", "{")


def first_sentence(text: str) -> str:
    text = " ".join(text.strip().split())
    match = re.search(r"^(.+?[.!?])(\s|$)", text)
    return (match.group(1) if match else text).strip()


def check_sentence(sentence: str, lang: str, grounding: str) -> str | None:
    """``None`` when ``sentence`` may be shown, else the reason it is dropped."""
    s = sentence.strip()
    if len(s) < 15:
        return "empty or too short"
    if len(s) > 320:
        return "too long"
    lowered = s.lower()
    if any(leak in lowered for leak in _LEAKS):
        return "prompt leakage"
    letters = sum(ch.isalpha() for ch in s)
    if letters < 0.7 * len(s.replace(" ", "")):
        return "garbled"
    words = [w.lower() for w in _WORD.findall(s)]
    if len(words) < 4:
        return "too few words"
    if max(words.count(w) for w in set(words)) > max(3, len(words) // 3):
        return "repetitive"
    if detect_language(s, default=lang) != lang:
        return "wrong language"
    known = fold(grounding)
    if not set(terms(s)) & set(terms(grounding)):
        return "off topic (shares no key word with the question or sources)"
    for number in _NUMBER.findall(s):
        if number not in grounding:
            return f"number {number} not in the sources"
    tokens = s.split()
    for i, token in enumerate(tokens):
        word = token.strip(".,;:!?¿¡()\"'«»")
        if i == 0 or not word or not word[0].isupper():
            continue
        if tokens[i - 1].endswith((".", "!", "?", ":")):
            continue
        if fold(word) not in known:
            return f"name {word} not in the sources"
    return None

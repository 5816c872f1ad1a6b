"""``coach critique``: the yoísmo analysis of a message, with a verified rewrite.

The rewrite is tried in this order and the first that passes wins:
1. ``llm``: the configured model rewrites the message (few-shot completion for the local
   base model, chat messages for instruction models). A candidate counts only if the
   critic scores it lower than the original, it no longer praises the writer or asks for a
   job or money, and it keeps the original's facts (numbers, names, capitalised words)
   without adding new ones.
2. ``rules``: the deterministic restructure in ``coach.verify.restructure``.
3. ``original``: nothing scored lower, so the input is returned and the reply says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from coach.config import Settings, get_settings
from coach.errors import CoachError, InputError
from coach.prompting import templates
from coach.verify.critic import Critique, analyze
from coach.verify.restructure import facts, keeps_facts, restructure

__all__ = ["critique", "critique_batch", "facts", "keeps_facts", "rewrite_message"]
# An LLM candidate that still has one of these is not a rewrite, whatever its score.
LEFTOVER_CODES = {"self_praise", "job_ask", "money_ask", "hard_sell"}


# ----------------------------------------------------------------------- input
def read_text(source: str) -> str:
    """The message from a file path, or from stdin when ``source`` is '-'."""
    import sys

    if source == "-":
        data = sys.stdin.buffer.read()
        where = "stdin"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"No such file: {source}")
        data = path.read_bytes()
        where = source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and retry."
        ) from None
    if not text.strip():
        raise InputError(f"{where} is empty: give the message to critique.")
    return text


def _check_lang(lang: str | None) -> str | None:
    if lang not in (None, "es", "en"):
        raise InputError(f"Unknown language {lang!r}: use es or en.")
    return lang


# ------------------------------------------------------------------ LLM rewrite
def _load(settings: Settings, name: str) -> str:
    try:
        return templates.load(f"critique/{name}", settings)
    except OSError as exc:
        raise CoachError(f"Prompt file missing: {exc.filename}") from exc


def build_prompt(text: str, lang: str, settings: Settings | None = None):
    from coach.generate.llm import Prompt

    settings = settings or get_settings()
    message = " ".join(text.split())
    completion = _load(settings, f"rewrite_{lang}.txt").replace("{message}", message)
    system = _load(settings, f"chat_system_{lang}.txt").strip()
    user = _load(settings, f"chat_user_{lang}.txt").replace("{message}", message).strip()
    max_tokens = min(220, max(60, int(len(message.split()) * 2.2)))
    return Prompt(
        completion=completion.rstrip() + " ",
        messages=[("system", system), ("human", user)],
        stop=["\n\n", "\nOriginal:", "Original:"],
        max_tokens=max_tokens,
    )


def _clean(output: str) -> str:
    text = output.strip().split("\n\n")[0].strip()
    for label in ("Reescrito:", "Rewritten:"):
        if text.startswith(label):
            text = text[len(label):].strip()
    return text.strip('"“”« »')


def llm_rewrite(text: str, before: Critique, settings: Settings | None = None,
                attempts: int | None = None) -> tuple[str | None, str, str | None]:
    """(accepted rewrite or None, backend name, notice) from the configured model."""
    from coach.generate.llm import get_generator

    settings = settings or get_settings()
    generator = get_generator(settings)
    prompt = build_prompt(text, before.lang, settings)
    best: tuple[int, str] | None = None
    notice = None
    backend = generator.name
    for i in range(attempts or max(1, settings.candidates)):
        generation = generator.generate(prompt, temperature=0.3 + 0.3 * i, seed=11 + i)
        backend = generation.backend
        notice = generation.notice or notice
        candidate = _clean(generation.text)
        if not candidate or not keeps_facts(text, candidate):
            continue
        after = analyze(candidate, before.lang)
        if any(f.code in LEFTOVER_CODES for f in after.findings):
            continue  # still praises the writer or asks for a job/money: not a rewrite
        score = after.yoismo_score
        if score < before.yoismo_score and (best is None or score < best[0]):
            best = (score, candidate)
    return (best[1] if best else None), backend, notice


# ---------------------------------------------------------------------- service
def critique(text: str, lang: str | None = None, rewrite: bool = False,
             settings: Settings | None = None, use_llm: bool = True) -> dict[str, Any]:
    """The critic's verdict on ``text``; with ``rewrite`` a verified, never-worse rewrite."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("The message is empty: give the text to critique.")
    before = analyze(text, _check_lang(lang))
    result = before.to_dict()
    if rewrite:
        result.update(rewrite_message(text, before, settings, use_llm=use_llm))
    return result


def rewrite_message(text: str, before: Critique, settings: Settings | None = None,
                    use_llm: bool = True) -> dict[str, Any]:
    notices: list[str] = []
    backend = None
    if use_llm and before.verdict != "ok":
        try:
            candidate, backend, notice = llm_rewrite(text, before, settings)
            if notice:
                notices.append(notice)
        except CoachError as exc:
            candidate = None
            notices.append(f"LLM rewrite unavailable: {exc}")
        if candidate is not None:
            return _rewrite_fields(text, candidate, "llm", backend, before, notices)
    ruled = restructure(text, before.lang)
    if ruled.changed:
        return _rewrite_fields(text, ruled.text, "rules", backend, before, notices)
    notices.append("No rewrite scored lower than the original; it is returned unchanged."
                   if before.lang == "en" else
                   "Ninguna reescritura puntuó mejor que el original; se devuelve sin cambios.")
    return _rewrite_fields(text, text, "original", backend, before, notices)


def _rewrite_fields(original: str, text: str, source: str, backend: str | None,
                    before: Critique, notices: list[str]) -> dict[str, Any]:
    after = analyze(text, before.lang)
    return {
        "rewrite": text,
        "rewrite_source": source,
        "rewrite_score": after.yoismo_score,
        "rewrite_verdict": after.verdict,
        "rewrite_keeps_facts": keeps_facts(original, text),
        "backend": backend,
        "notice": " ".join(notices) or None,
    }


# ------------------------------------------------------------------------ batch
def critique_batch(lines: Iterable[str], lang: str | None = None,
                   rewrite: bool = False, settings: Settings | None = None
                   ) -> Iterator[dict[str, Any]]:
    """One result per input line, in order; a bad line yields {"line": n, "error": ...}."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            text, line_lang = _parse_line(raw, lang)
            yield critique(text, line_lang, rewrite=rewrite, settings=settings)
        except (InputError, ValueError, TypeError) as exc:
            yield {"line": number, "error": " ".join(str(exc).split())}


def _parse_line(raw: str, lang: str | None) -> tuple[str, str | None]:
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if isinstance(item, str):
        return item, _check_lang(lang)
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise InputError('expected {"text": "...", "lang"?: "es"|"en"} or a JSON string')
    return item["text"], _check_lang(item.get("lang", lang))


def read_batch(path: str) -> list[str]:
    source = Path(path)
    if not source.is_file():
        raise InputError(f"No such file: {path}")
    try:
        return source.read_bytes().decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8.") \
            from None

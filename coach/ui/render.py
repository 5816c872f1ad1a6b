"""Safe HTML for highlighted spans: user text is always escaped before it is marked up."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

MARK_STYLE = ("background-color:rgba(255,171,0,0.35);border-radius:3px;padding:0 2px;"
              "border-bottom:2px solid #e67e00")


def _spans(findings: Iterable[Mapping[str, Any]], length: int) -> list[tuple[int, int, int]]:
    """Non-overlapping (start, end, finding number) spans, in order, clipped to the text."""
    spans = []
    for number, f in enumerate(findings, 1):
        start, end = int(f.get("start", 0)), int(f.get("end", 0))
        start, end = max(0, start), min(length, end)
        if end > start:
            spans.append((start, end, number))
    spans.sort()
    merged: list[tuple[int, int, int]] = []
    for start, end, number in spans:
        if merged and start < merged[-1][1]:
            continue  # overlapping finding: the first one keeps the highlight
        merged.append((start, end, number))
    return merged


def highlight_html(text: str, findings: Iterable[Mapping[str, Any]]) -> str:
    """``text`` as escaped HTML with each finding's span wrapped in a numbered ``<mark>``."""
    parts = []
    cursor = 0
    for start, end, number in _spans(findings, len(text)):
        parts.append(html.escape(text[cursor:start]))
        parts.append(f'<mark style="{MARK_STYLE}" title="#{number}">'
                     f"{html.escape(text[start:end])}<sup>{number}</sup></mark>")
        cursor = end
    parts.append(html.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>")
    return f'<div class="coach-highlight" style="line-height:1.8">{body}</div>'

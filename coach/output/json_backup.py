"""The full JSON backup; ``coach contacts import --format json`` restores it."""

from __future__ import annotations

import json
from typing import Any

from coach.input.backup import FORMAT, VERSION


def export(state: dict[str, Any]) -> str:
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": state.get("exported_at"),
        "profile": state.get("profile") or {},
        "contacts": state.get("contacts") or [],
        "interactions": state.get("interactions") or [],
        "drafts": state.get("drafts") or [],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"

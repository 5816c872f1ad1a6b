"""Every string the web app shows, in Spanish (default) and English, from ``strings.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

STRINGS_FILE = Path(__file__).with_name("strings.json")
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    """The table ``{lang: {key: text}}``."""
    return json.loads(STRINGS_FILE.read_text(encoding="utf-8"))


def translate(key: str, lang: str, **values: Any) -> str:
    """The text for ``key`` in ``lang`` (Spanish when missing), formatted with ``values``."""
    table = strings()
    text = table.get(lang, {}).get(key) or table[DEFAULT_LANGUAGE].get(key)
    if text is None:
        raise KeyError(f"no UI string {key!r}")
    return text.format(**values) if values else text


def current_language() -> str:
    import streamlit as st

    lang = st.session_state.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the language chosen in the sidebar."""
    return translate(key, current_language(), **values)

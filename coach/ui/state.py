"""Session helpers for the Streamlit app: defaults, per-session data and error display."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import streamlit as st

from coach.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

EXAMPLE_CONTACTS = Path(__file__).with_name("examples") / "contacts.json"


def init() -> None:
    """Per-session defaults: the language of the settings, an empty chat, no drafts."""
    if "lang" not in st.session_state:
        from coach.config import get_settings

        lang = get_settings().language
        st.session_state.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    st.session_state.setdefault("chat", [])
    st.session_state.setdefault("drafts", {})
    st.session_state.setdefault("flash", [])


def flash(kind: str, message: str) -> None:
    """A message shown once on the next run (after ``st.rerun``)."""
    st.session_state.flash.append((kind, message))


def show_flashes() -> None:
    for kind, message in st.session_state.get("flash", []):
        getattr(st, kind)(message)
    st.session_state.flash = []


@contextmanager
def guard() -> Iterator[None]:
    """Show an error the user can act on as one clear line instead of a traceback."""
    from coach.errors import CoachError

    try:
        yield
    except CoachError as exc:
        st.error(t("error.action", message=str(exc)))


def warn_if(result: dict[str, Any]) -> None:
    """Services keep a change and attach a ``warning`` when the search index lagged."""
    if result.get("warning"):
        st.warning(result["warning"])

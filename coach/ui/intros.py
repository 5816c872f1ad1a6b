"""The "Possible introductions" panel, shown on the dashboard and on each contact card."""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach.ui import state
from coach.ui.i18n import t


def introductions_panel(contact_id: int | None = None, k: int = 5) -> None:
    """Ranked pairs whose need meets an offer, each with a double opt-in draft and a record."""
    from coach.services.connect import suggest_introductions

    st.markdown(f"#### {t('intro.title')}")
    st.caption(t("intro.hint"))
    pairs = suggest_introductions(contact_id=contact_id, k=k, lang=st.session_state.lang)
    if not pairs:
        st.caption(t("intro.none"))
        return
    for pair in pairs:
        _pair_card(pair, scope=str(contact_id))


def _pair_card(pair: dict[str, Any], scope: str) -> None:
    from coach.services.connect import draft_intro, record_intro

    a, b = pair["a"], pair["b"]
    key = f"intro_{scope}_{a['id']}_{b['id']}"
    with st.container(border=True):
        st.markdown(f"**{a['name']}** ↔ **{b['name']}** · {t('intro.score')} {pair['score']:.2f}")
        st.write(pair["reason"])
        draft_col, record_col = st.columns(2)
        if draft_col.button(t("intro.draft"), key=f"{key}_draft", icon=":material/edit_note:"):
            with st.spinner(t("intro.drafting")):
                st.session_state[key] = draft_intro(a["id"], b["id"], lang=st.session_state.lang)
        if record_col.button(t("intro.record"), key=f"{key}_record", icon=":material/handshake:"):
            record_intro(a["id"], b["id"], lang=st.session_state.lang)
            state.flash("success", t("intro.recorded", a=a["name"], b=b["name"]))
            st.rerun()
        drafted = st.session_state.get(key)
        if drafted:
            st.markdown(f"**{t('intro.opt_in', name=a['name'])}**")
            st.code(drafted["opt_in"]["text"], language=None, wrap_lines=True)
            st.markdown(f"**{t('intro.both')}**")
            st.code(drafted["introduction"]["text"], language=None, wrap_lines=True)

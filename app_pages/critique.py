"""Critique: paste a draft, see its yoísmo score, the highlighted spans and a rewrite."""

from __future__ import annotations

import streamlit as st

from coach.ui import drafts as draft_view
from coach.ui import resources, state
from coach.ui.i18n import t

st.title(t("critique.title"))
st.caption(t("critique.caption"))

with st.form("critique_form"):
    text = st.text_area(t("critique.input"), key="critique_text", height=180,
                        placeholder=t("critique.input_hint"))
    c1, c2 = st.columns(2)
    lang = c1.selectbox(t("draft.language"), (None, "es", "en"), key="critique_lang",
                        format_func=lambda x: t("lang.auto") if x is None else t(f"lang.{x}"))
    rewrite = c2.toggle(t("critique.rewrite_toggle"), value=True, key="critique_rewrite")
    submitted = st.form_submit_button(t("critique.button"), type="primary")

if submitted:
    with state.guard():
        from coach.services.critique import critique

        if rewrite:
            resources.ensure_model()
        with st.spinner(t("critique.working")):
            st.session_state.critique = {"text": text,
                                         "result": critique(text, lang, rewrite=rewrite)}

done = st.session_state.get("critique")
if done:
    result = done["result"]
    st.subheader(t("critique.result"))
    draft_view.critique_summary(result, done["text"])
    if result.get("rewrite") is not None:
        st.subheader(t("critique.rewrite"))
        st.caption(t("critique.rewrite_meta", score=result.get("rewrite_score", 0),
                     source=t("rewrite_source." + result.get("rewrite_source", "original"))))
        st.code(result["rewrite"], language=None, wrap_lines=True)
        if result.get("notice"):
            st.info(result["notice"])

"""Pitch prep: an event and a goal in, a pitch, variants, questions and people to find out."""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach.ui import drafts as draft_view
from coach.ui import resources, state
from coach.ui.i18n import current_language, t

st.title(t("pitch.title"))
st.caption(t("pitch.caption"))

from coach.services import contacts  # noqa: E402 - after the first paint on purpose

profile = contacts.get_profile()
if not any(profile.get(k) for k in ("name", "role", "company", "offer", "passion")):
    st.info(t("pitch.need_profile"))
    st.page_link("app_pages/profile.py", label=t("home.go_profile"), icon=":material/person:")

GOALS = ("clients", "allies", "funding", "knowledge", "job")


def _target(item: dict[str, Any]) -> str:
    company = f" ({item['company']})" if item.get("company") else ""
    why = f": {item['why']}" if item.get("why") else ""
    return f"- **{item['name']}**{company} · {t('tier.' + item['tier'])}{why}"


with st.form("pitch_form"):
    event = st.text_input(t("pitch.event"), key="pitch_event",
                          placeholder=t("pitch.event_hint"))
    c1, c2, c3 = st.columns(3)
    goal = c1.selectbox(t("pitch.goal"), GOALS, key="pitch_goal",
                        format_func=lambda x: t(f"goal.{x}"))
    seconds = c2.radio(t("pitch.seconds"), (30, 60), horizontal=True, key="pitch_seconds")
    lang = c3.selectbox(t("draft.language"), ("es", "en"), key="pitch_lang",
                        index=("es", "en").index(current_language()),
                        format_func=lambda x: t(f"lang.{x}"))
    submitted = st.form_submit_button(t("pitch.button"), type="primary")

if submitted:
    with state.guard():
        from coach.services import drafting

        resources.ensure_model()
        resources.ensure_index()
        with st.spinner(t("pitch.working")):
            st.session_state.pitch = drafting.pitch(event=event, goal=goal, seconds=seconds,
                                                    lang=lang)

result = st.session_state.get("pitch")
if result:
    draft_view.provenance(result)
    st.subheader(t("pitch.your_pitch"))
    st.caption(t("pitch.words", words=result["words"], max_words=result["max_words"],
                 seconds=result["seconds"]))
    st.code(result["pitch"], language=None, wrap_lines=True)
    left, right = st.columns(2)
    with left:
        st.markdown(f"#### {t('pitch.variants')}")
        for variant in result.get("variants") or []:
            st.code(variant, language=None, wrap_lines=True)
        if not result.get("variants"):
            st.caption(t("pitch.none"))
        st.markdown(f"#### {t('pitch.questions')}")
        for q in result.get("questions") or []:
            st.markdown(f"- {q}")
    with right:
        st.markdown(f"#### {t('pitch.targets')}")
        targets = result.get("targets") or []
        st.markdown("\n".join(_target(x) for x in targets) or t("pitch.no_targets"))
        st.markdown(f"#### {t('draft.critique')}")
        draft_view.critique_summary(result.get("critique") or {}, result["pitch"])
        st.markdown(f"#### {t('draft.checks')}")
        draft_view.checks_list(result.get("checks") or {}, result.get("reasons"))
    draft_view.sources_expander(result.get("sources") or [])

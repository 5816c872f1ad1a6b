"""Home: what the coach does and, on first run, what to do first (with example contacts)."""

from __future__ import annotations

import streamlit as st

from coach.ui import state
from coach.ui.i18n import t

DONE = " :green[:material/check_circle:]"

st.title(t("home.title"))
st.write(t("home.intro"))

from coach.services import contacts  # noqa: E402 - after the first paint on purpose


def _load_examples() -> None:
    with state.guard():
        result = contacts.import_file(state.EXAMPLE_CONTACTS, "json")
        state.flash("success", t("home.examples_loaded", n=result["imported"],
                                 notes=result["notes_added"]))
        if result.get("warning"):
            state.flash("warning", result["warning"])
        st.rerun()


people = contacts.list_contacts()
profile = contacts.get_profile()
has_profile = any(profile.get(k) for k in ("name", "role", "company", "offer", "passion"))

if not people or not has_profile:
    with st.container(border=True):
        st.subheader(t("home.first_steps"))
        st.markdown(t("home.step_profile") + (DONE if has_profile else ""))
        st.markdown(t("home.step_contacts") + (DONE if people else ""))
        st.markdown(t("home.step_draft"))
        cols = st.columns(3)
        cols[0].page_link("app_pages/profile.py", label=t("home.go_profile"),
                          icon=":material/person:")
        cols[1].page_link("app_pages/data.py", label=t("home.go_import"),
                          icon=":material/upload:")
        if not people and cols[2].button(t("home.load_examples"), type="primary",
                                         key="load_examples"):
            _load_examples()

if people:
    from coach.services.review import review

    report = review(lang=st.session_state.lang)
    cols = st.columns(4)
    cols[0].metric(t("home.metric_contacts"), len(people))
    cols[1].metric(t("home.metric_due"), len(report["due"]))
    cols[2].metric(t("home.metric_dormant"), len(report["dormant"]))
    cols[3].metric(t("home.metric_plan"), t("home.minutes", n=report["plan_minutes"]))
    if report["weekly_plan"]:
        st.subheader(t("home.this_week"))
        for item in report["weekly_plan"]:
            st.markdown(f"- **{item['name']}** — {item['action_text']} "
                        f"({t('home.minutes', n=item['minutes'])})")

st.subheader(t("home.what_next"))
cols = st.columns(3)
cols[0].page_link("app_pages/contacts.py", label=t("home.go_contacts"), icon=":material/group:")
cols[1].page_link("app_pages/pitch.py", label=t("home.go_pitch"), icon=":material/campaign:")
cols[2].page_link("app_pages/chat.py", label=t("home.go_chat"), icon=":material/forum:")

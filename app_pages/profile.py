"""Profile settings (who you are, what you offer, your goal) and the model in use."""

from __future__ import annotations

import streamlit as st

from coach.ui import state
from coach.ui.i18n import t

st.title(t("profile.title"))
st.caption(t("profile.caption"))

from coach.services import contacts  # noqa: E402 - after the first paint on purpose

GOALS = ("clients", "allies", "funding", "knowledge", "job")

with state.guard():
    profile = contacts.get_profile()
    with st.form("profile_form"):
        c1, c2 = st.columns(2)
        name = c1.text_input(t("field.name"), value=profile["name"], key="profile_name")
        role = c2.text_input(t("profile.role"), value=profile["role"], key="profile_role",
                             placeholder=t("profile.role_hint"))
        company = c1.text_input(t("field.company"), value=profile["company"],
                                key="profile_company")
        goal = c2.selectbox(t("pitch.goal"), GOALS, index=GOALS.index(profile["goal"])
                            if profile["goal"] in GOALS else 0, key="profile_goal",
                            format_func=lambda x: t(f"goal.{x}"))
        offer = st.text_input(t("profile.offer"), value=profile["offer"], key="profile_offer",
                              placeholder=t("profile.offer_hint"))
        passion = st.text_input(t("profile.passion"), value=profile["passion"],
                                key="profile_passion")
        language = st.selectbox(t("profile.language"), ("es", "en"),
                                index=("es", "en").index(profile["language"])
                                if profile["language"] in ("es", "en") else 0,
                                key="profile_language", format_func=lambda x: t(f"lang.{x}"))
        if st.form_submit_button(t("profile.save"), type="primary"):
            contacts.set_profile(name=name, role=role, company=company, goal=goal,
                                 offer=offer, passion=passion, language=language)
            state.flash("success", t("profile.saved"))
            st.rerun()

st.subheader(t("profile.backend"))
st.caption(t("profile.backend_caption"))
if st.button(t("profile.check"), key="profile_check", icon=":material/stethoscope:"):
    with state.guard(), st.spinner(t("profile.checking")):
        from coach.services.doctor import doctor_report

        report = doctor_report(generate=True)
        st.session_state.doctor = report
report = st.session_state.get("doctor")
if report:
    if report.get("remote"):
        st.warning(t("profile.remote_warning"), icon=":material/warning:")
    st.json({k: report.get(k) for k in ("backend", "model", "generated_by", "gen_ms", "load_ms",
                                         "data_dir", "database", "chroma", "index", "notice")
             if report.get(k) is not None})

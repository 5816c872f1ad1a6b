"""The coach's web app: ``streamlit run streamlit_app.py`` (or ``make app``).

A thin shell over ``coach.services``: this file sets up the page, the sidebar (language
switch and which language model is in use) and the navigation; each page lives in
``app_pages/``. Nothing heavy is imported here, so the first page paints fast.
"""

from __future__ import annotations

import streamlit as st

from coach.ui import state
from coach.ui.i18n import LANGUAGES, t

st.set_page_config(page_title="Coach de networking", page_icon=":material/handshake:",
                   layout="wide")
state.init()


def _sidebar() -> None:
    from coach.config import get_settings

    with st.sidebar:
        st.segmented_control(
            t("sidebar.language"), options=list(LANGUAGES), key="lang",
            format_func=lambda code: {"es": "Español", "en": "English"}[code],
        )
        settings = get_settings()
        if settings.llm == "local":
            st.caption(t("sidebar.backend_local"))
        elif settings.is_remote_llm:
            st.warning(t("sidebar.backend_remote", url=settings.openai_base_url
                         or "https://api.openai.com/v1", model=settings.model or "—"),
                       icon=":material/warning:")
        else:
            st.info(t("sidebar.backend_server", url=settings.openai_base_url or "",
                      model=settings.model or "—"))
        st.caption(t("sidebar.data_dir", path=str(settings.home)))


def _pages() -> list:
    return [
        st.Page("app_pages/home.py", title=t("nav.home"), icon=":material/home:",
                default=True),
        st.Page("app_pages/chat.py", title=t("nav.chat"), icon=":material/forum:"),
        st.Page("app_pages/contacts.py", title=t("nav.contacts"), icon=":material/group:"),
        st.Page("app_pages/pitch.py", title=t("nav.pitch"), icon=":material/campaign:"),
        st.Page("app_pages/critique.py", title=t("nav.critique"), icon=":material/rate_review:"),
        st.Page("app_pages/dashboard.py", title=t("nav.dashboard"), icon=":material/insights:"),
        st.Page("app_pages/profile.py", title=t("nav.profile"), icon=":material/person:"),
        st.Page("app_pages/data.py", title=t("nav.data"), icon=":material/swap_vert:"),
    ]


page = st.navigation(_pages())
_sidebar()
state.show_flashes()
page.run()

"""Heavy shared objects, created on first need and shared by every session (``st.cache_resource``).

Nothing here runs at import time: the app paints its first page without loading the
model, the encoder or Chroma. The services keep their own process-wide instances; these
wrappers make the first, slow load visible with its own spinner and happen once.
"""

from __future__ import annotations

import streamlit as st

from coach.ui.i18n import t


@st.cache_resource(show_spinner=False)
def _local_model(n_ctx: int, n_threads: int) -> bool:
    from coach.generate.local import load_model

    load_model(n_ctx=n_ctx, n_threads=n_threads)
    return True


@st.cache_resource(show_spinner=False)
def _knowledge_index(home: str, chroma_url: str | None) -> bool:
    from coach.services.knowledge import index_counts

    index_counts()
    return True


def ensure_model() -> None:
    """Load the embedded model once, with a spinner, before a task that needs it."""
    from coach.config import get_settings

    settings = get_settings()
    if settings.llm != "local":
        return
    with st.spinner(t("model.loading")):
        _local_model(settings.local_context, settings.local_threads)


def ensure_index() -> None:
    """Open the guidance and notes index once per data folder, with a spinner."""
    from coach.config import get_settings

    settings = get_settings()
    with st.spinner(t("index.loading")):
        _knowledge_index(str(settings.home), settings.chroma_url)

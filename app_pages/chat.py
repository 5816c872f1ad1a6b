"""Chat with the coach: grounded answers from the guidance cards, with their sources."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import streamlit as st

from coach.ui import resources, state
from coach.ui.i18n import t

st.title(t("chat.title"))
st.caption(t("chat.caption"))


def _words(text: str, delay: float = 0.005) -> Iterator[str]:
    """The finished answer, word by word (the service returns it whole, already checked)."""
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            yield "\n"
        for word in line.split(" "):
            yield word + " "
            time.sleep(delay)


def _sources(message: dict[str, Any]) -> None:
    sources = message.get("sources") or []
    with st.expander(t("chat.sources", n=len(sources))):
        for hit in sources:
            st.markdown(f"**{hit.get('title') or hit.get('id')}** · `{hit.get('source', '')}` · "
                        f"{t('chat.score')} {float(hit.get('score', 0)):.2f}")
            st.caption(hit.get("text", "")[:500])
        if message.get("backend"):
            st.caption(t("chat.backend", backend=message["backend"]) +
                       (" · " + t("chat.fallback") if message.get("fallback_used") else ""))


for message in st.session_state.chat:
    with st.chat_message(message["role"]):
        st.markdown(message["content"])
        if message["role"] == "assistant":
            _sources(message)

if not st.session_state.chat:
    st.info(t("chat.empty"))

question = st.chat_input(t("chat.placeholder"))
if question:
    st.session_state.chat.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"), state.guard():
        from coach.services import knowledge

        resources.ensure_index()
        resources.ensure_model()
        with st.spinner(t("chat.thinking")):
            result = knowledge.ask(question)
        st.write_stream(_words(result["answer"]))
        message = {"role": "assistant", "content": result["answer"],
                   "sources": result["sources"], "backend": result.get("backend"),
                   "fallback_used": result.get("fallback_used")}
        _sources(message)
        st.session_state.chat.append(message)

if st.session_state.chat and st.button(t("chat.clear"), key="chat_clear"):
    st.session_state.chat = []
    st.rerun()

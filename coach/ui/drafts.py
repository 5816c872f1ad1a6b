"""Rendering of drafts, critiques, checks and sources (shared by the Contacts and Pitch pages).

Only presentation: the drafts, their checks and their critique come from the services.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach.ui import resources, state
from coach.ui.i18n import current_language, t
from coach.ui.render import highlight_html

CHANNELS = ("email", "linkedin", "whatsapp")


def critique_summary(critique: dict[str, Any], text: str | None = None) -> None:
    """Score, verdict and, with ``text``, the highlighted spans with their advice."""
    c1, c2, c3 = st.columns(3)
    c1.metric(t("critique.score"), f"{critique.get('yoismo_score', 0)}/100",
              help=t("critique.score_help"))
    verdict = critique.get("verdict", "ok")
    c2.metric(t("critique.verdict"), t(f"verdict.{verdict}"))
    c3.metric(t("critique.refs"), f"{critique.get('self_refs', 0)} / "
                                  f"{critique.get('other_refs', 0)}",
              help=t("critique.refs_help"))
    findings = critique.get("findings") or []
    if text is not None and findings:
        st.markdown(highlight_html(text, findings), unsafe_allow_html=True)
    for n, f in enumerate(findings, 1):
        st.markdown(f"**{n}.** “{f.get('excerpt', '')}” — {f.get('advice', '')} "
                    f"`{f.get('card_id', '')}`")
    for suggestion in critique.get("suggestions") or []:
        st.markdown(f"- {suggestion}")


def checks_list(checks: dict[str, bool], reasons: dict[str, str] | None = None) -> None:
    reasons = reasons or {}
    for name, passed in checks.items():
        label = t(f"check.{name}") if f"check.{name}" in _known_checks() else name
        line = (":green[:material/check_circle:]" if passed else ":red[:material/cancel:]") \
            + f" {label}"
        if not passed and reasons.get(name):
            line += f" — {reasons[name]}"
        st.markdown(line)


def _known_checks() -> set[str]:
    from coach.ui.i18n import strings

    return set(strings()["es"])


@st.cache_data(show_spinner=False)
def _card_titles(knowledge_dir: str, lang: str) -> dict[str, str]:
    from coach.services.knowledge import guidance_cards

    return {c["id"]: (c.get("title_en") if lang == "en" else None) or c["title"]
            for c in guidance_cards()}


def sources_expander(sources: list[Any], notes: list[dict[str, Any]] | None = None) -> None:
    """Sources as search hits (dicts) or as ids: a guidance card id or ``note:<id>``."""
    from coach.config import get_settings

    titles = _card_titles(str(get_settings().knowledge_dir), current_language())
    by_note = {f"note:{n['id']}": n for n in notes or []}
    with st.expander(t("chat.sources", n=len(sources))):
        for item in sources:
            if isinstance(item, dict):
                st.markdown(f"**{item.get('title') or item.get('id')}** · "
                            f"`{item.get('source', '')}`")
                if item.get("text"):
                    st.caption(str(item["text"])[:400])
            elif item in by_note:
                note = by_note[item]
                st.markdown(f"**{t('draft.source_note', date=note['occurred_on'] or '')}**")
                st.caption(note["text"][:400])
            else:
                st.markdown(f"**{titles.get(item, item)}** · `{item}`")


def provenance(result: dict[str, Any]) -> None:
    backend = result.get("backend") or "—"
    line = t("draft.backend", backend=backend)
    if result.get("fallback_used"):
        line += " · " + t("draft.fallback")
    st.caption(line)
    if result.get("notice"):
        st.info(result["notice"])
    if result.get("warning"):
        st.warning(result["warning"])


def _drafting():
    from coach.services import drafting

    return drafting


def follow_up_section(card: dict[str, Any]) -> None:
    """Channel and language, the one-click button, then the draft to copy, edit and save."""
    cid = card["id"]
    with st.container(border=True):
        st.markdown(f"#### {t('draft.title')}")
        c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
        channel = c1.segmented_control(t("draft.channel"), CHANNELS, default="email",
                                       key=f"draft_channel_{cid}",
                                       format_func=lambda x: t(f"channel.{x}")) or "email"
        default_lang = card.get("language") or current_language()
        lang = c2.selectbox(t("draft.language"), ("es", "en"),
                            index=("es", "en").index(default_lang) if default_lang in
                            ("es", "en") else 0, key=f"draft_lang_{cid}",
                            format_func=lambda x: t(f"lang.{x}"))
        if st.button(t("draft.button"), type="primary", key=f"draft_follow_up_{cid}",
                     icon=":material/edit_note:"):
            with state.guard():
                resources.ensure_model()
                resources.ensure_index()
                with st.spinner(t("draft.working")):
                    result = _drafting().draft_follow_up(str(cid), channel=channel,
                                                         lang=lang)
                st.session_state.drafts[cid] = {**result, "channel": channel, "lang": lang}
                st.session_state[f"draft_text_{cid}"] = result["text"]
                st.session_state[f"draft_subject_{cid}"] = result.get("subject") or ""
                st.rerun()  # the card below lists the new saved draft too
        result = st.session_state.drafts.get(cid)
        if result:
            _draft_result(cid, result, card.get("notes") or [])


def _draft_result(cid: int, result: dict[str, Any], notes: list[dict[str, Any]]) -> None:
    provenance(result)
    if result["channel"] == "email":
        st.text_input(t("draft.subject"), key=f"draft_subject_{cid}")
    text = st.text_area(t("draft.edit"), key=f"draft_text_{cid}", height=180)
    st.caption(t("draft.copy_hint", n=len(text)))
    st.code(text, language=None, wrap_lines=True)
    tab_critique, tab_checks, tab_sources = st.tabs(
        [t("draft.critique"), t("draft.checks"), t("draft.sources")])
    with tab_critique:
        critique_summary(result.get("critique") or {}, result["text"])
    with tab_checks:
        checks_list(result.get("checks") or {}, result.get("reasons"))
    with tab_sources:
        sources_expander(result.get("sources") or [], notes)
    if result.get("draft_id"):
        st.caption(t("draft.auto_saved", id=result["draft_id"]))
    subject = st.session_state.get(f"draft_subject_{cid}", "")
    edited = text != result["text"] or subject != (result.get("subject") or "")
    update = getattr(_drafting(), "update_draft", None)
    if update is None:
        if edited:
            st.caption(t("draft.edits_not_saved"))
    elif st.button(t("draft.save"), key=f"draft_save_{cid}", icon=":material/save:",
                   disabled=not edited):
        with state.guard():
            update(result["draft_id"], text=text, subject=subject)
            state.flash("success", t("draft.saved"))
            st.session_state.drafts.pop(cid, None)
            st.rerun()


def saved_drafts(drafts: list[dict[str, Any]]) -> None:
    if not drafts:
        st.caption(t("draft.none_saved"))
    for d in drafts:
        with st.container(border=True):
            channel = t(f"channel.{d['channel']}") if d["channel"] in CHANNELS else d["channel"]
            st.caption(f"{(d.get('created_at') or '')[:16].replace('T', ' ')} · {channel}"
                       f" · {d['language']} · {d.get('backend') or ''}")
            if d.get("subject"):
                st.markdown(f"**{d['subject']}**")
            st.code(d["text"], language=None, wrap_lines=True)

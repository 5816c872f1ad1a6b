"""Contacts: search and filter, a contact card with its notes, and a one-click follow-up."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from coach.ui import drafts as draft_view
from coach.ui import state
from coach.ui.i18n import t
from coach.ui.intros import introductions_panel

st.title(t("contacts.title"))

from coach.services import contacts  # noqa: E402 - after the first paint on purpose

TIERS = ("prospect", "ally", "radar")
KINDS = ("note", "meeting", "call", "message", "email", "event", "intro")
VALUES = ("none", "given", "received")


def _add_contact_form() -> None:
    with st.expander(t("contacts.add"), expanded=not contacts.list_contacts()), \
            st.form("add_contact", clear_on_submit=True):
        c1, c2 = st.columns(2)
        name = c1.text_input(t("field.name"), key="new_name")
        company = c2.text_input(t("field.company"), key="new_company")
        role = c1.text_input(t("field.role"), key="new_role")
        email = c2.text_input(t("field.email"), key="new_email")
        where_met = c1.text_input(t("field.where_met"), key="new_where_met")
        met_on = c2.date_input(t("field.met_on"), value=None, key="new_met_on")
        tier = c1.selectbox(t("field.tier"), TIERS, index=2, key="new_tier",
                            format_func=lambda x: t(f"tier.{x}"))
        tags = c2.text_input(t("field.tags"), key="new_tags", placeholder=t("field.tags_hint"))
        needs = st.text_input(t("field.needs"), key="new_needs")
        note = st.text_area(t("contacts.first_note"), key="new_note",
                            placeholder=t("contacts.note_hint"))
        if st.form_submit_button(t("contacts.add_submit"), type="primary"):
            with state.guard():
                created = contacts.add_contact(
                    name=name, company=company, role=role, email=email, where_met=where_met,
                    met_on=met_on.isoformat() if met_on else None, tier=tier, tags=tags,
                    needs=needs)
                if note.strip():
                    state.warn_if(contacts.add_note(created["id"], note, kind="event"
                                                    if where_met else "note",
                                                    occurred_on=met_on))
                state.flash("success", t("contacts.added", name=created["name"]))
                st.session_state.contact_id = created["id"]
                st.rerun()


def _pick_contact() -> int | None:
    query = st.text_input(t("contacts.search"), key="contact_query",
                          placeholder=t("contacts.search_hint"))
    tier = st.selectbox(t("field.tier"), ("all", *TIERS), key="contact_tier",
                        format_func=lambda x: t("contacts.all_tiers") if x == "all"
                        else t(f"tier.{x}"))
    tier = None if tier == "all" else tier
    found = contacts.list_contacts(tier=tier, query=query.strip() or None)
    if not found:
        st.info(t("contacts.none_found") if (query or tier) else t("contacts.empty"))
        return None
    ids = [c["id"] for c in found]
    labels = {c["id"]: f"{c['name']} — {c['company']}" if c["company"] else c["name"]
              for c in found}
    current = st.session_state.get("contact_id")
    index = ids.index(current) if current in ids else 0
    chosen = st.selectbox(t("contacts.pick", n=len(found)), ids, index=index,
                          format_func=labels.__getitem__, key="contact_pick")
    st.session_state.contact_id = chosen
    return chosen


def _header(c: dict[str, Any]) -> None:
    st.subheader(c["name"])
    line = " · ".join(x for x in (c["role"], c["company"]) if x)
    if line:
        st.write(line)
    st.badge(t(f"tier.{c['tier']}"), color={"prospect": "orange", "ally": "green",
                                             "radar": "gray"}[c["tier"]])
    facts = [(t("field.where_met"), c["where_met"]), (t("field.met_on"), c["met_on"]),
             (t("field.email"), c["email"]), (t("field.tags"), ", ".join(c["tags"])),
             (t("field.needs"), c["needs"])]
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in facts if value))


def _timeline(c: dict[str, Any]) -> None:
    if not c["notes"]:
        st.caption(t("contacts.no_notes"))
    for note in c["notes"]:
        with st.container(border=True):
            icons = {"given": ":material/volunteer_activism:", "received": ":material/handshake:"}
            mark = f"{icons[note['value']]} {t('value.' + note['value'])}" \
                if note["value"] in icons else ""
            st.caption(f"{note['occurred_on'] or ''} · {t('kind.' + note['kind'])} {mark}")
            st.write(note["text"])


def _add_note_form(c: dict[str, Any]) -> None:
    with st.form(f"add_note_{c['id']}", clear_on_submit=True):
        text = st.text_area(t("contacts.note"), key=f"note_text_{c['id']}",
                            placeholder=t("contacts.note_hint"))
        k1, k2, k3 = st.columns(3)
        kind = k1.selectbox(t("field.kind"), KINDS, key=f"note_kind_{c['id']}",
                            format_func=lambda x: t(f"kind.{x}"))
        value = k2.selectbox(t("field.value"), VALUES, key=f"note_value_{c['id']}",
                             format_func=lambda x: t(f"value.{x}"))
        day = k3.date_input(t("field.date"), value=date.today(), key=f"note_date_{c['id']}")
        if st.form_submit_button(t("contacts.add_note")):
            with state.guard():
                state.warn_if(contacts.add_note(c["id"], text, kind=kind, value=value,
                                                occurred_on=day))
                state.flash("success", t("contacts.note_added"))
                st.rerun()


def _close_delete() -> None:
    st.session_state.pop("confirm_delete", None)


@st.dialog(t("contacts.delete_title"), on_dismiss=_close_delete)
def _confirm_delete(contact_id: int, name: str) -> None:
    st.write(t("contacts.delete_confirm", name=name))
    c1, c2 = st.columns(2)
    if c1.button(t("contacts.delete"), type="primary", key="delete_confirm"):
        _close_delete()
        with state.guard():
            contacts.delete_contact(contact_id)
            st.session_state.pop("contact_id", None)
            state.flash("success", t("contacts.deleted", name=name))
            st.rerun()
    if c2.button(t("contacts.cancel"), key="delete_cancel"):
        _close_delete()
        st.rerun()


left, right = st.columns([1, 2], gap="large")
with left:
    chosen = _pick_contact()
    _add_contact_form()

with right:
    if chosen is not None:
        with state.guard():
            card = contacts.get_contact(chosen)
            _header(card)
            draft_view.follow_up_section(card)
            notes_tab, add_tab, saved_tab = st.tabs(
                [t("contacts.timeline", n=len(card["notes"])), t("contacts.add_note"),
                 t("contacts.saved_drafts", n=len(card["drafts"]))])
            with notes_tab:
                _timeline(card)
            with add_tab:
                _add_note_form(card)
            with saved_tab:
                draft_view.saved_drafts(card["drafts"])
            introductions_panel(card["id"], k=3)
            if st.button(t("contacts.delete"), key="delete_contact", icon=":material/delete:"):
                st.session_state.confirm_delete = card["id"]
            if st.session_state.get("confirm_delete") == card["id"]:
                _confirm_delete(card["id"], card["name"])

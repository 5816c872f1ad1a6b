"""Contacts as vCard 3.0 (one .vcf with every card), written with ``vobject``."""

from __future__ import annotations

from typing import Any

import vobject


def _card(c: dict[str, Any]) -> str:
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("fn").value = c["name"]
    parts = c["name"].rsplit(" ", 1)
    given, family = (parts[0], parts[1]) if len(parts) == 2 else (c["name"], "")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if c.get("company"):
        card.add("org").value = [c["company"]]
    if c.get("role"):
        card.add("title").value = c["role"]
    for email in c.get("emails") or ([c["email"]] if c.get("email") else []):
        item = card.add("email")
        item.value = email
        item.type_param = "INTERNET"
    if c.get("phone"):
        card.add("tel").value = c["phone"]
    if c.get("profile_url"):
        card.add("url").value = c["profile_url"]
    if c.get("tags"):
        card.add("categories").value = list(c["tags"])
    note = "\n".join(p for p in (
        f"Where met: {c['where_met']}" if c.get("where_met") else "",
        f"Needs: {c['needs']}" if c.get("needs") else "",
        f"Offers: {c['offers']}" if c.get("offers") else "",
    ) if p)
    if note:
        card.add("note").value = note
    return card.serialize()


def export(state: dict[str, Any]) -> str:
    return "".join(_card(c) for c in state.get("contacts") or [])

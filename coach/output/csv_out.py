"""Contacts as CSV; the header uses the field names the generic CSV importer maps itself."""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ("id", "name", "company", "role", "email", "emails", "phone", "profile_url",
           "location", "where_met", "met_on", "tier", "stage", "tags", "needs", "offers",
           "cadence_days", "language", "last_interaction", "notes")


def export(state: dict[str, Any]) -> str:
    last: dict[int, str] = {}
    count: dict[int, int] = {}
    for item in state.get("interactions") or []:
        cid = item["contact_id"]
        count[cid] = count.get(cid, 0) + 1
        if item.get("occurred_on") and item["occurred_on"] > last.get(cid, ""):
            last[cid] = item["occurred_on"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in state.get("contacts") or []:
        row = dict(c)
        row["emails"] = "; ".join(c.get("emails") or [])
        row["tags"] = "; ".join(c.get("tags") or [])
        row["last_interaction"] = last.get(c["id"], "")
        row["notes"] = count.get(c["id"], 0)
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in COLUMNS])
    return out.getvalue()

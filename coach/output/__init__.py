"""Exporters: pure functions from a plain ``state`` dict to text.

``state`` holds ``profile`` (dict), ``contacts``, ``interactions`` and ``drafts`` (lists of
dicts as made by the store's ``*_to_dict``), and ``review`` (from ``coach.network.review``)
for the calendar export. Secrets are never part of the state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.errors import InputError
from coach.output import calendar, csv_out, json_backup, vcard_out

Exporter = Callable[[dict[str, Any]], str]

EXPORTERS: dict[str, Exporter] = {
    "json": json_backup.export,
    "csv": csv_out.export,
    "vcard": vcard_out.export,
    "ics": calendar.export,
}
SUFFIXES = {"json": ".json", "csv": ".csv", "vcard": ".vcf", "ics": ".ics"}


def get_exporter(fmt: str) -> Exporter:
    try:
        return EXPORTERS[fmt]
    except KeyError:
        raise InputError(f"unknown export format {fmt!r}: use {', '.join(EXPORTERS)}") from None

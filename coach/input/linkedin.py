"""LinkedIn's ``Connections.csv``, exactly as LinkedIn exports it.

The export starts with a few "Notes:" lines before the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``; most e-mails
are blank (people choose whether to share them) and dates look like ``12 Mar 2024``.
"""

from __future__ import annotations

import csv
import io

from coach.errors import InputError
from coach.input.records import ContactRecord, ParseResult, Skipped, decode_text, parse_date

REQUIRED = ("first name", "last name")
COLUMNS = {
    "first name": "first", "last name": "last", "url": "profile_url",
    "email address": "email", "company": "company", "position": "role",
    "connected on": "connected_on",
}
MAX_PREAMBLE_LINES = 30


def find_header(lines: list[str]) -> int:
    """Index of the header line (after LinkedIn's "Notes:" preamble), or -1."""
    for index, line in enumerate(lines[:MAX_PREAMBLE_LINES]):
        lowered = line.lower()
        if "first name" in lowered and "last name" in lowered:
            return index
    return -1


def looks_like(text: str) -> bool:
    return find_header(text.splitlines()) >= 0


def parse(data: bytes, mapping: dict[str, str] | None = None) -> ParseResult:
    text = decode_text(data, "LinkedIn file")
    lines = text.splitlines()
    start = find_header(lines)
    if start < 0:
        raise InputError("not a LinkedIn Connections.csv: no 'First Name,Last Name,...' header "
                         "in its first lines (use --format csv for other files)")
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    try:
        return _read(reader, start)
    except csv.Error as exc:
        raise InputError(f"unreadable CSV at line {start + reader.line_num}: {exc}") from None


def _read(reader, start: int) -> ParseResult:  # noqa: ANN001
    header = [h.strip().lower() for h in next(reader)]
    index = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
    result = ParseResult()
    for row in reader:
        line = start + reader.line_num
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str:
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        name = " ".join(f"{cell('first')} {cell('last')}".split())
        if not name:
            result.skipped.append(Skipped(line, "no first or last name"))
            continue
        try:
            connected = parse_date(cell("connected_on"))
        except InputError:
            bad = cell("connected_on")
            result.skipped.append(Skipped(line, f"bad 'Connected On' date {bad!r}"))
            continue
        fields = {
            "name": name, "company": cell("company"), "role": cell("role"),
            "email": cell("email").lower(), "profile_url": cell("profile_url"),
            "met_on": connected, "where_met": "LinkedIn", "source": "linkedin",
        }
        result.records.append(ContactRecord(line, fields))
    return result

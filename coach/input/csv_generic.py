"""Any CSV with a column mapping (``--map "name=Nombre,email=Correo"``).

Without a mapping, columns are matched by common English and Spanish header names. The
dialect (comma, semicolon, tab) is sniffed. ``first_name``/``last_name`` columns are joined
into the name; a ``note`` column becomes a note on the contact.
"""

from __future__ import annotations

import csv
import io

from coach.errors import InputError
from coach.input.records import (
    ContactRecord,
    NoteRecord,
    ParseResult,
    Skipped,
    decode_text,
    fold,
    parse_date,
    split_list,
)

TARGETS = ("name", "first_name", "last_name", "company", "role", "email", "emails", "phone",
           "profile_url", "location", "where_met", "met_on", "tier", "stage", "tags", "needs",
           "offers", "cadence_days", "language", "note")
ALIASES = {
    "name": ("name", "full name", "nombre", "nombre completo", "contact", "contacto"),
    "first_name": ("first name", "firstname", "given name", "nombres"),
    "last_name": ("last name", "lastname", "surname", "family name", "apellido", "apellidos"),
    "company": ("company", "organization", "organisation", "empresa", "organizacion",
                "compania"),
    "role": ("role", "title", "job title", "position", "cargo", "puesto", "rol"),
    "email": ("email", "e-mail", "email address", "mail", "correo", "correo electronico"),
    "emails": ("emails",),
    "phone": ("phone", "telephone", "mobile", "telefono", "movil", "celular"),
    "profile_url": ("profile_url", "url", "linkedin", "profile", "perfil"),
    "location": ("location", "city", "ciudad", "ubicacion", "pais"),
    "where_met": ("where_met", "where met", "met at", "donde", "donde nos conocimos",
                  "evento"),
    "met_on": ("met_on", "met on", "date met", "fecha", "connected on"),
    "tier": ("tier", "nivel", "segmento"),
    "stage": ("stage", "etapa"),
    "tags": ("tags", "etiquetas", "labels"),
    "needs": ("needs", "necesita", "necesidades"),
    "offers": ("offers", "ofrece", "puedo ofrecer"),
    "cadence_days": ("cadence_days", "cadence", "cadencia"),
    "language": ("language", "idioma"),
    "note": ("note", "notes", "nota", "notas", "comments", "comentarios"),
}
TIER_WORDS = {"prospecto": "prospect", "aliado": "ally", "radar": "radar"}


def parse_mapping(text: str | None) -> dict[str, str]:
    """``"name=Nombre,email=Correo"`` -> {"name": "Nombre", "email": "Correo"}."""
    if not text:
        return {}
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise InputError(f"bad --map entry {part.strip()!r}: write field=Column")
        key, column = (x.strip() for x in part.split("=", 1))
        if key not in TARGETS:
            raise InputError(f"unknown field {key!r} in --map: use {', '.join(TARGETS)}")
        mapping[key] = column
    return mapping


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def resolve_columns(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    folded = [fold(h) for h in header]
    columns: dict[str, int] = {}
    for key, column in mapping.items():
        if fold(column) not in folded:
            raise InputError(f"column {column!r} (for {key}) is not in the CSV header: "
                             f"{', '.join(header)}")
        columns[key] = folded.index(fold(column))
    for key, names in ALIASES.items():
        if key in columns:
            continue
        for i, h in enumerate(folded):
            if h in names and i not in columns.values():
                columns[key] = i
                break
    if "name" not in columns and "first_name" not in columns:
        raise InputError("no name column found: map one with --map \"name=YourColumn\" "
                         f"(header: {', '.join(header)})")
    return columns


def parse(data: bytes, mapping: dict[str, str] | None = None) -> ParseResult:
    text = decode_text(data, "CSV file")
    if not text.strip():
        raise InputError("the CSV file is empty")
    reader = csv.reader(io.StringIO(text), _dialect(text[:8192]))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError(f"unreadable CSV header: {exc}") from None
    columns = resolve_columns(header, mapping or {})
    result = ParseResult()
    try:
        _read_rows(reader, columns, result)
    except csv.Error as exc:
        raise InputError(f"unreadable CSV at line {reader.line_num}: {exc}") from None
    return result


def _read_rows(reader, columns: dict[str, int], result: ParseResult) -> None:  # noqa: ANN001
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {k: row[i].strip() for k, i in columns.items() if i < len(row)}
        try:
            record = _record(line, values)
        except InputError as exc:
            result.skipped.append(Skipped(line, str(exc)))
            continue
        if record is None:
            result.skipped.append(Skipped(line, "no name"))
        else:
            result.records.append(record)


def _record(line: int, values: dict[str, str]) -> ContactRecord | None:
    name = values.pop("name", "") or " ".join(
        f"{values.get('first_name', '')} {values.get('last_name', '')}".split())
    values.pop("first_name", None)
    values.pop("last_name", None)
    if not name:
        return None
    note = values.pop("note", "")
    fields: dict[str, object] = {k: v for k, v in values.items() if v}
    fields["name"] = name
    fields["source"] = "csv"
    if "tier" in fields:
        tier = fold(str(fields["tier"]))
        fields["tier"] = TIER_WORDS.get(tier, tier)
    if "met_on" in fields:
        fields["met_on"] = parse_date(fields["met_on"])
    for key in ("tags", "emails"):
        if key in fields:
            fields[key] = split_list(fields[key])
    notes = [NoteRecord(note, fields.get("met_on"))] if note else []  # type: ignore[arg-type]
    return ContactRecord(line, fields, notes)

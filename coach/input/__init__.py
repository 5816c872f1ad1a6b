"""Importers: each format turns a file's bytes into plain records (no database here).

``FORMATS`` maps a format name to its parser; ``detect_format`` guesses one from a file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.errors import InputError
from coach.input import backup, csv_generic, linkedin, vcard
from coach.input.records import decode_text

Parser = Callable[[bytes, "dict[str, str] | None"], Any]

FORMATS: dict[str, Parser] = {
    "linkedin": linkedin.parse,
    "vcard": vcard.parse,
    "csv": csv_generic.parse,
    "json": backup.parse,
}


def detect_format(path: Path, data: bytes) -> str:
    """Guess the format from the content first, then the file extension."""
    head = decode_text(data[:8192], str(path.name))
    if vcard.looks_like(head):
        return "vcard"
    if backup.looks_like(head):
        return "json"
    if linkedin.looks_like(head):
        return "linkedin"
    suffix = path.suffix.lower()
    if suffix in (".vcf", ".vcard"):
        return "vcard"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    raise InputError(f"cannot tell the format of {path.name}: pass --format "
                     f"{'|'.join(FORMATS)}")


def get_parser(fmt: str) -> Parser:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise InputError(f"unknown import format {fmt!r}: use {', '.join(FORMATS)}") from None

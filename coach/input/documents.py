"""Read user documents for ``coach ingest``: Markdown, plain text and PDF (pypdf)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from coach.errors import InputError
from coach.retrieve.chunking import chunk_text
from coach.retrieve.text import detect_language

SUFFIXES = (".md", ".markdown", ".txt", ".pdf")


@dataclass(frozen=True)
class ParsedDocument:
    path: str
    title: str
    sha256: str
    language: str
    chunks: list[str]


def find_documents(path: Path) -> list[Path]:
    """The readable files at ``path`` (a file, or a folder searched recursively)."""
    if not path.exists():
        raise InputError(f"no such file or folder: {path}")
    if path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise InputError(f"{path.name}: unsupported file type (use .md, .txt or .pdf)")
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(path).parts))


def _pdf_text(data: bytes, name: str) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n\n".join((page.extract_text() or "") for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(f"{name}: cannot read this PDF ({type(exc).__name__})") from None


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: not a text file")


def _title(text: str, path: Path) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line and not line.startswith("---"):
            return line if len(line) <= 90 else line[:90].rsplit(" ", 1)[0] + "…"
    return path.stem


def read_document(path: Path) -> ParsedDocument:
    data = path.read_bytes()
    is_pdf = path.suffix.lower() == ".pdf"
    text = _pdf_text(data, path.name) if is_pdf else _decode(data, path.name)
    text = re.sub(r"[ \t]+", " ", text.replace("\r\n", "\n"))
    chunks = chunk_text(text)
    if not chunks:
        raise InputError(f"{path.name}: no text found")
    return ParsedDocument(
        path=str(path), title=_title(text, path), sha256=hashlib.sha256(data).hexdigest(),
        language=detect_language(text[:4000]), chunks=chunks,
    )

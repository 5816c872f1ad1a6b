"""Chunking of user documents for the index: sentence-sized passages (LangChain's
recursive splitter, preferring paragraph, line and sentence boundaries)."""

from __future__ import annotations

CHUNK_CHARS = 500
OVERLAP_CHARS = 60


def chunk_text(text: str, chunk_chars: int = CHUNK_CHARS,
               overlap_chars: int = OVERLAP_CHARS) -> list[str]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_chars,
        chunk_overlap=overlap_chars,
        separators=["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    return [c.strip() for c in splitter.split_text(text) if c.strip()]

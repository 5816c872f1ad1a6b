"""``coach search``, ``ask``, ``ingest``, ``reindex`` and ``who``."""

from __future__ import annotations

from pathlib import Path

import typer

from coach.cli.output import emit


def _knowledge():
    # Imported on use: the index, encoder and LangChain stay out of every other command.
    from coach.services import knowledge

    return knowledge


def _hits_text(hits: list[dict]) -> str:
    if not hits:
        return "No results."
    lines = []
    for n, hit in enumerate(hits, 1):
        where = hit.get("contact_name") or hit["source"]
        lines.append(f"{n}. [{hit['kind']}] {hit['title']} ({where}) score={hit['score']}")
        lines.append(f"   {hit['text'][:200]}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command()
    def search(
        query: str = typer.Argument(..., help="What to look for (Spanish or English)."),
        k: int = typer.Option(5, "--k", help="How many results."),
        kind: str | None = typer.Option(None, "--kind", help="guidance or note."),
        contact: int | None = typer.Option(None, "--contact", help="Only this contact id."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Search the guidance and your notes (hybrid: meaning + keywords)."""
        hits = _knowledge().search(query, k=k, kind=kind, contact_id=contact)
        emit(hits, as_json, _hits_text(hits))

    @app.command()
    def ask(
        question: str = typer.Argument(..., help="Your question."),
        lang: str | None = typer.Option(None, "--lang", help="es or en (default: guessed)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Answer from the guidance, with its sources."""
        result = _knowledge().ask(question, lang=lang)
        sources = "\n".join(f"- {h['title']} ({h['source']})" for h in result["sources"])
        label = "Fuentes" if result["lang"] == "es" else "Sources"
        emit(result, as_json, f"{result['answer']}\n\n{label}:\n{sources}")

    @app.command()
    def ingest(
        path: str = typer.Argument(..., help="A .md, .txt or .pdf file, or a folder."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Add your own documents to the guidance."""
        result = _knowledge().ingest(Path(path))
        text = f"documents added: {result['documents']}\nchunks added: {result['chunks']}"
        if result["skipped"]:
            text += f"\nalready ingested: {', '.join(result['skipped'])}"
        emit(result, as_json, text)

    @app.command()
    def reindex(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """Rebuild the search index from the cards and the database."""
        counts = _knowledge().reindex()
        emit(counts, as_json, " ".join(f"{k}={v}" for k, v in counts.items()))

    @app.command()
    def who(
        query: str = typer.Argument(..., help="A topic, need or detail from your notes."),
        k: int = typer.Option(10, "--k", help="How many contacts."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Contacts whose notes match, with the matching note."""
        rows = _knowledge().who(query, k=k)
        text = "\n".join(
            f"{r['contact']['name']} (#{r['contact']['id']}): {r['note']['text'][:160]}"
            for r in rows) or "No matching notes."
        emit(rows, as_json, text)

"""``coach doctor``."""

from __future__ import annotations

import typer

from coach.cli.output import emit


def register(app: typer.Typer) -> None:
    @app.command()
    def doctor(
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        no_generate: bool = typer.Option(False, "--no-generate", help="Skip the model probe."),
    ) -> None:
        """Show the backend, model, data folder, index counts and generation time."""
        from coach.services.doctor import doctor_report

        report = doctor_report(generate=not no_generate)
        lines = [f"{key}: {value}" for key, value in report.items()]
        emit(report, as_json, "\n".join(lines))

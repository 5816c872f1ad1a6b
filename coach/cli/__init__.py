"""The ``coach`` command line: a thin shell over ``coach.services``.

Each command group lives in its own module and registers itself on ``app``. Errors the
user can act on are printed as one line on stderr with a non-zero exit status.
"""

from __future__ import annotations

import os
import sys

import click
import typer

from coach.errors import CoachError

app = typer.Typer(
    name="coach",
    help="Networking coach: pitches, follow-ups, yoísmo critique and network review.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Command modules, registered in this order (each defines ``register(app)``).
COMMAND_MODULES = [
    "knowledge",
    "doctor",
    "contacts",
    "critique",
    "connect",
    "drafting",
]


def _register_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"coach.cli.{name}").register(app)


def main(argv: list[str] | None = None) -> int:
    _register_commands()
    try:
        result = app(args=argv, standalone_mode=False)
    except CoachError as exc:
        return _fail(str(exc), 1)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        return _fail("aborted", 130)
    except click.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, no traceback
        if os.environ.get("COACH_DEBUG"):
            raise
        return _fail(f"internal error ({type(exc).__name__}): {exc}", 70)
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int) -> int:
    first_line = " ".join(str(message).split())
    print(f"error: {first_line}", file=sys.stderr)
    return code


def run() -> None:  # pragma: no cover - console entry point
    sys.exit(main())

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

try:  # typer >= 0.2x ships its own copy of click: catch both copies' exceptions
    from typer._click import exceptions as _typer_click
except ImportError:  # pragma: no cover - older typer uses click itself
    _typer_click = click.exceptions
_USAGE_ERRORS = (click.ClickException, _typer_click.ClickException)
_EXITS = (click.exceptions.Exit, typer.Exit)
_ABORTS = (click.exceptions.Abort, typer.Abort)

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
    except _EXITS as exc:
        return exc.exit_code
    except _ABORTS:
        return _fail("aborted", 130)
    except _USAGE_ERRORS as exc:
        if isinstance(exc, _typer_click.NoArgsIsHelpError):
            return exc.exit_code  # the help is already on the screen
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

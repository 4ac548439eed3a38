"""Entry point: builds the Typer app from the command modules and turns nuskha errors into one-line messages."""
from __future__ import annotations

import os
import sys
from importlib import import_module

import typer

from ..errors import NuskhaError

#: Command modules under ``nuskha.cli``; each defines ``register(app, eval_app)``.
COMMANDS = ("tokenize", "normalize", "translit", "index", "search", "authority", "annotate", "eval_mentions", "eval_lemmas", "eval_segmentation", "build", "validate", "align",
            "curation", "review")


def build_app() -> typer.Typer:
    app = typer.Typer(name="nuskha", add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                      help="Arabic and Kazakh historical source texts: normalise, tokenise, annotate, align, "
                           "export TEI, search.")
    eval_app = typer.Typer(no_args_is_help=True, help="Score nuskha against gold data and print the figures.")
    app.add_typer(eval_app, name="eval")
    for name in COMMANDS:
        import_module(f"nuskha.cli.{name}").register(app, eval_app)
    return app


def main(argv: list[str] | None = None) -> None:
    app = build_app()
    try:
        app(args=argv, prog_name="nuskha")
    except NuskhaError as exc:
        if os.environ.get("NUSKHA_DEBUG"):
            raise
        print(f"nuskha: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:  # `nuskha ... | head`
        sys.exit(0)


if __name__ == "__main__":
    main()

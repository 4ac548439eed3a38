"""Entry point: builds the Typer app from the command modules and turns every error into one line and exit 2.

Whatever reaches this boundary -- a nuskha error, an OSError (a full disk, a folder that cannot be created), a
sqlite3 or library error -- is printed as one line naming the file where known (``NUSKHA_DEBUG=1`` re-raises it
for the traceback). SIGTERM and SIGHUP unwind like Ctrl-C, so temporary files are removed on the way out.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
from importlib import import_module

import typer

from ..errors import describe

#: Command modules under ``nuskha.cli``; each defines ``register(app, eval_app)``.
COMMANDS = ("tokenize", "normalize", "translit", "index", "search", "authority", "annotate", "eval_mentions",
            "eval_lemmas", "eval_segmentation", "build", "validate", "align", "export", "curation", "review")


#: The modules a command needs, so that one command imports only its own module (``nuskha tokenize`` need not
#: import the search index or the TEI validator); anything else (``--help``, a typo) registers them all.
_MODULES_OF = {name: (name,) for name in COMMANDS if not name.startswith("eval_")}
_MODULES_OF["eval"] = tuple(name for name in COMMANDS if name.startswith("eval_"))


def build_app(command: str | None = None) -> typer.Typer:
    """The Typer app; with ``command``, only the modules that command needs are imported."""
    app = typer.Typer(name="nuskha", add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                      help="Arabic and Kazakh historical source texts: normalise, tokenise, annotate, align, "
                           "export TEI, search.")
    eval_app = typer.Typer(no_args_is_help=True, help="Score nuskha against gold data and print the figures.")
    app.add_typer(eval_app, name="eval")
    for name in _MODULES_OF.get(command or "", COMMANDS):
        import_module(f"nuskha.cli.{name}").register(app, eval_app)
    return app


def _terminate(signum: int, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds: every write_atomic removes its temporary file


#: The cyclic collector's thresholds for a command-line run (Python's are 700, 10, 10). A run allocates millions of
#: small objects that live to its end -- tables, caches, a block's tokens -- and hardly any cycles; with the
#: default first threshold the collector walked them over and over, a quarter of the CPU of ``annotate`` on a book.
#: Rarer collections still collect: memory stays bounded, the streaming commands' peaks do not move.
GC_THRESHOLDS = (100_000, 20, 100)


def main(argv: list[str] | None = None) -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            signal.signal(sig, _terminate)
        except (ValueError, OSError):  # not the main thread (embedded use): leave the handlers alone
            pass
    args = list(sys.argv[1:] if argv is None else argv)
    app = build_app(args[0] if args else None)
    if args[:1] == ["build"]:
        from .build import dask_argv

        args = dask_argv(args)
    try:
        app(args=args, prog_name="nuskha")
    except BrokenPipeError:  # `nuskha ... | head`
        _quiet_stdout()
        sys.exit(0)
    except SystemExit as exc:
        if exc.code == 1 and _click_met_broken_pipe():
            sys.exit(0)  # click reports a closed pipe as failure 1; for `| head` it is the reader's choice
        raise
    except KeyboardInterrupt:
        print("nuskha: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("NUSKHA_DEBUG"):
            raise
        from .common import escape_controls

        for file, error in getattr(exc, "failures", ()):
            print(f"nuskha: error: {escape_controls(error)}", file=sys.stderr)
        print(f"nuskha: error: {escape_controls(describe(exc))}", file=sys.stderr)
        sys.exit(2)


def run() -> None:
    """The ``nuskha`` command (``python -m nuskha``): :func:`main`, then, when it succeeded, leave at once.

    A run that read a book holds tables and caches of millions of objects; tearing the interpreter down frees
    each of them, which cost about half a second of CPU after the output was complete. Every file is written and
    closed, and every temporary file removed, inside :func:`main`, so only the standard streams need flushing;
    a failing run (exit status not 0) leaves the ordinary way. Embedding code and tests call :func:`main`.
    """
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `nuskha ... | head`: what could be written was written
        _quiet_stdout()
    except (OSError, ValueError):  # a closed or failing stream: let the interpreter report it as it would
        raise SystemExit(0)
    os._exit(0)


def _click_met_broken_pipe() -> bool:
    # On EPIPE click swaps the standard streams for its PacifyFlushWrapper and exits with status 1: the wrapper is
    # the only trace that the failure was a reader closing the pipe, not an error of the command. Typer carries
    # its own copy of click (typer._click), so the class is known by name, not imported.
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _quiet_stdout() -> None:
    # Python flushes stdout again at exit and would print a second BrokenPipeError: point it at /dev/null.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


if __name__ == "__main__":
    run()

"""``nuskha curation check [CORPUS]``: does every human decision still find its place in the texts?"""
from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..curation import CheckReport, check, resolve_path
from .common import CurationFile


def corpus_texts(path: Path) -> dict[str, str]:
    """Document id -> text for a corpus folder or one text file."""
    from ..io import iter_corpus, read_text

    if path.is_file():
        return {path.stem: read_text(path)}
    return {e.id: read_text(e.path) for e in iter_corpus(path)}


def check_corpus(corpus: Path, curation: Path) -> CheckReport:
    """Anchor every decision of ``curation`` in the texts of ``corpus`` (a folder or one file)."""
    return check(curation, corpus_texts(corpus))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    curation_app = typer.Typer(no_args_is_help=True, help="The curation file: human decisions on mentions.")
    app.add_typer(curation_app, name="curation")

    @curation_app.command("check")
    def check_cli(
        corpus: Path = typer.Argument(Path("corpus"), help="The corpus folder (or one text file)."),
        curation: CurationFile = None,
    ) -> None:
        """List the decisions that can no longer be placed in their text (orphans), with their line numbers.

        Exit status 0 when every decision anchors, 1 when some are orphaned, 2 on a malformed file."""
        from ..errors import InputError

        path = resolve_path(curation)
        if path is None or not path.is_file():
            raise InputError("no curation file (give --curation PATH)", str(path or "annotations/curation.jsonl"))
        report = check_corpus(corpus, path)
        for orphan in report.orphans:
            print(f"{path}:{orphan}")
        print(f"{path}: {report.decisions} decision(s), {report.anchored} anchored ({report.moved} moved), "
              f"{len(report.orphans)} orphaned", file=sys.stderr)
        if report.orphans:
            raise typer.Exit(1)

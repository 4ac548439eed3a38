"""``nuskha authority check [PATH]``: malformed records, unknown columns and types, variants shared by two refs."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..authority import Problem, check_authority, default_path, load_authority
from ..errors import DataError


def check(path: str | Path | None = None) -> list[Problem]:
    """Every problem of the authority file at ``path``; an unparsable file is one error naming its line."""
    p = Path(path) if path else default_path()
    try:
        authority = load_authority(p)
    except DataError as exc:
        if exc.path == str(p) and exc.position:  # a malformed line: report it like the others
            line = int(exc.position.split()[-1]) if exc.position.split()[-1].isdigit() else 0
            return [Problem("error", line, "", exc.message)]
        raise
    return check_authority(authority)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    authority_app = typer.Typer(no_args_is_help=True, help="The authority file of people, places and groups.")
    app.add_typer(authority_app, name="authority")

    @authority_app.command("check")
    def check_cli(path: Optional[Path] = typer.Argument(None, help="Authority TSV (default: "
                                                                   "the packaged nuskha/data/authority.tsv).")) -> None:
        """Report malformed records, unknown columns/types and duplicate variants; exit 1 on any error."""
        problems = check(path)
        for prob in problems:
            print(prob)
        errors = sum(p.level == "error" for p in problems)
        warnings = len(problems) - errors
        print(f"{path or default_path()}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
        if errors:
            raise typer.Exit(1)

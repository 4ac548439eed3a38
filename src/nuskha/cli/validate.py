"""``nuskha validate FILE...``: TEI P5 (tei_all RELAX NG) and the Schematron rules RELAX NG cannot check."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ValidationError
from ..tei.validate import validate
from .common import print_json


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("validate")
    def validate_cli(
        files: List[Path] = typer.Argument(..., help="TEI files."),
        schema: Optional[Path] = typer.Option(None, "--schema", help="RELAX NG schema (default: "
                                                                     "../shared/tei/tei_all-4.12.0.rng)."),
        no_rules: bool = typer.Option(False, "--no-rules", help="RELAX NG only, skip the Schematron rules."),
        format: str = typer.Option("text", "--format", help="text (file:line: level: [rule] message) or json."),
    ) -> None:
        """Validate FILES; every problem names the file, the line and the rule. Exit 2 if any error."""
        results = validate(files, schema, rules=not no_rules)
        problems = [p for ps in results.values() for p in ps]
        errors = [p for p in problems if p.level == "error"]
        if format == "json":
            print_json({f: {"valid": not any(p.level == "error" for p in ps), "problems": [p.to_json() for p in ps]}
                        for f, ps in results.items()})
        else:
            for p in problems:
                typer.echo(str(p))
            for f, ps in results.items():
                if not any(p.level == "error" for p in ps):
                    typer.echo(f"{f}: valid (tei_all 4.12.0 + Schematron rules)")
        if errors:
            bad = sum(1 for ps in results.values() if any(p.level == "error" for p in ps))
            raise ValidationError(f"{len(errors)} error(s) in {bad} of {len(results)} file(s)")

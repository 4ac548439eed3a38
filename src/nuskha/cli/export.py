"""``nuskha export PATH --format webanno|conllu|iob|csv``: annotations in formats other tools import."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..export import FORMATS, export
from .common import TextLang


class ExportFormat(str, Enum):
    webanno = "webanno"
    conllu = "conllu"
    iob = "iob"
    csv = "csv"


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("export", help="Annotate PATH (a text, a corpus folder or a nuskha TEI file) and export it.\n\n"
                 + "\n\n".join(f"{name}: {desc}" for name, (_, _, desc) in FORMATS.items()))
    def export_cli(
        path: Path = typer.Argument(..., help="A UTF-8 text file, a folder of .txt files, or a nuskha TEI file."),
        format: ExportFormat = typer.Option(..., "--format", "-f", help="webanno, conllu, iob or csv."),
        out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output file (written atomically); default: "
                                                                      "standard output."),
        lang: TextLang = None,
        authority: Optional[Path] = typer.Option(None, "--authority", help="Extra authority records (extend and "
                                                 "override the packaged file; default: annotations/authority.tsv "
                                                 "if present)."),
        gold: Optional[Path] = typer.Option(None, "--gold", help="Take mentions from DIR/<name>.gold.json instead "
                                                                 "of running the recognisers."),
    ) -> None:
        text = export(path, format.value, out, lang, authority, gold)
        if out is None:
            sys.stdout.write(text)

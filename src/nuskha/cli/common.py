"""Helpers shared by the command modules: output formats and printing."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Iterable, Optional

import typer


# The argument and option every text command takes, declared once so their help reads the same everywhere.
TextFile = Annotated[Path, typer.Argument(help="A UTF-8 text file.")]
TextLang = Annotated[Optional[str], typer.Option("--lang", help="ar, kk, kk-Latn or ru; detected when omitted.")]
# The curation file of annotate, build, index, align and review (nuskha.curation), declared once.
CurationFile = Annotated[Optional[Path], typer.Option(
    "--curation", help="Human decisions applied on top of the recognisers (default: annotations/curation.jsonl "
                       "when it exists).")]


class Format(str, Enum):
    json = "json"
    tsv = "tsv"


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1))
    sys.stdout.write("\n")


def print_tsv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    out = sys.stdout
    out.write("\t".join(header) + "\n")
    for row in rows:
        out.write("\t".join(_cell(v) for v in row) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\t", "\\t").replace("\n", "\\n")

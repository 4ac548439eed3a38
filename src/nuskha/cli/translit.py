"""``nuskha translit FILE --to cyrl|latn``: Kazakh Cyrillic <-> the 2021 Kazakh Latin alphabet."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from ..core.translit import to_cyrillic, to_latin
from ..io import read_text
from .common import MAX_BYTES_DEFAULT, MaxBytes, escape_controls


class Target(str, Enum):
    cyrl = "cyrl"
    latn = "latn"


def translit(file: Path, to: str, max_bytes: int = MAX_BYTES_DEFAULT) -> dict[str, Any]:
    """The transliterated text of ``file`` and, towards Cyrillic, the ambiguous letters (offsets into the input)."""
    text = read_text(file, max_bytes)
    if to == Target.latn:
        return {"file": str(file), "to": "latn", "text": to_latin(text), "ambiguities": []}
    converted, flags = to_cyrillic(text)
    return {"file": str(file), "to": "cyrl", "text": converted, "ambiguities": [f.to_json() for f in flags]}


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("translit")
    def translit_cli(
        file: Path = typer.Argument(..., help="A UTF-8 Kazakh text file."),
        to: Target = typer.Option(..., "--to", help="cyrl (from 2021 Latin) or latn (from Cyrillic)."),
        show_flags: bool = typer.Option(False, "--flags", help="Also list ambiguous letters on stderr."),
        max_bytes: MaxBytes = MAX_BYTES_DEFAULT,
    ) -> None:
        """Transliterate FILE between Kazakh Cyrillic and the 2021 Kazakh Latin alphabet (text to stdout)."""
        data = translit(file, to.value, max_bytes)
        sys.stdout.write(data["text"])
        if show_flags:
            for f in data["ambiguities"]:
                print(escape_controls(f"{file}:{f['start']}: {f['source']} -> {f['chosen']} "
                                      f"(of {'/'.join(f['options'])})"),
                      file=sys.stderr)
        elif data["ambiguities"]:
            print(f"nuskha: {len(data['ambiguities'])} ambiguous letter(s) read by default (see --flags)",
                  file=sys.stderr)

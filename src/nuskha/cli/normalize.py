"""``nuskha normalize FILE``: every normalisation the match forms rely on, with offsets; the text is untouched."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ..pipeline import load, sha256
from .common import Format, TextFile, TextLang, print_json, print_tsv


def normalize(file: Path, lang: str | None = None) -> dict[str, Any]:
    doc = load(file, lang)
    return {
        "file": str(file),
        "lang": doc.lang,
        "sha256": sha256(doc.text),
        "changes": [{"start": c.start, "end": c.end, "orig": c.orig, "reg": c.reg, "kind": c.kind}
                    for c in doc.normalizations()],
    }


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("normalize")
    def normalize_cli(
        file: TextFile,
        lang: TextLang = None,
        format: Format = typer.Option(Format.tsv, "--format", help="tsv (for reading) or json."),
    ) -> None:
        """Show every normalisation of FILE (orig -> reg, kind, offsets). The original is never changed."""
        data = normalize(file, lang)
        if format is Format.json:
            print_json(data)
        else:
            print_tsv(("start", "end", "orig", "reg", "kind"),
                      ((c["start"], c["end"], c["orig"], c["reg"], c["kind"]) for c in data["changes"]))

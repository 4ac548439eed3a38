"""``nuskha normalize FILE``: every normalisation the match forms rely on, with offsets; the text is untouched."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import typer

from .common import (MAX_BYTES_DEFAULT, MaxBytes, StreamFormat, TextFile, TextLang, print_tsv, write_json_streaming,
                     write_jsonl)


def iter_changes(file: Path, lang: str | None = None,
                 max_bytes: int = MAX_BYTES_DEFAULT) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """``(header, changes)``: the header of the contract, then every change record, block by block."""
    from ..pipeline import open_document, process_blocks

    file = Path(file)
    stream, lang, _ = open_document(file, lang, max_bytes)
    head = {"file": str(file), "lang": lang, "sha256": stream.sha256}

    def changes() -> Iterator[dict[str, Any]]:
        try:
            for offset, doc in process_blocks(stream, lang, id=file.stem):
                for c in doc.normalizations():
                    yield {"start": c.start + offset, "end": c.end + offset, "orig": c.orig, "reg": c.reg,
                           "kind": c.kind}
        finally:
            stream.close()

    return head, changes()


def normalize(file: Path, lang: str | None = None, max_bytes: int = MAX_BYTES_DEFAULT) -> dict[str, Any]:
    """The JSON contract ``{"file", "lang", "sha256", "changes": [...]}`` as one object."""
    head, changes = iter_changes(file, lang, max_bytes)
    return {**head, "changes": list(changes)}


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("normalize")
    def normalize_cli(
        file: TextFile,
        lang: TextLang = None,
        format: StreamFormat = typer.Option(StreamFormat.tsv, "--format",
                                            help="tsv (for reading), json or jsonl (one change a line)."),
        max_bytes: MaxBytes = MAX_BYTES_DEFAULT,
    ) -> None:
        """Show every normalisation of FILE (orig -> reg, kind, offsets). The original is never changed."""
        head, changes = iter_changes(file, lang, max_bytes)
        if format is StreamFormat.json:
            write_json_streaming(sys.stdout, head, {"changes": changes})
        elif format is StreamFormat.jsonl:
            write_jsonl(sys.stdout, head, changes)
        else:
            print_tsv(("start", "end", "orig", "reg", "kind"),
                      ((c["start"], c["end"], c["orig"], c["reg"], c["kind"]) for c in changes))

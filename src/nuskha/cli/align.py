"""``nuskha align A B``: entities shared by documents in different languages (authority, then transliteration)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..align import FLOOR, THRESHOLD, align
from ..document import Document
from .common import CurationFile, Format, print_json, print_tsv


def load_for_alignment(path: Path, gold: Path | None = None, curation: Path | None = None) -> list[Document]:
    """A text file (annotated by the recognisers, or with gold mentions; then curated) or a nuskha/inline TEI
    file."""
    if path.suffix == ".xml":
        from ..tei.read import read_tei

        return read_tei(path).documents
    from ..build import gold_mentions
    from ..curation import curate
    from ..pipeline import load

    if gold is not None:
        doc = load(path)
        gold_file = gold / f"{path.stem}.gold.json"
        if gold_file.exists():
            doc.mentions = gold_mentions(gold_file, doc.text)
    else:
        doc = load(path, annotate=True)
    curate(doc, curation)
    return [doc]


def align_files(files: list[Path], gold: Path | None = None, authority: Path | None = None,
                threshold: float = THRESHOLD, floor: float = FLOOR, curation: Path | None = None) -> list[dict]:
    from ..authority import load_authority

    docs = [d for f in files for d in load_for_alignment(f, gold, curation)]
    return [a.to_json() for a in align(docs, load_authority(authority), threshold, floor)]


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("align")
    def align_cli(
        files: List[Path] = typer.Argument(..., help="Two or more texts (.txt) or TEI files (.xml)."),
        format: Format = typer.Option(Format.json, "--format", help="json (the contract) or tsv."),
        gold: Optional[Path] = typer.Option(None, "--gold", help="Use DIR/<name>.gold.json mentions for .txt "
                                                                 "files instead of the recognisers."),
        authority: Optional[Path] = typer.Option(None, "--authority", help="Authority file."),
        threshold: float = typer.Option(THRESHOLD, "--threshold", help="Score at or above which names with no "
                                                                       "authority record are linked."),
        floor: float = typer.Option(FLOOR, "--floor", help="Score at or above which a pair is a candidate."),
        curation: CurationFile = None,
    ) -> None:
        """Link mentions of one entity across languages: [{"ref","score","method","mentions":{"ar":[..],..}}]."""
        from ..curation import resolve_path

        data = align_files(files, gold, authority, threshold, floor, resolve_path(curation))
        if format is Format.json:
            print_json(data)
        else:
            langs = sorted({lang for a in data for lang in a["mentions"]})
            print_tsv(("ref", "score", "method", "status", *langs),
                      ((a["ref"], a["score"], a["method"], a["status"],
                        *(" | ".join(dict.fromkeys(m["text"] for m in a["mentions"].get(l, []))) for l in langs))
                       for a in data))

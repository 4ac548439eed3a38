"""``nuskha annotate FILE``: people, places, groups, dates and troop figures with offsets, refs and values."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ..pipeline import load, sha256
from .common import CurationFile, Format, TextFile, TextLang, print_json, print_tsv


def annotate(file: str | Path, lang: str | None = None, authority: str | Path | None = None,
             statistical: bool = False, curation: str | Path | None = None) -> dict[str, Any]:
    """The JSON contract: ``{"file", "lang", "sha256", "mentions": [...]}`` (every recogniser in COMPONENTS).

    ``statistical`` lets the shipped statistical model (Kazakh) type and filter the capitalised-word candidates;
    ``curation`` is a curation file whose decisions are applied on top (nuskha.curation).
    """
    from ..curation import curate
    from ..annotate.entities import use_authority, use_model
    from ..authority import load_authority

    if authority is not None:
        use_authority(load_authority(authority))
    old = use_model("kk", True) if statistical else None
    try:
        doc = load(file, lang, annotate=True)
    finally:
        if authority is not None:
            use_authority(None)
        if old is not None:
            use_model("kk", old)
    curate(doc, curation)
    return {"file": str(file), "lang": doc.lang, "sha256": sha256(doc.text),
            "mentions": [m.to_json() for m in doc.mentions]}


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("annotate")
    def annotate_cli(
        file: TextFile,
        lang: TextLang = None,
        format: Format = typer.Option(Format.json, "--format", help="json (the contract) or tsv."),
        authority: Optional[Path] = typer.Option(None, "--authority",
                                                 help="Authority file (default: annotations/authority.tsv)."),
        statistical: bool = typer.Option(False, "--statistical",
                                         help="Let the statistical model (Kazakh, trained on modern news) "
                                              "type and filter capitalised-word candidates."),
        curation: CurationFile = None,
    ) -> None:
        """Mark people, places, groups, dates and troop figures in FILE."""
        from ..curation import resolve_path

        data = annotate(file, lang, authority, statistical, resolve_path(curation))
        if format is Format.json:
            print_json(data)
        else:
            print_tsv(("start", "end", "text", "type", "ref", "value", "source", "cert", "note"),
                      ((m["start"], m["end"], m["text"], m["type"], m["ref"], m["value"], m["source"], m["cert"],
                        m.get("note")) for m in data["mentions"]))

"""``nuskha annotate FILE``: people, places, groups, dates and troop figures with offsets, refs and values."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ..pipeline import load, sha256
from .common import Format, TextFile, TextLang, print_json, print_tsv


def annotate(file: str | Path, lang: str | None = None, authority: str | Path | None = None,
             statistical: bool | None = None) -> dict[str, Any]:
    """The JSON contract: ``{"file", "lang", "sha256", "mentions": [...]}`` (every recogniser in COMPONENTS).

    ``statistical`` turns the shipped sequence model (Kazakh; on by default) on or off for this call; None keeps
    the default.
    """
    from ..annotate.entities import use_authority, use_model
    from ..authority import load_authority

    if authority is not None:
        use_authority(load_authority(authority))
    old = use_model("kk", statistical) if statistical is not None else None
    try:
        doc = load(file, lang, annotate=True)
    finally:
        if authority is not None:
            use_authority(None)
        if old is not None:
            use_model("kk", old)
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
        statistical: Optional[bool] = typer.Option(None, "--statistical/--rules-only",
                                                   help="Kazakh: the sequence model (a CRF trained on modern news) "
                                                        "bounds and types names beside the authority and the "
                                                        "rules (the default), or the rules alone."),
    ) -> None:
        """Mark people, places, groups, dates and troop figures in FILE."""
        data = annotate(file, lang, authority, statistical)
        if format is Format.json:
            print_json(data)
        else:
            print_tsv(("start", "end", "text", "type", "ref", "value", "source", "cert", "note"),
                      ((m["start"], m["end"], m["text"], m["type"], m["ref"], m["value"], m["source"], m["cert"],
                        m.get("note")) for m in data["mentions"]))

"""``nuskha annotate FILE``: people, places, groups, dates and troop figures with offsets, refs and values."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import typer

from .common import (MAX_BYTES_DEFAULT, CurationFile, MaxBytes, StreamFormat, TextFile, TextLang, print_tsv,
                     write_json_streaming, write_jsonl)


@contextmanager
def recogniser_settings(authority: str | Path | None = None, statistical: bool | None = None):
    """Use another authority file and/or turn the Kazakh sequence model on or off (None: the default) inside the
    block, restoring them after."""
    from ..annotate.entities import use_authority, use_model
    from ..authority import load_authority

    if authority is not None:
        use_authority(load_authority(authority))
    old = use_model("kk", statistical) if statistical is not None else None
    try:
        yield
    finally:
        if authority is not None:
            use_authority(None)
        if old is not None:
            use_model("kk", old)


def iter_mentions(file: str | Path, lang: str | None = None, max_bytes: int = MAX_BYTES_DEFAULT,
                  curation: str | Path | None = None) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """``(header, mentions)``: the contract's header, then its mentions one at a time, block by block.

    The file is checked (and its language settled) before this returns; the mentions are found as they are read.
    A document with decisions in the ``curation`` file is processed whole: decisions anchor by text and context
    anywhere in it, and a curated text is an edition's passage, not a book.
    """
    from ..curation import curate, load_decisions
    from ..io import BLOCK_CHARS
    from ..pipeline import open_document, process_blocks

    file = Path(file)
    stream, lang, _ = open_document(file, lang, max_bytes)
    head = {"file": str(file), "lang": lang, "sha256": stream.sha256}
    curated = curation is not None and any(d.doc == file.stem for d in load_decisions(curation))

    def mentions() -> Iterator[dict[str, Any]]:
        try:
            block_chars = sys.maxsize if curated else BLOCK_CHARS
            for offset, doc in process_blocks(stream, lang, annotate=True, id=file.stem, block_chars=block_chars):
                if curated:
                    curate(doc, curation)
                for m in doc.mentions:
                    item = m.to_json()
                    item["start"] += offset
                    item["end"] += offset
                    yield item
        finally:
            stream.close()

    return head, mentions()


def annotate(file: str | Path, lang: str | None = None, authority: str | Path | None = None,
             statistical: bool | None = None, max_bytes: int = MAX_BYTES_DEFAULT,
             curation: str | Path | None = None) -> dict[str, Any]:
    """The JSON contract: ``{"file", "lang", "sha256", "mentions": [...]}`` (every recogniser in COMPONENTS).

    ``statistical`` turns the shipped sequence model (Kazakh; on by default) on or off for this call; None keeps
    the default;
    ``curation`` is a curation file whose decisions are applied on top (nuskha.curation).
    """
    with recogniser_settings(authority, statistical):
        head, mentions = iter_mentions(file, lang, max_bytes, curation)
        return {**head, "mentions": list(mentions)}


def write_mentions(file: Path, lang: str | None, format: StreamFormat, authority: Path | None = None,
                   statistical: bool | None = None, max_bytes: int = MAX_BYTES_DEFAULT, out=None,
                   curation: Path | None = None) -> None:
    """Stream the mentions of ``file`` to ``out`` (stdout) as JSON (the contract), JSON lines or TSV."""
    out = out or sys.stdout
    with recogniser_settings(authority, statistical):
        head, mentions = iter_mentions(file, lang, max_bytes, curation)
        if format is StreamFormat.json:
            write_json_streaming(out, head, {"mentions": mentions})
        elif format is StreamFormat.jsonl:
            write_jsonl(out, head, mentions)
        else:
            print_tsv(("start", "end", "text", "type", "ref", "value", "source", "cert", "note"),
                      ((m["start"], m["end"], m["text"], m["type"], m["ref"], m["value"], m["source"], m["cert"],
                        m.get("note")) for m in mentions))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("annotate")
    def annotate_cli(
        file: TextFile,
        lang: TextLang = None,
        format: StreamFormat = typer.Option(StreamFormat.json, "--format",
                                            help="json (the contract), jsonl (a header line, then one mention a "
                                                 "line) or tsv."),
        authority: Optional[Path] = typer.Option(None, "--authority",
                                                 help="Authority file (default: annotations/authority.tsv)."),
        statistical: Optional[bool] = typer.Option(None, "--statistical/--rules-only",
                                                   help="Kazakh: the sequence model (a CRF trained on modern news) "
                                                        "bounds and types names beside the authority and the "
                                                        "rules (the default), or the rules alone."),
        max_bytes: MaxBytes = MAX_BYTES_DEFAULT,
        curation: CurationFile = None,
    ) -> None:
        """Mark people, places, groups, dates and troop figures in FILE."""
        from ..curation import resolve_path

        write_mentions(file, lang, format, authority, statistical, max_bytes, curation=resolve_path(curation))

"""``nuskha tokenize FILE``: tokens with offsets, normal forms, lemmas and segments."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ..document import Document
from ..pipeline import load, sha256
from .common import Format, TextFile, TextLang, print_json, print_tsv


def tokens_json(doc: Document, file: str) -> dict[str, Any]:
    """The JSON contract: ``{"file", "lang", "sha256", "tokens": [...], "sentences": [...]}``."""
    text = doc.text
    return {
        "file": file,
        "lang": doc.lang,
        "sha256": sha256(text),
        "tokens": [
            {"start": t.start, "end": t.end, "text": t.text, "kind": t.kind, "norm": t.norm, "lemma": t.lemma,
             "segments": [{"start": s.start, "end": s.end, "text": text[s.start:s.end], "role": s.label,
                           **({"form": s.form} if s.form else {})} for s in t.segments()]}
            for t in doc.tokens
        ],
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
    }


def tokenize(file: Path, lang: str | None = None) -> dict[str, Any]:
    return tokens_json(load(file, lang), str(file))


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("tokenize")
    def tokenize_cli(
        file: TextFile,
        lang: TextLang = None,
        format: Format = typer.Option(Format.json, "--format", help="json (the contract) or tsv."),
    ) -> None:
        """Tokenise FILE: words, numbers, punctuation, with offsets into the original text."""
        data = tokenize(file, lang)
        if format is Format.json:
            print_json(data)
        else:
            print_tsv(("start", "end", "text", "kind", "norm", "lemma", "segments"),
                      ((t["start"], t["end"], t["text"], t["kind"], t["norm"], t["lemma"],
                        "+".join(f"{s['text']}/{s['role']}" for s in t["segments"])) for t in data["tokens"]))

"""``nuskha tokenize FILE``: tokens with offsets, normal forms, lemmas and segments, streamed block by block."""
from __future__ import annotations

import sys
from array import array
from pathlib import Path
from typing import Any, Iterator

import typer

from ..document import Document
from ..pipeline import sha256
from .common import (MAX_BYTES_DEFAULT, MaxBytes, StreamFormat, TextFile, TextLang, print_tsv, write_json_streaming,
                     write_jsonl)


def token_json(doc: Document, tok, offset: int = 0) -> dict[str, Any]:
    """One token of the contract; ``offset`` turns a block's offsets into offsets of the whole text."""
    text = doc.text
    return {"start": tok.start + offset, "end": tok.end + offset, "text": tok.text, "kind": tok.kind,
            "norm": tok.norm, "lemma": tok.lemma,
            "segments": [{"start": s.start + offset, "end": s.end + offset, "text": text[s.start:s.end],
                          "role": s.label, **({"form": s.form} if s.form else {})} for s in tok.segments()]}


def tokens_json(doc: Document, file: str) -> dict[str, Any]:
    """The JSON contract: ``{"file", "lang", "sha256", "tokens": [...], "sentences": [...]}``."""
    return {
        "file": file,
        "lang": doc.lang,
        "sha256": sha256(doc.text),
        "tokens": [token_json(doc, t) for t in doc.tokens],
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
    }


class TokenStream:
    """The tokens of a file, block by block, in memory that does not grow with the file.

    ``head`` is the contract's header; iterating gives token objects with offsets into the whole text (and, with
    ``sentence_numbers``, the number of the sentence each belongs to); :attr:`sentences` fills as tokens go.
    """

    def __init__(self, file: Path, lang: str | None = None, max_bytes: int = MAX_BYTES_DEFAULT,
                 sentence_numbers: bool = False):
        from ..pipeline import open_document

        self.file = file
        self.stream, self.lang, _ = open_document(file, lang, max_bytes)
        self.head = {"file": str(file), "lang": self.lang, "sha256": self.stream.sha256}
        self.sentences = array("q")
        self._numbers = sentence_numbers

    def __iter__(self) -> Iterator[dict[str, Any]]:
        from ..pipeline import process_blocks

        try:
            for offset, doc in process_blocks(self.stream, self.lang, id=self.file.stem):
                first_sentence = len(self.sentences) // 2
                ends = []
                for s in doc.sentences:
                    self.sentences.extend((s.start + offset, s.end + offset))
                    ends.append(s.end)
                k = 0
                for tok in doc.tokens:
                    item = token_json(doc, tok, offset)
                    if self._numbers:
                        while tok.start >= ends[k]:
                            k += 1
                        item["sentence"] = first_sentence + k
                    yield item
        finally:
            self.stream.close()

    def sentence_json(self) -> Iterator[dict[str, int]]:
        spans = self.sentences
        return ({"start": spans[i], "end": spans[i + 1]} for i in range(0, len(spans), 2))


def tokenize(file: Path, lang: str | None = None, max_bytes: int = MAX_BYTES_DEFAULT) -> dict[str, Any]:
    """The whole JSON contract of ``file`` as one object (for small files; the CLI streams)."""
    tokens = TokenStream(file, lang, max_bytes)
    return {**tokens.head, "tokens": list(tokens), "sentences": list(tokens.sentence_json())}


def write_tokens(file: Path, lang: str | None, format: StreamFormat, max_bytes: int = MAX_BYTES_DEFAULT,
                 out=None) -> None:
    """Stream the tokens of ``file`` to ``out`` (stdout) as JSON (the contract), JSON lines or TSV."""
    out = out or sys.stdout
    tokens = TokenStream(file, lang, max_bytes, sentence_numbers=format is StreamFormat.jsonl)
    if format is StreamFormat.json:
        write_json_streaming(out, tokens.head, {"tokens": tokens, "sentences": _after(tokens)})
    elif format is StreamFormat.jsonl:
        write_jsonl(out, tokens.head, tokens)
    else:
        print_tsv(("start", "end", "text", "kind", "norm", "lemma", "segments"),
                  ((t["start"], t["end"], t["text"], t["kind"], t["norm"], t["lemma"],
                    "+".join(f"{s['text']}/{s['role']}" for s in t["segments"])) for t in tokens))


def _after(tokens: TokenStream) -> Iterator[dict[str, int]]:
    yield from tokens.sentence_json()  # a generator: read only once the tokens have been written


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("tokenize")
    def tokenize_cli(
        file: TextFile,
        lang: TextLang = None,
        format: StreamFormat = typer.Option(StreamFormat.json, "--format",
                                            help="json (the contract), jsonl (a header line, then one token a "
                                                 "line with its sentence number) or tsv."),
        max_bytes: MaxBytes = MAX_BYTES_DEFAULT,
    ) -> None:
        """Tokenise FILE: words, numbers, punctuation, with offsets into the original text."""
        write_tokens(file, lang, format, max_bytes)

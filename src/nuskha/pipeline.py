"""From text to :class:`~nuskha.document.Document`: tokenise, normalise, segment; then the recognisers.

``process`` is the per-document function everything else calls (CLI, TEI build, search index, benchmarks).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable

from .core.script import detect_lang, main_script
from .core.tokenize import paragraphs
from .document import Document
from .errors import LanguageError
from .io import read_meta, read_text
from .lang import LANGUAGES, get_language

_SCRIPT_NAMES = {"Arab": "Arabic", "Cyrl": "Cyrillic", "Latn": "Latin"}

#: Recognisers run by :func:`annotate`, in order: ``Document -> None`` functions that add mentions.
#: Registered in :mod:`nuskha.annotate` (imported on first use, never at package import).
Component = Callable[[Document], None]


def resolve_lang(text: str, lang: str | None, path: str | None = None) -> str:
    """``lang`` checked against the script of ``text``, or detected from it when not given."""
    script = main_script(text)
    if lang is None:
        detected = detect_lang(text)
        if detected is None:
            raise LanguageError("cannot tell the language: no Arabic, Kazakh or Russian letters "
                                "(give --lang)", path)
        return detected
    if lang not in LANGUAGES:
        raise LanguageError(f"unsupported language {lang!r} (known: {', '.join(LANGUAGES)})", path)
    expected = get_language(lang).script
    if script is not None and script != expected:
        raise LanguageError(f"--lang {lang} expects {_SCRIPT_NAMES[expected]} script, "
                            f"but the text is mostly {_SCRIPT_NAMES[script]}", path)
    return lang


def tokenize(doc: Document) -> Document:
    """Fill ``tokens``, ``sentences`` and ``paragraphs`` of ``doc`` (tokens carry normalisation and segments)."""
    language = get_language(doc.lang)
    doc.tokens = language.tokens(doc.text)
    doc.sentences = language.tokenizer.sentences(doc.text, doc.tokens)
    language.reread_sentence_starts(doc.tokens, doc.sentences)
    doc.paragraphs = paragraphs(doc.text)
    return doc


def process(text: str, lang: str | None = None, id: str = "doc", meta: dict[str, Any] | None = None,
            path: str | None = None, annotate: bool = False) -> Document:
    """Build a :class:`Document` for ``text``; with ``annotate`` also run the recognisers."""
    lang = resolve_lang(text, lang, path)
    doc = Document(id=id, lang=lang, text=text, meta=dict(meta or {}))
    if path:
        doc.meta.setdefault("file", path)
    tokenize(doc)
    if annotate:
        from .annotate import annotate as run_recognisers

        run_recognisers(doc)
    return doc


def load(path: str | os.PathLike, lang: str | None = None, annotate: bool = False) -> Document:
    """Read a text file (and its metadata sidecar, if any) into a processed :class:`Document`."""
    p = Path(path)
    text = read_text(p)
    meta = read_meta(p) if p.suffix == ".txt" else {}
    return process(text, lang or meta.get("language"), id=p.stem, meta=meta, path=str(p), annotate=annotate)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""From text to :class:`~nuskha.document.Document`: tokenise, normalise, segment; then the recognisers.

``process`` is the per-document function everything else calls (CLI, TEI build, search index, benchmarks).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from .core.bulk import collection_paused, cycle_collection_paused
from .core.script import KAZAKH_CYRILLIC, KAZAKH_LATIN, detect_lang, main_script
from .core.tokenize import paragraphs
from .document import Document
from .errors import LanguageError
from .io import BLOCK_CHARS, DEFAULT_MAX_BYTES, TextStream, open_text, read_meta, read_text
from .lang import LANGUAGES, get_language

_SCRIPT_NAMES = {"Arab": "Arabic", "Cyrl": "Cyrillic", "Latn": "Latin"}

#: Recognisers run by :func:`annotate`, in order: ``Document -> None`` functions that add mentions.
#: Registered in :mod:`nuskha.annotate` (imported on first use, never at package import).
Component = Callable[[Document], None]


def resolve_lang(text: str, lang: str | None, path: str | None = None) -> str:
    """``lang`` checked against the script of ``text``, or detected from it when not given."""
    return _resolve(main_script(text), lambda: detect_lang(text), lang, path)


def _resolve(script: str | None, detect: Callable[[], str | None], lang: str | None, path: str | None) -> str:
    if lang is None:
        detected = detect()
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


@collection_paused
def tokenize(doc: Document) -> Document:
    """Fill ``tokens``, ``sentences`` and ``paragraphs`` of ``doc`` (tokens carry normalisation and segments)."""
    language = get_language(doc.lang)
    doc.tokens = language.tokens(doc.text)
    doc.sentences = language.tokenizer.sentences(doc.text, doc.tokens)
    language.reread_sentence_starts(doc.tokens, doc.sentences)
    if language.reread_in_context is not None:
        language.reread_in_context(doc.text, doc.tokens)
    doc.paragraphs = paragraphs(doc.text)
    return doc


@collection_paused
def process(text: str, lang: str | None = None, id: str = "doc", meta: dict[str, Any] | None = None,
            path: str | None = None, annotate: bool = False) -> Document:
    """Build a :class:`Document` for ``text``: tokens, sentences, paragraphs, segments and normalisations.

    The recognisers (people, places, groups, dates, troop figures) run only with ``annotate=True``; by default
    ``doc.mentions`` is empty, because tokenising alone is several times faster and is what search indexing and
    the segmentation/lemma evaluations need. ``process(text, annotate=True)`` (or ``load(path, annotate=True)``)
    gives the mentions that ``nuskha annotate`` prints. ``lang`` is detected from the script when not given;
    ``path`` only names the text in error messages and ``meta["file"]``.
    """
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
    """Read a text file (and its metadata sidecar, if any) into a processed :class:`Document`; the recognisers
    run only with ``annotate=True`` (see :func:`process`)."""
    p = Path(path)
    text = read_text(p)
    meta = read_meta(p) if p.suffix == ".txt" else {}
    return process(text, lang or meta.get("language"), id=p.stem, meta=meta, path=str(p), annotate=annotate)


def sha256(text: str) -> str:
    """The SHA-256 of ``text`` as UTF-8, in hex (the ``sha256`` of every JSON contract)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stream_lang(stream: TextStream, lang: str | None) -> str:
    """What :func:`resolve_lang` says of the whole text, from the counts of :func:`nuskha.io.open_text`."""
    counts = stream.script_counts
    script = counts.most_common(1)[0][0] if counts else None

    def detect() -> str | None:  # detect_lang's rules, on the counts and marks of the whole file
        if script == "Arab":
            return "ar"
        if script == "Cyrl":
            return "kk" if set(stream.marks) & KAZAKH_CYRILLIC else "ru"
        if script == "Latn" and set(stream.marks) & KAZAKH_LATIN:
            return "kk-Latn"
        return None

    return _resolve(script, detect, lang, stream.name)


def open_document(path: str | os.PathLike, lang: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[TextStream, str, dict[str, Any]]:
    """Check the text at ``path`` in one streaming pass: ``(stream, language, metadata)``.

    The language is ``lang``, else the sidecar's, else detected from the whole text, as :func:`load` does.
    The caller closes the stream (it may hold a temporary copy of a pipe).
    """
    p = Path(path)
    meta = read_meta(p) if p.suffix == ".txt" else {}
    stream = open_text(p, max_bytes, KAZAKH_CYRILLIC | KAZAKH_LATIN)
    try:
        return stream, _stream_lang(stream, lang or meta.get("language")), meta
    except BaseException:
        stream.close()
        raise


def process_blocks(stream: TextStream, lang: str, annotate: bool = False, id: str = "doc",
                   block_chars: int = BLOCK_CHARS) -> Iterator[tuple[int, Document]]:
    """``(character offset, Document)`` for each block of ``stream``, tokenised (and annotated).

    Each block is processed as its own document, its offsets relative to the block: add the offset for offsets
    into the whole text. A text shorter than ``block_chars`` is one block, processed exactly as :func:`process`
    processes the whole text; a longer one is cut at line breaks, which no token or sentence crosses, so only
    recognisers that look across a cut (a short name confirmed by its full form nearby) may see less.
    """
    if annotate:
        from .annotate import annotate as run_recognisers
    for offset, block in stream.blocks(block_chars):
        doc = Document(id=id, lang=lang, text=block, meta={"file": stream.name})
        with cycle_collection_paused():  # one pause for the block's passes, not one per pass (see core.bulk)
            tokenize(doc)
            if annotate:
                run_recognisers(doc)
        yield offset, doc

"""Helpers shared by the command modules: output formats, streaming JSON, safe printing."""
from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Iterable, Optional, TextIO

import typer

from ..io import DEFAULT_MAX_BYTES, _key, dumps_indented  # noqa: F401  (dumps_indented: re-exported)

# The argument and option every text command takes, declared once so their help reads the same everywhere.
TextFile = Annotated[Path, typer.Argument(help="A UTF-8 text file.")]
TextLang = Annotated[Optional[str], typer.Option("--lang", help="ar, kk, kk-Latn or ru; detected when omitted.")]
MaxBytes = Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse inputs (files, pipes) longer than this "
                                                                  "many bytes.")]
MAX_BYTES_DEFAULT = DEFAULT_MAX_BYTES
# The curation file of annotate, build, index, align and review (nuskha.curation), declared once.
CurationFile = Annotated[Optional[Path], typer.Option(
    "--curation", help="Human decisions applied on top of the recognisers (default: annotations/curation.jsonl "
                       "when it exists).")]


class Format(str, Enum):
    json = "json"
    tsv = "tsv"


class StreamFormat(str, Enum):
    """The output formats of the commands that stream: ``jsonl`` is a header line, then one record a line."""

    json = "json"
    jsonl = "jsonl"
    tsv = "tsv"


def print_json(obj: Any) -> None:
    """``obj`` as indented JSON (one space a level) on stdout."""
    sys.stdout.write(dumps_indented(obj))
    sys.stdout.write("\n")


def write_json_streaming(out: TextIO, head: dict[str, Any], arrays: dict[str, Iterable[Any]]) -> None:
    """Write ``{**head, **arrays}`` exactly as :func:`print_json` would, pulling the arrays' items one at a time.

    A book's token list is never built: each item is encoded and written as it comes.
    """
    out.write("{")
    first = True
    for key, value in head.items():
        out.write(("\n " if first else ",\n ") + _key(key) + ": " + dumps_indented(value, "\n "))
        first = False
    for key, items in arrays.items():
        out.write(("\n " if first else ",\n ") + _key(key) + ": [")
        first = False
        empty = True
        for item in items:
            out.write(("\n  " if empty else ",\n  ") + dumps_indented(item, "\n  "))
            empty = False
        out.write("]" if empty else "\n ]")
    out.write("\n}\n" if not first else "}\n")


def write_jsonl(out: TextIO, head: dict[str, Any], items: Iterable[Any]) -> None:
    """A header object on the first line, then one compact JSON object a line."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out.write(dumps(head) + "\n")
    for item in items:
        out.write(dumps(item) + "\n")


def print_tsv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """Tab-separated rows on stdout; tabs, line breaks and control characters in cells are escaped."""
    out = sys.stdout
    out.write("\t".join(header) + "\n")
    for row in rows:
        out.write("\t".join(_cell(v) for v in row) + "\n")


_NAMED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# C0 and C1 controls and DEL: an ESC from a text must never reach the terminal as an escape sequence.
_CONTROL = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """``text`` with backslashes, tabs, line breaks and every control character written as escapes (``\\x1b``)."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return escape_controls(str(value))

"""The authority file: one human-editable record per person, place or group, with variants per language.

The file is tab-separated text (``annotations/authority.tsv``) so that a philologist can edit it in a text editor
or a spreadsheet. Columns: ``ref type label_en wikidata ar kk ru latn note``; several variants in one cell are
separated by `` | ``; lines starting with ``#`` are comments.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError
from .io import read_text

COLUMNS = ("ref", "type", "label_en", "wikidata", "ar", "kk", "ru", "latn", "note")
VARIANT_COLUMNS = ("ar", "kk", "ru", "latn")
ENTITY_TYPES = ("person", "place", "group")
VARIANT_SEP = " | "


@dataclass
class Record:
    ref: str
    type: str
    label_en: str
    variants: dict[str, list[str]] = field(default_factory=dict)  # language column -> spellings
    wikidata: str | None = None
    note: str | None = None
    line: int = 0  # line number in the file, for error messages


@dataclass
class Authority:
    records: dict[str, Record]
    path: str | None = None

    def __contains__(self, ref: str) -> bool:
        return ref in self.records

    def __getitem__(self, ref: str) -> Record:
        return self.records[ref]

    def without(self, *refs: str) -> "Authority":
        """A copy lacking some records (for testing what the recogniser finds without them)."""
        return Authority({r: rec for r, rec in self.records.items() if r not in refs}, self.path)


def default_path() -> Path:
    """``$NUSKHA_AUTHORITY``, else the project's ``annotations/authority.tsv`` (source checkout or CWD)."""
    env = os.environ.get("NUSKHA_AUTHORITY")
    if env:
        return Path(env)
    for root in (Path(__file__).resolve().parents[2], Path.cwd()):
        candidate = root / "annotations" / "authority.tsv"
        if candidate.exists():
            return candidate
    raise DataError("no authority file found: set NUSKHA_AUTHORITY or run from the project folder",
                    "annotations/authority.tsv")


def parse_authority(text: str, path: str = "<authority>") -> Authority:
    """Parse the TSV text of an authority file. Malformed lines raise :class:`DataError` with their line number."""
    records: dict[str, Record] = {}
    header: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            unknown = [c for c in header if c not in COLUMNS]
            if unknown:
                raise DataError(f"unknown column(s) {', '.join(unknown)}", path, f"line {lineno}")
            if "ref" not in header or "type" not in header:
                raise DataError("header must name at least ref and type", path, f"line {lineno}")
            continue
        if len(cells) > len(header):
            raise DataError(f"{len(cells)} cells for {len(header)} columns", path, f"line {lineno}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        ref = row["ref"].strip()
        if ref in records:
            raise DataError(f"duplicate ref {ref!r} (first on line {records[ref].line})", path, f"line {lineno}")
        records[ref] = Record(
            ref=ref,
            type=row["type"].strip(),
            label_en=row.get("label_en", "").strip(),
            variants={col: [v.strip() for v in row.get(col, "").split("|") if v.strip()]
                      for col in VARIANT_COLUMNS},
            wikidata=row.get("wikidata", "").strip() or None,
            note=row.get("note", "").strip() or None,
            line=lineno,
        )
    return Authority(records, path)


def load_authority(path: str | os.PathLike | None = None) -> Authority:
    p = Path(path) if path else default_path()
    return parse_authority(read_text(p), str(p))

"""The authority file: one human-editable record per person, place or group, with variants per language.

The file is tab-separated text (shipped as ``nuskha/data/authority.tsv``) so that a philologist can edit it in a text editor
or a spreadsheet. Columns: ``ref type label_en wikidata ar kk ru latn note evidence lat lon geonames``; several
variants (or evidence items) in one cell are separated by `` | ``; lines starting with ``#`` are comments.

``evidence`` says where a record comes from: ``seed`` (the seed passages' gold), ``period knowledge`` (written from
the standard histories of the period), ``geonames:ID`` (extracted from GeoNames by ``tools/build_gazetteer.py``),
``mined:SOURCE`` (proposed from unannotated text and checked by hand). The dev gold is never evidence
(``dev:...`` is an error). ``lat``/``lon`` (decimal degrees) and ``geonames`` (the GeoNames id) locate places.

The package ships its authority file (``nuskha/data/authority.tsv``), which always loads; a project's own
``annotations/authority.tsv`` (found from the current folder upwards), ``$NUSKHA_AUTHORITY`` or ``--authority PATH``
extends and overrides it record by record (:func:`load_authority`).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, NuskhaError
from .io import read_text

COLUMNS = ("ref", "type", "label_en", "wikidata", "ar", "kk", "ru", "latn", "note", "evidence", "lat", "lon",
           "geonames")
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
    evidence: list[str] = field(default_factory=list)  # seed, period knowledge, geonames:ID, mined:SOURCE
    lat: float | None = None
    lon: float | None = None
    geonames: str | None = None


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

    def without_types(self, *types: str) -> "Authority":
        """A copy lacking every record of these types: what the recogniser finds from context alone."""
        return self.without(*(r for r, rec in self.records.items() if rec.type in types))

    def without_evidence(self, *kinds: str) -> "Authority":
        """A copy lacking every record whose evidence is only of these kinds (``dev``: evidence ``dev:NAME``)."""
        return self.without(*(r for r, rec in self.records.items()
                              if rec.evidence and all(evidence_kind(e) in kinds for e in rec.evidence)))


def evidence_kind(item: str) -> str:
    """``geonames:123`` -> ``geonames``; ``period knowledge`` -> ``period knowledge``."""
    return item.split(":", 1)[0].strip() if ":" in item else item.strip()


#: Where a project keeps its own authority records, relative to the project folder (looked up from the CWD).
PROJECT_FILE = Path("annotations") / "authority.tsv"


def packaged_path() -> Path | None:
    """The authority file shipped inside the package (``nuskha/data/authority.tsv``), or, in a source checkout
    made before the file moved there, the checkout's ``annotations/authority.tsv``; None if neither exists."""
    from importlib import resources

    shipped = resources.files("nuskha").joinpath("data", "authority.tsv")
    if shipped.is_file():
        return Path(str(shipped))
    checkout = Path(__file__).resolve().parents[2] / PROJECT_FILE
    return checkout if checkout.is_file() else None


def project_path(start: str | os.PathLike | None = None) -> Path | None:
    """The project's ``annotations/authority.tsv``, looked up from ``start`` (default: the CWD) and its parents,
    so a command run in a project's sub-folder (``notebooks/``) still finds it; None when there is none."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def authority_paths(path: str | os.PathLike | None = None) -> list[Path]:
    """The files :func:`load_authority` reads, base first: the packaged file, then ``path`` if given, else
    ``$NUSKHA_AUTHORITY``, else the project's file (:func:`project_path`). A file listed twice is read once."""
    layers: list[Path] = []
    base = packaged_path()
    if base is not None:
        layers.append(base)
    env = os.environ.get("NUSKHA_AUTHORITY")
    extra = Path(path) if path else Path(env) if env else project_path()
    if extra is not None and not any(_same_file(extra, p) for p in layers):
        layers.append(extra)
    if not layers:
        raise DataError("no authority file found: the package lacks nuskha/data/authority.tsv and there is no "
                        "annotations/authority.tsv (give --authority or set NUSKHA_AUTHORITY)", str(PROJECT_FILE))
    return layers


def default_path() -> Path:
    """The most specific authority file in use: the one given by ``$NUSKHA_AUTHORITY``, else the project's
    ``annotations/authority.tsv``, else the packaged file (see :func:`authority_paths`)."""
    return authority_paths()[-1]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def parse_authority(text: str, path: str = "<authority>") -> Authority:
    """Parse the TSV text of an authority file. Malformed lines raise :class:`DataError` with their line number.

    What spreadsheets save is read too: a byte-order mark, CRLF line ends, cells in double quotes (``""`` inside
    is a quote); a short row has its missing cells empty, and a row without a ref or type is refused.
    """
    records: dict[str, Record] = {}
    header: list[str] | None = None
    text = text[1:] if text.startswith("\ufeff") else text
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [_unquote(c, path, lineno) for c in line.split("\t")]
        if header is None:
            header = [c.strip() for c in cells]
            unknown = [c for c in header if c not in COLUMNS]
            if unknown:
                raise DataError(f"unknown column(s) {', '.join(map(repr, unknown))} (known: {', '.join(COLUMNS)})",
                                path, f"line {lineno}")
            if "ref" not in header or "type" not in header:
                raise DataError("header must name at least ref and type", path, f"line {lineno}")
            continue
        if len(cells) > len(header):
            raise DataError(f"{len(cells)} cells for {len(header)} columns", path, f"line {lineno}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        ref = row["ref"].strip()
        if not ref or not row["type"].strip():
            raise DataError(f"a record needs a ref and a type ({len(cells)} cell(s) on the line)", path,
                            f"line {lineno}")
        try:
            lat = float(row["lat"]) if row.get("lat", "").strip() else None
            lon = float(row["lon"]) if row.get("lon", "").strip() else None
        except ValueError:
            raise DataError(f"lat/lon {row.get('lat')!r}/{row.get('lon')!r} is not a number", path,
                            f"line {lineno}") from None
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
            evidence=[e.strip() for e in row.get("evidence", "").split("|") if e.strip()],
            lat=lat,
            lon=lon,
            geonames=row.get("geonames", "").strip() or None,
        )
    return Authority(records, path)


def _unquote(cell: str, path: str, lineno: int) -> str:
    """A spreadsheet's quoted cell (``"a ""b"" c"``) as its text; a quote left open is refused."""
    stripped = cell.strip()
    if not stripped.startswith('"'):
        return cell
    if len(stripped) < 2 or not stripped.endswith('"') or '"' in stripped[1:-1].replace('""', ""):
        raise DataError("a quoted cell is not closed on its line (cells may not span lines)", path,
                        f"line {lineno}")
    return stripped[1:-1].replace('""', '"')


def load_authority(path: str | os.PathLike | None = None) -> Authority:
    """The packaged authority file extended by a project's records (:func:`authority_paths`).

    A record of a later file replaces the record with the same ref in an earlier one, whole (a project corrects a
    record by restating it); records with new refs are added. ``path`` (``--authority``) is the project layer.
    """
    layers = authority_paths(path)
    merged: dict[str, Record] = {}
    for p in layers:
        merged.update(parse_authority(read_text(p), str(p)).records)
    return Authority(merged, str(layers[-1]))


# --- variant index -------------------------------------------------------------------------------------------

#: Which variant columns are looked up for a document language. Kazakh texts also write the Russian forms of
#: names (Темир-Мелик, Бухара), so the Cyrillic ``ru`` column serves them too.
LANGUAGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "ar": ("ar",),
    "kk": ("kk", "ru"),
    "kk-Latn": ("latn",),
    "ru": ("ru", "kk"),
}


#: Columns read through a transliteration for a language written in another script: Kazakh in the 2021 Latin
#: alphabet meets the Cyrillic ``kk`` spellings as ``Otyrar``, ``Şyñğys han``.
TRANSLITERATED_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "kk-Latn": (("kk", "nuskha.core.translit:to_latin"),),
}


def _transliterator(spec: str):
    from importlib import import_module

    module, func = spec.split(":")
    return getattr(import_module(module), func)


@dataclass(frozen=True)
class Variant:
    """One spelling of one record, with its match key in one language."""

    key: str
    ref: str
    type: str
    surface: str  # the spelling as written in the authority file
    column: str
    ntokens: int  # word tokens in the spelling (1 for جنكزخان, 2 for جنكز خان)


def variant_key(surface: str, lang: str) -> tuple[str, int]:
    """``(match key, number of word tokens)`` of a spelling, read with the language's normaliser.

    The key joins :meth:`Language.match_key` of each word's normal form, so ``جنكز خان`` and ``جنكزخان`` (and
    ``Темір-Мәлік``/``ТемірМәлік``) meet under one key, exactly as the recogniser builds keys from tokens.
    """
    from .lang import get_language

    language = get_language(lang)
    # the normaliser alone, not language.lexeme: a key needs no morphological analysis, and analysing every
    # spelling of a large authority file would make start-up slow
    normalize = language.normalize
    words = [normalize(surface[s:e])[0] for s, e, kind in language.tokenizer.spans(surface)
             if kind in ("word", "number", "abbr")]
    return language.match_key("".join(words)), len(words)


def variant_index(authority: Authority, lang: str) -> dict[str, list[Variant]]:
    """Match key -> the variants having it, over the columns :data:`LANGUAGE_COLUMNS` gives for ``lang``.

    A key shared by two refs is ambiguous; :func:`check_authority` reports it, and the list keeps file order so
    the first record wins deterministically.
    """
    columns = [(col, None) for col in LANGUAGE_COLUMNS.get(lang, (lang,))]
    columns += [(col, _transliterator(spec)) for col, spec in TRANSLITERATED_COLUMNS.get(lang, ())]
    index: dict[str, list[Variant]] = {}
    for rec in authority.records.values():
        for col, convert in columns:
            for written in rec.variants.get(col, ()):
                surface = convert(written) if convert else written
                key, n = variant_key(surface, lang)
                if not key:
                    continue
                bucket = index.setdefault(key, [])
                if not any(v.ref == rec.ref for v in bucket):
                    bucket.append(Variant(key, rec.ref, rec.type, surface, col, n))
    return index


# --- checking --------------------------------------------------------------------------------------------------

_REF = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
#: The script each variant column must be written in (a Latin letter in the ``ar`` column is a slip).
_COLUMN_SCRIPT = {"ar": "Arab", "kk": "Cyrl", "ru": "Cyrl", "latn": "Latn"}
#: The language whose normaliser reads each column when looking for duplicates.
_COLUMN_LANG = {"ar": "ar", "kk": "kk", "ru": "kk", "latn": "kk-Latn"}
#: The kinds of evidence a record may cite (see the module docstring).
EVIDENCE_KINDS = ("seed", "period knowledge", "geonames", "mined", "wikidata")
_GEONAMES_ID = re.compile(r"^[1-9][0-9]*$")


@dataclass(frozen=True)
class Problem:
    """One finding of :func:`check_authority`; ``level`` is ``error`` or ``warning``."""

    level: str
    line: int
    ref: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: line {self.line}: {self.ref}: {self.message}" if self.ref else \
            f"{self.level}: line {self.line}: {self.message}"


def check_authority(authority: Authority) -> list[Problem]:
    """Malformed records (ref, type, QID, script of variants) and variants shared by two refs (by match key)."""
    problems = _record_problems(authority)
    _shared_variant_problems(authority, problems)
    problems.sort(key=lambda p: (p.line, p.level, p.message))
    return problems


def check_records(authority: Authority) -> list[Problem]:
    """The findings of :func:`check_authority` about each record on its own (ref, type, QID, script of
    variants...), without comparing the variants of all records (most of its cost): what a caller that only
    refuses malformed records needs (``nuskha build``)."""
    problems = _record_problems(authority)
    problems.sort(key=lambda p: (p.line, p.level, p.message))
    return problems


def _record_problems(authority: Authority) -> list[Problem]:
    from .core.script import main_script

    problems: list[Problem] = []
    for rec in authority.records.values():
        def add(level: str, message: str) -> None:
            problems.append(Problem(level, rec.line, rec.ref, message))

        if not _REF.match(rec.ref):
            add("error", f"ref {rec.ref!r} is not a lowercase ASCII slug (a-z, 0-9, hyphens)")
        if rec.type not in ENTITY_TYPES:
            add("error", f"unknown type {rec.type!r} (known: {', '.join(ENTITY_TYPES)})")
        if rec.wikidata is not None and not _QID.match(rec.wikidata):
            add("error", f"wikidata {rec.wikidata!r} is not a QID like Q720")
        if not rec.label_en:
            add("warning", "no English label")
        if not any(rec.variants.get(c) for c in VARIANT_COLUMNS):
            add("error", "no variant spelling in any language")
        if not rec.evidence:
            add("warning", "no evidence (seed, period knowledge, geonames:ID, mined:SOURCE)")
        for item in rec.evidence:
            kind = evidence_kind(item)
            if kind == "dev":
                add("error", f"evidence {item!r}: the dev gold measures, it is never evidence")
            elif kind not in EVIDENCE_KINDS:
                add("error", f"unknown evidence {item!r} (known: {', '.join(EVIDENCE_KINDS)})")
            elif kind == "geonames" and not _GEONAMES_ID.match(item.split(":", 1)[1].strip()):
                add("error", f"evidence {item!r} is not geonames:ID")
        if rec.geonames is not None and not _GEONAMES_ID.match(rec.geonames):
            add("error", f"geonames {rec.geonames!r} is not a GeoNames id")
        if (rec.lat is None) != (rec.lon is None):
            add("error", "lat and lon go together")
        elif rec.lat is not None and not (-90 <= rec.lat <= 90 and -180 <= rec.lon <= 180):
            add("error", f"coordinates {rec.lat}, {rec.lon} out of range")
        for col in VARIANT_COLUMNS:
            seen: set[str] = set()
            for surface in rec.variants.get(col, ()):
                script = main_script(surface)
                if script is not None and script != _COLUMN_SCRIPT[col]:
                    add("error", f"{col} variant {surface!r} is written in {script}, not {_COLUMN_SCRIPT[col]}")
                if surface in seen:
                    add("warning", f"{col} variant {surface!r} listed twice")
                seen.add(surface)
    return problems


def _shared_variant_problems(authority: Authority, problems: list[Problem]) -> None:
    by_lang: dict[str, dict[str, set[str]]] = {}
    first_line: dict[str, int] = {r.ref: r.line for r in authority.records.values()}
    for rec in authority.records.values():
        for col in VARIANT_COLUMNS:
            lang = _COLUMN_LANG[col]
            for surface in rec.variants.get(col, ()):
                try:
                    key, _ = variant_key(surface, lang)
                except NuskhaError:
                    continue
                if key:
                    by_lang.setdefault(lang, {}).setdefault(key, set()).add(rec.ref)
    for lang, keys in sorted(by_lang.items()):
        for key, refs in sorted(keys.items()):
            if len(refs) > 1:
                ordered = sorted(refs, key=lambda r: first_line[r])
                problems.append(Problem("error", first_line[ordered[-1]], ordered[-1],
                                        f"variant key {key!r} ({lang}) is shared by {', '.join(ordered)}"))

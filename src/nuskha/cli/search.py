"""``nuskha search QUERY``: entity and text search across languages and scripts, as KWIC lines or JSON.

Arabic in a terminal: each KWIC field of a right-to-left document (left context, match, right context) is
wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (U+2068 ... U+2069), so the terminal's bidi
algorithm lays out each field on its own and the columns do not swap places. Fields stay in logical order
(what precedes the match, the match, what follows). JSON output never contains these characters.
"""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..search.query import DEFAULT_LIMIT, Hit, Searcher, SearchResult
from .common import print_json
from .index import DEFAULT_INDEX

FSI, PDI = "\u2068", "\u2069"
RTL_LANGS = {"ar"}


class SearchFormat(str, Enum):
    kwic = "kwic"
    json = "json"


def _isolate(text: str, rtl: bool) -> str:
    return f"{FSI}{text}{PDI}" if rtl and text else text


def kwic_line(hit: Hit, width: int = 40, isolate: bool = True) -> str:
    """``doc:start-end  left [match] right  (ref type method score)`` with left context right-aligned."""
    rtl = isolate and hit.lang in RTL_LANGS
    left = hit.left[-width:].rjust(width)
    right = hit.right[:width]
    where = f"{hit.doc}:{hit.start}-{hit.end}"
    about = " ".join(x for x in (hit.ref or "-", hit.type or "-", hit.method, f"{hit.score:.2f}"))
    return (f"{where}\t{_isolate(left, rtl)} [{_isolate(hit.text, rtl)}] {_isolate(right, rtl)}\t({about})")


def print_kwic(result: SearchResult, isolate: bool = True) -> None:
    out = sys.stdout
    for r in result.resolved:
        out.write(f"# resolved to {r.ref} by {r.method} ({r.score:.2f}) via {_isolate(r.name, isolate)}\n")
    if result.ref:
        groups = result.by_document()
        for doc, count in result.counts.items():  # every document with its exact count, shown hits or not
            out.write(f"## {doc} ({result.langs.get(doc, '?')}): {count}\n")
            for h in groups.get(doc, ()):
                out.write(kwic_line(h, isolate=isolate) + "\n")
    else:
        for h in result.hits:
            out.write(kwic_line(h, isolate=isolate) + "\n")
    out.write(f"# {result.message}\n")


def search(query: str | None, index: Path, ref: str | None = None, type: str | None = None,
           lang: str | None = None, limit: int | None = DEFAULT_LIMIT) -> SearchResult:
    with Searcher(index, check=None) as searcher:
        return searcher.search(query, ref=ref, type=type, lang=lang, limit=limit)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("search")
    def search_cli(
        query: Optional[str] = typer.Argument(None, help="Any script: Temur Malik, تيمور ملك, Темір-Мәлік ..."),
        index: Path = typer.Option(Path(os.environ.get("NUSKHA_INDEX", DEFAULT_INDEX)), "--index",
                                   help="The index built by `nuskha index` (default $NUSKHA_INDEX or "
                                        f"{DEFAULT_INDEX})."),
        type: Optional[str] = typer.Option(None, "--type", help="person, place, group, date or troops."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Only documents in this language (ar, kk)."),
        format: SearchFormat = typer.Option(SearchFormat.kwic, "--format", help="kwic (for reading) or json."),
        ref: Optional[str] = typer.Option(None, "--ref", help="Concordance of one authority ref, by document."),
        limit: int = typer.Option(DEFAULT_LIMIT, "--limit", min=0,
                                  help="Build and show at most this many hits (0: all); the total is always "
                                       "counted."),
        no_isolate: bool = typer.Option(False, "--no-isolate",
                                        help="KWIC without FSI/PDI around right-to-left fields."),
    ) -> None:
        """Search the index for QUERY in any script (or --ref REF); exit status 1 when nothing matches."""
        result = search(query, index, ref, type, lang, limit or None)
        if format is SearchFormat.json:
            print_json(result.to_json())
        else:
            print_kwic(result, isolate=not no_isolate)
        if not result.hits:
            print(f"nuskha: {result.message}", file=sys.stderr)
            raise typer.Exit(1)

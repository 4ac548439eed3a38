"""``nuskha search QUERY``: entity and text search across languages and scripts, as KWIC lines, JSON or HTML.

KWIC in a terminal is aligned on the keyword. A left-to-right line reads ``preceding [keyword] following`` with
the keyword starting at a fixed column; a right-to-left (Arabic) line is laid out for its reader:
``following [keyword] preceding``, so the preceding context stands on the right, and the keyword ends at that
same column. Each right-to-left field is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE
(U+2068 ... U+2069), so a bidi-capable terminal lays out each field on its own and the fields stay where they are
put. ``--no-isolate`` prints plain logical order without isolates; JSON output never contains them.
"""
from __future__ import annotations

import os
import sys
import unicodedata
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..io import write_atomic
from ..render.html import direction
from ..search.query import DEFAULT_LIMIT, Hit, Searcher, SearchResult
from .common import escape_controls
from .index import DEFAULT_INDEX

FSI, PDI = "\u2068", "\u2069"
#: Characters of context on each side of a terminal KWIC line.
KWIC_WIDTH = 40


class SearchFormat(str, Enum):
    kwic = "kwic"
    json = "json"
    html = "html"


def _isolate(text: str, rtl: bool) -> str:
    return f"{FSI}{text}{PDI}" if rtl and text else text


def display_width(text: str) -> int:
    """Terminal columns of ``text``: combining marks and format characters take none."""
    return sum(1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) not in ("Cf", "Mn"))


def _fit_end(text: str, width: int) -> str:
    """``text`` cut at its end to at most ``width`` columns."""
    while display_width(text) > width:
        text = text[:-1]
    return text


def _fit_start(text: str, width: int) -> str:
    """``text`` cut at its start to at most ``width`` columns."""
    while display_width(text) > width:
        text = text[1:]
    return text


def kwic_context(hit: Hit, width: int = KWIC_WIDTH, isolate: bool = True) -> str:
    """The aligned ``context [keyword] context`` field of a KWIC line.

    Left to right: the preceding context right-aligned in ``width`` columns, then `` [keyword] following``.
    Right to left (with ``isolate``): the following context, `` [keyword] ``, the preceding context, padded so
    that the keyword ends where a left-to-right keyword starts.
    """
    rtl = isolate and direction(hit.lang) == "rtl"
    # a text's control characters (an ESC opening a terminal escape sequence) are printed as escapes (\x1b)
    keyword = escape_controls(hit.text)
    preceding = _fit_start(escape_controls(hit.left), width)
    following = _fit_end(escape_controls(hit.right), width)
    if not rtl:
        return f"{' ' * (width - display_width(preceding))}{preceding} [{keyword}] {following}"
    following = _fit_end(following, max(0, width - display_width(keyword)))
    pad = width + 2 - (display_width(following) + 2 + display_width(keyword))
    return (f"{' ' * max(0, pad)}{_isolate(following, True)} [{_isolate(keyword, True)}] "
            f"{_isolate(preceding, True)}")


def kwic_line(hit: Hit, width: int = KWIC_WIDTH, isolate: bool = True, where_width: int = 0) -> str:
    """``doc:start-end <TAB> context [match] context <TAB> (ref type kind method score)``."""
    where = escape_controls(f"{hit.doc}:{hit.start}-{hit.end}").ljust(where_width)
    about = escape_controls(" ".join(x for x in (hit.ref or "-", hit.type or "-", hit.kind, hit.method,
                                                 f"{hit.score:.2f}")))
    return f"{where}\t{kwic_context(hit, width, isolate)}\t({about})"


def format_kwic(result: SearchResult, isolate: bool = True) -> str:
    """The whole KWIC report: resolutions, lines (by document for a ref concordance), the summary."""
    out: list[str] = []
    for r in result.resolved:
        out.append(escape_controls(f"# resolved to {r.ref} by {r.method} ({r.score:.2f}) via ")
                   + _isolate(escape_controls(r.name), isolate))
    where_width = max((len(escape_controls(f"{h.doc}:{h.start}-{h.end}")) for h in result.hits), default=0)
    if result.ref:
        groups = result.by_document()
        for doc, count in result.counts.items():  # every document with its exact count, shown hits or not
            out.append(escape_controls(f"## {doc} ({result.langs.get(doc, '?')}): {count}"))
            out.extend(kwic_line(h, isolate=isolate, where_width=where_width) for h in groups.get(doc, ()))
    else:
        out.extend(kwic_line(h, isolate=isolate, where_width=where_width) for h in result.hits)
    out.append(escape_controls(f"# {result.message}"))
    return "\n".join(out) + "\n"


def print_kwic(result: SearchResult, isolate: bool = True) -> None:
    sys.stdout.write(format_kwic(result, isolate))


def search(query: str | None, index: Path, ref: str | None = None, type: str | None = None,
           lang: str | None = None, limit: int | None = DEFAULT_LIMIT, linked_only: bool = False) -> SearchResult:
    """Run one query on ``index`` (integrity-checked on open when small enough to afford it)."""
    with Searcher(index, check=None) as searcher:
        return searcher.search(query, ref=ref, type=type, lang=lang, limit=limit, linked_only=linked_only)


HELP = """Search the index for QUERY in any script (or --ref REF).
Exit status 1 when nothing matches; 2 on a malformed query (one line naming the column).

Hits come by kind, each kind counted in full:
linked (mentions of the refs the query names),
unlinked (mentions with a provisional or ambiguous ref that match),
text (every other occurrence of the query's forms: at least what a normalising grep finds).
--linked-only returns what the query resolves to, alone.

Query language:
  Temur Malik             a name, any script or spelling:
                          Şyñğys han, Shyńǵys han, Shyngys han, Шыңғыс хан
  "جلال الدين"            a phrase: these words in this order
  المغول OR التتر         either
  A AND B                 both, in one document;  A NOT B: A where B is absent
  otrar NEAR/5 bukhara    both, at most 5 words apart (NEAR alone: 10)
  (otrar OR bukhara) AND chinggis
  ref:otrar               every mention of an authority ref
  type:place  lang:kk     filters on the whole query
  doc:NAME  doc:ibn*      documents by name, or by a prefix ending in *
  تيمور*                  also the longer words this one begins
Operators are upper case (lower-case and, or, not are words).
"""


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("search", help=HELP)
    def search_cli(
        query: Optional[str] = typer.Argument(None, help="A query (see above): Temur Malik, تيمور ملك, "
                                                         "\"جلال الدين\", otrar NEAR/5 bukhara ..."),
        index: Path = typer.Option(Path(os.environ.get("NUSKHA_INDEX", DEFAULT_INDEX)), "--index",
                                   help="The index built by `nuskha index` (default $NUSKHA_INDEX or "
                                        f"{DEFAULT_INDEX})."),
        type: Optional[str] = typer.Option(None, "--type", help="person, place, group, date or troops."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Only documents in this language (ar, kk)."),
        format: SearchFormat = typer.Option(SearchFormat.kwic, "--format",
                                            help="kwic (terminal), json, or html (an offline KWIC page)."),
        output: Optional[Path] = typer.Option(None, "-o", "--output",
                                              help="Write the result to this file (atomically) instead of stdout."),
        ref: Optional[str] = typer.Option(None, "--ref", help="Concordance of one authority ref, by document."),
        limit: int = typer.Option(DEFAULT_LIMIT, "--limit", min=0,
                                  help="Build and show at most this many hits (0: all); every kind is always "
                                       "counted."),
        linked_only: bool = typer.Option(False, "--linked-only",
                                         help="Only what the query resolves to (mentions of its refs and their "
                                              "names in the text), as before recall-first search."),
        no_isolate: bool = typer.Option(False, "--no-isolate",
                                        help="KWIC in logical order without FSI/PDI around right-to-left fields."),
    ) -> None:
        result = search(query, index, ref, type, lang, limit or None, linked_only)
        if format is SearchFormat.json:
            import json

            text = json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
        elif format is SearchFormat.html:
            from ..render.kwic import kwic_page

            text = kwic_page(result)
        else:
            text = format_kwic(result, isolate=not no_isolate)
        if output is not None:
            write_atomic(output, text)
        else:
            sys.stdout.write(text)
        if not result.hits:
            print(f"nuskha: {escape_controls(result.message)}", file=sys.stderr)
            raise typer.Exit(1)

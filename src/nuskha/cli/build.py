"""``nuskha build CORPUS -o OUT``: the whole pipeline over a folder, TEI + JSON mentions + alignment report."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..build import CORPUS_FILE, BuildResult, build
from .common import CurationFile, escape_controls

#: ``--dask`` alone means a LocalCluster on this machine.
LOCAL_CLUSTER = "local"


def dask_argv(argv: list[str]) -> list[str]:
    """Let ``--dask`` take its address optionally: ``--dask`` alone (at the end, or before another option or the
    corpus folder) becomes ``--dask=local``; ``--dask tcp://host:8786`` and ``--dask=ADDRESS`` are kept."""
    from pathlib import Path as _Path

    out = list(argv)
    for i, arg in enumerate(out):
        if arg == "--":
            break
        if arg != "--dask":
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        if nxt is None or nxt.startswith("-") or (":" not in nxt and _Path(nxt).is_dir()):
            out[i] = f"--dask={LOCAL_CLUSTER}"
    return out


def summary_table(result: BuildResult):
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"nuskha build -> {result.out}")
    for col in ("document", "lang", "tokens", "person", "place", "group", "date", "troops", "TEI", "bytes", "s"):
        table.add_column(col, justify="left" if col in ("document", "lang", "TEI") else "right")
    for s in result.documents:
        table.add_row(escape(escape_controls(s.id)), s.lang, str(s.tokens), *(str(s.mentions.get(t, 0)) for t in
                                                     ("person", "place", "group", "date", "troops")),
                      escape(escape_controls(s.tei)), f"{s.tei_bytes:,}", f"{s.seconds:.2f}")
    table.caption = (f"{len(result.documents)} documents, {result.links} alignment links, "
                     f"{result.candidates} candidates, {len(result.files)} files, {result.seconds:.2f} s")
    return table


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("build")
    def build_cli(
        corpus: Path = typer.Argument(..., help="A folder of UTF-8 .txt files (with optional .meta.json sidecars)."),
        out: Path = typer.Option(..., "-o", "--out", help="Output folder (created; nothing is written outside it)."),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
        inline: bool = typer.Option(False, "--inline", help="persName/placeName/date/measure inline in the text "
                                                            "(TEI Publisher, EVT) instead of in the standOff."),
        gold: Optional[Path] = typer.Option(None, "--gold", help="Take mentions from DIR/<name>.gold.json instead "
                                                                 "of running the recognisers."),
        authority: Optional[Path] = typer.Option(None, "--authority", help="Authority file (default: "
                                                                           "annotations/authority.tsv)."),
        no_corpus: bool = typer.Option(False, "--no-corpus", help=f"Do not write {CORPUS_FILE} (all documents in "
                                                                  "one teiCorpus: for small aligned sets)."),
        dask: Optional[str] = typer.Option(None, "--dask", metavar="[ADDRESS]",
                                           help="Run the documents on Dask: a scheduler address (tcp://host:8786), "
                                                "or nothing for a LocalCluster of --jobs workers. Needs "
                                                "nuskha[dask]; corpus and OUT must be on a disk every worker sees."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or table."),
        curation: CurationFile = None,
    ) -> None:
        """Annotate every text of CORPUS and write TEI, JSON mentions, a bilingual teiCorpus and an alignment
        report into OUT."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from ..curation import resolve_path
        from ..io import iter_corpus

        curation = resolve_path(curation)
        console = Console(stderr=True)
        total = sum(1 for _ in iter_corpus(corpus))
        if quiet:
            result = build(corpus, out, jobs, inline, gold, authority, tei_corpus=not no_corpus, dask=dask,
                           curation=curation)
        else:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=console, transient=True) as bar:
                task = bar.add_task("building", total=total)
                result = build(corpus, out, jobs, inline, gold, authority, tei_corpus=not no_corpus, dask=dask,
                               curation=curation,
                               progress=lambda doc_id: bar.update(task, advance=1,
                                                                  description=escape_controls(doc_id)))
            table_console = Console()
            if not table_console.is_terminal:  # piped: do not squeeze the table into 80 columns
                table_console = Console(width=160)
            table_console.print(summary_table(result))

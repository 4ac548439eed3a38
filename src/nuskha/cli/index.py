"""``nuskha index DIR -o INDEX``: build (or update) the search index of a corpus folder."""
from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..search.index import IndexStats, build_index
from .common import CurationFile

DEFAULT_INDEX = "nuskha-index.sqlite"


def index(folder: Path, out: Path, annotate: bool = True, quiet: bool = False, jobs: int = 1,
          rebuild: bool = False, curation: Path | None = None) -> IndexStats:
    """Build or update ``out`` from ``folder``, reporting each document on stderr unless ``quiet``."""
    def report(name: str, status: str) -> None:
        if not quiet:
            print(f"{status:9} {name}", file=sys.stderr)

    def waiting(message: str) -> None:
        print(f"nuskha: {message}", file=sys.stderr)

    return build_index(folder, out, annotate=annotate, on_document=report, jobs=jobs, rebuild=rebuild,
                       on_wait=waiting, curation=curation)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("index")
    def index_cli(
        folder: Path = typer.Argument(..., help="A corpus folder (*.txt with *.meta.json sidecars)."),
        out: Path = typer.Option(Path(DEFAULT_INDEX), "-o", "--output", help="The index file (SQLite)."),
        annotate: bool = typer.Option(True, "--annotate/--no-annotate",
                                      help="Run the recognisers so mentions and refs are indexed."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No per-document progress on stderr."),
        jobs: int = typer.Option(1, "--jobs", "-j", min=1,
                                 help="Worker processes running the pipeline (the index is the same for any N)."),
        rebuild: bool = typer.Option(False, "--rebuild",
                                     help="Ignore the existing index (corrupt, or an older schema) and write a "
                                          "new one with this folder's documents only."),
        curation: CurationFile = None,
    ) -> None:
        """Index FOLDER into one SQLite FTS5 file; changed documents (by sha256) are replaced.

        Documents are identified by FOLDER and their path inside it, so several folders can share one index.
        One writer at a time: a second run on the same index waits for the first, then adds to its result.
        An existing index is checked first; a corrupt one is reported (use --rebuild).
        """
        from ..curation import resolve_path

        stats = index(folder, out, annotate, quiet, jobs, rebuild, resolve_path(curation))
        print(f"{out}: {stats.documents} document(s) indexed, {stats.unchanged} unchanged, "
              f"{stats.tokens} tokens, {stats.mentions} mentions, {stats.seconds:.2f} s (CPU: pipeline "
              f"{stats.pipeline_cpu:.2f} s, indexing {stats.index_cpu:.2f} s)")

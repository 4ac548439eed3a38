"""``nuskha eval segmentation [CONLLU]``: split-point precision/recall/F1 of Arabic clitic segmentation on UD."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..evaluate.segmentation import evaluate_segmentation
from .common import print_json

#: The UD Arabic-PUD test file beside the project (``../shared``), the default gold.
DEFAULT_CONLLU = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ud_ar_pud" / "ar_pud-ud-test.conllu"


def eval_segmentation(conllu: Path = DEFAULT_CONLLU, half: str = "all", camel_db: str | None = None,
                      rules_only: bool = False) -> dict:
    """Score the Arabic analyser on ``conllu``. ``camel_db``: a camel-tools ``.db`` to use; ``rules_only``: ignore
    any database (``$NUSKHA_CAMEL_DB`` included). By default the analyser nuskha uses everywhere is scored."""
    from ..lang.ar.morphology import make_analyzer

    analyze = make_analyzer(False if rules_only else camel_db) if (rules_only or camel_db) else None
    result = evaluate_segmentation(conllu, half, analyze)
    result["analyzer"] = "rules" if rules_only else _analyzer_name(camel_db)
    return result


def _analyzer_name(camel_db: str | None) -> str:
    from ..lang.ar.camel import load_camel_analyzer

    return "rules+camel" if load_camel_analyzer(camel_db) is not None else "rules"


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("segmentation")
    def eval_segmentation_cli(
        conllu: Path = typer.Argument(DEFAULT_CONLLU, help="A CoNLL-U file (default: UD Arabic-PUD test)."),
        half: str = typer.Option("all", "--half", help="first | second | all (develop on first, report both)."),
        camel_db: Optional[str] = typer.Option(None, "--camel-db", help="A camel-tools morphology .db to use."),
        rules_only: bool = typer.Option(False, "--rules-only", help="Ignore any camel-tools database."),
        json_out: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    ) -> None:
        """Arabic clitic segmentation: split-point precision, recall and F1 against UD (article not counted)."""
        r = eval_segmentation(conllu, half, camel_db, rules_only)
        if json_out:
            print_json(r)
            return
        typer.echo(f"{r['file']} half={r['half']} sentences={r['sentences']} analyzer={r['analyzer']}")
        typer.echo(f"split points: P={r['precision']:.4f} R={r['recall']:.4f} F1={r['f1']:.4f} "
                   f"(tp={r['tp']} fp={r['fp']} fn={r['fn']})")
        typer.echo(f"words={r['words']} with gold splits={r['gold_split_words']} exact={r['exact']:.4f} "
                   f"unaligned={r['unaligned']} types={r['types']} types/s={r['types_per_second']}")

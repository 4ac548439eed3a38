"""``nuskha eval lemmas [CONLLU] [--half first|second|all]``: lemma accuracy against UD Kazakh-KTB."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..evaluate.lemmas import HALVES, NOMINAL, Score, evaluate_lemmas

#: The treebank in the shared data folder beside the repository.
DEFAULT_CONLLU = Path(__file__).resolve().parents[3].parent / "shared/data/ud_kk/kk_ktb-ud-test.conllu"


def format_score(score: Score, path: str, half: str) -> str:
    """The printed report: NOUN+PROPN and all words, case-sensitive and case-insensitive, and speed."""
    lines = [
        f"file\t{path}",
        f"half\t{half}",
        "method\teach UD word form analysed on its own (nuskha tokens are not used)",
        f"NOUN+PROPN\t{score.accuracy(NOMINAL):.4f}\t(case-insensitive {score.accuracy(NOMINAL, fold=True):.4f})"
        f"\tn={score.count(NOMINAL)}",
        f"all words\t{score.accuracy():.4f}\t(case-insensitive {score.accuracy(fold=True):.4f})\tn={score.count()}",
    ]
    for pos in sorted(score.by_pos, key=lambda p: -score.by_pos[p][2]):
        lines.append(f"  {pos}\t{score.accuracy((pos,)):.4f}\tn={score.by_pos[pos][2]}")
    rate = score.types / score.seconds if score.seconds else 0.0
    lines.append(f"speed\t{rate:,.0f} types/s ({score.types} distinct forms, tables loaded beforehand)")
    return "\n".join(lines)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("lemmas")
    def eval_lemmas_cli(
        conllu: Optional[Path] = typer.Argument(None, help="A CoNLL-U file (default: ../shared UD Kazakh-KTB test)."),
        half: str = typer.Option("all", "--half", help="first | second | all (sentences of the file)."),
        lang: str = typer.Option("kk", "--lang", help="The analyser to score."),
    ) -> None:
        """Lemma accuracy of the Kazakh analyser on a UD treebank (NOUN+PROPN and all words)."""
        if half not in HALVES:
            raise typer.BadParameter(f"--half must be one of {', '.join(HALVES)}")
        path = conllu or DEFAULT_CONLLU
        typer.echo(format_score(evaluate_lemmas(path, half, lang), str(path), half))

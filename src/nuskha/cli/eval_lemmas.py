"""``nuskha eval lemmas [CONLLU] [--half first|second|all]``: lemma accuracy against UD Kazakh-KTB, word by word
and in running text."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..evaluate.lemmas import HALVES, NOMINAL, RunningScore, Score, evaluate_lemmas, evaluate_running_text

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


def format_running(score: RunningScore) -> str:
    """The running-text report: NOUN+PROPN and all words (punctuation excluded), and what was not matched."""
    return "\n".join([
        "method\trunning text: each sentence tokenised in context by nuskha, punctuation excluded",
        f"NOUN+PROPN\t{score.accuracy(NOMINAL):.4f}\t(case-insensitive {score.accuracy(NOMINAL, fold=True):.4f})"
        f"\tn={score.count(NOMINAL)}",
        f"all words\t{score.accuracy():.4f}\t(case-insensitive {score.accuracy(fold=True):.4f})\tn={score.count()}",
        f"  tokenised otherwise than UD (counted wrong)\t{score.unmatched}",
        f"  UD words written with a space, scored on their first part\t{score.spaced}",
        f"  inner words of multiword tokens (left out)\t{score.inner_words}",
        f"speed\t{score.sentences} sentences in {score.seconds:.2f} s",
    ])


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("lemmas")
    def eval_lemmas_cli(
        conllu: Optional[Path] = typer.Argument(None, help="A CoNLL-U file (default: ../shared UD Kazakh-KTB test)."),
        half: str = typer.Option("all", "--half", help="first | second | all (sentences of the file)."),
        lang: str = typer.Option("kk", "--lang", help="The analyser to score."),
    ) -> None:
        """Lemma accuracy of the Kazakh analyser on a UD treebank (NOUN+PROPN and all words): each word form on
        its own, then the sentences as running text."""
        if half not in HALVES:
            raise typer.BadParameter(f"--half must be one of {', '.join(HALVES)}")
        path = conllu or DEFAULT_CONLLU
        typer.echo(format_score(evaluate_lemmas(path, half, lang), str(path), half))
        typer.echo(format_running(evaluate_running_text(path, half, lang)))

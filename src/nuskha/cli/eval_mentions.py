"""``nuskha eval mentions GOLD SYSTEM`` and ``nuskha eval kaznerd [PATH]``: recogniser scores."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..evaluate.mentions import evaluate_mentions, format_scores
from .common import print_json


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("mentions")
    def eval_mentions_cli(
        gold: Path = typer.Argument(..., help="Gold mentions (JSON, as in annotations/gold/)."),
        system: Path = typer.Argument(..., help="System mentions: JSON from `nuskha annotate`, or a text file "
                                                "to annotate now."),
        types: Optional[List[str]] = typer.Option(None, "--types", help="Only these types (repeatable)."),
        no_attributive: bool = typer.Option(False, "--no-attributive",
                                            help="Leave attributive group mentions out of both sides."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Language of a text SYSTEM file."),
        without: Optional[List[str]] = typer.Option(
            None, "--without-records", help="Annotate a text SYSTEM with every authority record of this type "
                                            "removed (repeatable): what the context rules find on their own."),
        json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """P/R/F1 per type (exact span and overlap), ref agreement, value agreement for dates and troops."""
        scores = evaluate_mentions(gold, system, types, not no_attributive, lang, without or ())
        if json_out:
            print_json(scores.to_json())
        else:
            print(format_scores(scores))

    @eval_app.command("kaznerd")
    def eval_kaznerd_cli(
        path: Optional[Path] = typer.Argument(None, help="KazNERD IOB2 file (default: "
                                                         "../shared/data/kaznerd/IOB2_valid.txt)."),
        limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N sentences of the part."),
        part: str = typer.Option("heldout", "--part",
                                 help="heldout (last 20%: the model never saw it), train (first 80%) or all."),
        json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """Score the Kazakh recogniser on KazNERD (PERSON -> person; GPE, LOCATION -> place): rules alone,
        then with the sequence model (the default)."""
        from ..evaluate.kaznerd import default_path, evaluate_kaznerd

        if part not in ("heldout", "train", "all"):
            raise typer.BadParameter("--part must be heldout, train or all")
        source = path or default_path()
        rules = evaluate_kaznerd(source, limit, part, use_model=False)
        model = evaluate_kaznerd(source, limit, part, use_model=True)
        if json_out:
            print_json({"part": part, "rules": rules.to_json(), "rules+model": model.to_json()})
        else:
            print(f"KazNERD {part} part: rules alone")
            print(format_scores(rules))
            print(f"KazNERD {part} part: rules + statistical model (the default)")
            print(format_scores(model))

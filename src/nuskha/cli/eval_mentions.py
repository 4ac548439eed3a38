"""``nuskha eval mentions GOLD SYSTEM [GOLD SYSTEM ...]|DIR`` and ``nuskha eval kaznerd [PATH]``: recogniser scores."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..evaluate.mentions import evaluate_mentions, format_scores
from .common import print_json


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("mentions")
    def eval_mentions_cli(
        paths: List[Path] = typer.Argument(..., help="GOLD SYSTEM pairs (gold JSON as in annotations/gold/; "
                                                     "SYSTEM: JSON from `nuskha annotate`, or a text file to "
                                                     "annotate now), or folders of NAME.gold.json + NAME.txt."),
        types: Optional[List[str]] = typer.Option(None, "--types", help="Only these types (repeatable)."),
        no_attributive: bool = typer.Option(False, "--no-attributive",
                                            help="Leave attributive group mentions out of both sides."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Language of a text SYSTEM file."),
        without: Optional[List[str]] = typer.Option(
            None, "--without-records", help="Annotate a text SYSTEM with every authority record of this type "
                                            "removed (repeatable): what the context rules find on their own."),
        json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """P/R/F1 per type (exact span and overlap), ref agreement, value agreement for dates and troops: per
        text, pooled over several, and again with every record whose only evidence is a dev text removed."""
        from ..evaluate.mentions import DEV_EVIDENCE, count_dev_only_records, mention_pairs, pool_scores

        pairs = mention_pairs(paths)
        attributive = not no_attributive
        per_text = [(name, evaluate_mentions(g, s, types, attributive, lang, without or ())) for name, g, s in pairs]
        pooled = pool_scores(sc for _, sc in per_text)
        texts_only = all(s.suffix != ".json" for _, _, s in pairs)
        dev_only = count_dev_only_records() if texts_only else None
        generalising = None
        if dev_only:  # the same texts once more, with every record resting on a dev text alone removed
            generalising = [(name, evaluate_mentions(g, s, types, attributive, lang, without or (), DEV_EVIDENCE))
                            for name, g, s in pairs]
        if json_out:
            if len(pairs) == 1:
                data = per_text[0][1].to_json()
            else:
                data = {"texts": [{"name": n, **sc.to_json()} for n, sc in per_text], "pooled": pooled.to_json()}
            if dev_only is not None:
                again = pool_scores(sc for _, sc in generalising) if generalising else pooled
                data["without_dev_evidence"] = {"records_removed": dev_only, **again.to_json()}
            print_json(data)
            return
        if len(pairs) == 1:
            print(format_scores(per_text[0][1]))
        else:
            for name, sc in per_text:
                print(f"== {name}")
                print(format_scores(sc))
            print(f"== pooled over {len(pairs)} texts")
            print(format_scores(pooled))
        if dev_only == 0:
            print("== without records whose only evidence is a dev text: none rests on a dev text alone "
                  "(0 records removed; the scores above stand)")
        elif generalising:
            print(f"== without the {dev_only} records whose only evidence is a dev text")
            for name, sc in (generalising if len(pairs) > 1 else []):
                print(f"-- {name}")
                print(format_scores(sc))
            print(format_scores(pool_scores(sc for _, sc in generalising)))

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
        # DATE as information (issue 12; nuskha.evaluate.kaznerd_dates): KazNERD's DATE also counts deictics
        # and durations, which ANNOTATION.md does not.
        from ..evaluate.kaznerd_dates import evaluate_kaznerd_dates

        dates = evaluate_kaznerd_dates(source, limit, part)
        if json_out:
            print_json({"part": part, "rules": rules.to_json(), "rules+model": model.to_json(),
                        "date": dates.to_json()})
        else:
            print(f"KazNERD {part} part: rules alone")
            print(format_scores(rules))
            print(f"KazNERD {part} part: rules + statistical model (the default)")
            print(format_scores(model))
            print(f"KazNERD {part} part: DATE (information: KazNERD also counts бүгін, биыл, durations)")
            print(format_scores(dates))

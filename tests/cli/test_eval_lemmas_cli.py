"""``nuskha eval lemmas`` through Typer (the command module alone, so other commands cannot break it)."""
from __future__ import annotations

import typer
from typer.testing import CliRunner

from nuskha.cli import eval_lemmas

CONLLU = "1\tелдерге\tел\tNOUN\tn\t_\t0\troot\t_\t_\n2\t.\t.\tPUNCT\tsent\t_\t1\tpunct\t_\t_\n\n"


def app() -> typer.Typer:
    main, ev = typer.Typer(), typer.Typer()
    main.add_typer(ev, name="eval")

    @main.command("noop")
    def noop() -> None:  # a second command keeps `eval` a sub-command group
        pass

    eval_lemmas.register(main, ev)
    return main


def test_prints_both_accuracies(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    result = CliRunner().invoke(app(), ["eval", "lemmas", str(path), "--half", "all"])
    assert result.exit_code == 0, result.output
    assert "NOUN+PROPN\t1.0000" in result.output
    assert "all words\t1.0000" in result.output
    assert "types/s" in result.output
    assert "running text" in result.output and result.output.count("NOUN+PROPN\t1.0000") == 2


def test_rejects_an_unknown_half(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    result = CliRunner().invoke(app(), ["eval", "lemmas", str(path), "--half", "middle"])
    assert result.exit_code != 0

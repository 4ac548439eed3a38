"""``nuskha review PATH``: the review page in the browser, over one text file or a corpus folder."""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .common import CurationFile


def default_editor() -> str:
    """``$NUSKHA_EDITOR``, else the login name: who the decisions are recorded as (``by``)."""
    try:
        return os.environ.get("NUSKHA_EDITOR") or getpass.getuser()
    except (KeyError, OSError):
        return "editor"


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("review")
    def review_cli(
        path: Path = typer.Argument(..., help="A text file or a corpus folder."),
        curation: CurationFile = None,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything but loopback needs a "
                                                              "token (one is generated when not given)."),
        port: int = typer.Option(8765, "--port", min=0, max=65535),
        token: Optional[str] = typer.Option(None, "--token", envvar="NUSKHA_REVIEW_TOKEN",
                                            help="Require ?token=TOKEN (then a cookie) on every request."),
        editor: Optional[str] = typer.Option(None, "--editor", help="Name recorded as each decision's \"by\" "
                                                                     "(default: $NUSKHA_EDITOR or the login)."),
        authority: Optional[Path] = typer.Option(None, "--authority", help="Authority file for relinking."),
    ) -> None:
        """Review the mentions of PATH in the browser: accept, reject, retype, relink, add, undo; every decision
        is written at once to the curation file."""
        from ..curation import DEFAULT_PATH, resolve_path
        from ..review.app import serve

        target = resolve_path(curation) or DEFAULT_PATH
        serve(path, target, host, port, token, authority, editor or default_editor(),
              on_ready=lambda url: print(f"nuskha review: {url}  (decisions -> {target}; Ctrl-C stops)",
                                         file=sys.stderr))

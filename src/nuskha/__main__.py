"""``python -m nuskha`` is the ``nuskha`` command."""
from .cli.main import run

run()

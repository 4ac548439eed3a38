"""Scoring nuskha against gold data: one module per task, each an importable function behind `nuskha eval`."""

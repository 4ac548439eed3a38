"""The ``nuskha`` command line: one module per command, each a thin wrapper over an importable function."""

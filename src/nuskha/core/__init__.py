"""Language-neutral mechanisms, written once; each language injects its tables (see ``nuskha.lang``)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.fixture(scope="session")
def run_nuskha():
    """Run the real command line in a subprocess: ``(exit status, stdout, stderr)``."""
    def run(*args: str, cwd=None):
        proc = subprocess.run([sys.executable, "-m", "nuskha", *map(str, args)], capture_output=True,
                              text=True, cwd=cwd, timeout=600)
        return proc.returncode, proc.stdout, proc.stderr
    return run

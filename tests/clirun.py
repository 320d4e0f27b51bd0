"""Run the ``mcda`` command in-process (click's CliRunner keeps stdout and stderr apart, click >= 8.2),
or as a process whose stderr is a terminal (to see the progress bar)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from mcda.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> Result:
    """``mcda ARGS...``; arguments may be paths or numbers."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def on_terminal(*args):
    """Run mcda with stderr on a pseudo-terminal; return what it wrote there."""
    import pty
    master, slave = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "mcda", *map(str, args)], stdout=subprocess.PIPE, stderr=slave,
                          cwd=ROOT, env={**os.environ, "COLUMNS": "100"})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode()

"""Run the ``mcda`` command in-process (click's CliRunner keeps stdout and stderr apart, click >= 8.2)."""
from __future__ import annotations

from click.testing import CliRunner, Result

from mcda.cli import cli


def run(*args) -> Result:
    """``mcda ARGS...``; arguments may be paths or numbers."""
    return CliRunner().invoke(cli, [str(a) for a in args])

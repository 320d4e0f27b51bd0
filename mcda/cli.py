"""The ``mcda`` command: thin verbs that parse, call the API and print.

Heavy libraries (numpy, pandas, pymcdm) are imported inside the verbs, so
``mcda --help`` answers at once. A bad input prints one line,
``Error: <where>: <what>. <how to fix>``, and exits with status 1.
"""
from __future__ import annotations

import functools
import os
import sys

import click

from . import __version__

METHOD_HELP = "topsis (default), vikor, promethee2, copras, wsm, waspas"
FORMATS = ("table", "csv", "json")


def _friendly(f):
    """Turn our input errors into click's one-line 'Error: ...' and exit status 1."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from .errors import McdaError
        try:
            return f(*args, **kwargs)
        except McdaError as e:
            raise click.ClickException(str(e)) from None
    return wrapper


format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                             help="table for people, csv or json for other tools.")
method_option = click.option("--method", default=None, metavar="NAME",
                             help=f"Scoring method instead of the case's: {METHOD_HELP}.")
set_option = click.option("--set", "settings", multiple=True, metavar="PATH=VALUE",
                          help="What-if: change one setting of the case for this run (repeatable), e.g. "
                               "weights.research=0.4, method.name=vikor, judgements.labour.research=3, "
                               "data.navoi.<column>=12.5. An unknown PATH lists the valid ones.")
norm_option = click.option("--normalization", default=None, metavar="NAME",
                           help="Normalisation instead of the method's default (e.g. vector, minmax, sum).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mcda")
def cli():
    """Choose regions for innovation clusters: AHP weights, TOPSIS ranking, robustness, budget allocation.

    CASE is a case folder (holding case.toml) or its case.toml; see README.md for the format.
    """


def _load(case_path: str, settings=(), method: str | None = None, normalization: str | None = None):
    """Load a case and apply the what-ifs: --set, then --method / --normalization."""
    import dataclasses

    from .cases import load_case, method_spec
    from .overrides import apply
    case = apply(load_case(case_path), settings) if settings else load_case(case_path)
    if method or normalization:
        if method:
            raw = {"name": method}
        else:  # keep the case's method and its parameters
            raw = {"name": case.method.name,
                   **{k: (dict(v) if isinstance(v, tuple) else v) for k, v in case.method.params if v is not None}}
        if normalization:
            raw["normalization"] = normalization
        case = dataclasses.replace(case, method=method_spec(raw, "--method/--normalization"))
    return case


def _emit(fmt: str, warnings, json, csv, table) -> None:
    """Print one result in the chosen format. JSON and tables carry their warnings;
    with CSV they go to stderr, so stdout stays clean for other tools."""
    from .formats import json_text
    if fmt == "json":
        click.echo(json_text(json()), nl=False)
    elif fmt == "csv":
        click.echo(csv(), nl=False)
        for w in warnings:
            click.echo(f"Warning: {w}", err=True)
    else:
        click.echo(table(), nl=False)


@cli.command()
@click.argument("case", type=click.Path())
@method_option
@norm_option
@set_option
@format_option
@_friendly
def rank(case, method, normalization, settings, fmt):
    """Rank the regions of CASE.

    Prints the criteria weights with their AHP consistency, each indicator's
    global weight, the ranking and any warnings.

    Example: mcda rank cases/uzbekistan-regions --format json
    """
    from . import formats, scoring
    c = _load(case, settings, method, normalization)
    r = scoring.rank(c)
    _emit(fmt, r.warnings, json=lambda: formats.ranking_json(c, r), csv=lambda: formats.ranking_csv(r),
          table=lambda: formats.ranking_text(c, r))


@cli.command()
@click.argument("source", type=click.Path())
@click.option("--ri-table", default=None, metavar="NAME",
              help="Random-index table: saaty1980 (default), alonso-lamata-2006, tummala-ling-1998.")
@click.option("--threshold", type=float, default=None, help="CR above this is inconsistent (default 0.10).")
@set_option
@format_option
@_friendly
def weights(source, ri_table, threshold, settings, fmt):
    """Criteria weights from pairwise judgements, with their consistency.

    SOURCE is a case (its judgements; one matrix per expert and the committee's
    geometric mean) or a CSV file holding a square matrix: a header row of
    names and the same names in the first column. The lower triangle may be
    left empty; fractions such as 1/3 are welcome.

    Example: mcda weights cases/uzbekistan-regions
    """
    import dataclasses

    from . import ahp, formats
    from .model import Weights
    if source.lower().endswith(".csv"):
        from .cases import read_matrix_csv
        if settings:
            raise click.UsageError("--set applies to a case, not to a matrix CSV")
        names, matrix = read_matrix_csv(source)
        table = ri_table or ahp.DEFAULT_RI_TABLE
        ahp.random_index(len(names), table)  # an unknown table is an error
        result = ahp.analyse(matrix, names, table, threshold if threshold is not None else 0.10)
        warnings = () if result.consistent else (ahp.warning_text(result),)
        w = Weights(criteria=tuple(names), values=result.weights, source="ahp", ahp=result, warnings=warnings)
        title = f"Pairwise matrix {source}"
    else:
        case = _load(source, settings)
        wt = case.weighting
        if ri_table is not None:
            ahp.random_index(3, ri_table)
            wt = dataclasses.replace(wt, ri_table=ri_table)
        if threshold is not None:
            wt = dataclasses.replace(wt, threshold=threshold)
        w = ahp.weights(wt)
        title = f"{case.title}: criteria weights"
    _emit(fmt, w.warnings, json=lambda: formats.weights_json(w), csv=lambda: formats.weights_csv(w),
          table=lambda: formats.weights_text(w, title))


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are warnings, too.")
@set_option
@_friendly
def validate(case, strict, settings):
    """Check CASE without printing results: files, columns, cells, judgements, method.

    Prints a one-paragraph summary and the warnings; exit status 0 when the
    case can be run, 1 when it cannot (or, with --strict, has warnings).

    Example: mcda validate cases/russia-regions-research
    """
    from . import scoring
    c = _load(case, settings)
    r = scoring.rank(c)
    crit = len(c.weighting.criteria)
    cr = "" if r.weights.ahp is None else f", AHP CR {r.weights.ahp.cr:.3f}"
    click.echo(f"OK: {c.title}\n  {len(c.data.ids)} regions ({len(r.ids)} ranked), {len(c.indicators)} indicators "
               f"in {crit} criteria, weights {r.weights.source}{cr}, method {r.method.name}")
    for w in r.warnings:
        click.echo(f"  warning: {w}")
    if strict and r.warnings:
        raise click.ClickException(f"{len(r.warnings)} warning(s) and --strict was given")


def main() -> None:
    """Entry point: no traceback for the user unless MCDA_DEBUG is set."""
    try:
        cli(prog_name="mcda")
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as e:  # noqa: BLE001 - the last guard before a traceback
        if os.environ.get("MCDA_DEBUG"):
            raise
        click.echo(f"Error: internal error ({type(e).__name__}: {e}). This is a bug in cluster-mcda: "
                   "rerun with MCDA_DEBUG=1 to see the traceback, and report it.", err=True)
        sys.exit(3)


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``mcda`` command: thin verbs that parse, call the pipeline and hand the result to text/ or report/.

Heavy libraries (numpy, pandas, pymcdm, pulp, openpyxl) are imported inside the verbs,
so ``mcda --help`` answers at once. A bad input prints one line,
``Error: <where>: <what>. <how to fix>``, and exits with status 1.

Longer than the house's 400 lines because it holds twelve verbs, most of each being click's
declarations of its options and their help; the verbs only parse, call mcda.pipeline and hand
the result to mcda.text or mcda.report.
"""
from __future__ import annotations

import functools
import math
import os
import sys

import click

from . import __version__

METHOD_HELP = "topsis (default), vikor, promethee2, copras, wsm, waspas, ahp (AHP synthesis)"
FORMATS = ("table", "csv", "json")
SMAA_DEFAULT = 5000  # mcda run: keeps the Uzbekistan case's whole run under 3 s (bench/bench_report.py)
RESOLVE_LIMIT = 1_000_000  # samples x regions re-solved by default: 200 regions x 5,000 samples take about 5 s


class Number(click.FloatRange):
    """A finite number within a range, as the case file asks of the same setting (click's FloatRange
    lets nan through every bound, and inf through an open one)."""

    def convert(self, value, param, ctx):
        rv = super().convert(value, param, ctx)
        if not math.isfinite(rv):
            self.fail(f"{value!r} is not a finite number; give one in the range {self._describe_range()}.", param, ctx)
        return rv


def _friendly(f):
    """Turn our input errors into click's one-line 'Error: ...' and exit status 1."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from .errors import McdaError
        from .files import check_stopped
        try:
            return f(*args, **kwargs)
        except McdaError as e:
            check_stopped()  # an error that follows a stop signal (swallowed on the way) is the interruption's
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

    CASE is a case folder (holding case.toml), its case.toml, or an input workbook (.xlsx)
    written by `mcda template`; see README.md for the formats.
    """


def _load(case_path: str, settings=(), method: str | None = None, normalization: str | None = None,
          experts_due: bool = True):
    """Load a case and apply the what-ifs: --set, then --method / --normalization (``experts_due``:
    mcda.inputs.load.load)."""
    import dataclasses

    from .inputs.casefile import method_spec, method_table
    from .inputs.load import load
    from .inputs.overrides import apply
    case = load(case_path, experts_due)
    case = apply(case, settings) if settings else case
    if method or normalization:
        if method:
            raw = {"name": method}
        else:  # keep the case's method and its parameters
            raw = method_table(case.method)
        if normalization:
            raw["normalization"] = normalization
        case = dataclasses.replace(case, method=method_spec(raw, "--method/--normalization"))
    return case


def _emit(fmt: str, warnings, json, csv, table) -> None:
    """Print one result in the chosen format. JSON and tables carry their warnings;
    with CSV they go to stderr, so stdout stays clean for other tools."""
    from .text.tables import json_text
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
    from . import pipeline
    from .text import ranking as text
    c = pipeline.settled(_load(case, settings, method, normalization))
    r = pipeline.rank(c)
    _emit(fmt, r.warnings, json=lambda: text.ranking_json(c, r), csv=lambda: text.ranking_csv(r),
          table=lambda: text.ranking_text(c, r))


@cli.command()
@click.argument("source", type=click.Path())
@click.option("--ri-table", default=None, metavar="NAME",
              help="Random-index table: saaty1980 (default), alonso-lamata-2006, tummala-ling-1998.")
@click.option("--threshold", type=Number(0, 1, min_open=True, max_open=True), default=None, metavar="CR",
              help="CR above this is inconsistent: a number between 0 and 1, both excluded (default 0.10).")
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

    from . import pipeline
    from .text import weights as text
    from .weighting.random_index import random_index
    if source.lower().endswith(".csv"):
        from .inputs.judgements import read_matrix_csv
        from .weighting.weights import matrix_weights
        if settings:
            raise click.UsageError("--set applies to a case, not to a matrix CSV")
        names, matrix = read_matrix_csv(source)
        w = matrix_weights(matrix, names, ri_table, threshold)
        title, judged, subs = f"Pairwise matrix {source}", (), ()
    else:
        case = _load(source, settings)
        wt = case.weighting
        if ri_table is not None:
            random_index(3, ri_table)  # an unknown table is an error
            wt = dataclasses.replace(wt, ri_table=ri_table)
        if threshold is not None:
            wt = dataclasses.replace(wt, threshold=threshold)
        case = dataclasses.replace(case, weighting=wt)  # the regions' judgements are judged by the same rules
        settled, judged, subs = pipeline.settled_with_results(case)  # the regions judged once
        w = pipeline.weights(settled)
        title = f"{case.title}: criteria weights"
    warnings = (*w.warnings, *(x for j in judged for x in j.warnings))
    _emit(fmt, warnings, json=lambda: text.weights_json(w, judged, subs), csv=lambda: text.weights_csv(w),
          table=lambda: text.weights_text(w, title, judged, subs))


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
    from . import pipeline
    from .inputs.budget import check_budget
    c = pipeline.settled(_load(case, settings))
    r = pipeline.rank(c)
    if c.budget is not None:  # the budget rules fit the data (their consistency is mcda allocate's to judge)
        check_budget(c.budget, c.data, f"{c.path}: budget")
    crit = len(c.weighting.criteria)
    cr = "" if r.weights.ahp is None else f", AHP CR {r.weights.ahp.cr:.3f}"
    click.echo(f"OK: {c.title}\n  {len(c.data.ids)} regions ({len(r.ids)} ranked), {len(c.indicators)} indicators "
               f"in {crit} criteria, weights {r.weights.source}{cr}, method {r.method.name}")
    for w in r.warnings:
        click.echo(f"  warning: {w}")
    if strict and r.warnings:
        raise click.ClickException(f"{len(r.warnings)} warning(s) and --strict was given")


@cli.command()
@click.argument("case", type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(), metavar="REPORT.xlsx",
              help="The report workbook to write (replaced whole if it exists; never one of the case's inputs).")
@click.option("--smaa", "smaa_samples", type=click.IntRange(0, 10_000_000), default=None, metavar="N",
              help=f"SMAA-2 from N weight samples (uniform, the case's seed; default {SMAA_DEFAULT:,}): how sure the "
                   "ranking is, on the Summary and the SMAA sheet; with budget rules (and N up to 1,000,000) also "
                   "each region's chance of being funded, the allocation re-solved for every sample (as mcda smaa "
                   f"--allocate; by default only while samples x regions <= {RESOLVE_LIMIT:,}). 0 turns it off (the "
                   "Summary then says 'not assessed').")
@click.option("--audit", "with_audit", is_flag=True,
              help="Also audit the composite (as mcda audit, with the case's [audit] settings): an Audit sheet with "
                   "each indicator's skewness and outliers, its coherence with its criterion, the ranking under "
                   "objective weights and every region's rank interval with all the modelling choices varied "
                   "together.")
@method_option
@norm_option
@set_option
@_friendly
def run(case, output, smaa_samples, with_audit, method, normalization, settings):
    """The main job: weight, rank, allocate and write the committee's report workbook.

    Weights the criteria, ranks the regions, splits the budget when the case
    has budget rules, sweeps every criterion's weight, and writes one
    workbook: Summary, Ranking, Allocation, Sensitivity, What-if (live
    formulas), Weights, Working, Data and About, and with --audit an Audit
    sheet (see README.md). Prints where it wrote the report, the first regions
    and the warnings.

    Example: mcda run cases/uzbekistan-regions -o report.xlsx
    """
    import shlex

    from .files import check_folder
    check_folder(output, "report")  # before the case is read: a long run never ends in "cannot write"
    from .allocation.resample import MAX_SAMPLES
    from .pipeline import decide
    from .report import book as report
    from .vocabulary import describe, rank_value
    c = _load(case, settings, method, normalization)
    report.check_output(output, c)  # name, folder, not an input: refused before anything is computed
    asked = smaa_samples is not None
    smaa_samples = SMAA_DEFAULT if smaa_samples is None else smaa_samples
    d = decide(c, smaa_samples=smaa_samples, resolve_limit=None if asked else RESOLVE_LIMIT, audit=with_audit)
    r, alloc = d.ranking, d.allocation
    carried = d.smaa is not None and d.smaa.allocation is not None
    args = ["mcda", "run", case, "-o", output]
    args += [x for m, flag in ((asked and str(smaa_samples), "--smaa"), (method, "--method"),
                               (normalization, "--normalization")) if m for x in (flag, str(m))]
    args += ["--audit"] if with_audit else []
    args += [x for s in settings for x in ("--set", s)]
    out = report.write(output, d, command=shlex.join(args))
    sheets = report.sheet_names(alloc is not None, d.sensitivity is not None, d.smaa is not None, bool(d.judged),
                                 d.monitor is not None, d.audit is not None)
    click.echo(f"Wrote {out} ({', '.join(sheets)})")
    click.echo(f"{c.title}: {len(r.ids)} regions ranked by {describe(r.method)}")
    amounts = dict(zip(alloc.ids, alloc.amounts)) if alloc is not None else {}
    unit = f" {alloc.budget.unit}" if alloc is not None and alloc.budget.unit else ""
    for k in r.order[:5]:
        share = f"  {amounts[r.ids[k]]:,.2f}{unit}" if alloc is not None else ""
        click.echo(f"  {rank_value(r.ranks[k]):>3}  {r.names[k]}  {r.scores[k]:.4f}{share}")
    if len(r.ids) > 5:
        click.echo(f"  ... {len(r.ids) - 5} more in the report")
    if alloc is not None:
        click.echo(f"Budget: {alloc.used:,.2f} of {alloc.total:,.2f}{unit} allocated ({alloc.status}, {alloc.kind})")
    if smaa_samples and c.budget is not None and not carried:
        why = (f"for at most {MAX_SAMPLES:,} samples" if smaa_samples > MAX_SAMPLES else
               f"by default only while samples x regions <= {RESOLVE_LIMIT:,} (give --smaa N to ask for it)")
        click.echo(f"  note: the allocation is re-solved per SMAA sample {why}; here the SMAA sheet has rank "
                   "acceptability only")
    for w in dict.fromkeys([*r.warnings, *(alloc.warnings if alloc is not None else ())]):
        click.echo(f"  warning: {w}")
    import textwrap

    from .text.decision import headline
    from .text.split import split_logic
    click.echo("In brief (the report's Summary):")
    for line in headline(d, split_logic(alloc, d.case) if alloc is not None else None):
        click.echo(textwrap.fill(line, width=100, initial_indent="  - ", subsequent_indent="    "))
    if d.audit is not None:
        from .text.audit import summary
        click.echo("The audit (the report's Audit sheet; mcda audit for every number):")
        for line in summary(d.audit):
            click.echo(textwrap.fill(line, width=100, initial_indent="  - ", subsequent_indent="    ",
                                     break_on_hyphens=False))


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--sweep", "sweep_range", default=None, metavar="START:STOP:STEP",
              help="Solve for budgets START..STOP x the case's total in steps of STEP (e.g. 0.25:2:0.25): the "
                   "efficient frontier and when each region is funded and reaches its cap.")
@click.option("--solver", type=click.Choice(["auto", "cbc", "highs"]), default=None,
              help="LP/MILP solver instead of the case's budget.solver: auto (default: HiGHS for up to 2,000 regions, "
                   "300 with minimum grants; CBC beyond), cbc (bundled with PuLP) or highs (highspy).")
@method_option
@norm_option
@set_option
@format_option
@_friendly
def allocate(case, sweep_range, solver, method, normalization, settings, fmt):
    """Split the case's support budget between its regions (a linear programme).

    Prints per region: score, rank, amount, share, floor, cap and why it got
    what it got; then the total, the solver and its status, the marginal value
    of one more unit of budget, the shadow prices of binding rules and what
    simpler splits (proportional to score, equal shares) would achieve.

    Example: mcda allocate cases/uzbekistan-regions --set budget.total=1500 --format json
    """
    from . import pipeline
    from .inputs.fields import parse_sweep
    from .text import allocation as af
    c = pipeline.settled(_load(case, settings, method, normalization))
    r = pipeline.rank(c)
    if sweep_range:
        s = pipeline.sweep(c, parse_sweep(sweep_range), ranking=r, solver=solver)
        _emit(fmt, r.warnings, json=lambda: af.sweep_json(s), csv=lambda: af.sweep_csv(s),
              table=lambda: af.sweep_text(s, c.title))
        return
    a = pipeline.allocate(c, r, solver=solver)
    _emit(fmt, a.warnings, json=lambda: af.allocation_json(a, c), csv=lambda: af.allocation_csv(a, c),
          table=lambda: af.allocation_text(a, c))


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--scenarios", "scenario_file", default=None, type=click.Path(), metavar="FILE",
              help="Scenario file (TOML: named sets of --set overrides); default: scenarios.toml beside case.toml.")
@set_option
@format_option
@_friendly
def compare(case, scenario_file, settings, fmt):
    """Scenarios side by side: score and rank of every region in each, and rank changes against the base.

    The base is CASE (with any --set given here); each scenario applies its own
    --set overrides to that base. See README.md for the scenario file format.

    Example: mcda compare cases/uzbekistan-regions --scenarios cases/uzbekistan-regions/scenarios.toml
    """
    from pathlib import Path

    from . import pipeline
    from .errors import CaseError
    from .inputs.scenarios import default_scenarios, read_scenarios
    from .text import robustness as rf
    c = _load(case, settings)
    path = Path(scenario_file) if scenario_file else default_scenarios(c)
    if not scenario_file and not path.is_file():
        raise CaseError("no scenario file given and none beside the case", where=str(path),
                        fix="Give --scenarios FILE (README.md, 'Scenario files').")
    result = pipeline.compare_scenarios(c, read_scenarios(path), source=str(path))
    warnings = [w for o in result.outcomes for w in o.ranking.warnings]
    _emit(fmt, list(dict.fromkeys(warnings)), json=lambda: rf.scenarios_json(result),
          csv=lambda: rf.scenarios_csv(result), table=lambda: rf.scenarios_text(result))


@cli.command("compare-methods")
@click.argument("case", type=click.Path())
@set_option
@format_option
@_friendly
def compare_methods(case, settings, fmt):
    """TOPSIS, VIKOR, PROMETHEE II, COPRAS, WSM and WASPAS side by side, with rank correlations.

    The case's own method keeps its settings; the others use their defaults (as
    mcda rank --method NAME). Correlations: weighted Spearman r_w and the WS
    similarity coefficient (pymcdm).

    Example: mcda compare-methods cases/uzbekistan-regions --format json
    """
    from . import pipeline
    from .text import robustness as rf
    result = pipeline.compare_methods(_load(case, settings))
    _emit(fmt, result.warnings, json=lambda: rf.methods_json(result), csv=lambda: rf.methods_csv(result),
          table=lambda: rf.methods_text(result))


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--criterion", "criteria", multiple=True, metavar="ID",
              help="Sweep only this criterion (repeatable); default every criterion.")
@click.option("--steps", type=click.IntRange(1, 100_000), default=100, show_default=True,
              help="Intervals of the regular grid in the plot-ready output (changes are found exactly whatever this).")
@method_option
@norm_option
@set_option
@format_option
@_friendly
def sensitivity(case, criteria, steps, method, normalization, settings, fmt):
    """Sweep each criterion's weight from 0 to 1 (the others rescaled in proportion).

    Prints, per criterion, the interval of its weight within which the first
    region, and the whole order, stay as they are, and every weight at which the
    order changes (found to 1e-12). CSV and JSON hold the sweep, ready to plot.

    Example: mcda sensitivity cases/uzbekistan-regions --criterion research --format csv
    """
    from . import pipeline
    from .text import robustness as rf
    result = pipeline.sensitivity(_load(case, settings, method, normalization), criteria=criteria, steps=steps)
    _emit(fmt, result.warnings, json=lambda: rf.sensitivity_json(result), csv=lambda: rf.sensitivity_csv(result),
          table=lambda: rf.sensitivity_text(result))


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--samples", type=click.IntRange(1, 100_000_000), default=10_000, show_default=True,
              help="Weight samples (and data samples for the confidence factors).")
@click.option("--seed", type=click.IntRange(0, None), default=None, help="Random seed (default: the case's seed).")
@click.option("--weight-sampling", type=click.Choice(["uniform", "judgements", "base"]), default="uniform",
              show_default=True, help="uniform on the simplex; around the AHP judgements (the experts' spread); "
                                      "or the case's weights +-PCT (--spread).")
@click.option("--spread", type=Number(0, 100, min_open=True), default=None, metavar="PCT",
              help="With --weight-sampling base: each weight varies within +-PCT percent (0 < PCT <= 100; "
                   "default 20).")
@click.option("--judgement-spread", type=Number(1, None, min_open=True), default=None, metavar="F",
              help="With --weight-sampling judgements: every judgement's typical factor of variation (log-sd ln F, "
                   "F > 1), needed when the case has one expert.")
@click.option("--perturb", type=Number(0, 100, max_open=True), default=0.0, metavar="PCT",
              help="Also perturb every indicator value within +-PCT percent (uniform; 0 <= PCT < 100); default 0.")
@click.option("--allocate", is_flag=True,
              help="Also re-solve the budget allocation for every sample: each region's probability of being funded, "
                   "the 10th/50th/90th percentiles of its grant and its class (core, borderline, exterior). Needs "
                   "budget rules.")
@click.option("--quiet", is_flag=True, help="No progress bar (there is none when stderr is not a terminal).")
@method_option
@norm_option
@set_option
@format_option
@_friendly
def smaa(case, samples, seed, weight_sampling, spread, judgement_spread, perturb, allocate, quiet, method,
         normalization, settings, fmt):
    """SMAA-2: rank acceptability, central weights and confidence factors under uncertain weights.

    Samples criteria weights (and, with --perturb, indicator values), ranks the
    regions for each sample and reports how often each region takes each rank.
    A fixed seed gives identical output. With --allocate, the budget allocation
    is re-solved for every sample (uncertainty carried into the budget).

    Example: mcda smaa cases/uzbekistan-regions --samples 20000 --seed 7
    """
    import contextlib

    from . import pipeline
    from .text import robustness as rf
    c = _load(case, settings, method, normalization)
    if allocate:
        pipeline.check_smaa_allocation(c, samples)  # before the progress bar appears
    # perturbed values: a second pass for the confidence factors; --allocate: one solve per sample
    total = samples * (2 if perturb else 1) + (samples if allocate else 0)
    show = not quiet and sys.stderr.isatty()
    with (click.progressbar(length=total, label="SMAA" + (" and budget" if allocate else ""), file=sys.stderr)
          if show else contextlib.nullcontext()) as bar:
        result = pipeline.smaa(c, samples=samples, seed=seed, weight_sampling=weight_sampling,
                         spread=None if spread is None else spread / 100, judgement_spread=judgement_spread,
                         perturb=perturb / 100, progress=bar.update if bar is not None else None, allocate=allocate)
    _emit(fmt, rf.smaa_warnings(result), json=lambda: rf.smaa_json(result), csv=lambda: rf.smaa_csv(result),
          table=lambda: rf.smaa_text(result))


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--per-year", is_flag=True,
              help="Also show each year ranked on its own by the case's method (as mcda rank on that year's data "
                   "alone): relative ranks, not comparable across years. CSV and JSON always hold them.")
@set_option
@format_option
@_friendly
def monitor(case, per_year, settings, fmt):
    """Each region's score and rank year by year, on a scale that means the same in every year.

    CASE has data over several years (a year column, or one column per year;
    README: Cases over several years). Every indicator is scaled against fixed
    goalposts (its worst and best over the whole period, or targets set in the
    case), so scores of different years can be compared. Prints the goalposts,
    each region's scores and ranks by year (best first by the last year), the
    change over the period, the biggest movers, and with past support in the
    case the supported regions' change beside the others'.

    Example: mcda monitor cases/uzbekistan-monitoring --format csv > trajectories.csv
    """
    from . import pipeline
    from .errors import CaseError
    from .text import monitor as text
    c = _load(case, settings)
    if c.panel is None:
        raise CaseError("the case has data for one year only; mcda monitor needs several years", where=c.path,
                        fix='Give the data a year column ([data] year_column = "year", one row per region and year), '
                            "or one column per year ([panel] years = [2017, 2018, ...] and {year} in the indicator "
                            "columns' names); see README.md, Cases over several years")
    m = pipeline.monitor(c)
    _emit(fmt, m.warnings, json=lambda: text.monitor_json(m, c.overrides, c.panel), csv=lambda: text.monitor_csv(m),
          table=lambda: text.monitor_text(m, per_year, c.overrides, c.panel))


@cli.command()
@click.argument("case", type=click.Path())
@click.option("--samples", type=click.IntRange(0, 10_000_000), default=None, metavar="N",
              help="Joint Monte-Carlo draws (default: the case's [audit] samples, 10,000); 0 skips the Monte-Carlo "
                   "(no rank intervals or Sobol indices).")
@click.option("--seed", type=click.IntRange(0, None), default=None, help="Random seed (default: the case's seed).")
@click.option("--quiet", is_flag=True, help="No progress bar (there is none when stderr is not a terminal).")
@set_option
@format_option
@_friendly
def audit(case, samples, seed, quiet, settings, fmt):
    """Audit the composite: skewed indicators, coherence, objective weights, every choice varied together.

    The checks of the OECD/JRC Handbook on Constructing Composite Indicators:
    each indicator's skewness and kurtosis (flagged by the JRC's rule) and its
    outliers; its correlation with its criterion and Cronbach's alpha per
    criterion; the ranking under objective weights (equal, entropy, CRITIC,
    standard deviation); and a Monte-Carlo over the weights, method,
    normalisation, missing-value policy and treatment together: each region's
    median rank and 5-95% interval, and the Sobol indices saying which choice
    drives the spread. The case's [audit] table sets the choices; a fixed seed
    gives identical output.

    Example: mcda audit cases/uzbekistan-regions --samples 20000 --seed 7
    """
    import contextlib

    from . import pipeline
    from .text import audit as text
    if samples == 1:
        raise click.BadParameter("the Monte-Carlo needs at least 2 draws (or 0 to skip it)", param_hint="'--samples'")
    c = _load(case, settings)
    n = c.audit.samples if samples is None else samples
    show = n > 0 and not quiet and sys.stderr.isatty()
    with (click.progressbar(length=n, label="Audit", file=sys.stderr) if show else contextlib.nullcontext()) as bar:
        a = pipeline.audit(c, samples=n, seed=seed, progress=bar.update if bar is not None else None)
    _emit(fmt, text.audit_warnings(a), json=lambda: text.audit_json(a, c.overrides), csv=lambda: text.audit_csv(a),
          table=lambda: text.audit_text(a, c.overrides))


def _default_catalogue(given: str | None) -> str:
    """--catalogue, else criteria/cluster-infrastructure.toml here, beside the package, or installed
    with it (share/cluster-mcda under the environment's prefix)."""
    from pathlib import Path

    from .errors import CaseError
    if given:
        return given
    name = Path("criteria") / "cluster-infrastructure.toml"
    for folder in (Path.cwd(), Path(__file__).resolve().parent.parent, Path(sys.prefix) / "share" / "cluster-mcda"):
        if (folder / name).is_file():
            return str(folder / name)
    raise CaseError("no criteria catalogue found (criteria/cluster-infrastructure.toml)", where="--catalogue",
                    fix="Give --catalogue FILE.toml, or run from the project folder.")


@cli.command()
@click.argument("case", type=click.Path(), required=False)
@click.option("-o", "--output", default=None, type=click.Path(), metavar="FILE.xlsx",
              help="The workbook to write (.xlsx), through a temporary file renamed into place. With --expert "
                   "it defaults to NAME.xlsx (characters a file name cannot hold replaced by _).")
@click.option("--force", is_flag=True,
              help="Replace FILE.xlsx if it exists (never one of the case's own input files).")
@click.option("--catalogue", default=None, type=click.Path(), metavar="FILE.toml",
              help="Without CASE: the criteria catalogue of the blank workbook "
                   "(default: criteria/cluster-infrastructure.toml).")
@click.option("--expert", "expert", default=None, metavar="NAME",
              help="Write only this expert's judgements (criteria, and the regions under each judged "
                   "indicator) with the case's context: each expert of a committee fills in their own "
                   "workbook, and the case lists them under expert_files. Prefilled when the case has an "
                   "expert of that name.")
@set_option
@_friendly
def template(case, output, force, catalogue, expert, settings):
    """Write CASE as an input workbook for planners, or a blank one from the criteria catalogue.

    The workbook (sheets Instructions, Criteria, Judgements, Data, Budget, Method,
    and one per judged indicator) is edited in Excel or LibreOffice and given back
    to any verb in place of CASE. Without CASE: every indicator of the catalogue,
    no regions yet, equal judgements. With --expert NAME: that expert's own
    workbook. An existing FILE is kept unless --force is given.

    Example: mcda template cases/uzbekistan-regions -o inputs.xlsx
    """
    from . import pipeline
    from .files import check_folder
    from .inputs.workbook.layout import DATA_FIRST_ROW
    from .inputs.workbook.write import blank_case, write_template
    from .model import AuditSpec
    if expert is not None:
        return _expert_template(case, output, force, catalogue, expert, settings)
    if output is None:
        raise click.UsageError("Missing option '-o' / '--output'.")
    check_folder(output, "template")  # the rest (name, an existing file, an input) once the case is read
    if case is None:
        if settings:
            raise click.UsageError("--set changes a case: give CASE, or leave --set out for a blank workbook")
        from .inputs.catalogue import load_catalogue
        cat = load_catalogue(_default_catalogue(catalogue))
        c = blank_case(cat)
        out = write_template(c, output, force=force, source=f"the criteria catalogue {cat.path}")
        click.echo(f"Wrote {out}: a blank workbook on the catalogue '{cat.id}' ({len(c.weighting.criteria)} "
                   f"criteria, {len(c.indicators)} indicators, no regions yet).")
        click.echo(f"Fill in the Data sheet (one row per region from row {DATA_FIRST_ROW}), clear the data "
                   f"column of indicators you have no data for (Criteria sheet), then: mcda validate {out}")
        return
    if catalogue:
        raise click.UsageError("--catalogue is for a blank workbook (without CASE); a case names its own catalogue")
    c = pipeline.for_workbook(_load(case, settings))  # what-if weights written as the direct weights they give
    source = " ".join([case, *(f"--set {s}" for s in settings)])
    out = write_template(c, output, force=force, source=source, completed=_completed(c))
    experts = len(c.weighting.experts)
    weights = f"{experts} expert{'s' if experts != 1 else ''}" if c.weighting.method == "ahp" else "direct weights"
    judged = f", {len(c.judged)} judged indicator{'s' if len(c.judged) != 1 else ''}" if c.judged else ""
    click.echo(f"Wrote {out}: {len(c.data.ids)} regions, {len(c.indicators)} indicators in "
               f"{len(c.weighting.criteria)} criteria{judged}, {weights}{', budget rules' if c.budget else ''}.")
    if c.audit != AuditSpec(treatment=c.audit.treatment):
        click.echo("Note: the workbook carries the outlier treatment (Method sheet) but not the case's other [audit] "
                   "settings; mcda audit on it uses the defaults unless given --samples, --seed or --set audit.<key>.")
    click.echo(f"Edit the yellow cells, then: mcda validate {out}   (or rank, run ... {out})")


def _expert_template(case, output, force, catalogue, name, settings) -> None:
    """``mcda template CASE --expert NAME``: that expert's own workbook (mcda.inputs.workbook.expert)."""
    from . import pipeline
    from .files import check_folder
    from .inputs.workbook.expert import expert_file_name, write_expert_workbook
    if case is None:
        raise click.UsageError("--expert needs CASE: an expert's workbook is made for a case's criteria and regions")
    if catalogue:
        raise click.UsageError("--catalogue is for a blank workbook (without CASE); a case names its own catalogue")
    output = output or expert_file_name(name.strip())
    check_folder(output, "template")
    c = pipeline.for_workbook(_load(case, settings, experts_due=False))
    source = " ".join([case, *(f"--set {s}" for s in settings)])
    out = write_expert_workbook(c, name, output, force=force, source=source, completed=_completed(c))
    known = any(e.name == name.strip() for e in c.weighting.experts)
    click.echo(f"Wrote {out}: the judgements of {name.strip()} ({len(c.weighting.criteria)} criteria"
               + (f", {len(c.judged)} judged indicator{'s' if len(c.judged) != 1 else ''}" if c.judged else "")
               + (", prefilled from the case" if known else ", blank") + ").")
    click.echo(f"Send it to {name.strip()}; list the returned workbooks in the case under [weighting] "
               "expert_files, e.g. expert_files = [\"experts/*.xlsx\"].")


def _completed(case) -> dict:
    """(indicator id or "" for the criteria, expert name) -> each expert matrix with blanks as completed
    (Harker 1987), for the workbooks' greyed blocks; empty where the weighting cannot complete it yet
    (a disconnected matrix, say): the workbook is written without the block."""
    from .errors import McdaError
    from .pipeline import settled_with_results, weights
    out: dict = {}
    try:
        settled, judged, _ = settled_with_results(case)  # the regions judged once, for both blocks
    except (McdaError, ValueError, ArithmeticError):
        return out
    try:
        for r in weights(settled).experts:
            if r.blank is not None and r.blank.any():
                out[("", r.label)] = r.matrix
    except (McdaError, ValueError, ArithmeticError):
        pass
    for j in judged:  # each expert's result is labelled "<indicator>: <expert>" (one expert: j.ahp)
        for r in (*j.experts, *((j.ahp,) if j.ahp is not None else ())):
            name = r.label.removeprefix(f"{j.indicator}: ")
            if r.blank is not None and r.blank.any() and name != r.label:
                out[(j.indicator, name)] = r.matrix
    return out


def main() -> None:
    """Entry point (``mcda`` and ``python -m mcda``): no traceback for the user unless MCDA_DEBUG is set.

    SIGINT, SIGTERM and SIGHUP unwind through the cleanups (mcda.files: an output is written whole
    or not at all, never a temporary file left) and end in one line and status 128 + the signal's
    number (130, 143, 129), not click's "Aborted!" and 1.
    """
    from .files import Interrupted, check_stopped, hush, let_go, stop_cleanly
    stop_cleanly()
    try:
        try:
            cli(prog_name="mcda")  # always ends in SystemExit (click's standalone mode)
        except BaseException:
            check_stopped()  # a stop signal whose Interrupted was swallowed on the way (a library's bare except)
            hush()
            raise
    except Interrupted as e:
        _interrupted(e)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as e:  # noqa: BLE001 - the last guard before a traceback
        if os.environ.get("MCDA_DEBUG"):
            raise
        click.echo(f"Error: internal error ({type(e).__name__}: {e}). This is a bug in cluster-mcda: "
                   "rerun with MCDA_DEBUG=1 to see the traceback, and report it.", err=True)
        sys.exit(3)
    finally:
        let_go()


def _interrupted(e) -> None:
    """Say in one line what was written before the interruption, and exit 128 + the signal's number."""
    from .files import hush, written
    hush()
    name, status = e.name, e.status
    done = written()
    said = ("nothing was written" if not done else
            "; ".join(f"the {what} {path} was written before the interruption" for what, path in done))
    try:
        click.echo(f"Interrupted ({name}): {said}.", err=True)
    except (OSError, ValueError):  # no terminal left (SIGHUP)
        pass
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()

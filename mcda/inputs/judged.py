"""Indicators judged by the experts instead of measured: a case's ``[judged.*]``, ``[scales.*]``,
``[indicator_judgements.*]`` and each expert's ``judged`` tables -> model objects, checked once.

Classical AHP lets a committee judge the alternatives themselves under a criterion (Saaty 1980,
The Analytic Hierarchy Process, ch. 1): pairwise (relative measurement: the regions compared
with each other, any pair may be left blank) or on a rating scale (absolute measurement: each
region given an intensity such as "good", whose value comes from the intensities' own pairwise
matrix; Saaty 1986, Absolute and relative measurement with the AHP, Math. Modelling 9(3-5)).
Errors name the file and the field, the region or the label.

>>> from mcda.model import Scale
>>> scales = parse_scales({"q": {"labels": ["good", "poor"], "values": [1, 0.25]}}, "case.toml")
>>> scales["q"].values
(1.0, 0.25)
>>> judged = parse_expert_judged({"x": {"pairs": [["a", "b", "3"]]}}, "e", (JudgedIndicator("x", "pairwise", ()),),
...                              ("a", "b", "c"))
>>> judged[0][1].matrix[0][:2], judged[0][1].matrix[1][2]
((1.0, 3.0), nan)
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import CaseError, JudgementError
from ..model import Catalogue, Direction, Expert, JudgedIndicator, RegionJudgements, Scale
from ..vocabulary import JUDGED_MODES, parse_judgement
from .catalogue import indicator_in
from .fields import check_keys, check_number, suggest, text
from .judgements import complete_matrix

JUDGED_KEYS = ("mode", "scale", "ideal", "note")
SCALE_KEYS = ("labels", "judgements", "values", "note")
SUBCRITERIA_KEYS = ("indicators", "judgements", "note")


def _table(raw: Any, where: str, example: str) -> dict:
    if not isinstance(raw, dict):
        raise CaseError(f"expected tables of the form [{example}]", where=where,
                        fix=f"Write each as its own [{example}] table.")
    return raw


def parse_scales(raw: Any, where: str) -> dict[str, Scale]:
    """``[scales.NAME]``: an intensity scale, best intensity first, with its pairwise matrix or values."""
    out = {}
    for name, spec in _table(raw, f"{where}: scales", "scales.NAME").items():
        w = f"{where}: scales.{name}"
        check_keys(spec, w, ("labels",), SCALE_KEYS[1:])
        labels = spec["labels"]
        if (not isinstance(labels, list) or len(labels) < 2 or not all(isinstance(x, str) and x.strip()
                                                                       for x in labels)):
            raise CaseError("'labels' must list at least two intensities, best first", where=f"{w}.labels",
                            fix='Write e.g. labels = ["excellent", "good", "fair", "poor"].')
        labels = [x.strip() for x in labels]
        if len(set(labels)) != len(labels):
            raise CaseError("an intensity is listed twice", where=f"{w}.labels", fix="List each label once.")
        if ("judgements" in spec) == ("values" in spec):
            raise CaseError("a scale needs either 'judgements' (the intensities compared pairwise) or 'values'",
                            where=w, fix="Give one of them, not both.")
        note = text(spec, "note", w, "")
        if "values" in spec:
            values = spec["values"]
            if not isinstance(values, list) or len(values) != len(labels):
                raise CaseError(f"'values' must give one number per label ({len(labels)})", where=f"{w}.values",
                                fix="Write e.g. values = [1.0, 0.5, 0.25, 0.125], best first.")
            values = tuple(check_number(v, f"{w}.values", 0.0, low_open=True, name=lab)
                           for v, lab in zip(values, labels))
            out[name] = Scale(name=name, labels=tuple(labels), values=values, note=note)
            continue
        cells = spec["judgements"]
        _square(cells, len(labels), f"{w}.judgements", "label")
        m = complete_matrix(cells, labels, where=lambda i, j, w=w, n=labels: (f"{w}.judgements row {i + 1} ({n[i]}), "
                                                                               f"column {j + 1} ({n[j]})"),
                            where_matrix=f"{w}.judgements", allow_blank=True)
        out[name] = Scale(name=name, labels=tuple(labels), matrix=_rows(m), note=note)
    return out


def _square(cells: Any, n: int, where: str, what: str) -> None:
    """A list of n rows of n cells (the shape complete_matrix reads), or an error saying so."""
    if not isinstance(cells, list) or not all(isinstance(r, list) for r in cells):
        raise CaseError(f"'judgements' must be a list of rows (one per {what})", where=where,
                        fix=f"Write one row per {what}, in the same order as the {what}s.")
    if len(cells) != n or any(len(r) != n for r in cells):
        widths = sorted({len(r) for r in cells})
        raise JudgementError(f"the matrix is not square: {len(cells)} rows of {', '.join(map(str, widths))} "
                             f"cells for {n} {what}s", where=where,
                             fix=f"Give {n} rows of {n} cells, one per {what} in order (\"\" for a blank).")


def _rows(m: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(x) for x in row) for row in m)


def parse_judged(raw: Any, where: str, catalogue: Catalogue, mapped: Sequence[str],
                 scales: dict[str, Scale]) -> list[JudgedIndicator]:
    """``[judged.ID]``: catalogue indicators the experts judge (their ``regions`` are filled in once the
    data is read: :func:`with_regions`)."""
    out = []
    for iid, spec in _table(raw, f"{where}: judged", "judged.INDICATOR").items():
        w = f"{where}: judged.{iid}"
        _, ind = indicator_in(catalogue, iid, w, f"'{iid}' is not an indicator of the catalogue",
                              f"Judge an indicator defined in {catalogue.path or 'the catalogue'} (add one there "
                              "first).")
        if iid in mapped:
            raise CaseError(f"'{iid}' is both judged and mapped to a data column under [indicators]", where=w,
                            fix="An indicator is either measured or judged: remove it from [indicators] or "
                                "drop this [judged] table.")
        if ind.direction is not Direction.MAX:
            raise CaseError(f"'{iid}' has direction min in the catalogue, but judged priorities are a benefit "
                            "(a higher priority is better)", where=w,
                            fix="Judge an indicator whose direction is max (e.g. 'absence of barriers'), "
                                "and ask the experts which region is better under it.")
        check_keys(spec, w, (), JUDGED_KEYS)
        mode = spec.get("mode", "pairwise")
        if mode not in JUDGED_MODES:
            raise CaseError(f"unknown mode {mode!r}", where=f"{w}.mode", fix=f"Use one of: {', '.join(JUDGED_MODES)}.")
        scale = None
        if mode == "rating":
            name = text(spec, "scale", w, "")
            if name not in scales:
                raise CaseError(f"rating mode needs a scale defined under [scales]; {name!r} is not one",
                                where=f"{w}.scale", fix=f"Scales: {', '.join(scales) or '(none: add [scales.NAME])'}."
                                                        f"{suggest(name, scales)}")
            scale = scales[name]
        elif "scale" in spec:
            raise CaseError("a scale is used only in rating mode", where=f"{w}.scale",
                            fix='Write mode = "rating", or remove the scale key.')
        ideal = spec.get("ideal", False)
        if not isinstance(ideal, bool):
            raise CaseError(f"'ideal' must be true or false, found {ideal!r}", where=f"{w}.ideal",
                            fix="Write ideal = true (priorities divided by the largest) or leave it out.")
        out.append(JudgedIndicator(id=iid, mode=mode, regions=(), scale=scale, ideal=ideal,
                                   note=text(spec, "note", w, "")))
    return out


def with_regions(judged: Sequence[JudgedIndicator], regions: tuple[str, ...]) -> tuple[JudgedIndicator, ...]:
    """The judged indicators over the case's regions (in the data's order)."""
    return tuple(dataclasses.replace(j, regions=regions) for j in judged)


def parse_indicator_judgements(raw: Any, where: str, catalogue: Catalogue, indicators: Sequence[str],
                               weighted: Sequence[str]) -> tuple:
    """``[indicator_judgements.CRITERION]``: the criterion's indicators in this case compared pairwise
    (sub-criteria), each -> (criterion, indicators, matrix); NaN where a judgement is blank."""
    out = []
    for cid, spec in _table(raw, f"{where}: indicator_judgements", "indicator_judgements.CRITERION").items():
        w = f"{where}: indicator_judgements.{cid}"
        check_keys(spec, w, ("indicators", "judgements"), ("note",))
        mine = [i for i in indicators if catalogue.indicator(i)[0].id == cid]
        if not mine:
            raise CaseError(f"'{cid}' is not a criterion with indicators in this case", where=w,
                            fix="Name a criterion whose indicators the case maps or judges.")
        names = spec["indicators"]
        if not isinstance(names, list) or sorted(map(str, names)) != sorted(mine):
            raise CaseError(f"'indicators' must list exactly the criterion's indicators in this case "
                            f"({', '.join(mine)})", where=f"{w}.indicators",
                            fix="List each once, in the order of the judgements' rows.")
        both = [i for i in names if i in weighted]
        if both:
            raise CaseError(f"'{both[0]}' is weighted both here and under [indicator_weights]", where=w,
                            fix="Give the criterion's indicator weights one way: judgements or weights.")
        cells = spec["judgements"]
        _square(cells, len(names), f"{w}.judgements", "indicator")
        m = complete_matrix(cells, names, where=lambda i, j, w=w, n=names: (f"{w}.judgements row {i + 1} ({n[i]}), "
                                                                             f"column {j + 1} ({n[j]})"),
                            where_matrix=f"{w}.judgements", allow_blank=True)
        out.append((cid, tuple(names), _rows(m)))
    return tuple(out)


def parse_expert_judged(raw: Any, where: str, judged: Sequence[JudgedIndicator],
                        regions: tuple[str, ...]) -> tuple[tuple[str, RegionJudgements], ...]:
    """One expert's ``judged.ID`` tables: pairwise (``pairs`` or ``matrix``) or ``ratings``."""
    by_id = {j.id: j for j in judged}
    out = []
    for iid, spec in _table(raw, f"{where}.judged", "weighting.experts.judged.INDICATOR").items():
        w = f"{where}.judged.{iid}"
        if iid not in by_id:
            raise CaseError(f"'{iid}' is not a judged indicator of this case", where=w,
                            fix=f"Judged indicators ([judged.ID]): {', '.join(by_id) or '(none)'}."
                                f"{suggest(iid, by_id)}")
        j = by_id[iid]
        if j.mode == "rating":
            check_keys(spec, w, ("ratings",))
            out.append((iid, RegionJudgements(ratings=_ratings(spec["ratings"], f"{w}.ratings", j.scale, regions))))
            continue
        check_keys(spec, w, (), ("pairs", "matrix"))
        if ("pairs" in spec) == ("matrix" in spec):
            raise CaseError("pairwise judgements need either 'pairs' or 'matrix'", where=w,
                            fix='Write pairs = [["region_a", "region_b", "3"], ...] or a matrix over the regions.')
        if "pairs" in spec:
            m = _pairs(spec["pairs"], f"{w}.pairs", regions)
        else:
            _square(spec["matrix"], len(regions), f"{w}.matrix", "region")
            m = complete_matrix(spec["matrix"], regions, where=lambda i, j, w=w: (
                f"{w}.matrix row {i + 1} ({regions[i]}), column {j + 1} ({regions[j]})"),
                where_matrix=f"{w}.matrix", allow_blank=True)
        if np.isnan(m[~np.eye(len(regions), dtype=bool)]).all():
            raise JudgementError("no pair of regions is judged", where=w,
                                 fix="Compare at least the pairs that connect every region, or drop this table.")
        out.append((iid, RegionJudgements(matrix=_rows(m))))
    return tuple(out)


def _region(name: Any, regions: tuple[str, ...], where: str) -> int:
    if not isinstance(name, str) or name.strip() not in regions:
        raise CaseError(f"unknown region {name!r}", where=where,
                        fix=f"Use a region id of the data.{suggest(str(name), regions)}")
    return regions.index(name.strip())


def _pairs(raw: Any, where: str, regions: tuple[str, ...]) -> np.ndarray:
    """``[[row, column, judgement], ...]`` -> a reciprocal matrix, NaN where no pair is given."""
    if not isinstance(raw, list):
        raise CaseError("'pairs' must be a list of [row region, column region, judgement]", where=where,
                        fix='Write pairs = [["tashkent_city", "samarkand", "3"], ...].')
    n = len(regions)
    m = np.full((n, n), np.nan)
    np.fill_diagonal(m, 1.0)
    for k, item in enumerate(raw):
        w = f"{where}[{k}]"
        if not isinstance(item, list) or len(item) != 3:
            raise CaseError("each pair is [row region, column region, judgement]", where=w,
                            fix='Write e.g. ["tashkent_city", "samarkand", "3"]: the row region is 3 times as good.')
        i, j = _region(item[0], regions, w), _region(item[1], regions, w)
        if i == j:
            raise CaseError(f"region '{regions[i]}' is compared with itself", where=w,
                            fix="Compare two different regions.")
        if not math.isnan(m[i, j]):
            raise CaseError(f"the pair {regions[i]} / {regions[j]} is judged twice", where=w,
                            fix="Judge each pair once.")
        try:
            value = parse_judgement(item[2])
        except ValueError as e:
            raise JudgementError(str(e), where=w, fix="Use 1..9 or 1/2..1/9.") from None
        if value is None:
            continue  # a blank pair, written out
        m[i, j], m[j, i] = value, 1 / value
    return m


def _ratings(raw: Any, where: str, scale: Scale | None, regions: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``{ region = "label" }`` -> (region, label) pairs in the data's order; "" leaves a region unrated."""
    assert scale is not None  # rating mode always has one (parse_judged)
    if not isinstance(raw, dict):
        raise CaseError("'ratings' must map region ids to intensity labels", where=where,
                        fix=f'Write ratings = {{ {regions[0]} = "{scale.labels[0]}", ... }}.')
    given = {}
    for region, label in raw.items():
        _region(region, regions, f"{where}.{region}")
        if isinstance(label, str) and not label.strip():
            continue
        if not isinstance(label, str) or label.strip() not in scale.labels:
            raise CaseError(f"{label!r} is not on the scale '{scale.name}'", where=f"{where}.{region}",
                            fix=f"Use one of: {', '.join(scale.labels)}.{suggest(str(label), scale.labels)}")
        given[region] = label.strip()
    if not given:
        raise CaseError("no region is rated", where=where, fix="Rate the regions you can judge, or drop this table.")
    return tuple((r, given[r]) for r in regions if r in given)


def check_everyone_judged(judged: Sequence[JudgedIndicator], experts: Sequence[Expert], where: str) -> None:
    """Every judged indicator has at least one expert's judgements, and every region a rating."""
    for j in judged:
        given = [e.judgements_of(j.id) for e in experts if e.judgements_of(j.id) is not None]
        if not given:
            raise CaseError(f"no expert judged '{j.id}'", where=f"{where}: judged.{j.id}",
                            fix=f"Add [weighting.experts.judged.{j.id}] to at least one expert, or drop "
                                f"[judged.{j.id}].")
        if j.mode == "rating":
            rated = {r for g in given for r, _ in g.ratings}
            lacking = [r for r in j.regions if r not in rated]
            if lacking:
                raise CaseError(f"no expert rated {len(lacking)} region(s) under '{j.id}': {', '.join(lacking[:5])}"
                                + (", ..." if len(lacking) > 5 else ""), where=f"{where}: judged.{j.id}",
                                fix="Have at least one expert rate every region.")


"""PROMETHEE II's working beyond PAIRS_MOST regions leaves out pymcdm's n x n tables and shows the flows,
computed by sorting: they equal pymcdm's verbose steps (on a case small enough to hold its tables) and the
net flow is the ranking's score."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import MethodSpec
from mcda.ranking import working as working_module

RU = Path(__file__).resolve().parents[2] / "cases" / "russia-regions-research"


def test_flows_without_tables_equal_pymcdms_steps(monkeypatch):
    case = dataclasses.replace(load(RU), method=MethodSpec("promethee2"))
    r = pipeline.rank(case)
    full = {s.label: s for s in working_module.steps(case, r)}
    assert "pi" in full  # pymcdm's aggregated preference table (85 x 85)
    monkeypatch.setattr(working_module, "PAIRS_MOST", 10)
    short = working_module.steps(case, r)
    assert [s.label for s in short] == ["pos_flow", "neg_flow", "net_flow"]
    assert all(s.kind == "regions" for s in short)
    for s in short:
        np.testing.assert_allclose(s.values, full[s.label].values, rtol=0, atol=1e-12)
    np.testing.assert_allclose(short[-1].values, r.scores, rtol=0, atol=1e-12)

"""mcda/inputs/audit.py: the [audit] table of a case, every key checked at its field (issue 14)."""
from __future__ import annotations

from pathlib import Path

import pytest

from mcda.errors import CaseError
from mcda.inputs.audit import parse_audit
from mcda.inputs.load import load
from mcda.model import AuditSpec

ROOT = Path(__file__).resolve().parents[2]
AT = "case.toml: audit"


def test_a_case_without_audit_gets_the_defaults():
    assert load(ROOT / "cases" / "uzbekistan-regions").audit == AuditSpec()
    assert parse_audit({}, AT) == AuditSpec()


def test_every_key_read():
    spec = parse_audit({"treatment": "winsorise", "samples": 2000, "weights": "simplex", "spread": 0.5,
                        "methods": ["TOPSIS", "promethee_ii", "copras"], "normalizations": ["minmax"],
                        "imputations": ["median", "worst"], "vary_treatment": False}, AT)
    assert spec == AuditSpec(treatment="winsorise", samples=2000, weights="simplex", spread=0.5,
                             methods=("topsis", "promethee2", "copras"), normalizations=("minmax",),
                             imputations=("median", "worst"), vary_treatment=False)
    assert parse_audit({"samples": 1e4, "spread": 1}, AT).samples == 10_000  # a whole float reads as an int


BAD = [
    ({"treatment": "winsorize"}, "audit.treatment", "Did you mean 'winsorise'"),
    ({"treatment": 1}, "audit.treatment", "unknown treatment"),
    ({"samples": 99}, "audit.samples", "from 100 to 1,000,000"),
    ({"samples": 1_000_001}, "audit.samples", "from 100 to 1,000,000"),
    ({"samples": 500.5}, "audit.samples", "whole number"),
    ({"samples": True}, "audit.samples", "whole number"),
    ({"weights": "dirichlet"}, "audit.weights", "around, simplex"),
    ({"spread": 0}, "audit.spread", "(0, 1]"),
    ({"spread": 1.5}, "audit.spread", "(0, 1]"),
    ({"spread": "wide"}, "audit.spread", "must be a number"),
    ({"methods": "topsis"}, "audit.methods", "list of names"),
    ({"methods": []}, "audit.methods", "is empty"),
    ({"methods": ["topsys"]}, "audit.methods", "Did you mean 'topsis'"),
    ({"methods": ["wsm", "wsm"]}, "audit.methods", "listed twice"),
    ({"normalizations": ["zscore"]}, "audit.normalizations", "unknown normalization"),
    ({"methods": ["promethee2", "copras"], "normalizations": ["vector"]}, "audit.normalizations",
     "valid for none of the methods"),
    ({"methods": ["ahp"], "normalizations": ["minmax"]}, "audit.normalizations", "valid for none"),
    ({"imputations": ["mean"]}, "audit.imputations", "unknown imputation"),
    ({"vary_treatment": "yes"}, "audit.vary_treatment", "true or false"),
    ({"seed": 1}, "audit.seed", "unknown key 'seed'"),
]


@pytest.mark.parametrize("raw, where, what", BAD)
def test_errors_name_their_field(raw, where, what):
    with pytest.raises(CaseError) as e:
        parse_audit(raw, AT)
    assert e.value.where == f"case.toml: {where}" and what in str(e.value), str(e.value)
    assert e.value.fix


def test_a_normalisation_valid_for_one_listed_method_is_enough():
    spec = parse_audit({"methods": ["vikor", "topsis"], "normalizations": ["none", "linear"]}, AT)
    assert spec.normalizations == ("none", "linear")  # "none" is VIKOR's, "linear" TOPSIS's


def test_the_case_file_reads_its_audit_table(case_copy):
    c = case_copy("uzbekistan-regions")
    text = c.toml.read_text(encoding="utf-8")
    c.toml.write_text(text + '\n[audit]\ntreatment = "log"\nsamples = 500\n', encoding="utf-8")
    assert load(c.folder).audit == AuditSpec(treatment="log", samples=500)
    c.toml.write_text(text + '\n[audit]\nspread = -1\n', encoding="utf-8")
    with pytest.raises(CaseError) as e:
        load(c.folder)
    assert e.value.where.endswith("case.toml: audit.spread"), e.value.where

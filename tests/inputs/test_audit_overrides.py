"""--set audit.<key>=value: a committee tries an outlier treatment or more draws without editing case.toml; each
value is checked as the case file's [audit] would be, the error naming the --set path."""
from __future__ import annotations

from pathlib import Path

import pytest

from mcda.errors import CaseError
from mcda.inputs.load import load
from mcda.inputs.overrides import apply

UZ = Path(__file__).resolve().parents[2] / "cases" / "uzbekistan-regions"


def test_audit_settings_change_the_spec_and_are_recorded():
    case = load(UZ)
    changed = apply(case, ["audit.treatment=winsorise", "audit.samples=2000", "audit.methods=topsis, wsm",
                           "audit.vary_treatment=false", "audit.spread=0.3"])
    a = changed.audit
    assert (a.treatment, a.samples, a.methods, a.vary_treatment, a.spread) == (
        "winsorise", 2000, ("topsis", "wsm"), False, 0.3)
    assert a.normalizations == case.audit.normalizations  # the rest as it was
    assert [(o.path, o.old, o.new) for o in changed.overrides][:2] == [
        ("audit.treatment", "none", "winsorise"), ("audit.samples", str(case.audit.samples), "2000")]


@pytest.mark.parametrize("setting, words", [
    ("audit.samples=5", "--set audit.samples"), ("audit.treatment=boxcox", "--set audit.treatment"),
    ("audit.vary_treatment=maybe", "true or false"), ("audit.colour=red", "not an [audit] setting"),
    ("audit.methods=topsis, nonsense", "--set audit.methods")])
def test_a_bad_audit_setting_is_refused_at_its_path(setting, words):
    with pytest.raises(CaseError) as e:
        apply(load(UZ), [setting])
    assert words in str(e.value)

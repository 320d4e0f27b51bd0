"""The ``[audit]`` table of a case -> a checked model.AuditSpec (mcda audit; issue 14).

Every key is optional (model.AuditSpec's defaults) and every key is checked at its field: the outlier
``treatment`` (vocabulary.TREATMENTS), the joint Monte-Carlo's ``samples`` (a whole number from 100 to
1,000,000), how it draws criteria ``weights`` (vocabulary.AUDIT_WEIGHTS) and their ``spread`` (a relative
half-width in (0, 1]), the scoring ``methods`` it draws from (vocabulary.METHODS), the ``normalizations``
(each valid for at least one listed method, since a draw only picks among those its method accepts),
the missing-value policies ``imputations`` (vocabulary.MISSING_POLICIES) and ``vary_treatment``.

>>> parse_audit({"treatment": "winsorise", "samples": 2000}, "case.toml: audit").samples
2000
>>> parse_audit({"spread": 0}, "case.toml: audit")
Traceback (most recent call last):
mcda.errors.CaseError: case.toml: audit.spread: 'spread' must be a number in (0, 1], found 0. Give a number in (0, 1].
"""
from __future__ import annotations

from typing import Any

from ..errors import CaseError
from ..model import AuditSpec
from ..vocabulary import AUDIT_WEIGHTS, METHOD_ALIASES, METHODS, MISSING_POLICIES, TREATMENTS
from .fields import check_keys, check_number, suggest

KEYS = ("treatment", "samples", "weights", "spread", "methods", "normalizations", "imputations", "vary_treatment")
MIN_SAMPLES, MAX_SAMPLES = 100, 1_000_000


def _choice(raw: dict, key: str, at: str, options, default: str) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or value not in options:
        hint = suggest(value, options) if isinstance(value, str) else ""
        raise CaseError(f"unknown {key} {value!r}.{hint}", where=f"{at}.{key}",
                        fix=f"Use one of: {', '.join(options)}.")
    return value


def _names(raw: dict, key: str, at: str, options, default: tuple[str, ...], aliases=None,
           empty_ok: bool = False) -> tuple[str, ...]:
    """A list of names, each among ``options`` (``aliases`` mapped), none twice; empty only if ``empty_ok``."""
    value = raw.get(key, list(default))
    example = ", ".join(f'"{o}"' for o in list(options)[:2])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CaseError(f"'{key}' must be a list of names, found {value!r}", where=f"{at}.{key}",
                        fix=f"Write for example {key} = [{example}].")
    if not value and not empty_ok:
        raise CaseError(f"'{key}' is empty", where=f"{at}.{key}",
                        fix=f"List at least one of: {', '.join(options)}.")
    names = tuple((aliases or {}).get(v.strip().lower(), v.strip().lower()) for v in value)
    for name in names:
        if name not in options:
            raise CaseError(f"unknown {key[:-1]} {name!r}.{suggest(name, options)}", where=f"{at}.{key}",
                            fix=f"Use some of: {', '.join(options)}.")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CaseError(f"'{twice[0]}' is listed twice", where=f"{at}.{key}", fix="List each once.")
    return names


def _samples(raw: dict, at: str) -> int:
    value = raw.get("samples", AuditSpec.samples)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SAMPLES <= value <= MAX_SAMPLES:
        raise CaseError(f"'samples' must be a whole number from {MIN_SAMPLES:,} to {MAX_SAMPLES:,}, found {value!r}",
                        where=f"{at}.samples",
                        fix="Give a whole number such as 10000 (more draws, steadier intervals).")
    return value


def parse_audit(raw: Any, where: str) -> AuditSpec:
    """A checked AuditSpec from the ``[audit]`` table ``raw``; ``where`` names it (``case.toml: audit``)."""
    raw = check_keys(raw, where, (), KEYS)
    methods = _names(raw, "methods", where, tuple(METHODS), AuditSpec.methods, METHOD_ALIASES)
    valid = sorted({n for m in methods for n in METHODS[m]["normalizations"]})
    every = sorted({n for spec in METHODS.values() for n in spec["normalizations"]})
    norms = _names(raw, "normalizations", where, every, AuditSpec.normalizations, empty_ok=True)
    for norm in norms:
        if norm not in valid:
            raise CaseError(f"normalisation {norm!r} is valid for none of the methods listed ({', '.join(methods)})",
                            where=f"{where}.normalizations",
                            fix=f"Use some of: {', '.join(valid) or '(none: these methods fix their own)'}; "
                                "or list a method that accepts it.")
    vary = raw.get("vary_treatment", AuditSpec.vary_treatment)
    if not isinstance(vary, bool):
        raise CaseError(f"'vary_treatment' must be true or false, found {vary!r}", where=f"{where}.vary_treatment",
                        fix="Write vary_treatment = true (or false), without quotes.")
    return AuditSpec(
        treatment=_choice(raw, "treatment", where, TREATMENTS, AuditSpec.treatment),
        samples=_samples(raw, where),
        weights=_choice(raw, "weights", where, AUDIT_WEIGHTS, AuditSpec.weights),
        spread=check_number(raw.get("spread", AuditSpec.spread), f"{where}.spread", 0, 1, low_open=True,
                            name="spread"),
        methods=methods, normalizations=norms,
        imputations=_names(raw, "imputations", where, MISSING_POLICIES, AuditSpec.imputations, empty_ok=True),
        vary_treatment=vary)

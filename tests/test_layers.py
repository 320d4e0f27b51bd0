"""The house plan (DESIGN.md, Layout) holds: the folders are the pipeline and imports point down.

Every import in the package (at the top of a module or inside a function) is parsed and
checked: no upward or sideways import between floors, no loop, computation never reads
inputs, text and report never compute, each third-party library stays with its owner.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mcda"

# floor of each part of the package; a module may import only from lower floors (or its own folder)
FLOORS = {"mcda": 0, "mcda.model": 0, "mcda.errors": 0, "mcda.files": 0, "mcda.vocabulary": 0,
          "mcda.inputs": 1, "mcda.weighting": 2, "mcda.ranking": 2, "mcda.robustness": 3, "mcda.allocation": 3,
          "mcda.pipeline": 4, "mcda.text": 5, "mcda.report": 6, "mcda.cli": 7, "mcda.__main__": 8}
GROUND = ("mcda", "mcda.model", "mcda.errors", "mcda.files", "mcda.vocabulary")
COMPUTATION = ("mcda.weighting", "mcda.ranking", "mcda.robustness", "mcda.allocation")
# third-party library -> the parts of the package that may import it
OWNERS = {"pymcdm": ("mcda.ranking",), "pulp": ("mcda.allocation",), "highspy": ("mcda.allocation",),
          "openpyxl": ("mcda.inputs.workbook", "mcda.report"), "click": ("mcda.cli",), "pandas": ("mcda.model",),
          "scipy": (), "defusedxml": ()}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names), wherever the import statement is."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # "from . import x" may name a module
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {m: {i for i in imports(p) if i in MODULES and i != m} for m, p in MODULES.items()}


def part(module: str) -> str:
    """The floor a module belongs to: its folder under mcda (or the module itself on the ground floor)."""
    if module in FLOORS:
        return module
    head = ".".join(module.split(".")[:2])
    if head not in FLOORS:
        raise AssertionError(f"{module} is in no floor of the house plan; add its folder to FLOORS and DESIGN.md")
    return head


def within(module: str, owners) -> bool:
    return any(module == o or module.startswith(o + ".") for o in owners)


def test_the_folder_list_reads_as_the_pipeline():
    entries = {p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    assert entries == {"__init__.py", "__main__.py", "model.py", "errors.py", "files.py", "vocabulary.py", "inputs",
                       "weighting", "ranking", "robustness", "allocation", "pipeline.py", "text", "report", "cli.py"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_only(module):
    here = part(module)
    for target in GRAPH[module]:
        there = part(target)
        if there == here and here not in GROUND:
            continue  # within one folder
        assert FLOORS[there] < FLOORS[here] or (here in GROUND and there in GROUND), (
            f"{module} (floor {FLOORS[here]}) imports {target} (floor {FLOORS[there]}): imports point down only")


def test_nothing_imports_the_command_line_but_python_m_mcda():
    assert [m for m in MODULES if "mcda.cli" in GRAPH[m]] == ["mcda.__main__"]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if within(m, COMPUTATION)))
def test_computation_never_reads_inputs(module):
    assert not [t for t in GRAPH[module] if within(t, ("mcda.inputs",))], f"{module} imports from mcda.inputs"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if within(m, ("mcda.text", "mcda.report"))))
def test_text_and_report_never_compute(module):
    bad = [t for t in GRAPH[module] if within(t, (*COMPUTATION, "mcda.pipeline"))]
    assert not bad, f"{module} imports computation: {bad}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_library_stays_with_its_owner(module):
    for target in imports(MODULES[module]):
        library = target.split(".")[0]
        if library in OWNERS:
            assert within(module, OWNERS[library]), f"{module} imports {library}, which belongs to {OWNERS[library]}"


def test_no_import_loops():
    """Tarjan's strongly connected components of the import graph: every one is a single module."""
    index, low, stack, on, loops, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not loops, f"import loops: {loops}"


def test_the_rules_catch_what_they_should():
    """The checker itself: an upward import, a sideways one and a loop are seen."""
    assert part("mcda.ranking.score") == "mcda.ranking" and part("mcda.vocabulary") == "mcda.vocabulary"
    assert FLOORS[part("mcda.pipeline")] > FLOORS[part("mcda.allocation.solve")]  # pipeline may import allocation
    assert not FLOORS[part("mcda.text.tables")] > FLOORS[part("mcda.report.book")]  # text may not import report
    assert "mcda.ranking.pymcdm_methods" in GRAPH["mcda.ranking.score"]  # relative imports are resolved
    assert "mcda.model" in GRAPH["mcda.ranking.score"]

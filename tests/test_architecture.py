"""Project-wide guarantees: pure engines stay Django-free, and every cited rule ID exists."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "servicehall"
RULE_ID = re.compile(r"\b(ORG|CAT|CASE|SUP|ASK|Q|ATT|LEAVE|EVAL|LANG|CON|INT)-(\d+)\b")
# A test cites a rule in its name (`test_att_3__...`) or its docstring ("ATT-3").
NAME_ID = re.compile(r"(?:^|_)(org|cat|case|sup|ask|q|att|leave|eval|lang|con|int)_(\d+)(?=_|$)")
RULE_LINE = re.compile(r"^- ((?:ORG|CAT|CASE|SUP|ASK|Q|ATT|LEAVE|EVAL|LANG|CON|INT)-\d+)\b(.*)$")
POLICY_ONLY = "*(policy-only)*"

# Rule engines: plain Python over plain data (fast, testable alone). Django must not creep in. The list is
# the `engines` import contract in pyproject.toml, so lint-imports and this test guard the same modules.
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONTRACTS = {c["id"]: c for c in PYPROJECT["tool"]["importlinter"]["contracts"]}
PURE_MODULES = [m for m in CONTRACTS["engines"]["source_modules"] if m != "servicehall.policy.sections"]
# Engine files are named for what they compute (docs/architecture.md); every such file is in the contract.
ENGINE_NAMES = {
    "rules",
    "deadlines",
    "matcher",
    "estimate",
    "calendar",
    "timing",
    "bonus",
    "figures",
    "runner",
}
DOMAINS = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())


def test_engines__every_engine_file_is_in_the_pure_contract():
    found = {
        f"servicehall.{path.parent.name}.{path.stem}"
        for path in SRC.glob("*/*.py")
        if path.stem in ENGINE_NAMES
    }
    assert found - set(PURE_MODULES) == set(), "engine modules missing from the `engines` contract"
    assert {"servicehall.queue.rules", "servicehall.queue.estimate", "servicehall.catalog.rules",
            "servicehall.org.rules"} <= set(PURE_MODULES)  # fmt: skip


def _domain_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("servicehall")
    edges: dict[str, set[str]] = {d: set() for d in DOMAINS}
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in edges:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) > 1 and other[1] in edges and other[1] != parts[1]:
                edges[parts[1]].add(other[1])
    return edges


def test_layers__core_imports_no_domain():
    assert _domain_graph()["core"] == set()


def test_layers__no_cycle_between_domains():
    """Depth-first search over the package graph of src/servicehall (tests included)."""
    edges = _domain_graph()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return [*path, node, nxt]
            if nxt not in state and (cycle := visit(nxt, [*path, node])):
                return cycle
        state[node] = 2
        return None

    for domain in DOMAINS:
        if domain not in state:
            cycle = visit(domain, [])
            assert cycle is None, f"import cycle: {' -> '.join(cycle or [])}"


@pytest.mark.parametrize("module", PURE_MODULES)
def test_rule_engine__imports_no_django(module: str):
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(bad[:5]); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{module} pulls in Django: {result.stdout}{result.stderr}"


def _catalogue_ids() -> set[str]:
    return {m.group(0) for m in RULE_ID.finditer((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))}


def test_rule_ids__every_id_cited_in_code_or_tests_exists():
    known = _catalogue_ids()
    unknown: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        for match in RULE_ID.finditer(path.read_text(encoding="utf-8")):
            if match.group(0) not in known:
                unknown.setdefault(match.group(0), str(path.relative_to(ROOT)))
    assert not unknown, f"rule IDs not in docs/rules.md: {unknown}"


def test_rule_ids__core_families_are_tested():
    """Each family the product implements has tests that name its rules."""
    cited = set()
    for path in list(SRC.rglob("tests/test_*.py")) + list((ROOT / "tests").rglob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        cited |= {m.group(1) for m in RULE_ID.finditer(path.read_text(encoding="utf-8"))}
    assert {"ORG", "CAT", "CASE", "ASK", "Q", "ATT", "LEAVE", "LANG"} <= cited


def _rules() -> dict[str, str]:
    """Rule ID → its line in docs/rules.md."""
    lines = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines()
    return {m.group(1): m.group(2) for m in map(RULE_LINE.match, lines) if m}


def _cited_by_tests() -> set[str]:
    cited: set[str] = set()
    for path in list(SRC.rglob("tests/test_*.py")) + list((ROOT / "tests").rglob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                cited |= {f"{m.group(1).upper()}-{int(m.group(2))}" for m in NAME_ID.finditer(node.name)}
                cited |= {m.group(0) for m in RULE_ID.finditer(ast.get_docstring(node) or "")}
    return cited


def test_rule_ids__every_rule_cited_by_a_test_name_or_docstring():
    """A rule in docs/rules.md is either tested (named by a test) or marked policy-only there."""
    rules = _rules()
    assert len(rules) >= 60
    untested = sorted(
        set(rules) - _cited_by_tests() - {r for r, text in rules.items() if POLICY_ONLY in text}
    )
    assert not untested, f"rules no test names: {untested} (test them, or mark them {POLICY_ONLY})"


def test_rule_ids__policy_only_rules_carry_policy_values():
    """`policy-only` means the policy file holds the rule's values (rule_field(..., rule=...)) and no code
    decides it yet; a marked rule without a policy value would be an untested promise."""
    sections = "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "policy" / "sections").glob("*.py"))
    marked = [r for r, text in _rules().items() if POLICY_ONLY in text]
    missing = [r for r in marked if f'rule="{r}"' not in sections]
    assert not missing, f"policy-only rules without a policy value: {missing}"

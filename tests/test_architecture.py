"""Project-wide guarantees: pure engines stay Django-free, and every cited rule ID exists."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "servicehall"
RULE_ID = re.compile(r"\b(ORG|CAT|CASE|SUP|ASK|Q|ATT|LEAVE|EVAL|LANG|CON|INT)-(\d+)\b")

# Rule engines: plain Python over plain data (fast, testable alone). Django must not creep in.
PURE_MODULES = [
    "servicehall.core.errors",
    "servicehall.workdays.calendar",
    "servicehall.workdays.chinese_calendar_source",
    "servicehall.workdays.notice",
    "servicehall.policy.schema",
    "servicehall.policy.loader",
    "servicehall.cases.deadlines",
    "servicehall.supervision.timing",
    "servicehall.supervision.casefile",
    "servicehall.attendance.rules",
    "servicehall.leave.rules",
    "servicehall.language.matcher",
    "servicehall.evaluation.figures",
    "servicehall.evaluation.formats",
    "servicehall.accountability.bonus",
    "servicehall.accountability.bonus_files",
    "servicehall.accountability.bonus_export",
    "servicehall.rotation.rules",
    "servicehall.assessment.scoring",
]


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

"""The generated reference documents every section and field, and docs/policy.md is current."""

from __future__ import annotations

from pathlib import Path

from servicehall.policy.docs import render_reference
from servicehall.policy.schema import SECTIONS

DOCS = Path(__file__).resolve().parents[4] / "docs" / "policy.md"


def test_docs__every_section_and_field_with_its_rule():
    text = render_reference()
    for name, model in SECTIONS.items():
        assert f"### `{name}`" in text
        for field in model.model_fields:
            assert f"`{name}.{field}`" in text
    row = next(
        line for line in text.splitlines() if line.startswith("| `evaluation.conduct_bonus.deductions.city`")
    )
    assert "| EVAL-5 |" in row
    assert "`300`" in row
    assert "≥ 0" in row


def test_docs__docs_policy_md_is_current():
    """Regenerate with `servicehall policy docs --output docs/policy.md` after changing the schema."""
    assert DOCS.read_text(encoding="utf-8") == render_reference()

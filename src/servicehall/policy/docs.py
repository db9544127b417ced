"""The policy reference (docs/policy.md), generated from the schema by `servicehall policy docs`."""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from servicehall.policy.base import field_rule
from servicehall.policy.loader import PolicyError, load_policy_text, preset_names, resolve_policy
from servicehall.policy.schema import SECTIONS, Policy
from servicehall.policy.sections.conduct import CONDUCT_CATALOGUE, INTEGRITY_FOUR

INTRO = """\
# Policy file reference (政策文件)

Every number and list of the regulations (REGULATIONS.md) is a value in a **policy file**: YAML,
validated by a strict schema. Each value cites the rule it implements (`ATT-3`, `LEAVE-1`, ...), and an
unknown key is an error, so a typo is never silently ignored.

## Presets and a centre's own file

servicehall ships presets built from the regulation texts; each preset's YAML notes, line by line, the
text and section a value comes from:

{presets}

A centre writes its own file by extending a preset and overriding what differs:

```yaml
extends: yuanzhou-p2          # a preset, a stored version (name@version), or (CLI only) a local file
name: my-centre
version: "2026.2"
title: 某某县政务服务中心
attendance:
  late_after_minutes: 10      # overrides one value, keeps the rest of the section
```

Policy text that reaches the web (the admin's policy version form) may extend only a shipped preset or
a version already stored for the same centre; a file path is refused without touching the file system,
so neither a file's content nor its existence can leak. `servicehall policy publish FILE` on the
operator's own files keeps file `extends`.

Merge rules: mappings merge key by key (recursively); lists and single values replace the inherited
ones as a whole (a centre that lists its own approval tiers lists all of them); `null` is a value.

## Versions and effective dates

A centre's policy is **published** as a version with an effective date (`servicehall policy publish`, or
the admin). On any day the version in force is the one with the latest effective date on or before that
day; a decision (a late punch, a leave approval, a deduction) is taken under that version and records
keep it (`policy_version`, or `policy_ref` = `name@version`). Publishing validates first and writes
nothing when the file has an error; a centre has at most one version starting on a given day.

## Command line

| Command | What it does |
|---|---|
| `servicehall policy presets` | lists the shipped presets (name, version, title) |
| `servicehall policy show PRESET_OR_FILE` | prints the resolved policy (extends applied, defaults filled) |
| `servicehall policy check FILE` | exit 0 + summary, or exit 1 + every error: `path: value message (RULE)` |
| `servicehall policy docs [--output FILE]` | prints this reference (generated from the schema) |
| `servicehall policy publish --centre CODE --effective DATE PRESET_OR_FILE` | validates, stores a version |
| `servicehall policy versions --centre CODE` | lists a centre's published versions |

Example of `policy check` on a file with mistakes:

```yaml
{bad_example}```

```
$ servicehall policy check my-centre.yaml
{bad_output}
```

## Reference

Each section below lists its fields: YAML key, type, default (the schema's own default; presets set
their seed values), constraints, the rule ID and what the value means.
"""


BAD_EXAMPLE = """\
extends: yuanzhou-p2
name: my-centre
version: "2026.2"
attendance:
  late_after_minutes: -3
  late_aftre_minutes: 5
supervision:
  yellow_card_lead_working_days: two
leave:
  approval_tiers:
    - {max_days: 3, approvers: [centre]}
    - {max_days: 1, approvers: [centre]}
"""


def render_reference() -> str:
    """The whole Markdown document: introduction, then one table per section and sub-model."""
    intro = INTRO.format(
        presets=_preset_list(), bad_example=BAD_EXAMPLE, bad_output=_check_output(BAD_EXAMPLE)
    )
    lines = [intro.rstrip(), ""]
    lines += _model_table("Top level", Policy, "", skip=set(SECTIONS))
    for name, model in SECTIONS.items():
        title = _first_line(model.__doc__) or name
        lines += [f"### `{name}` — {title}", ""]
        lines += _model_tree(model, name)
    lines += _prohibition_codes()
    return "\n".join(lines).rstrip() + "\n"


def _check_output(text: str) -> str:
    """What `policy check` prints for `text` (computed, so the example never goes stale)."""
    try:
        load_policy_text(text, source="my-centre.yaml")
    except PolicyError as exc:
        return "\n".join(
            [f"{exc.where}: {len(exc.problems)} error(s) in policy", *(f"  {p}" for p in exc.problems)]
        )
    return "my-centre.yaml: OK"


def _prohibition_codes() -> list[str]:
    lines = [
        "## Conduct prohibition codes (CON, INT-1)",
        "",
        "The codes inspections record (EVAL-3). A preset lists the items of its own regulation text; a",
        "centre may add its own items (any `lower_snake_case` code).",
        "",
        "| Code | Rule | Prohibition | Sources |",
        "|---|---|---|---|",
    ]
    for rule, items in (("CON", CONDUCT_CATALOGUE), ("INT-1", INTEGRITY_FOUR)):
        for item in items:
            lines.append(f"| `{item.code}` | {rule} | {item.label} | {'; '.join(item.sources)} |")
    return [*lines, ""]


def _preset_list() -> str:
    rows = []
    for name in preset_names():
        resolved = resolve_policy(name)
        chain = " → ".join(resolved.chain)
        rows.append(f"- `{name}` — {resolved.data.get('title', '')} (`{chain}`)")
    return "\n".join(rows)


def _model_tree(model: type[BaseModel], path: str) -> list[str]:
    lines = _model_table(None, model, path)
    for name, info in model.model_fields.items():
        for sub, suffix in _sub_models(info.annotation):
            sub_path = f"{path}.{name}{suffix}"
            doc = _first_line(sub.__doc__)
            lines += [f"#### `{sub_path}`" + (f" — {doc}" if doc else ""), ""]
            lines += _model_tree(sub, sub_path)
    return lines


def _model_table(
    title: str | None, model: type[BaseModel], path: str, skip: set[str] | None = None
) -> list[str]:
    lines = [f"### {title}", ""] if title else []
    lines += ["| Key | Type | Default | Constraints | Rule | Meaning |", "|---|---|---|---|---|---|"]
    model_rule = _model_rule(model)
    for name, info in model.model_fields.items():
        if skip and name in skip:
            continue
        rule = field_rule(model, name) or model_rule or ""
        key = f"{path}.{name}" if path else name
        cells = [
            f"`{key}`",
            _type_name(info.annotation),
            _default(info),
            _constraints(info),
            rule,
            info.description or "",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return [*lines, ""]


def _model_rule(model: type[BaseModel]) -> str | None:
    extra = model.model_config.get("json_schema_extra")
    rule = extra.get("rule") if isinstance(extra, dict) else None
    return rule if isinstance(rule, str) else None


def _sub_models(annotation: Any) -> list[tuple[type[BaseModel], str]]:
    """Sub-models used by a field, with the path suffix: `` (a model), `[]` (list item), `.<key>` (dict)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, "")]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    found: list[tuple[type[BaseModel], str]] = []
    if origin in (list, tuple, set, frozenset):
        found += [(m, "[]" + s) for arg in args for m, s in _sub_models(arg)]
    elif origin is dict and len(args) == 2:
        found += [(m, ".<key>" + s) for m, s in _sub_models(args[1])]
    elif origin in (typing.Union, types.UnionType):
        for arg in args:
            found += _sub_models(arg)
    seen: set[type[BaseModel]] = set()
    unique = []
    for m, s in found:
        if m not in seen:
            seen.add(m)
            unique.append((m, s))
    return unique


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin is typing.Literal:
        return " | ".join(json.dumps(a, ensure_ascii=False) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args)
    if origin in (list, tuple, set, frozenset):
        inner = ", ".join(_type_name(a) for a in args if a is not Ellipsis)
        return f"list of ({inner})" if typing.get_origin(args[0]) is typing.Literal else f"list of {inner}"
    if origin is dict:
        return f"map {_type_name(args[0])} → {_type_name(args[1])}"
    if origin is typing.Annotated:
        return _type_name(args[0])
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return f"`{annotation.__name__}`"
        if issubclass(annotation, enum.Enum):
            return " | ".join(json.dumps(m.value, ensure_ascii=False) for m in annotation)
        return {
            "str": "text",
            "int": "integer",
            "float": "number",
            "bool": "boolean",
            "time": "time HH:MM",
            "date": "date YYYY-MM-DD",
        }.get(annotation.__name__, annotation.__name__)
    return str(annotation).replace("typing.", "")


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        try:
            value = info.default_factory()  # type: ignore[call-arg]
        except TypeError:
            return "(computed)"
    elif info.default is PydanticUndefined:
        return "**required**"
    else:
        value = info.default
    if isinstance(value, BaseModel):
        return "(see below)"
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return f"({len(value)} entries)"
    if isinstance(value, dict) and value and any(isinstance(v, BaseModel) for v in value.values()):
        return f"({len(value)} entries)"
    text = _json(value)
    return f"`{text}`" if len(text) <= 60 else f"`{text[:57]}...`"


def _json(value: Any) -> str:
    def plain(v: Any) -> Any:
        if isinstance(v, BaseModel):
            return v.model_dump(mode="json")
        if isinstance(v, (dt.time, dt.date)):
            return v.isoformat(timespec="minutes") if isinstance(v, dt.time) else v.isoformat()
        if isinstance(v, enum.Enum):
            return v.value
        return str(v)

    return json.dumps(value, ensure_ascii=False, default=plain)


_CONSTRAINT_NAMES = {
    "ge": "≥",
    "gt": ">",
    "le": "≤",
    "lt": "<",
    "min_length": "min length",
    "max_length": "max length",
    "pattern": "pattern",
    "multiple_of": "multiple of",
}


def _constraints(info: FieldInfo) -> str:
    parts = []
    for meta in info.metadata:
        for attr, label in _CONSTRAINT_NAMES.items():
            value = getattr(meta, attr, None)
            if value is not None:
                parts.append(f"{label} `{value}`" if attr == "pattern" else f"{label} {value}")
    return ", ".join(parts)


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0].strip() if text and text.strip() else ""

"""Load a policy from a shipped preset or a YAML file, resolving `extends` and reporting every error.

A preset is a folder `presets/<name>/` holding `policy.yaml` (name, version, title, sources, extends)
and one `<section>.yaml` per rule family. A centre's own file is one YAML document that may
`extends: <preset or file>` and override any value; dicts merge key by key, lists replace.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from servicehall.core.errors import InputError
from servicehall.policy.schema import SECTIONS, Policy

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
MAX_EXTENDS_DEPTH = 8


@dataclass(frozen=True)
class PolicyProblem:
    path: str
    value: Any
    message: str
    rule: str | None

    def __str__(self) -> str:
        shown = "" if self.value is _MISSING else f"{_short(self.value)} "
        rule = f" ({self.rule})" if self.rule else ""
        return f"{self.path}: {shown}{self.message}{rule}"


class PolicyError(InputError):
    """A policy that cannot be used; `problems` lists every error with its path, value and rule."""

    def __init__(self, source: str, problems: list[PolicyProblem]) -> None:
        super().__init__(source, f"{len(problems)} error(s) in policy", count=len(problems))
        self.problems = problems

    def __str__(self) -> str:
        return f"{self.where}:\n" + "\n".join(f"  {p}" for p in self.problems)


_MISSING = object()


def preset_names() -> list[str]:
    return sorted(p.name for p in PRESETS_DIR.iterdir() if (p / "policy.yaml").is_file())


def load_policy(ref: str | Path) -> Policy:
    """Load a preset by name or a YAML file by path; raise PolicyError listing every problem."""
    source = str(ref)
    return validate_policy_data(resolve_policy_data(ref), source=source)


def validate_policy_data(data: dict[str, Any], *, source: str = "policy") -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(source, [_problem(err, data) for err in exc.errors()]) from None


def resolve_policy_data(ref: str | Path, *, _depth: int = 0, _base: Path | None = None) -> dict[str, Any]:
    """The merged raw data of `ref` with its `extends` chain applied (not yet validated)."""
    if _depth > MAX_EXTENDS_DEPTH:
        raise PolicyError(str(ref), [PolicyProblem("extends", ref, "chain is too deep or circular", None)])
    data = _read_ref(ref, _base)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise PolicyError(str(ref), [PolicyProblem("extends", parent, "must be a preset name or file path", None)])
    base_dir = Path(ref).parent if Path(str(ref)).suffix in {".yaml", ".yml"} else None
    return deep_merge(resolve_policy_data(parent, _depth=_depth + 1, _base=base_dir), data)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_ref(ref: str | Path, base: Path | None) -> dict[str, Any]:
    name = str(ref)
    if (PRESETS_DIR / name / "policy.yaml").is_file():
        return _read_preset(PRESETS_DIR / name)
    path = Path(name)
    if not path.is_absolute() and base is not None and not path.exists():
        path = base / path
    if not path.is_file():
        raise InputError(
            name, f"no such policy file or preset; presets: {', '.join(preset_names())}", rule_id=None
        )
    return _read_yaml(path)


def _read_preset(folder: Path) -> dict[str, Any]:
    data = _read_yaml(folder / "policy.yaml")
    for section in SECTIONS:
        file = folder / f"{section}.yaml"
        if file.is_file():
            data[section] = deep_merge(data.get(section) or {}, _read_yaml(file))
    return data


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise InputError(where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(str(path), "a policy file must be a mapping of sections")
    return data


# -- error formatting -------------------------------------------------------------------------------

_MESSAGES = {
    "extra_forbidden": "is not a known key (typo?)",
    "missing": "is required",
}


def _problem(err: dict[str, Any], data: dict[str, Any]) -> PolicyProblem:
    loc = tuple(err.get("loc", ()))
    path = ".".join(str(p) for p in loc) or "(top level)"
    value = _value_at(data, loc)
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in _MESSAGES:
        message = _MESSAGES[kind]
    elif kind == "greater_than_equal" and ctx.get("ge") == 0:
        message = "is negative"
    elif kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        message = f"must be {op} {next(iter(ctx.values()))}"
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        message = f"has the wrong type: {err.get('msg', '').lower()}"
    else:
        message = err.get("msg", "is invalid").removeprefix("Value error, ")
    if kind == "missing":
        value = _MISSING
    return PolicyProblem(path, value, message, _rule_for(loc))


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _MISSING
    return data


def _rule_for(loc: tuple[Any, ...]) -> str | None:
    """The rule ID of the innermost field on `loc` that declares one (`rule_field`), else the model's."""
    model: type[BaseModel] | None = Policy
    found: str | None = None
    for part in loc:
        if model is None or not isinstance(part, str):
            continue
        field = model.model_fields.get(part)
        if field is None:
            break
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        found = extra.get("rule", found)
        model = _model_of(field.annotation)
        if model is not None:
            cfg_extra = model.model_config.get("json_schema_extra")
            if isinstance(cfg_extra, dict) and not extra.get("rule"):
                found = cfg_extra.get("rule", found)
    return found


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        model = _model_of(arg)
        if model is not None:
            return model
    return None


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."

"""Load a policy from a preset, a YAML file or YAML text, resolving `extends` and reporting every error.

A preset is a folder `presets/<name>/` holding `policy.yaml` (name, version, title, sources, extends)
and one `<section>.yaml` per rule family. A centre's own file is one YAML document that may
`extends: <preset or file>` and override any value; mappings merge key by key, lists and scalars
replace (so a centre that lists its own approval tiers replaces the whole list).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from servicehall.core.errors import InputError
from servicehall.policy.base import RULE_ID, PolicyRuleError, field_rule
from servicehall.policy.schema import SECTION_RULES, SECTIONS, Policy

PRESETS_DIR = Path(__file__).resolve().parent / "presets"
MAX_EXTENDS_DEPTH = 8
STORED_REF = re.compile(r"[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+")

# Looks up a stored policy version by `name@version` and returns its resolved data (or None).
StoredLookup = Callable[[str], "dict[str, Any] | None"]


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


@dataclass(frozen=True)
class PolicyProblem:
    """One error: `path` (dotted field path), the bad `value`, a `message` and the `rule` ID."""

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


@dataclass(frozen=True)
class ResolvedPolicy:
    """Raw merged data of a policy and the chain it was built from (itself first, root preset last)."""

    data: dict[str, Any]
    chain: list[str] = field(default_factory=list)


def preset_names() -> list[str]:
    return sorted(p.name for p in PRESETS_DIR.iterdir() if (p / "policy.yaml").is_file())


def load_policy(ref: str | Path) -> Policy:
    """Load a preset by name or a YAML file by path; raise PolicyError listing every problem."""
    if isinstance(ref, str) and ref in preset_names():
        return _load_preset(ref)
    return validate_policy_data(resolve_policy_data(ref), source=str(ref))


def load_policy_text(
    text: str,
    *,
    source: str = "<policy text>",
    base_dir: Path | None = None,
    allow_files: bool = False,
    stored: StoredLookup | None = None,
) -> Policy:
    """Validate a policy given as YAML text (a centre's file pasted in admin or sent to the CLI).

    Text from the web may `extends:` only a shipped preset or a stored version (`stored`); reading
    server files is for the command line on local files (`allow_files=True`, INT-2).
    """
    resolved = resolve_policy(
        text=text, source=source, base_dir=base_dir, allow_files=allow_files, stored=stored
    )
    return validate_policy_data(resolved.data, source=source)


@functools.lru_cache(maxsize=32)
def _load_preset(name: str) -> Policy:
    # Presets ship with the code and never change while the process runs; Policy is frozen.
    return validate_policy_data(resolve_policy_data(name), source=name)


def validate_policy_data(data: dict[str, Any], *, source: str = "policy") -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(source, [_problem(dict(err), data) for err in exc.errors()]) from None


def resolve_policy_data(ref: str | Path) -> dict[str, Any]:
    """The merged raw data of `ref` with its `extends` chain applied (not yet validated)."""
    return resolve_policy(ref).data


def resolve_policy(
    ref: str | Path | None = None,
    *,
    text: str | None = None,
    source: str = "<policy text>",
    base_dir: Path | None = None,
    allow_files: bool | None = None,
    stored: StoredLookup | None = None,
) -> ResolvedPolicy:
    """Resolve a preset/file `ref`, or YAML `text`, following `extends` (at most MAX_EXTENDS_DEPTH deep).

    `allow_files` defaults to True for a `ref` (a trusted caller named the file) and False for `text`.
    """
    ctx = _Context(allow_files=ref is not None if allow_files is None else allow_files, stored=stored)
    if text is not None:
        data = _parse_yaml(text, source)
        return _follow(data, source, base_dir, ctx, depth=0, seen=())
    assert ref is not None
    return _resolve_ref(str(ref), base_dir, ctx, depth=0, seen=())


@dataclass(frozen=True)
class _Context:
    allow_files: bool
    stored: StoredLookup | None


def _resolve_ref(
    ref: str, base: Path | None, ctx: _Context, *, depth: int, seen: tuple[str, ...]
) -> ResolvedPolicy:
    data, key, base_dir = _read_ref(ref, base, ctx)
    if key in seen:
        raise PolicyError(
            ref, [PolicyProblem("extends", ref, "is circular: " + " → ".join([*seen, key]), None)]
        )
    if key.startswith("stored:"):
        return ResolvedPolicy(data, [ref])  # a stored version is already resolved
    return _follow(data, ref, base_dir, ctx, depth=depth, seen=(*seen, key))


def _follow(
    data: dict[str, Any],
    name: str,
    base_dir: Path | None,
    ctx: _Context,
    *,
    depth: int,
    seen: tuple[str, ...],
) -> ResolvedPolicy:
    parent = data.pop("extends", None)
    if parent is None:
        return ResolvedPolicy(data, [name])
    if not isinstance(parent, str) or not parent.strip():
        raise PolicyError(name, [PolicyProblem("extends", parent, _extends_hint(ctx), None)])
    if depth >= MAX_EXTENDS_DEPTH:
        raise PolicyError(name, [PolicyProblem("extends", parent, "chain is too deep", None)])
    base = _resolve_ref(parent, base_dir, ctx, depth=depth + 1, seen=seen)
    return ResolvedPolicy(deep_merge(base.data, data), [name, *base.chain])


def _extends_hint(ctx: _Context) -> str:
    presets = ", ".join(preset_names())
    if ctx.allow_files:
        return f"must be a preset name or a file path (presets: {presets})"
    return f"must name a shipped preset ({presets}) or a stored policy version (name@version)"


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key (recursively); every other value in `override` replaces `base`'s.

    An explicit `null` in `override` replaces too (it is a value, e.g. an unbounded last tier).
    Neither argument is modified.
    """
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_ref(ref: str, base: Path | None, ctx: _Context) -> tuple[dict[str, Any], str, Path | None]:
    """Data of a preset or file, a key identifying it (for cycle detection) and the dir its `extends` uses."""
    if ref in preset_names():
        return _read_preset(PRESETS_DIR / ref), f"preset:{ref}", None
    if ctx.stored is not None and STORED_REF.fullmatch(ref):
        found = ctx.stored(ref)
        if found is not None:
            return dict(found), f"stored:{ref}", None
    if not ctx.allow_files:
        # Never touch the file system for web input: neither content nor existence may leak (INT-2).
        raise PolicyError("policy", [PolicyProblem("extends", ref, _extends_hint(ctx), None)])
    path = Path(ref).expanduser()
    if not path.is_absolute() and base is not None and not path.exists():
        path = base / path
    if not path.is_file():
        raise InputError(ref, f"no such policy file or preset (presets: {', '.join(preset_names())})")
    return _read_yaml(path), str(path.resolve()), path.parent


def _read_preset(folder: Path) -> dict[str, Any]:
    data = _read_yaml(folder / "policy.yaml")
    for section in SECTIONS:
        file = folder / f"{section}.yaml"
        if file.is_file():
            section_data = _read_yaml(file)
            if not isinstance(data.get(section) or {}, dict):
                raise InputError(str(folder / "policy.yaml"), f"`{section}` must be a mapping")
            data[section] = deep_merge(data.get(section) or {}, section_data)
    return data


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    return _parse_yaml(text, str(path))


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (the second would silently win)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"key {key!r} appears twice (first on line {seen[key].start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where
        raise InputError(at, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(where, f"a policy file must be a mapping of sections, not {type(data).__name__}")
    return data


# -- error formatting -------------------------------------------------------------------------------

_MESSAGES = {
    "extra_forbidden": "is not a known key (typo?)",
    "missing": "is required",
}
_COMPARE = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}


def _problem(err: dict[str, Any], data: dict[str, Any]) -> PolicyProblem:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    rule: str | None = None
    cause = ctx.get("error")
    if isinstance(cause, PolicyRuleError):
        loc = (*loc, *(p for p in cause.field.split(".") if p))
        message, rule = cause.message, cause.rule
    elif kind in _MESSAGES:
        message = _MESSAGES[kind]
    elif kind == "greater_than_equal" and ctx.get("ge") == 0:
        message = "is negative"
    elif kind in _COMPARE:
        message = f"must be {_COMPARE[kind]} {next(iter(ctx.values()))}"
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        message = f"has the wrong type: {_lower_first(err.get('msg', ''))}"
    else:
        message = (
            str(err.get("msg", "is invalid")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        )
    if rule is None and isinstance(ctx.get("rule"), str):  # PydanticCustomError(..., {"rule": ...})
        rule = ctx["rule"]
    if rule is None:
        rule, message = _rule_in_message(message)
    if cause is not None and not isinstance(cause, PolicyRuleError):
        loc, message = _field_in_message(loc, message)
    path = _dotted(loc)
    value = _MISSING if kind == "missing" else _value_at(data, loc)
    return PolicyProblem(path, value, message, rule or _rule_for(loc))


_TRAILING_RULE = re.compile(r"\s*\((" + RULE_ID.pattern + r")(?:,\s*" + RULE_ID.pattern + r")*\)\s*$")


def _rule_in_message(message: str) -> tuple[str | None, str]:
    """Accept `"LEAVE-1: text"` and `"text (LEAVE-1)"` from a plain ValueError: (rule, text without it)."""
    found = RULE_ID.match(message)
    if found and message[found.end() : found.end() + 1] in {":", "：", " "}:
        return found.group(0), message[found.end() :].lstrip(" :：,-")
    trailing = _TRAILING_RULE.search(message)
    if trailing:
        return trailing.group(1), message[: trailing.start()].rstrip()
    return None, message


def _field_in_message(loc: tuple[Any, ...], message: str) -> tuple[tuple[Any, ...], str]:
    """A model validator's `"sessions: must ..."` names a field of that model: move it into the path."""
    head, sep, rest = message.partition(": ")
    model = _model_at(loc)
    if sep and model is not None and head in model.model_fields:
        return (*loc, head), rest
    return loc, message


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Policy
    for part in loc:
        if model is None:
            return None
        if not isinstance(part, str):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        model = _model_of(info.annotation)
    return model


def _dotted(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(top level)"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_dict or in_list):
            return _MISSING
        data = data[part]
    return data


def _rule_for(loc: tuple[Any, ...]) -> str | None:
    """The rule ID of the innermost field on `loc` that declares one (`rule_field`), else the model's."""
    model: type[BaseModel] | None = Policy
    found: str | None = SECTION_RULES.get(str(loc[0])) if loc else None
    for part in loc:
        if model is None:
            break
        if not isinstance(part, str):
            continue  # list index or dict key: stay on the item model
        field_info = model.model_fields.get(part)
        if field_info is None:
            break
        rule = field_rule(model, part)
        model = _model_of(field_info.annotation)
        found = rule or (_model_rule(model) if model is not None else None) or found
    return found


def _model_rule(model: type[BaseModel]) -> str | None:
    extra = model.model_config.get("json_schema_extra")
    rule = extra.get("rule") if isinstance(extra, dict) else None
    return rule if isinstance(rule, str) else None


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        model = _model_of(arg)
        if model is not None:
            return model
    return None


def _short(value: Any) -> str:
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, (dict, list)):
        text = _flow(value)
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value if re.fullmatch(r"[\w.@:/ -]+", value) and value.strip() == value else repr(value)
    return str(value)

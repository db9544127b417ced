"""`servicehall policy ...`: list, show, check, document and publish policy files (政策文件)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import yaml

from servicehall.core.errors import InputError


def _utf8_stdout() -> None:
    # Chinese titles and phrases must print under a C/POSIX locale too.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower() not in {
            "utf-8",
            "utf8",
        }:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def cmd_presets(args: argparse.Namespace) -> int:
    from servicehall.policy.loader import PolicyError, load_policy, preset_names, resolve_policy

    _utf8_stdout()
    rows = []
    for name in preset_names():
        try:
            policy = load_policy(name)
            version, title, note = policy.version, policy.title, ""
        except PolicyError as exc:
            data = resolve_policy(name).data
            version, title = str(data.get("version", "?")), str(data.get("title", ""))
            note = f"  [INVALID: {len(exc.problems)} error(s), run `servicehall policy check {name}`]"
        chain = resolve_policy(name).chain
        extends = f"  (extends {chain[1]})" if len(chain) > 1 else ""
        rows.append((name, version, f"{title}{extends}{note}"))
    width = max((len(r[0]) for r in rows), default=4)
    for name, version, title in rows:
        print(f"{name:<{width}}  {version:<8}  {title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from servicehall.policy.loader import PolicyError, load_policy

    _utf8_stdout()
    try:
        policy = load_policy(args.policy)
    except PolicyError as exc:
        _print_problems(exc)
        return 1
    print(_dump(policy.model_dump(mode="json")), end="")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from servicehall.policy.loader import PolicyError, resolve_policy, validate_policy_data

    _utf8_stdout()
    source = str(args.file)
    try:
        resolved = resolve_policy(source)
        policy = validate_policy_data(resolved.data, source=source)
    except PolicyError as exc:
        _print_problems(exc)
        return 1
    except InputError as exc:  # missing file, YAML syntax error, bad `extends`
        print(f"{source}: invalid\n  {exc}")
        return 1
    print(f"{source}: OK — {policy.ref} {policy.title}".rstrip())
    if len(resolved.chain) > 1:
        print(f"  extends: {' → '.join(resolved.chain)}")
    for line in _summary(policy):
        print(f"  {line}")
    for line in policy_warnings(policy):
        print(f"  warning: {line}")
    return 0


def policy_warnings(policy: Any) -> list[str]:
    """Valid but incomplete values a centre should look at (e.g. an amount the seed leaves blank)."""
    from servicehall.policy.sections.evaluation import unset_amount_warning

    found = [unset_amount_warning(policy.evaluation.conduct_bonus)]
    return [w for w in found if w]


def _print_problems(exc: Any) -> None:
    print(f"{exc.where}: {len(exc.problems)} error(s) in policy")
    for problem in exc.problems:
        print(f"  {problem}")


def _summary(policy: Any) -> list[str]:
    """One line per section with the size of each list or table it defines (sessions, tiers, phrases ...)."""
    from servicehall.policy.schema import SECTIONS

    lines = []
    for name in SECTIONS:
        section = getattr(policy, name)
        counts = []
        for field in type(section).model_fields:
            value = getattr(section, field)
            if isinstance(value, (list, tuple, dict)):
                counts.append(f"{field}={len(value)}")
        total = len(type(section).model_fields)
        lines.append(f"{name}: {total} values" + (f"; {', '.join(counts)}" if counts else ""))
    return lines


def cmd_docs(args: argparse.Namespace) -> int:
    from servicehall.policy.docs import render_reference

    _utf8_stdout()
    text = render_reference()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from servicehall.org.models import Centre
    from servicehall.policy.loader import PolicyError, preset_names
    from servicehall.policy_versions.services import publish_policy_version

    _utf8_stdout()
    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None:
        codes = ", ".join(Centre.objects.values_list("code", flat=True)[:20]) or "none yet"
        raise InputError("--centre", f"no centre with code {args.centre!r} (centres: {codes})")
    source, base_dir = args.policy, None
    if source not in preset_names():
        path = Path(source)
        if not path.is_file():
            raise InputError(source, f"no such policy file or preset (presets: {', '.join(preset_names())})")
        try:
            source, base_dir = path.read_text(encoding="utf-8"), path.resolve().parent
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"cannot read: {exc}") from None
    try:
        version = publish_policy_version(
            centre=centre,
            source=source,
            effective_from=args.effective,
            actor=None,
            base_dir=base_dir,
            allow_files=True,  # the operator's own local file may extend another local file
        )
    except PolicyError as exc:
        exc.where = args.policy
        _print_problems(exc)
        return 1
    print(f"published {version.ref} for {centre.name} ({centre.code}) from {version.effective_from:%Y-%m-%d}")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from servicehall.org.models import Centre
    from servicehall.policy_versions.selectors import policy_versions

    _utf8_stdout()
    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None:
        raise InputError("--centre", f"no centre with code {args.centre!r}")
    versions = policy_versions(centre_id=centre.pk)
    if not versions:
        print(f"{centre.name} ({centre.code}) has no published policy version")
        return 1
    for version in versions:
        print(
            f"{version.effective_from:%Y-%m-%d}  {version.ref:<24}  {version.title}  [{version.digest[:12]}]"
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("policy", help="policy files: presets, show, check, docs, publish (政策文件)")
    commands = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)

    p = commands.add_parser("presets", help="list the shipped presets")
    p.set_defaults(func=cmd_presets)

    p = commands.add_parser("show", help="print a preset or file, resolved, as YAML")
    p.add_argument("policy", metavar="PRESET_OR_FILE")
    p.set_defaults(func=cmd_show)

    p = commands.add_parser("check", help="validate a policy file; print a summary or every error")
    p.add_argument("file", metavar="FILE", help="a YAML file (or a preset name)")
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("docs", help="print the Markdown reference generated from the schema")
    p.add_argument("--output", "-o", metavar="FILE", help="write it to FILE (e.g. docs/policy.md)")
    p.set_defaults(func=cmd_docs)

    p = commands.add_parser("publish", help="validate and store a policy version for a centre")
    p.add_argument("--centre", required=True, metavar="CODE", help="the centre's code")
    p.add_argument("--effective", required=True, type=_date, metavar="YYYY-MM-DD", help="first day in force")
    p.add_argument("policy", metavar="PRESET_OR_FILE")
    p.set_defaults(func=cmd_publish)

    p = commands.add_parser("versions", help="list a centre's published policy versions")
    p.add_argument("--centre", required=True, metavar="CODE")
    p.set_defaults(func=cmd_versions)

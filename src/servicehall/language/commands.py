"""`servicehall language check|review|phrases`: forbidden phrases (LANG-4) and three voices (LANG-1) from the shell.

No database is needed: both commands read stdin and the policy file only.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from servicehall.core.errors import InputError

DEFAULT_POLICY = "yuanzhou-p2"


def _language(ref: str) -> Any:
    from servicehall.policy.loader import load_policy

    return load_policy(ref).language


def _read_stdin_lines() -> list[str]:
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:
        raise InputError("stdin", f"cannot read: {exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"stdin line {line}", "is not valid UTF-8") from None
    return text.splitlines()


def _print(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def run_check(args: argparse.Namespace) -> int:
    """One staff utterance per stdin line → JSON findings with line numbers (1-based) and offsets."""
    from servicehall.language.matcher import matcher_for

    matcher = matcher_for(_language(args.policy))
    findings = [
        {"line": number, **f.as_dict()}
        for number, found in enumerate(matcher.scan_lines(_read_stdin_lines()), start=1)
        for f in found
    ]
    _print({"findings": findings})
    return 0


def run_review(args: argparse.Namespace) -> int:
    """JSON-lines transcript on stdin → `{"findings": [...], "voices": {...}}` (LANG-1, LANG-4)."""
    from servicehall.language.transcripts import bulk_review, parse_transcript, review_conversation

    language = _language(args.policy)
    turns = parse_transcript(_read_stdin_lines(), source="stdin")
    if args.per_staff:
        _print(bulk_review(turns, language))
    else:
        _print(review_conversation(turns, language))
    return 0


def run_phrases(args: argparse.Namespace) -> int:
    """The forbidden-phrase catalogue with rewrites, as JSON (for training material)."""
    language = _language(args.policy)
    _print(
        {
            "forbidden": [
                {
                    "id": p.id,
                    "phrase": p.text,
                    "scope": str(p.scope),
                    "rewrite": p.rewrite,
                    "source": p.source,
                }
                for p in language.active_forbidden()
            ]
        }
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "language", help="文明用语: check staff replies for forbidden phrases, review transcripts"
    )
    lsub = p.add_subparsers(dest="language_command", metavar="ACTION", required=True)
    check = lsub.add_parser("check", help="stdin: one staff utterance per line → JSON findings (LANG-4)")
    review = lsub.add_parser(
        "review", help='stdin: JSON lines {"speaker","text","t"} → findings and three voices (LANG-1, LANG-4)'
    )
    review.add_argument(
        "--per-staff",
        action="store_true",
        help='several conversations ("conversation" field) → per-conversation results and per-staff totals',
    )
    phrases = lsub.add_parser("phrases", help="list the forbidden phrases with their polite rewrites")
    for cmd, func in ((check, run_check), (review, run_review), (phrases, run_phrases)):
        cmd.add_argument(
            "--policy",
            default=DEFAULT_POLICY,
            help=f"preset name or policy YAML file (default {DEFAULT_POLICY})",
        )
        cmd.set_defaults(func=func)

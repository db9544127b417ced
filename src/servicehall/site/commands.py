"""`servicehall demo`: set up the demo centre on the local database and serve it."""

from __future__ import annotations

import argparse


def cmd_demo(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from django.core.management import call_command

    from servicehall.site.demo import DEMO_PASSWORD, build_demo

    logins = build_demo()
    print("\nservicehall 演示中心 demo centre is ready.\n")
    print(f"  {'login':<12} role")
    for login in logins:
        print(f"  {login.username:<12} {login.role} — {login.who}")
    print(f"\n  password for all demo logins: {DEMO_PASSWORD}")
    if args.no_serve:
        return 0
    print(f"  open http://{args.addr}/  (API docs: http://{args.addr}/api/docs)\n")
    call_command("runserver", args.addr, use_reloader=False)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="create/refresh the demo centre (idempotent) and run the server")
    p.add_argument(
        "--addr", default="127.0.0.1:8000", help="address:port to serve on (default 127.0.0.1:8000)"
    )
    p.add_argument("--no-serve", action="store_true", help="only build the demo data")
    p.set_defaults(func=cmd_demo)

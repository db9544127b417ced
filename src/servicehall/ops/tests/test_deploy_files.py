"""The shipped deployment files (deploy/) agree with the program and with docs/deployment.md (部署)."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SRC = ROOT / "src" / "servicehall"
DEPLOY = ROOT / "deploy"
ENV_FILE = DEPLOY / "servicehall.env.example"
DOC = ROOT / "docs" / "deployment.md"

ENV_CALLS = {"os.environ.get", "os.getenv", "environ.get", "_flag", "_list", "os.environ.setdefault"}


def _call_name(func: ast.expr) -> str:
    return ast.unparse(func)


def variables_read_by_code() -> dict[str, str]:
    """Every SERVICEHALL_* name the program reads from the environment → the file that reads it.

    A read is a string literal passed to os.environ.get / os.getenv / os.environ[...] (or the settings'
    _flag/_list helpers), or a string value of a module-level dict whose name ends in _ENV."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[ast.expr] = []
            if isinstance(node, ast.Call) and _call_name(node.func) in ENV_CALLS and node.args:
                names.append(node.args[0])
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in {"os.environ", "environ"}:
                names.append(node.slice)
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Dict)
                and any(isinstance(t, ast.Name) and t.id.endswith("_ENV") for t in node.targets)
            ):
                names.extend(v for v in node.value.values if v is not None)
            for name in names:
                if isinstance(name, ast.Constant) and str(name.value).startswith("SERVICEHALL_"):
                    found.setdefault(name.value, str(path.relative_to(ROOT)))
    return found


def variables_in_env_file() -> set[str]:
    return set(re.findall(r"^#? ?(SERVICEHALL_[A-Z0-9_]+)=", ENV_FILE.read_text(encoding="utf-8"), re.M))


def test_every_variable_the_code_reads_is_explained_in_the_environment_file():
    read = variables_read_by_code()
    assert len(read) > 30  # the scan finds the settings' reads
    missing = {name: where for name, where in read.items() if name not in variables_in_env_file()}
    assert not missing, f"add these to deploy/servicehall.env.example with a comment: {missing}"


def test_every_variable_in_the_environment_file_is_read_by_the_code():
    unknown = variables_in_env_file() - set(variables_read_by_code())
    assert not unknown, f"deploy/servicehall.env.example lists variables nothing reads: {sorted(unknown)}"


def test_environment_file_is_valid_for_systemd_and_a_shell():
    """EnvironmentFile= and `set -a; . file` must read the same values: NAME=value, no quotes, no $."""
    for number, line in enumerate(ENV_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        assert re.fullmatch(r"SERVICEHALL_[A-Z0-9_]+=[^\s\"'$]*", line), f"line {number}: {line!r}"


def test_every_variable_line_is_explained_by_a_comment_above_it():
    lines = ENV_FILE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^#? ?SERVICEHALL_", line):
            above = number - 1
            while above >= 0 and re.match(r"^#? ?SERVICEHALL_", lines[above]):
                above -= 1
            assert above >= 0
            assert lines[above].startswith("# "), f"no explanation above line {number + 1}: {line}"


def _unit_exec(name: str) -> str:
    text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
    return re.search(r"^ExecStart=(.*)$", text, re.M).group(1)  # type: ignore[union-attr]


def _doc_blocks(tag: str) -> list[str]:
    return re.findall(rf"^```bash {tag}\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S)


def test_systemd_units_start_in_the_home_folder_with_the_environment_file():
    for unit in ("servicehall.service", "servicehall-checks.service", "servicehall-sweep.service"):
        text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/servicehall/servicehall.env" in text, unit
        assert "WorkingDirectory=/var/lib/servicehall" in text, unit
        assert "Environment=SERVICEHALL_HOME=/var/lib/servicehall" in text, unit
        assert "User=servicehall" in text, unit
    for timer in ("servicehall-checks.timer", "servicehall-sweep.timer"):
        assert "OnCalendar=" in (DEPLOY / "systemd" / timer).read_text(encoding="utf-8")


def test_foreground_command_in_the_doc_is_the_systemd_units_command():
    """The deployment test starts the server with the doc's foreground command; it must be the unit's."""
    unit = shlex.split(_unit_exec("servicehall.service").replace("/opt/servicehall", "$PREFIX"))
    servers = [b for b in _doc_blocks("deploy-server") if "gunicorn" in b]
    assert len(servers) == 1
    command = shlex.split(servers[0].replace("\\\n", " "), comments=True)
    assert command[-len(unit) :] == unit


def test_nginx_site_proxies_with_the_headers_the_settings_trust():
    site = (DEPLOY / "nginx" / "servicehall.conf").read_text(encoding="utf-8")
    # SERVICEHALL_TRUSTED_PROXY_COUNT=1 takes the last X-Forwarded-For entry: nginx must append to it.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    # Django's SECURE_PROXY_SSL_HEADER is X-Forwarded-Proto = https.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert re.search(r"listen 443 ssl", site)
    stream = re.search(r"location ~ \^/display/.*?\{(.*?)\}", site, re.S)
    assert stream, "the hall display stream needs its own location"
    assert "proxy_buffering off;" in stream.group(1)
    assert "proxy_read_timeout" in stream.group(1)
    assert re.search(r"location /static/ \{[^}]*alias /var/lib/servicehall/staticfiles/;", site)
    env = ENV_FILE.read_text(encoding="utf-8")
    assert "SERVICEHALL_TRUSTED_PROXY_COUNT=1" in env
    assert re.search(r"proxy_pass http://127\.0\.0\.1:8000", site)
    assert "SERVICEHALL_BIND=127.0.0.1:8000" in env


def test_every_file_the_package_needs_goes_into_the_wheel():
    """A file under src/servicehall that no package-data pattern names is left out of the wheel: an
    installed server then fails on it (a missing static file is a 500 on every page)."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["*"]
    left_out = [
        str(p.relative_to(ROOT))
        for p in SRC.rglob("*")
        if p.is_file()
        and p.suffix not in {".py", ".pyc"}
        and "__pycache__" not in p.parts
        and "tests" not in p.parts  # test data is not needed by an installed server
        and not any(fnmatch.fnmatch(p.name, pattern) for pattern in patterns)
    ]
    assert not left_out, f"add their patterns to [tool.setuptools.package-data]: {left_out}"

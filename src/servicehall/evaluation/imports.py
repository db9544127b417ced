"""Import of the provincial 好差评 system's export (xlsx or CSV), EVAL-1.

Columns (English or the export's Chinese headers): time, unit, window, staff, level, channel, service id,
comment. Every row is checked before anything is written (atomic); a row already imported — same
service id, or the same content when the service id is empty — is skipped (idempotent).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.core.audit import record_audit
from servicehall.core.errors import InputError
from servicehall.evaluation.figures import parse_rated_at
from servicehall.evaluation.formats import read_table
from servicehall.evaluation.models import Rating
from servicehall.evaluation.services import open_rectification
from servicehall.org.models import Centre, Staff, Unit, Window
from servicehall.policy_versions.selectors import policy_for_centre

HEADERS = {
    "rated_at": ("rated_at", "time", "评价时间", "时间"),
    "unit": ("unit", "评价部门", "部门", "单位", "办理部门"),
    "window": ("window", "窗口", "窗口号"),
    "staff": ("staff", "staff_id", "工作人员", "工号", "办理人"),
    "level": ("level", "评价等级", "评价结果", "满意度"),
    "channel": ("channel", "评价渠道", "渠道"),
    "service_id": ("service_id", "service id", "服务编号", "办件编号", "业务编号"),
    "comment": ("comment", "评价内容", "评价意见", "意见"),
}
REQUIRED = ("rated_at", "unit", "level")
CHANNELS = {
    "device": "device",
    "评价器": "device",
    "窗口评价器": "device",
    "pc": "web",
    "web": "web",
    "网站": "web",
    "网上": "web",
    "app": "app",
    "移动端": "app",
    "sms": "sms",
    "短信": "sms",
    "phone": "phone",
    "电话": "phone",
    "12345": "phone",
    "card": "card",
    "评价卡": "card",
    "二维码": "web",
}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    skipped: int


def _columns(header: list[Any], label: str) -> dict[str, int]:
    names = [str(h).strip().lstrip("\ufeff").strip().lower() for h in header]
    found: dict[str, int] = {}
    for key, aliases in HEADERS.items():
        for alias in aliases:
            if alias.lower() in names:
                found[key] = names.index(alias.lower())
                break
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        raise InputError(f"{label}, row 1", f"missing column(s): {', '.join(missing)}")
    return found


def import_ratings_file(
    *,
    path: Path | str,
    centre_code: str | None = None,
    data: bytes | None = None,
    dry_run: bool = False,
    actor: Any | None = None,
) -> ImportResult:
    """Check every row, then write them all in one transaction (or nothing)."""
    if centre_code:
        centre = Centre.objects.filter(code=centre_code).first()
        if centre is None:
            raise InputError("--centre", f"no centre with code {centre_code!r}")
    else:
        centres = list(Centre.objects.all()[:2])
        if len(centres) != 1:
            raise InputError("--centre", "give the centre code (--centre CODE)")
        centre = centres[0]
    label = str(path)
    table = read_table(path, data=data, name=label)
    if not table:
        raise InputError(f"{label}, row 1", "the file is empty")
    cols = _columns(table[0], label)
    policy = policy_for_centre(centre_id=centre.pk)
    levels = {}
    for lv in policy.evaluation.rating_levels:
        levels[lv.code] = levels[lv.label] = (lv.code, lv.label, lv.satisfied)
    units = {}
    for u in Unit.objects.filter(centre=centre):
        units[u.name] = u
        if u.short_name:
            units.setdefault(u.short_name, u)
    windows = {(w.unit_id, w.number): w for w in Window.objects.filter(centre=centre)}
    staff_by_no = {s.staff_no: s for s in Staff.objects.filter(centre=centre)}
    tz = timezone.get_current_timezone()
    prepared: list[dict[str, Any]] = []
    keys_seen: set[str] = set()
    for n, raw in enumerate(table[1:], start=2):
        cells = ["" if v is None else str(v).strip() for v in raw]
        if not any(cells):
            continue

        def cell(key: str, cells: list[str] = cells) -> str:
            i = cols.get(key)
            return cells[i] if i is not None and i < len(cells) else ""

        where = f"{label}, row {n}, column"
        try:
            at = parse_rated_at(cell("rated_at"))
        except ValueError as exc:
            raise InputError(f"{where} rated_at", str(exc)) from None
        unit = units.get(cell("unit"))
        if unit is None:
            raise InputError(f"{where} unit", f"no unit {cell('unit')!r} in centre {centre.code}")
        window = None
        if cell("window"):
            number = cell("window").removesuffix("号窗口").removesuffix("号")
            window = windows.get((unit.pk, number))
            if window is None:
                raise InputError(f"{where} window", f"no window {cell('window')!r} in unit {unit.name}")
        staff = None
        if cell("staff"):
            staff = staff_by_no.get(cell("staff"))
            if staff is None:
                raise InputError(f"{where} staff", f"no staff with number {cell('staff')!r}")
        level = levels.get(cell("level"))
        if level is None:
            raise InputError(f"{where} level", f"unknown level {cell('level')!r}")
        channel = CHANNELS.get(cell("channel").lower(), "web") if cell("channel") else "web"
        service_id = cell("service_id")[:70]
        digest_src = service_id or "|".join(cells)
        import_key = hashlib.sha256(digest_src.encode()).hexdigest()[:40]
        if import_key in keys_seen:
            raise InputError(f"{where} service_id", f"service {service_id!r} appears twice in the file")
        keys_seen.add(import_key)
        prepared.append(
            {
                "row": n,
                "rated_at": timezone.make_aware(at, tz),
                "unit": unit,
                "window": window,
                "staff": staff,
                "level": level,
                "channel": channel,
                "service_key": f"prov:{service_id}" if service_id else "",
                "import_key": import_key,
                "comment": cell("comment")[:500],
            }
        )
    existing = set(
        Rating.objects.filter(centre=centre, import_key__in=[p["import_key"] for p in prepared]).values_list(
            "import_key", flat=True
        )
    )
    taken = set(
        Rating.objects.filter(
            centre=centre, service_key__in=[p["service_key"] for p in prepared if p["service_key"]]
        )
        .exclude(import_key__in=existing)
        .values_list("service_key", flat=True)
    )
    for p in prepared:
        if p["service_key"] in taken:
            raise InputError(
                f"{label}, row {p['row']}, column service_id", "this service was already rated here"
            )
    new = [p for p in prepared if p["import_key"] not in existing]
    if dry_run:
        return ImportResult(len(prepared), len(new), len(prepared) - len(new))
    with transaction.atomic():
        for p in new:
            code, level_label, satisfied = p["level"]
            rating = Rating.objects.create(
                centre=centre,
                service_key=p["service_key"],
                unit=p["unit"],
                window=p["window"],
                staff=p["staff"],
                level=code,
                level_label=level_label,
                satisfied=satisfied,
                comment=p["comment"],
                channel=p["channel"],
                source=Rating.Source.IMPORT,
                first_rated_at=p["rated_at"],
                rated_at=p["rated_at"],
                anonymous=True,
                import_key=p["import_key"],
                policy_ref=policy.ref,
            )
            if not satisfied:
                open_rectification(
                    rating=rating, policy=policy, today=timezone.localtime(p["rated_at"]).date()
                )
        record_audit(
            actor=actor,
            verb="evaluation.ratings.import",
            centre_id=centre.pk,
            data={"file": Path(label).name, "created": len(new), "skipped": len(prepared) - len(new)},
        )
    return ImportResult(len(prepared), len(new), len(prepared) - len(new))

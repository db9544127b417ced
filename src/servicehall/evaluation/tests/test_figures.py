"""The satisfaction-figures engine (满意度统计, EVAL-1, EVAL-7): no database."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.core.errors import InputError
from servicehall.evaluation.figures import (
    RatingRow,
    burst_flags,
    deduplicate,
    parse_rows,
    rank_windows,
    satisfaction_rate,
    summarize,
    talk_list,
    top_share_flags,
)

LEVELS = [
    ("very_satisfied", True),
    ("satisfied", True),
    ("basically_satisfied", True),
    ("dissatisfied", False),
    ("very_dissatisfied", False),
]
CODES = [c for c, _ in LEVELS]
T0 = datetime(2026, 3, 2, 9, 0)
HEADER = ["rated_at", "unit", "window", "staff_id", "level", "service_id", "channel", "device"]


def row(
    n: int, minutes: float = 0, *, unit="U1", level="satisfied", service="", staff="", device="", at=None
):
    return RatingRow(
        row=n,
        rated_at=at or T0 + timedelta(minutes=minutes),
        unit=unit,
        level=level,
        staff_id=staff,
        service_id=service,
        device=device,
    )


def summary(rows, month="2026-03", **kw):
    args = {
        "levels": LEVELS,
        "replace_minutes": 10,
        "burst_max_ratings": 5,
        "burst_minutes": 5,
        "top_share_margin": 0.3,
    }
    args.update(kw)
    return summarize(rows, month=month, **args)


def test_eval_1__second_rating_at_exactly_the_window__replaces_the_first():
    counted, rejected, replaced = deduplicate(
        [row(2, 0, service="T1", level="very_satisfied"), row(3, 10, service="T1", level="dissatisfied")],
        replace_minutes=10,
    )
    assert [r.row for r in counted] == [3]
    assert rejected == []
    assert [r.row for r in replaced] == [2]


def test_eval_1__rating_one_minute_after_the_window__rejected_and_first_counts():
    counted, rejected, _ = deduplicate(
        [row(2, 0, service="T1"), row(3, 11, service="T1")], replace_minutes=10
    )
    assert [r.row for r in counted] == [2]
    assert [r.row for r in rejected] == [3]
    assert "10 minutes" in rejected[0].reason


def test_eval_1__window_measured_from_the_earliest_rating_not_file_order():
    """The earliest rated_at is the first even when it comes later in the file."""
    counted, rejected, _ = deduplicate(
        [row(2, 15, service="T1"), row(3, 0, service="T1"), row(4, 8, service="T1")], replace_minutes=10
    )
    assert [r.row for r in counted] == [4]  # row 4 replaced row 3 (8 min); row 2 (15 min) is too late
    assert [r.row for r in rejected] == [2]


def test_eval_1__equal_times__file_order_breaks_the_tie():
    counted, rejected, replaced = deduplicate(
        [row(2, 0, service="T1", level="satisfied"), row(3, 0, service="T1", level="dissatisfied")],
        replace_minutes=10,
    )
    assert [r.row for r in counted] == [3]
    assert [r.row for r in replaced] == [2]
    assert not rejected


def test_eval_1__empty_service_id_is_never_deduplicated():
    counted, rejected, _ = deduplicate([row(2, 0), row(3, 0), row(4, 60)], replace_minutes=10)
    assert [r.row for r in counted] == [2, 3, 4]
    assert not rejected


def test_eval_1__dedup_runs_over_the_whole_file_before_the_month_filter():
    """A February first rating makes a March one of the same service too late; the service counts in
    February, so March counts nothing for it, and the replaced row is not listed as rejected."""
    feb = datetime(2026, 2, 28, 23, 55)
    rows = [
        row(2, at=feb, service="T1", level="dissatisfied"),
        row(3, at=feb + timedelta(minutes=8), service="T1", level="satisfied"),  # replaces row 2, in March
        row(4, at=feb + timedelta(minutes=30), service="T1"),  # too late
        row(5, at=feb, service="T2"),  # February only: ignored in March, not rejected
    ]
    s = summary(rows)
    assert [(u.unit, u.counted, u.good) for u in s.units] == [("U1", 1, 1)]
    assert [r.row for r in s.rejected] == [4]


def test_eval_1__rate_rounded_half_up_to_four_places():
    assert satisfaction_rate(2, 3) == Decimal("0.6667")
    assert satisfaction_rate(1, 8) == Decimal("0.1250")
    assert satisfaction_rate(1, 16) == Decimal("0.0625")
    assert satisfaction_rate(1, 32) == Decimal("0.0313")  # 0.03125 → half-up, not banker's 0.0312
    assert satisfaction_rate(0, 0) == Decimal("0")


def test_eval_1__units_sorted_by_code_and_good_bad_from_the_scale():
    rows = [row(2, unit="U9", level="very_dissatisfied"), row(3, unit="U1", level="basically_satisfied")]
    s = summary(rows)
    assert [(u.unit, u.good, u.bad) for u in s.units] == [("U1", 1, 0), ("U9", 0, 1)]
    out = s.as_dict(policy_ref="p@1")
    assert list(out) == ["month", "policy", "units", "rejected", "flags"]
    assert out["units"][0] == {"unit": "U1", "counted": 1, "good": 1, "bad": 0, "satisfaction_rate": 1.0}


def test_eval_1__unknown_level__error_names_row_and_column():
    rows = [HEADER, ["2026-03-02 09:00", "U1", "1", "S1", "satisfied", "", "", ""]]
    rows.append(["2026-03-02 09:00", "U1", "1", "S1", "great", "", "", ""])
    with pytest.raises(InputError) as err:
        parse_rows(rows, where="r.csv", level_codes=CODES)
    assert err.value.where == "r.csv, row 3, column level"


@pytest.mark.parametrize(
    "bad", ["2026-03-02", "2026-13-02 09:00", "02/03/2026 09:00", "", "2026-03-02 25:00"]
)
def test_eval_1__bad_date__error_names_row_and_column(bad):
    with pytest.raises(InputError) as err:
        parse_rows([HEADER, [bad, "U1", "", "", "satisfied", "", "", ""]], where="r.csv", level_codes=CODES)
    assert err.value.where == "r.csv, row 2, column rated_at"


def test_eval_1__device_burst__more_than_the_limit_within_the_minutes_is_flagged():
    rows = [row(n, minutes=n - 2, device="PAD-1") for n in range(2, 8)]  # 6 ratings in 5 minutes
    flags = summary(rows).flags
    assert [f.kind for f in flags] == ["device_burst"]
    assert flags[0].detail["device"] == "PAD-1"
    assert flags[0].detail["count"] == 6
    assert flags[0].detail["rows"] == [2, 3, 4, 5, 6, 7]


def test_eval_1__device_burst__normal_pace_and_exact_limit_not_flagged():
    assert summary([row(n, minutes=(n - 2) * 2, device="PAD-1") for n in range(2, 30)]).flags == []
    assert summary([row(n, minutes=n - 2, device="PAD-1") for n in range(2, 7)]).flags == []  # exactly 5
    six_spread = [row(n, minutes=(n - 2) * 1.2, device="PAD-1") for n in range(2, 8)]  # 6 over 6 minutes
    assert summary(six_spread).flags == []


def test_eval_1__top_share__staff_far_above_the_unit_is_flagged():
    rows = [row(n, staff="S1", level="very_satisfied") for n in range(2, 12)]
    rows += [row(n, staff="S2", level="satisfied") for n in range(12, 22)]
    flags = summary(rows).flags
    assert [(f.kind, f.detail["staff_id"]) for f in flags] == [("top_share", "S1")]
    assert flags[0].detail["staff_share"] == 1.0
    assert flags[0].detail["unit_share"] == 0.5


def test_eval_1__top_share__normal_spread_not_flagged():
    rows = [row(n, staff="S1", level="very_satisfied" if n % 2 else "satisfied") for n in range(2, 12)]
    rows += [row(n, staff="S2", level="very_satisfied" if n % 3 else "satisfied") for n in range(12, 22)]
    assert summary(rows).flags == []


def test_eval_1__top_share__exactly_the_margin_is_not_above_it():
    flags = top_share_flags(
        [("U", "A", "top")] * 8 + [("U", "A", "x")] * 2 + [("U", "B", "top")] * 2 + [("U", "B", "x")] * 8,
        top_level="top",
        margin=0.3,
    )  # A 0.8, unit 0.5: 0.3 above, not more
    assert flags == []


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=30))
def test_eval_1__every_row_is_counted_replaced_or_rejected_exactly_once(offsets):
    rows = [row(i + 2, minutes=m, service=f"T{m % 3}") for i, m in enumerate(offsets)]
    counted, rejected, replaced = deduplicate(rows, replace_minutes=10)
    seen = [r.row for r in counted] + [r.row for r in rejected] + [r.row for r in replaced]
    assert sorted(seen) == [r.row for r in rows]
    assert len({r.service_id for r in counted}) == len(counted)


@given(st.integers(0, 50), st.integers(1, 50))
def test_eval_1__rate_between_zero_and_one(good, extra):
    assert Decimal(0) <= satisfaction_rate(good, good + extra) <= Decimal(1)


def test_eval_1__burst_flags_use_phone_label_for_phones():
    flags = burst_flags(
        [("13800000000", T0, i) for i in range(3)], max_ratings=2, minutes=1, kind="phone_burst"
    )
    assert flags[0].kind == "phone_burst"
    assert flags[0].detail["phone"] == "13800000000"


def test_eval_7__window_last_two_months_running__listed_for_a_talk():
    feb = rank_windows({"W1": (10, 9), "W2": (10, 5), "W3": (10, 8)})
    mar = rank_windows({"W1": (10, 10), "W2": (4, 1), "W3": (10, 7)})
    assert [r.window for r in feb] == ["W1", "W3", "W2"]
    assert feb[-1].rank == 3
    assert talk_list([feb, mar], months=2) == {"W2"}
    apr = rank_windows({"W1": (10, 10), "W2": (4, 4), "W3": (10, 7)})
    assert talk_list([feb, mar, apr], months=2) == set()  # W2 recovered, W3 last only once
    assert talk_list([mar], months=2) == set()

"""Demo catalogue of a county service centre (县政务服务中心): about 60 items in 8 stationed units.

The data lives in `demo_units.yaml` and `demo_items.yaml` beside this module (shipped as package data);
this module only reads them. Pure data, no database: `demo_units()` and `demo_items()` return plain dicts
that the demo builder turns into Unit / Item / Material rows. Every item satisfies CAT-1 (six publics
filled in) and CAT-2 (即办件 0 days, 承诺件 ≥ 1 day, 联办件 with joint units);
`tests/test_demo_data.py` checks this through `catalog.rules`.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


@cache
def _load(name: str) -> list[dict[str, Any]]:
    with (HERE / name).open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def demo_units() -> list[dict[str, str]]:
    """The eight stationed units (进驻单位) the demo items belong to: name, short name, item-code prefix."""
    return copy.deepcopy(_load("demo_units.yaml"))


def demo_items() -> list[dict[str, Any]]:
    """About 60 catalogue items as plain dicts; `unit` and `joint_units` name units of `demo_units()`."""
    return copy.deepcopy(_load("demo_items.yaml"))

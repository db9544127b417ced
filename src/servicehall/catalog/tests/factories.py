from __future__ import annotations

import factory

from servicehall.catalog.models import CaseType, Item, Material
from servicehall.org.tests.factories import UnitFactory


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    unit = factory.SubFactory(UnitFactory)
    centre = factory.SelfAttribute("unit.centre")
    code = factory.Sequence(lambda n: f"ITEM-{n:04d}")
    name = factory.Sequence(lambda n: f"事项{n}")
    case_type = CaseType.PROMISED
    promised_days = 5
    status = Item.Status.PUBLISHED


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"材料{n}")

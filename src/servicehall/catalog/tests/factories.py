from __future__ import annotations

import factory
from django.utils import timezone

from servicehall.catalog.models import Attachment, CaseType, Item, ItemRevision, Material
from servicehall.org.models import Staff
from servicehall.org.tests.factories import StaffFactory, UnitFactory


class ItemFactory(factory.django.DjangoModelFactory):
    """A published 承诺件 with all six publics filled in; `ItemFactory(draft=True)` for an unpublished one,
    `ItemFactory(with_materials=2)` to add checklist lines."""

    class Meta:
        model = Item
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Item.Status.DRAFT, published_at=None)
        withdrawn = factory.Trait(status=Item.Status.WITHDRAWN)

    unit = factory.SubFactory(UnitFactory)
    centre = factory.SelfAttribute("unit.centre")
    code = factory.Sequence(lambda n: f"ITEM-{n:04d}")
    name = factory.Sequence(lambda n: f"事项{n}")
    case_type = CaseType.PROMISED
    promised_days = 5
    statutory_days = 20
    content = "依申请办理本事项"
    procedure = "申请—受理—审查—决定—送达"
    legal_basis = "《中华人民共和国行政许可法》"
    fees = "不收费"
    status = Item.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def with_materials(self, create, extracted, **kwargs):
        if create and extracted:
            for i in range(1, int(extracted) + 1):
                Material.objects.create(item=self, position=i, name=f"申请材料{i}")


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"材料{n}")


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    item = factory.SubFactory(ItemFactory)
    kind = Attachment.Kind.GUIDE
    title = factory.LazyAttribute(lambda o: f"{o.item.name}办事指南")
    in_stock = 50
    low_stock_at = 10


class ItemRevisionFactory(factory.django.DjangoModelFactory):
    """A pending change by the chief rep of the item's unit. Skips validation: test rules via the service."""

    class Meta:
        model = ItemRevision

    item = factory.SubFactory(ItemFactory)
    unit = factory.SelfAttribute("item.unit")
    centre = factory.SelfAttribute("unit.centre")
    proposed_by = factory.SubFactory(
        StaffFactory, unit=factory.SelfAttribute("..unit"), role=Staff.Role.CHIEF_REP
    )
    changes = factory.LazyFunction(lambda: {"fees": "每件 10 元"})

"""Public pages need no login and never show unpublished items (CAT-1); the guide PDF is always there (CAT-3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from servicehall.catalog.models import ItemRevision
from servicehall.catalog.tests.factories import AttachmentFactory, ItemFactory
from servicehall.org.models import Staff
from servicehall.org.tests.factories import CentreFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    centre = CentreFactory(code="county", name="示范县政务服务中心")
    unit = UnitFactory(centre=centre, name="市场监督管理局")
    return {
        "centre": centre,
        "unit": unit,
        "item": ItemFactory(unit=unit, code="SJ-001", name="营业执照变更登记", with_materials=2),
        "draft": ItemFactory(unit=unit, code="SJ-002", name="秘密草稿事项", draft=True),
    }


def pending_fee_revision(hall) -> ItemRevision:
    """A change of the hall item's fees to 10 元, proposed by its unit's chief representative, not yet decided."""
    rep = StaffFactory(unit=hall["unit"], role=Staff.Role.CHIEF_REP)
    return ItemRevision.objects.create(
        centre=hall["centre"],
        item=hall["item"],
        unit=hall["unit"],
        proposed_by=rep,
        changes={"fees": "10 元"},
    )


def test_nav__item_list_resolves_to_catalog_root():
    assert reverse("catalog:item_list") == "/catalog/"


def test_catalog_root__single_centre__shows_its_items(client, hall):
    res = client.get("/catalog/")
    assert res.status_code == 200
    assert "营业执照变更登记" in res.content.decode()


def test_catalog_root__several_centres__lists_them(client, hall):
    CentreFactory(code="town", name="某镇便民服务中心")
    body = client.get("/catalog/").content.decode()
    assert "某镇便民服务中心" in body
    assert "/catalog/county/" in body


def test_cat_1__public_list_and_htmx_search__hide_drafts(client, hall):
    body = client.get("/catalog/county/").content.decode()
    assert "营业执照变更登记" in body
    assert "秘密草稿事项" not in body
    partial = client.get("/catalog/county/", {"q": "yyzz"}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "营业执照变更登记" in text
    assert "<html" not in text
    assert "秘密草稿事项" not in client.get("/catalog/county/", {"q": "秘密"}).content.decode()


def test_cat_1__detail_shows_six_publics_and_numbered_materials(client, hall):
    body = client.get("/catalog/county/items/SJ-001/").content.decode()
    for text in (
        "办理内容",
        "办理程序",
        "法律依据",
        "申请材料",
        "承诺时限",
        "收费标准",
        "申请材料1",
        "申请材料2",
    ):
        assert text in body
    assert client.get("/catalog/county/items/SJ-002/").status_code == 404


def test_cat_3__guide_pdf__always_downloadable_for_published_item(client, hall):
    res = client.get("/catalog/county/items/SJ-001/guide.pdf")
    assert res.status_code == 200
    assert res["Content-Type"] == "application/pdf"
    assert res.content.startswith(b"%PDF")
    assert client.get("/catalog/county/items/SJ-002/guide.pdf").status_code == 404


def test_cat_3__guide_pdf__embeds_its_chinese_font(client, hall):
    """The guide's font is embedded (FontFile2), so no reader shows missing-glyph boxes."""
    import io

    from pypdf import PdfReader

    from servicehall.core.fonts import CID_FALLBACK, cjk_font

    if cjk_font() == CID_FALLBACK:
        pytest.skip("no TrueType CJK font installed on this machine")
    reader = PdfReader(io.BytesIO(client.get("/catalog/county/items/SJ-001/guide.pdf").content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        if (
            str(font.get("/BaseFont", ""))
            .lstrip("/")
            .startswith(("Helvetica", "Times", "Courier", "Symbol", "Zapf"))
        ):
            continue  # the PDF standard fonts (digits, page furniture) are never embedded
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target.get("/FontDescriptor")
        embedded.append(bool(descriptor and ("/FontFile2" in descriptor.get_object())))
    assert embedded
    assert all(embedded)


def test_cat_3__attachment_of_draft_item__not_downloadable(client, hall, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.base import ContentFile

    att = AttachmentFactory(item=hall["draft"])
    att.file.save("sample.pdf", ContentFile(b"%PDF-1.4 sample"))
    assert client.get(f"/catalog/attachments/{att.pk}/").status_code == 404
    ok = AttachmentFactory(item=hall["item"], kind="sample")
    ok.file.save("sample2.pdf", ContentFile(b"%PDF-1.4 sample"))
    res = client.get(f"/catalog/attachments/{ok.pk}/")
    assert res.status_code == 200
    assert b"".join(res.streaming_content).startswith(b"%PDF")


def test_cat_1__propose_form__creates_pending_revision(client, hall):
    rep = StaffFactory(unit=hall["unit"], role=Staff.Role.CHIEF_REP, with_user=True)
    client.force_login(rep.user)
    res = client.post(
        f"/catalog/propose/{hall['item'].pk}/",
        {
            "code": "SJ-001",
            "name": "营业执照变更登记",
            "case_type": "promised",
            "content": "新的办理内容",
            "procedure": "申请—受理—审查—决定—送达",
            "legal_basis": "《中华人民共和国行政许可法》",
            "materials": "申请材料1 | 原件 | 1 | 必须\n申请材料2",
            "promised_days": "5",
            "statutory_days": "20",
            "fees": "不收费",
        },
    )
    assert res.status_code == 302, res.content.decode()[:2000]
    revision = ItemRevision.objects.get()
    assert revision.changes == {"content": "新的办理内容"}


def test_cat_2__propose_form__rule_error_shown_on_field(client, hall):
    rep = StaffFactory(unit=hall["unit"], role=Staff.Role.CHIEF_REP, with_user=True)
    client.force_login(rep.user)
    res = client.post(
        "/catalog/propose/",
        {
            "code": "SJ-010",
            "name": "个体工商户注册登记",
            "case_type": "immediate",
            "content": "c",
            "procedure": "p",
            "legal_basis": "l",
            "materials": "申请书 | 原件 | x",
            "promised_days": "0",
            "fees": "不收费",
        },
    )
    assert res.status_code == 200
    assert "第 1 行" in res.content.decode()
    assert not ItemRevision.objects.exists()


def test_cat_1__review_page__admin_approves_window_staff_forbidden(client, hall):
    revision = pending_fee_revision(hall)
    clerk = StaffFactory(unit=hall["unit"], role=Staff.Role.WINDOW_STAFF, with_user=True)
    client.force_login(clerk.user)
    assert client.post(f"/catalog/review/{revision.pk}/decide/", {"action": "approve"}).status_code == 403
    admin = StaffFactory(unit=None, centre=hall["centre"], role=Staff.Role.CENTRE_ADMIN, with_user=True)
    client.force_login(admin.user)
    assert "营业执照变更登记" in client.get("/catalog/review/").content.decode()
    client.post(f"/catalog/review/{revision.pk}/decide/", {"action": "approve", "note": "同意"})
    revision.refresh_from_db()
    assert revision.status == ItemRevision.Status.APPROVED
    assert "10 元" in client.get("/catalog/county/items/SJ-001/").content.decode()


def test_cat_1__other_unit_cannot_open_revision(client, hall):
    revision = pending_fee_revision(hall)
    other = StaffFactory(unit=UnitFactory(centre=hall["centre"]), role=Staff.Role.CHIEF_REP, with_user=True)
    client.force_login(other.user)
    assert client.get(f"/catalog/review/{revision.pk}/").status_code == 404

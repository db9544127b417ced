"""Pages: live check fragment (htmx), training list, bulk transcript review (LANG-1, LANG-4)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicehall.core.roles import Role
from servicehall.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def login(client, role=Role.WINDOW_STAFF):
    staff = StaffFactory(with_user=True, role=role)
    client.force_login(staff.user)
    return staff


def test_lang_4__check_fragment__lists_findings_with_suggestions(client):
    login(client)
    resp = client.post(reverse("language:check_fragment"), {"text": "你這人真笨，有意见找领导去"})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-findings="2"' in body
    assert "你這人真笨" in body
    assert "谢谢您，欢迎您监督和帮助" in body


def test_lang_4__check_fragment__named_field_and_clean_text(client):
    login(client)
    url = reverse("language:check_fragment") + "?field=answer"
    resp = client.post(url, {"answer": "您好，请您先备齐资料。"})
    assert resp.status_code == 200
    assert 'data-findings="0"' in resp.content.decode()
    resp = client.post(url, {"answer": "不知道。"})
    assert 'data-findings="1"' in resp.content.decode()


def test_lang_4__check_fragment__needs_login_and_post(client):
    assert client.post(reverse("language:check_fragment"), {"text": "x"}).status_code == 302
    login(client)
    assert client.get(reverse("language:check_fragment")).status_code == 405


def test_lang_4__training_page__every_phrase_with_rewrite(client):
    from servicehall.language.tests.helpers import language

    login(client)
    body = client.get(reverse("language:training")).content.decode()
    for p in language().active_forbidden():
        assert f'id="phrase-{p.id}"' in body
        assert p.rewrite in body


def transcript(*rows: dict) -> SimpleUploadedFile:
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    return SimpleUploadedFile("day.jsonl", data, content_type="application/jsonl")


def test_lang_1__review_page__per_staff_statistics(client):
    login(client, Role.SUPERVISOR)
    upload = transcript(
        {"conversation": "1", "staff": "张三", "speaker": "staff", "text": "您好", "t": 0},
        {"conversation": "1", "staff": "张三", "speaker": "staff", "text": "没看我正忙着吗？", "t": 3},
        {"conversation": "2", "staff": "李四", "speaker": "staff", "text": "您好，请慢走", "t": 0},
    )
    resp = client.post(reverse("language:review"), {"transcript": upload})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "张三" in body
    assert "李四" in body
    assert "没看我正忙着吗" in body


def test_lang_1__review_page__bad_line__error_names_line(client):
    login(client, Role.CENTRE_ADMIN)
    upload = SimpleUploadedFile("bad.jsonl", b'{"speaker": "staff", "text": "ok"}\n{oops\n')
    resp = client.post(reverse("language:review"), {"transcript": upload})
    assert resp.status_code == 400
    assert "bad.jsonl line 2" in resp.content.decode()


def test_lang_1__review_page__window_staff__forbidden(client):
    login(client, Role.WINDOW_STAFF)
    assert client.get(reverse("language:review")).status_code == 403


def test_lang_4__api_check__findings_json(client):
    login(client)
    resp = client.post("/api/language/check", {"text": "有牌子，自己看！"}, content_type="application/json")
    assert resp.status_code == 200
    [finding] = resp.json()["findings"]
    assert finding["phrase_id"] == "sign-read-yourself"
    assert (finding["start"], finding["end"]) == (0, 7)


def test_lang_4__api_check__anonymous__refused(client):
    resp = client.post("/api/language/check", {"text": "x"}, content_type="application/json")
    assert resp.status_code == 401

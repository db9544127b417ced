import pytest

pytestmark = pytest.mark.django_db


def test_api_add__national_day(client):
    response = client.get("/api/workdays/add", {"date": "2025-09-30", "n": 1})
    assert response.status_code == 200
    assert response.json()["result"] == "2025-10-09"


def test_api_unloaded_year__error_body_names_year(client):
    response = client.get("/api/workdays/days/2099-01-05")
    assert response.status_code == 400
    assert "2099" in response.json()["detail"]

"""The ID-card local agent (二代身份证识别, 002/篇3 §6; CASE-1 registration data, INT-2 personal data):
the /v1/card protocol, origin-only CORS with Private Network Access, GB 11643 validation, nothing logged."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import pytest

from servicehall.core.runtime import command_runner
from servicehall.devices import commands
from servicehall.devices.idcard import ReaderUnavailable, SdkReader
from servicehall.devices.tests.conftest import CARD, ORIGIN


def get(url: str, *, origin: str | None = ORIGIN, method: str = "GET", headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, method=method, headers=dict(headers or {}))
    if origin:
        request.add_header("Origin", origin)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw = response.read()
            return response.status, dict(response.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        return err.code, dict(err.headers), json.loads(raw) if raw else None


def test_case_1_int_2__card_on_reader__agent_answers_name_number_address_validity(agent):
    agent.place(CARD)
    status, headers, body = get(agent.url + "/v1/card")
    assert status == 200
    card = body["card"]
    assert card["name"] == "欧阳娜娜"
    assert card["id_number"] == "64040219900101002X"  # normalised by the GB 11643 validator
    assert card["address"].startswith("宁夏固原市")
    assert (card["valid_from"], card["valid_until"], card["expired"]) == ("2020-01-01", "2040-01-01", False)
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Cache-Control"] == "no-store"


def test_case_1__no_card_is_404_and_no_reader_is_503(agent):
    agent.place(None)
    status, _, body = get(agent.url + "/v1/card")
    assert (status, body["error"]) == (404, "no_card")
    agent.card_file.write_text('{"reader": "absent"}', encoding="utf-8")
    status, _, body = get(agent.url + "/v1/card")
    assert (status, body["error"]) == (503, "no_reader")
    assert get(agent.url + "/v1/status")[2]["reader"] == "unavailable"


def test_case_1__card_failing_gb11643__refused_without_echoing_the_number(agent):
    agent.place({**CARD, "id_number": "640402199001010021"})
    status, _, body = get(agent.url + "/v1/card")
    assert (status, body["error"]) == (422, "invalid_card")
    assert "640402199001010021" not in json.dumps(body, ensure_ascii=False)


def test_int_2__other_origin_or_no_origin__refused_and_no_cors_header(agent):
    agent.place(CARD)
    for origin in ("https://evil.example.com", None):
        status, headers, body = get(agent.url + "/v1/card", origin=origin)
        assert status == 403
        assert "Access-Control-Allow-Origin" not in headers
        assert "欧阳" not in json.dumps(body, ensure_ascii=False)


def test_int_2__rebound_host_header__refused(agent):
    agent.place(CARD)
    status, _, body = get(agent.url + "/v1/card", headers={"Host": "attacker.example.com"})
    assert status == 421
    assert "card" not in body


def test_int_2__preflight_allows_private_network_access_for_the_servicehall_origin_only(agent):
    ask = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Private-Network": "true"}
    status, headers, _ = get(agent.url + "/v1/card", method="OPTIONS", headers=ask)
    assert status == 204
    assert headers["Access-Control-Allow-Private-Network"] == "true"
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    status, headers, _ = get(
        agent.url + "/v1/card", method="OPTIONS", headers=ask, origin="https://evil.example"
    )
    assert status == 403
    assert "Access-Control-Allow-Private-Network" not in headers


def test_int_2__card_content_never_logged(agent, caplog, capsys, monkeypatch):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="servicehall.idagent")
    # A dictConfig elsewhere in the run may have disabled or raised the logger; the check needs it on.
    monkeypatch.setattr(logging.getLogger("servicehall.idagent"), "disabled", False)
    agent.place(CARD)
    assert get(agent.url + "/v1/card")[0] == 200
    agent.place({**CARD, "id_number": "640402199001010021"})
    assert get(agent.url + "/v1/card")[0] == 422
    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "GET /v1/card 200" in caplog.text  # the request itself is logged ...
    for secret in ("64040219900101002", "640402199001010021", "欧阳娜娜", "文化路"):
        assert secret not in logged  # ... its content is not


def test_case_1__sdk_placeholder_adapter__refuses_with_a_clear_message():
    with pytest.raises(ReaderUnavailable, match=r"尚未配置.*docs/id-reader\.md"):
        SdkReader("sdk").read_card()


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["id-agent", "--simulate", "card.json"], "--origin"),
        (["id-agent", "--origin", "javascript:alert(1)"], "--origin"),
        (["id-agent", "--origin", ORIGIN, "--port", "70000"], "--port"),
    ],
)
def test_case_1__id_agent_command__bad_arguments_exit_2_naming_the_option(argv, field, capsys):
    assert command_runner(commands)(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert field in err

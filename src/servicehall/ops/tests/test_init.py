"""`servicehall init`: the first centre, its office admin and its policy (ORG-1), all or nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from servicehall.cases import commands as cases_commands
from servicehall.core.runtime import command_runner
from servicehall.ops import commands as ops_commands
from servicehall.org.models import Centre, Staff
from servicehall.policy_versions import commands as policy_commands
from servicehall.policy_versions.models import PolicyVersion
from servicehall.workdays import commands as workdays_commands

pytestmark = pytest.mark.django_db

# `servicehall ...` with the commands these tests drive (ops adds its steps to `workdays`, so it comes after)
main = command_runner(workdays_commands, cases_commands, policy_commands, ops_commands)

FLAGS = ["init", "--centre-code", "yz-county", "--centre-name", "远洲县政务服务中心", "--admin-username",
         "office", "--admin-name", "钱管理", "--admin-password", "Zhongxin-2026!", "--preset", "yuanzhou-p2"]  # fmt: skip


def test_org_1__init_with_flags__centre_admin_and_policy(capsys):
    assert main(FLAGS) == 0
    centre = Centre.objects.get(code="yz-county")
    admin = Staff.objects.get(centre=centre)
    assert admin.role == Staff.Role.CENTRE_ADMIN
    assert admin.user.check_password("Zhongxin-2026!")
    assert PolicyVersion.objects.filter(centre=centre).exists()
    assert "yz-county" in capsys.readouterr().out
    # The step the docs take next now works: publishing a policy for the centre.
    assert (
        main(["policy", "publish", "--centre", "yz-county", "yuanzhou-p1", "--effective", "2027-01-01"]) == 0
    )


def test_org_1__init_bad_preset__nothing_written(capsys):
    assert main([*FLAGS[:-1], "no-such-preset"]) == 2
    assert "no-such-preset" in capsys.readouterr().err
    assert not Centre.objects.exists()
    assert not get_user_model().objects.filter(username="office").exists()


def test_org_1__init_without_terminal__missing_flag_named(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["init", "--centre-code", "x"]) == 2
    assert "--centre-name" in capsys.readouterr().err

"""Organisation services: A/B posts (ORG-3), posting (ORG-5), pause/resume (ORG-6), roles on writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.utils import timezone

from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.models import AuditEntry
from servicehall.org import services
from servicehall.org.models import Post, Staff, Window
from servicehall.org.tests.factories import StaffFactory

# --- ORG-3 A/B posts ----------------------------------------------------------------------------


def enterprise_post(world, a_holder: Staff, b_holder: Staff, *, who: str = "admin", **kwargs) -> Post:
    """`who` creates unit A's 企业登记 post with these A and B holders."""
    return services.create_post(
        unit_id=world.unit_a.pk,
        name="企业登记",
        a_holder_id=a_holder.pk,
        b_holder_id=b_holder.pk,
        actor=world.user(who),
        **kwargs,
    )


def test_org_3__service__same_person_as_a_and_b__refused_and_nothing_written(world):
    with pytest.raises(RuleViolation) as err:
        enterprise_post(world, world.clerk_a, world.clerk_a)
    assert err.value.rule_id == "ORG-3"
    assert not Post.objects.exists()
    assert not AuditEntry.objects.filter(verb="org.post.create").exists()


def test_org_3__service__b_from_another_unit__refused(world):
    with pytest.raises(RuleViolation) as err:
        enterprise_post(world, world.clerk_a, world.clerk_b)
    assert err.value.rule_id == "ORG-3"
    assert "B角" in err.value.message


def test_org_3__service__two_people_of_the_unit__created_and_audited(world):
    post = enterprise_post(world, world.clerk_a, world.clerk_a2, who="chief_a", window_id=world.window_a.pk)
    assert (post.a_holder_id, post.b_holder_id, post.centre_id) == (
        world.clerk_a.pk,
        world.clerk_a2.pk,
        world.centre.pk,
    )
    entry = AuditEntry.objects.get(verb="org.post.create")
    assert entry.target_id == str(post.pk)
    assert entry.actor == world.user("chief_a")


def test_org_3__update_post__b_set_to_a__refused(world):
    post = enterprise_post(world, world.clerk_a, world.clerk_a2)
    with pytest.raises(RuleViolation) as err:
        services.update_post(post_id=post.pk, b_holder_id=world.clerk_a.pk, actor=world.user("admin"))
    assert err.value.rule_id == "ORG-3"
    post.refresh_from_db()
    assert post.b_holder_id == world.clerk_a2.pk


def test_org_3__chief_rep_of_another_unit__cannot_create_post(world):
    with pytest.raises(Forbidden):
        services.create_post(
            unit_id=world.unit_b.pk,
            name="社保",
            a_holder_id=world.clerk_b.pk,
            b_holder_id=StaffFactory(unit=world.unit_b).pk,
            actor=world.user("chief_a"),
        )


# --- ORG-6 pause / resume -----------------------------------------------------------------------


def pause(world, window: Window, who: str, *, message: str = "", **kwargs):
    """`who` (a name in `world`) puts up the 暂停服务 sign at `window` through the service."""
    return services.pause_window(window_id=window.pk, actor=world.user(who), message=message, **kwargs)


def test_org_6__pause_without_redirect_or_resume_time__refused(world):
    with pytest.raises(RuleViolation) as err:
        pause(world, world.window_a, "clerk_a", message="暂停服务")
    assert err.value.rule_id == "ORG-6"
    world.window_a.refresh_from_db()
    assert world.window_a.status == Window.Status.OPEN


def test_org_6__pause_with_redirect__paused_with_message_naming_the_window(world):
    window = pause(world, world.window_a, "clerk_a", redirect_window_id=world.window_a2.pk)
    window.refresh_from_db()
    assert window.status == Window.Status.PAUSED
    assert window.redirect_window_id == world.window_a2.pk
    assert "请到2号窗口办理" in window.pause_sign
    assert AuditEntry.objects.filter(verb="org.window.pause", target_id=str(window.pk)).count() == 1


def test_org_6__pause_with_resume_time_only__accepted_and_message_kept(world):
    resume_at = timezone.now() + dt.timedelta(minutes=30)
    window = pause(world, world.window_a, "clerk_a", message="外出核查,稍后回来", resume_at=resume_at)
    assert (window.status, window.paused_message, window.resume_at) == (
        Window.Status.PAUSED,
        "外出核查,稍后回来",
        resume_at,
    )


def test_org_6__resume_time_in_the_past__refused(world):
    with pytest.raises(InputError) as err:
        pause(
            world,
            world.window_a,
            "clerk_a",
            message="x",
            resume_at=timezone.now() - dt.timedelta(minutes=1),
        )
    assert err.value.where == "resume_at"


def test_org_6__redirect_to_a_paused_window__refused(world):
    pause(world, world.window_a2, "admin", redirect_window_id=world.window_b.pk)
    with pytest.raises(RuleViolation) as err:
        pause(world, world.window_a, "clerk_a", redirect_window_id=world.window_a2.pk)
    assert err.value.rule_id == "ORG-6"
    assert "暂停" in err.value.message


def test_org_6__redirect_to_another_centres_window__refused(world):
    with pytest.raises(RuleViolation) as err:
        pause(world, world.window_a, "clerk_a", redirect_window_id=world.other_window.pk)
    assert err.value.rule_id == "ORG-6"


def test_org_6__window_others_redirect_to__cannot_pause_until_they_change(world):
    pause(world, world.window_a, "clerk_a", redirect_window_id=world.window_b.pk)
    with pytest.raises(RuleViolation) as err:
        pause(
            world,
            world.window_b,
            "clerk_b",
            resume_at=timezone.now() + dt.timedelta(hours=1),
        )
    assert err.value.rule_id == "ORG-6"
    assert "1号窗口" in err.value.message


def test_org_6__resume__clears_sign_and_is_idempotent(world):
    pause(world, world.window_a, "clerk_a", redirect_window_id=world.window_a2.pk)
    services.resume_window(window_id=world.window_a.pk, actor=world.user("clerk_a"))
    window = services.resume_window(window_id=world.window_a.pk, actor=world.user("clerk_a"))
    window.refresh_from_db()
    assert (window.status, window.paused_message, window.redirect_window_id) == (Window.Status.OPEN, "", None)
    assert AuditEntry.objects.filter(verb="org.window.resume").count() == 1


@pytest.mark.parametrize(
    "who", ["clerk_b", "clerk_a2", "auditor", "supervisor", "other_admin", "other_clerk"]
)
def test_org_6__pause__outside_own_window_unit_or_centre__forbidden(world, who):
    with pytest.raises(Forbidden):
        pause(world, world.window_a, who, redirect_window_id=world.window_b.pk)
    world.window_a.refresh_from_db()
    assert world.window_a.status == Window.Status.OPEN


@pytest.mark.parametrize("who", ["clerk_a", "chief_a", "admin"])
def test_org_6__pause__own_window_chief_rep_or_centre_admin__allowed(world, who):
    window = pause(world, world.window_a, who, redirect_window_id=world.window_b.pk)
    assert window.status == Window.Status.PAUSED


# --- staff, chief representative, windows -------------------------------------------------------


def test_create_staff__with_login__user_can_sign_in_and_is_linked(world):
    result = services.create_staff(
        centre_id=world.centre.pk,
        unit_id=world.unit_b.pk,
        name="李华",
        staff_no="RS-001",
        username="lihua",
        password="Window-2026-pass",
        actor=world.user("admin"),
    )
    user = authenticate(username="lihua", password="Window-2026-pass")
    assert user is not None
    assert user.staff == result.staff
    assert AuditEntry.objects.get(verb="org.staff.create").data["login"] is True


def test_create_staff__weak_password__refused_and_nothing_written(world):
    with pytest.raises(InputError) as err:
        services.create_staff(
            centre_id=world.centre.pk,
            unit_id=world.unit_b.pk,
            name="李华",
            staff_no="RS-001",
            username="lihua",
            password="123",
            actor=world.user("admin"),
        )
    assert err.value.where == "password"
    assert not get_user_model().objects.filter(username="lihua").exists()
    assert not Staff.objects.filter(staff_no="RS-001").exists()


def test_org_2__window_staff_without_unit__refused(world):
    with pytest.raises(RuleViolation) as err:
        services.create_staff(
            centre_id=world.centre.pk, name="王五", staff_no="X1", actor=world.user("admin")
        )
    assert err.value.rule_id == "ORG-2"


def test_org_1__new_chief_rep__becomes_unit_chief_and_previous_steps_down(world):
    result = services.create_staff(
        centre_id=world.centre.pk,
        unit_id=world.unit_a.pk,
        name="赵强",
        staff_no="SC-9",
        role=Staff.Role.CHIEF_REP,
        actor=world.user("admin"),
    )
    world.unit_a.refresh_from_db()
    world.chief_a.refresh_from_db()
    assert world.unit_a.chief_rep_id == result.staff.pk
    assert world.chief_a.role == Staff.Role.WINDOW_STAFF


def test_org_1__chief_rep_from_another_unit__refused(world):
    with pytest.raises(RuleViolation) as err:
        services.set_chief_rep(unit_id=world.unit_a.pk, staff_id=world.clerk_b.pk, actor=world.user("admin"))
    assert err.value.rule_id == "ORG-1"


def test_org_2__assign_window_of_another_unit__refused(world):
    with pytest.raises(RuleViolation) as err:
        services.assign_windows(
            staff_id=world.clerk_a.pk, window_ids=[world.window_b.pk], actor=world.user("admin")
        )
    assert err.value.rule_id == "ORG-2"
    assert list(world.clerk_a.windows.all()) == [world.window_a]


def test_assign_windows__chief_rep_seats_own_unit_staff(world):
    services.assign_windows(
        staff_id=world.clerk_a.pk,
        window_ids=[world.window_a.pk, world.window_a2.pk],
        actor=world.user("chief_a"),
    )
    assert set(world.clerk_a.windows.all()) == {world.window_a, world.window_a2}


# --- ORG-5 posting ------------------------------------------------------------------------------


def test_org_5__posting_shorter_than_a_year__allowed_but_flagged(world):
    result = services.set_posting(
        staff_id=world.clerk_a.pk,
        posted_from=dt.date(2025, 1, 1),
        posted_until=dt.date(2025, 6, 30),
        actor=world.user("admin"),
    )
    world.clerk_a.refresh_from_db()
    assert result.posting.short is True
    assert world.clerk_a.posted_until == dt.date(2025, 6, 30)
    assert world.clerk_a.posting_note.startswith("ORG-5")


def test_org_5__full_year_posting__not_flagged(world):
    result = services.set_posting(
        staff_id=world.clerk_a.pk,
        posted_from=dt.date(2025, 1, 1),
        posted_until=dt.date(2025, 12, 31),
        actor=world.user("admin"),
    )
    assert result.posting.short is False
    world.clerk_a.refresh_from_db()
    assert world.clerk_a.posting_note == ""


def test_org_5__posting_end_before_start__refused_and_unchanged(world):
    with pytest.raises(RuleViolation) as err:
        services.set_posting(
            staff_id=world.clerk_a.pk,
            posted_from=dt.date(2025, 6, 1),
            posted_until=dt.date(2025, 5, 1),
            actor=world.user("admin"),
        )
    assert err.value.rule_id == "ORG-5"
    world.clerk_a.refresh_from_db()
    assert world.clerk_a.posted_from is None


# --- roles on writes ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["auditor", "supervisor", "chief_a", "clerk_a", "other_admin"])
def test_roles__only_the_centre_admin_keeps_reference_data(world, who):
    with pytest.raises(Forbidden):
        services.create_unit(centre_id=world.centre.pk, name="区税务局", actor=world.user(who))
    with pytest.raises(Forbidden):
        services.update_window(window_id=world.window_b.pk, name="改名", actor=world.user(who))


def test_org_1__centre_admin_cannot_create_a_centre_but_installation_admin_can(world):
    with pytest.raises(Forbidden):
        services.create_centre(code="x", name="某镇便民服务中心", actor=world.user("admin"))
    root = get_user_model().objects.create_superuser("root", password="Root-pass-2026")
    centre = services.create_centre(code="x", name="某镇便民服务中心", parent_id=world.centre.pk, actor=root)
    assert centre.parent == world.centre
    assert AuditEntry.objects.get(verb="org.centre.create").centre_id == centre.pk


def test_org_1__duplicate_window_number_in_centre__clear_error(world):
    with pytest.raises(InputError) as err:
        services.create_window(
            centre_id=world.centre.pk,
            unit_id=world.unit_b.pk,
            number="1",
            name="重复",
            actor=world.user("admin"),
        )
    assert err.value.where == "窗口"
    assert "窗口号" in err.value.message
    assert Window.objects.filter(centre=world.centre, number="1").count() == 1


def test_org_1__window_in_another_centres_unit__refused(world):
    with pytest.raises(RuleViolation) as err:
        services.create_window(
            centre_id=world.centre.pk,
            unit_id=world.other_window.unit_id,
            number="99",
            name="跨中心",
            actor=world.user("admin"),
        )
    assert err.value.rule_id == "ORG-1"


def test_update_staff__leaving_the_centre__login_deactivated(world):
    services.update_staff(staff_id=world.clerk_a.pk, is_active=False, actor=world.user("admin"))
    world.clerk_a.user.refresh_from_db()
    assert world.clerk_a.user.is_active is False
    assert AuditEntry.objects.get(verb="org.staff.update").data["changed"] == ["is_active"]


def test_update_staff__unknown_field__refused(world):
    with pytest.raises(InputError) as err:
        services.update_staff(staff_id=world.clerk_a.pk, role="centre_admin", actor=world.user("admin"))
    assert err.value.where == "role"

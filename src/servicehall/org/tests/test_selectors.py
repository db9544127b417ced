"""Who sees whom (accounts and roles, ORG-1): selectors scope every read to the viewer."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from servicehall.core.errors import NotFound
from servicehall.org import selectors
from servicehall.org.tests.factories import PostFactory


def names(qs) -> set[str]:
    return {s.name for s in qs}


def test_roles__window_staff__sees_only_own_record(world):
    assert list(selectors.staff_list(viewer=world.user("clerk_a"))) == [world.clerk_a]


def test_roles__window_staff__colleague_detail_not_found(world):
    with pytest.raises(NotFound):
        selectors.staff_detail(viewer=world.user("clerk_a"), staff_id=world.clerk_a2.pk)


def test_roles__window_staff_of_unit_a__unit_b_staff_detail_not_found(world):
    with pytest.raises(NotFound):
        selectors.staff_detail(viewer=world.user("clerk_a"), staff_id=world.clerk_b.pk)


def test_roles__chief_rep__sees_own_unit_only(world):
    people = selectors.staff_list(viewer=world.user("chief_a"))
    assert names(people) == {world.clerk_a.name, world.clerk_a2.name, world.chief_a.name}
    assert selectors.staff_detail(viewer=world.user("chief_a"), staff_id=world.clerk_a2.pk) == world.clerk_a2
    with pytest.raises(NotFound):
        selectors.staff_detail(viewer=world.user("chief_a"), staff_id=world.clerk_b.pk)
    assert list(selectors.units_for(viewer=world.user("chief_a"))) == [world.unit_a]
    assert set(selectors.windows_for(viewer=world.user("chief_a"))) == {world.window_a, world.window_a2}


@pytest.mark.parametrize("who", ["admin", "supervisor", "auditor"])
def test_roles__centre_office__sees_the_whole_centre_and_nothing_else(world, who):
    people = set(selectors.staff_list(viewer=world.user(who)))
    assert {world.clerk_a, world.clerk_b, world.chief_a} <= people
    assert world.other_clerk not in people
    assert all(p.centre_id == world.centre.pk for p in people)
    assert selectors.staff_detail(viewer=world.user(who), staff_id=world.clerk_b.pk) == world.clerk_b
    assert set(selectors.units_for(viewer=world.user(who))) == {world.unit_a, world.unit_b}


def test_org_1__centre_admin__another_centres_data_invisible(world):
    viewer = world.user("admin")
    assert not selectors.staff_list(viewer=viewer, centre_id=world.other_centre.pk).exists()
    assert not selectors.units_for(viewer=viewer, centre_id=world.other_centre.pk).exists()
    assert not selectors.windows_for(viewer=viewer, centre_id=world.other_centre.pk).exists()
    with pytest.raises(NotFound):
        selectors.staff_detail(viewer=viewer, staff_id=world.other_clerk.pk)


def test_org_1__town_centre_admin__county_staff_invisible(world):
    viewer = world.user("other_admin")
    assert set(selectors.staff_list(viewer=viewer)) == {world.other_clerk, world.other_admin}
    with pytest.raises(NotFound):
        selectors.staff_detail(viewer=viewer, staff_id=world.clerk_a.pk)


def test_roles__account_without_staff_record__sees_nobody(world):
    user = get_user_model().objects.create_user("citizen", password="Citizen-pass-1")
    assert not selectors.staff_list(viewer=user, centre_id=world.centre.pk).exists()
    with pytest.raises(NotFound):
        selectors.staff_detail(viewer=user, staff_id=world.clerk_a.pk)


def test_org_3__ab_partners__both_directions(world):
    PostFactory(unit=world.unit_a, centre=world.centre, a_holder=world.clerk_a, b_holder=world.clerk_a2)
    assert selectors.ab_partners(staff_id=world.clerk_a.pk) == [world.clerk_a2]
    assert selectors.ab_partners(staff_id=world.clerk_a2.pk) == [world.clerk_a]


def test_org_4__board__badges_carry_name_title_post_and_no_private_data(world):
    board = selectors.window_board(centre_code="county")
    by_number = {w.window.number: w for w in board.windows}
    assert [w.window.number for w in board.windows] == ["1", "2", "10"]  # natural order
    badge = by_number["1"].badges[0]
    assert (badge.name, badge.title, badge.post) == ("张敏", "科员", "企业登记受理")
    assert not hasattr(badge, "phone")
    assert not hasattr(badge, "staff_no")
    assert world.other_window not in [w.window for w in board.windows]

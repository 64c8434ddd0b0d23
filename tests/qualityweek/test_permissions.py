import pytest
from django.contrib.auth.models import Group, User

from qualityweek import personal_data
from qualityweek.permissions import is_organiser


def test_is_organiser_for_staff_in_the_organisers_group(db):
    user = User.objects.create_user("o", is_staff=True)
    user.groups.add(Group.objects.get(name="Organisers"))

    assert is_organiser(user) is True


def test_is_organiser_refuses_staff_outside_the_group_without_permission(db):
    user = User.objects.create_user("s", is_staff=True)

    assert is_organiser(user, permission="registrations.change_registration") is False


def test_is_organiser_refuses_a_group_member_who_is_not_staff(db):
    user = User.objects.create_user("g", is_staff=False)
    user.groups.add(Group.objects.get(name="Organisers"))

    assert is_organiser(user) is False


def codenames_of(group_name):
    return set(
        Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )


def test_personal_data_officers_export_and_erase_and_see_what_they_act_on(db):
    assert codenames_of("Personal data officers") == {
        ("qualityweek", "export_personal_data"),
        ("qualityweek", "erase_personal_data"),
        ("registrations", "view_registration"),
        ("activations", "view_activation"),
        ("venues", "view_venueapplication"),
        ("winners", "view_winner"),
    }


def test_personal_data_officers_see_every_holder_of_personal_data(db):
    user = User.objects.create_user("officer", is_staff=True)
    user.groups.add(Group.objects.get(name="Personal data officers"))

    unseen = [
        holder.label
        for holder in personal_data.holders()
        if not user.has_perm(
            f"{holder.model._meta.app_label}.view_{holder.model._meta.model_name}"
        )
    ]

    assert unseen == []


def test_organisers_neither_export_nor_erase_personal_data(db):
    user = User.objects.create_user("o", is_staff=True)
    user.groups.add(Group.objects.get(name="Organisers"))

    assert (
        user.has_perm("qualityweek.export_personal_data"),
        user.has_perm("qualityweek.erase_personal_data"),
    ) == (False, False)


@pytest.mark.django_db(transaction=True)
def test_personal_data_officers_keep_venue_applications_after_a_flush():
    # Transactional tests flush the migrations' data; conftest puts it back.
    assert ("venues", "view_venueapplication") in codenames_of("Personal data officers")

import pytest

from cohorts.selectors import people_under
from cohorts.services import org_paths_rebuild
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_paths_follow_the_manager_chain():
    top = PersonFactory()
    middle = PersonFactory(manager=top)
    bottom = PersonFactory(manager=middle)
    org_paths_rebuild()
    bottom.refresh_from_db()
    assert bottom.org_path == f"/{top.pk}/{middle.pk}/{bottom.pk}/"


def test_people_under_includes_indirect_reports_only():
    top = PersonFactory()
    middle = PersonFactory(manager=top)
    bottom = PersonFactory(manager=middle)
    outsider = PersonFactory()
    org_paths_rebuild()
    top.refresh_from_db()
    assert set(people_under(top)) == {middle, bottom}
    assert outsider not in people_under(top)


def test_a_cycle_is_refused():
    a = PersonFactory()
    b = PersonFactory(manager=a)
    a.manager = b
    a.save()
    with pytest.raises(ValueError, match="cycle"):
        org_paths_rebuild()


def test_rebuilding_twice_changes_nothing():
    top = PersonFactory()
    PersonFactory(manager=top)
    assert org_paths_rebuild() == 2
    assert org_paths_rebuild() == 0

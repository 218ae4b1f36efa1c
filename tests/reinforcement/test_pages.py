import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_the_roles_it_is_meant_for(client, org, learned, program):
    for user, names in [
        (org.manager, ["matrix", "overdue", "coaching_list", "coaching_new", "plans", "help"]),
        (org.lead, ["matrix", "overdue", "questions", "question_new", "feedback_results", "plans"]),
        (org.seller, ["my_progress", "inbox", "plans", "plan_new", "my_feedback", "help"]),
    ]:
        client.force_login(user)
        for name in names:
            r = client.get(reverse(f"reinforcement:{name}"))
            assert r.status_code == 200, (user, name)
    client.force_login(org.lead)
    for name in ["assessments", "rules"]:
        assert client.get(reverse(f"reinforcement:{name}", args=[program.pk])).status_code == 200
    assert client.get(reverse("reinforcement:person", args=[learned.pk])).status_code == 200


def test_the_home_cards_show_coaching_counts_and_seller_progress(client, org, learned):
    client.force_login(org.manager)
    body = client.get(reverse("home")).content.decode()
    assert reverse("reinforcement:home_coaching_counts") in body and reverse("reinforcement:matrix") in body
    counts = client.get(reverse("reinforcement:home_coaching_counts")).content.decode()
    assert "2</span> sellers due for coaching" in counts
    client.force_login(org.other_seller)
    assert client.get(reverse("reinforcement:home_coaching_counts")).status_code == 403
    client.force_login(org.seller)
    body = client.get(reverse("home")).content.decode()
    assert "Your questions and progress" in body and "Qualifying" in body and "Learn" in body

"""Issue 11.3: the people search is bounded; a 2,000-word query is refused beside the field."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("cohorts:people")


def test_a_two_thousand_word_search_is_refused_with_a_message(client, org, django_assert_max_num_queries):
    client.force_login(org.lead)
    q = " ".join(f"w{n}" for n in range(2000))
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()


def test_more_than_six_words_are_refused(client, org):
    client.force_login(org.lead)
    response = client.get(URL, {"q": "a b c d e f g"})
    assert response.status_code == 200
    assert "at most 6 words" in response.content.decode()


def test_every_word_of_a_short_search_must_match(client, org):
    client.force_login(org.lead)
    seller = org.people["seller"]
    page = client.get(URL, {"q": f"{seller.first_name} {seller.email} {seller.first_name}"}).content.decode()
    assert seller.email in page
    assert org.people["other_seller"].email not in page

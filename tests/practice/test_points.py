"""Points ledger, leaderboards and team competitions on a small hand-made org with known ranks."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reinforcement.models import Card, Nudge, ReviewLog, SkillStage
from reinforcement.practice import selectors, services
from reinforcement.practice.models import Competition, PointEntry, PointsSettings
from reinforcement.practice.points import points_refresh
from reinforcement.services.stages import stages_ensure
from tests.factories import PersonFactory, QuestionFactory, TeamFactory

pytestmark = pytest.mark.django_db
IN_RANGE = datetime(2026, 11, 10, 12, tzinfo=UTC)


def answer(card, nudge, at, correct=True):
    return ReviewLog.objects.create(
        card=card,
        nudge=nudge,
        chosen_index=0,
        is_correct=correct,
        rating=3,
        stability_after=5,
        due_after=at + timedelta(days=5),
        reviewed_at=at,
    )


def nudge_for(card, due_at, key):
    return Nudge.objects.create(
        person=card.person, card=card, due_at=due_at, created_at=due_at, idempotency_key=key
    )


def test_on_time_answers_earn_once_per_ask_late_or_reminded_ones_never_and_weeks_in_a_row_add_a_streak(
    org, program, enrolled
):
    seller = org.people["seller"]
    skill = program.skills.first().skill
    card = Card.objects.create(
        person=seller, question=QuestionFactory(skill=skill), program=program, due_at=timezone.now()
    )
    monday = datetime(2026, 11, 2, 9, tzinfo=UTC)
    first = nudge_for(card, monday, "n1")
    answer(card, first, monday + timedelta(hours=2))
    answer(card, None, monday + timedelta(hours=3))  # the same question again, outside any ask
    second = nudge_for(card, monday + timedelta(days=7), "n2")
    answer(card, second, monday + timedelta(days=7, hours=1))
    late = nudge_for(card, monday + timedelta(days=14), "n3")
    answer(card, late, monday + timedelta(days=17))
    reminded = nudge_for(card, monday + timedelta(days=21), "n4:r1")
    Nudge.objects.filter(pk=reminded.pk).update(resend_number=1)
    answer(card, reminded, monday + timedelta(days=21, hours=1))  # answered only after a reminder
    points_refresh(program_ids=[program.pk])
    entries = PointEntry.objects.filter(person=seller, kind__in=["answer", "streak"])
    assert sorted(entries.values_list("source_key", "points")) == [
        (f"answer:{first.pk}", 5),
        (f"answer:{second.pk}", 5),
        (f"streak:{seller.pk}:2026-W46", 10),
    ]


def test_the_ledger_is_computed_from_records_and_never_counts_twice(org, program, enrolled, scenarios):
    seller, manager = org.people["seller"], org.people["manager"]
    for text in ("First answer to the buyer.", "Second answer to the buyer.", "Third answer to the buyer."):
        attempt = services.attempt_write(person=seller, scenario=scenarios[0], text=text)
        services.review_submit(attempt=attempt, reviewer=manager, by_manager=True, scores=[3, 3])
    created = points_refresh()
    assert created > 0
    assert points_refresh() == 0
    practice = PointEntry.objects.filter(person=seller, kind="practice")
    assert list(practice.values_list("points", flat=True)) == [
        10
    ]  # three equal attempts: one scored practice
    stage_keys = set(
        PointEntry.objects.filter(person=seller, kind="stage").values_list("source_key", flat=True)
    )
    stage_id = SkillStage.objects.filter(person=seller).order_by("id").first().pk
    assert {f"stage:{stage_id}:learn", f"stage:{stage_id}:remember"} <= stage_keys


def test_a_program_with_points_switched_off_earns_nothing_and_has_no_leaderboard(
    client, org, program, enrolled
):
    client.force_login(org.lead)
    url = reverse("practice:program_settings", args=[program.pk])
    assert client.post(url, {"action": "points"}).status_code == 302
    assert PointsSettings.enabled_for(program) is False
    assert points_refresh() == 0
    client.force_login(org.seller)
    assert "No program with points yet" in client.get(reverse("practice:leaderboard")).content.decode()


@pytest.fixture
def board(org, program):
    """Team A (4): seller 30, seller_b 30, a1 10, a2 0 in November plus 100 in October;
    Team B (1): other_seller 20; Team C (2): c1 25, c2 10.

    Program ranks (whole ledger): a2 1, seller 2, seller_b 2, c1 4, other_seller 5, a1 6, c2 6.
    November per head: B 20.0, A 17.5, C 17.5.
    """
    team_a = org.teams["a"]
    team_c = TeamFactory(name="Team C")
    a1 = PersonFactory(manager=org.people["manager"], team=team_a, last_name="Aone")
    a2 = PersonFactory(manager=org.people["manager"], team=team_a, last_name="Atwo")
    c1 = PersonFactory(team=team_c, last_name="Cone")
    c2 = PersonFactory(team=team_c, last_name="Ctwo")
    from cohorts.services import org_paths_rebuild

    org_paths_rebuild()
    people = {
        "seller": org.people["seller"],
        "seller_b": org.people["seller_b"],
        "a1": a1,
        "a2": a2,
        "other_seller": org.people["other_seller"],
        "c1": c1,
        "c2": c2,
    }
    stages_ensure(program=program, person_ids=[p.pk for p in people.values()])
    points = {"seller": 30, "seller_b": 30, "a1": 10, "a2": 0, "other_seller": 20, "c1": 25, "c2": 10}
    for name, value in points.items():
        if value:
            PointEntry.objects.create(
                program=program,
                person=people[name],
                kind="practice",
                points=value,
                source_key=f"t:{name}",
                earned_at=IN_RANGE,
            )
    PointEntry.objects.create(
        program=program,
        person=a2,
        kind="stage",
        points=100,
        source_key="stage:0:apply",
        earned_at=IN_RANGE - timedelta(days=30),
    )
    return people


def test_the_competition_ranks_teams_per_head_within_its_dates_with_ties(org, program, board):
    competition = Competition.objects.create(
        program=program, name="November", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30)
    )
    standings = selectors.competition_standings(competition)
    assert [(s["team"], s["rank"], s["per_head"], s["headcount"]) for s in standings] == [
        ("Team B", 1, 20.0, 1),
        ("Team A", 2, 17.5, 4),
        ("Team C", 2, 17.5, 2),
    ]


def test_the_program_leaderboard_shares_ranks_on_equal_points(org, program, board):
    result = selectors.leaderboard(program, viewer=None, reveal_names=True, top=10)
    # Keyed by person: factory names may repeat.
    by_person = {r["person_id"]: (r["rank"], r["points"]) for r in result["rows"]}
    p = {key: person.pk for key, person in board.items()}
    assert by_person[p["a2"]] == (1, 100)
    assert by_person[p["seller"]] == (2, 30) and by_person[p["seller_b"]] == (2, 30)
    assert by_person[p["c1"]] == (4, 25)
    assert by_person[p["other_seller"]] == (5, 20)
    assert by_person[p["a1"]] == (6, 10) and by_person[p["c2"]] == (6, 10)
    assert result["rows"][0]["badges"] == {"apply": 1, "master": 0}


def test_a_seller_outside_the_top_ten_sees_the_top_ten_and_their_own_rank(
    client, org, program, board, django_assert_max_num_queries
):
    team = TeamFactory(name="Team Z")
    extra = [PersonFactory(team=team) for _ in range(10)]
    stages_ensure(program=program, person_ids=[p.pk for p in extra])
    for person in extra:
        PointEntry.objects.create(
            program=program,
            person=person,
            kind="practice",
            points=50,
            source_key=f"z:{person.pk}",
            earned_at=IN_RANGE,
        )
    client.force_login(org.seller)
    with django_assert_max_num_queries(19):  # top ten and own rank in SQL, whatever the size
        page = client.get(reverse("practice:leaderboard"))
    board_data = page.context["board"]
    assert [r["rank"] for r in board_data["rows"]] == [1] + [2] * 9  # ten sellers tie at 50
    assert board_data["me"]["rank"] == 12 and not board_data["me_shown"]  # tied with seller_b
    assert page.content.decode().count("table-active") == 1


def test_a_hidden_name_is_hidden_from_other_sellers_but_not_from_the_seller_or_their_manager(
    client, org, program, board
):
    services.profile_set_hidden(person=org.people["seller_b"], hide_name=True)
    client.force_login(org.seller)
    page = client.get(reverse("practice:leaderboard")).content.decode()
    assert "A colleague (name hidden)" in page and org.people["seller_b"].full_name not in page
    client.force_login(org.manager)
    assert org.people["seller_b"].full_name in client.get(reverse("practice:leaderboard")).content.decode()


def test_a_manager_sees_their_own_team_with_program_ranks(client, org, program, board):
    client.force_login(org.manager)
    rows = client.get(reverse("practice:leaderboard")).context["board"]["rows"]
    assert {r["person_id"] for r in rows} == {board[k].pk for k in ("seller", "seller_b", "a1", "a2")}
    assert sorted(r["rank"] for r in rows) == [1, 2, 2, 6]


def test_leaderboard_queries_do_not_grow_with_the_org(
    client, org, program, board, django_assert_max_num_queries
):
    client.force_login(org.manager)
    with django_assert_max_num_queries(16) as small:
        client.get(reverse("practice:leaderboard"))
    more = [PersonFactory(manager=org.people["manager"], team=org.teams["a"]) for _ in range(30)]
    from cohorts.services import org_paths_rebuild

    org_paths_rebuild()
    stages_ensure(program=program, person_ids=[p.pk for p in more])
    for i, person in enumerate(more):
        PointEntry.objects.create(
            program=program,
            person=person,
            kind="practice",
            points=i,
            source_key=f"m:{person.pk}",
            earned_at=IN_RANGE,
        )
    Competition.objects.create(
        program=program, name="Q4", starts_on=date(2026, 10, 1), ends_on=date(2026, 12, 31)
    )
    with django_assert_max_num_queries(len(small.captured_queries) + 4):  # + a competition: list, 3 standings
        client.get(reverse("practice:leaderboard"))


def test_a_seller_cannot_open_a_program_they_are_not_in(client, org, program, board):
    from programs.models import Program

    elsewhere = Program.objects.create(name="Elsewhere", owner=org.lead, status=Program.Status.LAUNCHED)
    client.force_login(org.seller)
    assert client.get(reverse("practice:leaderboard"), {"program": elsewhere.pk}).status_code == 404


def test_a_sellers_own_rank_computed_in_the_database_matches_the_full_ranking(org, program, board):
    newcomer = PersonFactory(team=org.teams["b"])
    stages_ensure(program=program, person_ids=[newcomer.pk])
    everyone = selectors.leaderboard(
        program, viewer=None, scope_ids=[p.pk for p in [*board.values(), newcomer]]
    )
    full = {row["person_id"]: row["rank"] for row in everyone["rows"]}
    for person in (board["c2"], board["a1"], newcomer):
        mine = selectors.leaderboard(program, viewer=person, top=3)
        assert mine["me"]["rank"] == full[person.pk]
        assert [r["rank"] for r in mine["rows"]] == [1, 2, 2]
    assert full[newcomer.pk] == 8 and full[board["c2"].pk] == 6

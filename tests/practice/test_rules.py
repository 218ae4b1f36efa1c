"""The pure rules: rubric text, media sniffing, points for practice, streaks, ranks and per-head scores."""

from decimal import Decimal

from reinforcement.practice import rules


def test_a_rubric_line_needs_a_criterion_and_five_levels():
    rubric, errors = rules.parse_rubric("Opening | a | b | c | d | e\nClose | a | b")
    assert rubric == [{"criterion": "Opening", "levels": ["a", "b", "c", "d", "e"]}]
    assert errors and errors[0].startswith("Line 2:")


def test_rubric_text_round_trips():
    text = "Opening | a | b | c | d | e\nClose | 1 | 2 | 3 | 4 | 5"
    assert rules.rubric_text(rules.parse_rubric(text)[0]) == text


def test_media_is_recognised_by_its_first_bytes_not_its_name():
    assert rules.sniff_container(b"\x1a\x45\xdf\xa3rest") == "webm"
    assert rules.sniff_container(b"\x00\x00\x00\x18ftypmp42") == "mp4"
    assert rules.sniff_container(b"%PDF-1.7 ...") is None
    assert rules.check_content("video/webm;codecs=vp8,opus", b"\x1a\x45\xdf\xa3....") is None
    assert "not an audio or video" in rules.check_content("video/webm", b"%PDF-1.7")
    assert "content is mp4" in rules.check_content("video/webm", b"\x00\x00\x00\x18ftypmp42")


def test_declared_size_and_type_are_checked_before_any_byte_arrives():
    assert "limit is 500 MB" in rules.check_declared("video/webm", 2 * 2**30, 500 * 2**20)
    assert "Only audio or video" in rules.check_declared("application/pdf", 10, 500 * 2**20)
    assert rules.check_declared("audio/webm", 10, 500 * 2**20) is None


def test_more_attempts_alone_earn_nothing_but_a_better_rerun_does():
    d = Decimal
    attempts = [(1, d("2.5")), (2, d("3.0")), (3, d("3.0")), (4, d("2.0")), (5, d("4.5")), (6, None)]
    assert rules.practice_points(attempts) == [(2, "first", 10), (5, "better", 5)]


def test_a_streak_week_earns_only_when_the_week_before_had_an_answer():
    weeks = [(2026, 1), (2026, 2), (2026, 3), (2026, 5), (2025, 52), (2024, 40)]
    assert rules.streak_weeks(weeks) == [(2026, 1), (2026, 2), (2026, 3)]


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    ranked = rules.rank({"a": 30, "b": 50, "c": 30, "d": 10})
    assert [(r.key, r.rank) for r in ranked] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_team_score_is_per_head_so_a_small_team_can_win():
    team_by_person = {1: "big", 2: "big", 3: "big", 4: "big", 5: "small"}
    points = {1: 20, 2: 20, 3: 0, 5: 15}
    assert rules.per_head(points, team_by_person) == {"big": (10.0, 4, 40), "small": (15.0, 1, 15)}

"""Pure rules of practice and points: rubric text, media sniffing, points, streaks and ranks.

No Django imports, so the services, the tests and any outside evaluation run the same code.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# ---------------------------------------------------------------- rubric


def parse_rubric(text):
    """Rubric from text: one criterion per line, 'Criterion | 1 | 2 | 3 | 4 | 5'.

    Returns (rubric, errors); errors name the line so the lead can fix it.
    """
    rubric, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 6 or not all(parts):
            errors.append(
                f"Line {number}: write the criterion and what scores 1 to 5 mean, six parts separated by '|' "
                f"(found {len([p for p in parts if p])})."
            )
            continue
        rubric.append({"criterion": parts[0], "levels": parts[1:]})
    if not rubric and not errors:
        errors.append("Add at least one criterion.")
    if len(rubric) > 8:
        errors.append("Keep the rubric to at most 8 criteria.")
    return rubric, errors


def rubric_text(rubric):
    return "\n".join(" | ".join([c["criterion"], *c["levels"]]) for c in rubric)


def mean_score(scores):
    """Mean of 1–5 scores, as a Decimal with two places."""
    if not scores or any(not 1 <= s <= 5 for s in scores):
        raise ValueError("every criterion needs a score from 1 to 5")
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- recordings

ALLOWED_TYPES = {
    "video/webm": "webm",
    "video/mp4": "mp4",
    "video/ogg": "ogg",
    "audio/webm": "webm",
    "audio/ogg": "ogg",
    "audio/mp4": "mp4",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
}


def base_type(content_type):
    """'video/webm;codecs=vp8,opus' -> 'video/webm'."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def sniff_container(head):
    """The container the first bytes of a file announce, or None for anything else."""
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"  # EBML (WebM / Matroska)
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def check_declared(content_type, size, max_bytes):
    """Why a declared upload is refused, or None when it may start."""
    kind = base_type(content_type)
    if kind not in ALLOWED_TYPES:
        return (
            "Only audio or video recordings can be uploaded (WebM, MP4, Ogg, MP3 or WAV), "
            f"not “{kind or 'unknown'}”."
        )
    if size <= 0:
        return "The recording is empty."
    if size > max_bytes:
        return f"The recording is {size / 2**20:,.0f} MB; the limit is {max_bytes / 2**20:,.0f} MB."
    return None


def check_content(content_type, head):
    """Why the first bytes do not match the declared type, or None when they do."""
    container = sniff_container(head)
    if container is None:
        return "This file is not an audio or video recording."
    if container != ALLOWED_TYPES[base_type(content_type)]:
        return f"The file says it is {base_type(content_type)} but its content is {container}."
    return None


# ---------------------------------------------------------------- points

POINTS = {
    "answer": 5,  # a review question answered within ON_TIME_HOURS of its nudge
    "streak": 10,  # each week in a row (from the second) with an on-time answer
    "practice_first": 10,  # first scored attempt on a scenario (score >= 3)
    "practice_better": 5,  # a rerun that raises the seller's best score on a scenario
    "certificate": 50,
    "stage": {"learn": 10, "remember": 10, "practice": 20, "apply": 30, "master": 50},
}
ON_TIME_HOURS = 48
PRACTICE_PASS = Decimal(3)
BADGE_STAGES = ("apply", "master")


def practice_points(attempts):
    """Points for scored attempts on one scenario by one seller: [(attempt_id, key, points)].

    `attempts` are (attempt_id, best_score) in the order they were made. Volume alone earns
    nothing: the first attempt at or above the pass mark earns once, and a later attempt only
    earns when it beats the seller's best so far.
    """
    earned, best = [], None
    for attempt_id, score in attempts:
        if score is None:
            continue
        if best is None or score > best:
            if best is None or best < PRACTICE_PASS:
                if score >= PRACTICE_PASS:
                    earned.append((attempt_id, "first", POINTS["practice_first"]))
            else:
                earned.append((attempt_id, "better", POINTS["practice_better"]))
            best = score
    return earned


def streak_weeks(weeks):
    """From the ISO weeks (year, week) with an on-time answer, those that extend a streak.

    A week earns when the week before it also had an on-time answer.
    """
    have = set(weeks)
    earned = []
    for year, week in sorted(have):
        prev = (year, week - 1) if week > 1 else (year - 1, _last_week(year - 1))
        if prev in have:
            earned.append((year, week))
    return earned


def _last_week(year):
    import datetime

    return datetime.date(year, 12, 28).isocalendar()[1]


# ---------------------------------------------------------------- ranks


@dataclass
class Ranked:
    key: object
    score: float
    rank: int


def rank(scores):
    """Standard competition ranking ("1224"): equal scores share a rank, the next rank skips.

    `scores` maps key -> score (keys of one comparable type); ties keep a stable order by key.
    Highest score first.
    """
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked, previous, current = [], None, 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            current, previous = position, score
        ranked.append(Ranked(key=key, score=score, rank=current))
    return ranked


def per_head(points_by_person, team_by_person):
    """Team score = points earned by its members / its headcount, so team size does not decide.

    `team_by_person` maps every member (with or without points) to a team; returns
    {team: (score, headcount, total)} with the score rounded to one decimal.
    """
    totals, heads = {}, {}
    for person, team in team_by_person.items():
        heads[team] = heads.get(team, 0) + 1
        totals[team] = totals.get(team, 0) + points_by_person.get(person, 0)
    return {team: (round(totals[team] / heads[team], 1), heads[team], totals[team]) for team in heads}

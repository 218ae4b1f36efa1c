"""Coaching sessions, action plans, assessments, session feedback and program rules."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from cohorts.models import Person
from cohorts.selectors import people_under
from programs.models import Program, ProgramSkill
from programs.services import skill_gap_record_assessment
from rolloutplanner.limits import NUL_MESSAGE, date_in_range, date_range_message, nul_lines

from ..models import (
    ActionPlan,
    AssessmentResult,
    CoachingRating,
    CoachingSession,
    FeedbackResponse,
    ProgramSpacing,
    ReinforcementRules,
    RescheduleJob,
)
from .rescheduling import policy_changed
from .stages import stage_recompute_for, stages_ensure, stages_recompute, stages_recompute_later


@transaction.atomic
def coaching_session_log(
    *,
    manager,
    kind,
    occurred_on,
    sellers,
    ratings,
    program=None,
    notes="",
    next_step="",
    next_step_due=None,
    logged_by=None,
):
    """Log a coaching session: one rating per skill for every seller coached; stages move.

    `ratings` maps a Skill to (rating 1–5, signs_off_mastery). Every seller must report to
    `manager` (directly or further down), otherwise nothing is saved.
    """
    seller_ids = {s.pk for s in sellers}
    allowed = set(people_under(manager).filter(pk__in=seller_ids).values_list("pk", flat=True))
    if allowed != seller_ids:
        raise PermissionDenied("A manager can only log coaching for people on their own team.")
    session = CoachingSession.objects.create(
        manager=manager,
        program=program,
        kind=kind,
        occurred_on=occurred_on,
        notes=notes,
        next_step=next_step,
        next_step_due=next_step_due,
        logged_by=logged_by,
    )
    session.sellers.set(sellers)
    CoachingRating.objects.bulk_create(
        CoachingRating(session=session, seller=seller, skill=skill, rating=rating, signs_off_mastery=signed)
        for seller in sellers
        for skill, (rating, signed) in ratings.items()
    )
    label = CoachingSession.Kind(kind).label
    stages_recompute(
        person_ids=sorted(seller_ids),
        skill_ids=[s.pk for s in ratings],
        actor=logged_by,
        reason_prefix=f"{label} logged by {manager.full_name}",
    )
    return session


def coaching_next_step_done(*, session):
    session.next_step_done = True
    session.save(update_fields=["next_step_done"])
    return session


def action_plan_create(*, person, skill, customer, commitment, due_on, program=None):
    """Record an action plan; it is evidence for `program` (by default the newest launched
    program in which the seller trains the skill, else the newest one)."""
    if program is None:
        training = Program.objects.filter(skills__skill=skill, skills__skill_stages__person=person).order_by(
            "-id"
        )
        program = training.filter(status=Program.Status.LAUNCHED).first() or training.first()
    plan = ActionPlan.objects.create(
        person=person, program=program, skill=skill, customer=customer, commitment=commitment, due_on=due_on
    )
    stage_recompute_for(person=person, skill=skill, reason_prefix="Action plan recorded")
    return plan


@transaction.atomic
def action_plan_observe(*, plan, manager, observation, actor=None):
    """The manager confirms they saw the plan applied with a real buyer; the stage moves."""
    plan.status = ActionPlan.Status.OBSERVED
    plan.observed_by = manager
    plan.observed_at = timezone.now()
    plan.observation = observation
    plan.save(update_fields=["status", "observed_by", "observed_at", "observation"])
    stage_recompute_for(
        person=plan.person,
        skill=plan.skill,
        actor=actor,
        reason_prefix=f"Application observed by {manager.full_name}",
    )
    return plan


@transaction.atomic
def assessment_record(*, person, program_skill, kind, score, taken_on, recorded_by=None):
    """Record (or correct) a pre/post assessment; a passed post-assessment can start Learn."""
    result, _ = AssessmentResult.objects.update_or_create(
        person=person,
        program_skill=program_skill,
        kind=kind,
        defaults={"score": score, "taken_on": taken_on, "recorded_by": recorded_by},
    )
    stages_ensure(program=program_skill.program, person_ids=[person.pk])
    stage_recompute_for(
        person=person, skill=program_skill.skill, actor=recorded_by, reason_prefix="Assessment recorded"
    )
    if kind == AssessmentResult.Kind.PRE:
        skill_gaps_from_pre_assessments(program_skill_ids=[program_skill.pk], user=recorded_by)
    return result


WHOLE_AUDIENCE = "Whole audience"


def proficiency_from_score(score):
    """A 0–100 score on the 1–5 proficiency scale of skill gaps (bands of 25 points)."""
    return min(5, 1 + int((score + 12.5) // 25))


def skill_gaps_from_pre_assessments(*, program_skill_ids, user=None):
    """Set each skill's baseline per region, and for the whole audience, from pre-assessment means.

    Strengths and limiters typed by the lead stay; only the baseline and its source change.
    """
    results = (
        AssessmentResult.objects.filter(
            kind=AssessmentResult.Kind.PRE, program_skill_id__in=program_skill_ids
        )
        .select_related("program_skill__skill", "person__region")
        .only("score", "program_skill", "person__region__name")
    )
    scores = defaultdict(list)
    program_skills = {}
    for result in results:
        program_skills[result.program_skill_id] = result.program_skill
        scores[(result.program_skill_id, WHOLE_AUDIENCE)].append(result.score)
        if result.person.region is not None:
            scores[(result.program_skill_id, result.person.region.name)].append(result.score)
    for (program_skill_id, segment), values in sorted(scores.items()):
        skill_gap_record_assessment(
            program_skill=program_skills[program_skill_id],
            segment=segment,
            baseline_proficiency=proficiency_from_score(sum(values) / len(values)),
            user=user,
        )


@dataclass
class ImportReport:
    imported: int = 0
    errors: list = field(default_factory=list)


CSV_COLUMNS = ("email", "skill", "kind", "score", "taken_on")


def assessments_import(*, program, csv_file, recorded_by=None):
    """Import assessment results from CSV; any bad row means nothing is imported.

    Columns: email, skill (name as in the program), kind (pre/post), score (0–100),
    taken_on (YYYY-MM-DD). Every bad row is reported with its line number.
    """
    report = ImportReport()
    try:
        text = csv_file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append((0, "The file is not UTF-8 text."))
        return report
    if nul_lines(text):
        report.errors += [(n, NUL_MESSAGE) for n in nul_lines(text)]
        return report
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"Missing column(s): {', '.join(missing)}."))
        return report
    skills = {
        ps.skill.name.lower(): ps
        for ps in ProgramSkill.objects.filter(program=program).select_related("skill")
    }
    rows = list(reader)
    people = {
        p.email.lower(): p
        for p in Person.objects.filter(email__in=[(r["email"] or "").strip() for r in rows])
    }
    parsed = []
    for line, row in enumerate(rows, start=2):
        problems = []
        person = people.get((row["email"] or "").strip().lower())
        if person is None:
            problems.append(f"no person with e-mail {row['email']!r}")
        program_skill = skills.get((row["skill"] or "").strip().lower())
        if program_skill is None:
            problems.append(f"skill {row['skill']!r} is not part of this program")
        kind = (row["kind"] or "").strip().lower()
        if kind not in AssessmentResult.Kind.values:
            problems.append("kind must be pre or post")
        try:
            score = int(row["score"])
            if not 0 <= score <= 100:
                raise ValueError
        except (TypeError, ValueError):
            problems.append("score must be a whole number from 0 to 100")
            score = None
        try:
            taken_on = parse_date((row["taken_on"] or "").strip())
        except ValueError:
            taken_on = None
        if taken_on is None:
            problems.append("taken_on must be a date like 2026-03-31")
        elif not date_in_range(taken_on):
            problems.append(f"taken_on is out of range. {date_range_message()}")
        if problems:
            report.errors.append((line, "; ".join(problems)))
        else:
            parsed.append((person, program_skill, kind, score, taken_on))
    if report.errors:
        return report
    with transaction.atomic():
        for person, program_skill, kind, score, taken_on in parsed:
            AssessmentResult.objects.update_or_create(
                person=person,
                program_skill=program_skill,
                kind=kind,
                defaults={"score": score, "taken_on": taken_on, "recorded_by": recorded_by},
            )
        person_ids = sorted({p.pk for p, *_ in parsed})
        stages_ensure(program=program, person_ids=person_ids)
        stages_recompute(
            program_ids=[program.pk],
            person_ids=person_ids,
            actor=recorded_by,
            reason_prefix="Assessments imported",
        )
        pre_skill_ids = sorted({ps.pk for _, ps, kind, *_ in parsed if kind == AssessmentResult.Kind.PRE})
        if pre_skill_ids:
            skill_gaps_from_pre_assessments(program_skill_ids=pre_skill_ids, user=recorded_by)
    report.imported = len(parsed)
    return report


def feedback_submit(*, session, person, rating, comments=""):
    """A participant's feedback on a session they attended (one per person, editable)."""
    response, _ = FeedbackResponse.objects.update_or_create(
        session=session, person=person, defaults={"rating": rating, "comments": comments}
    )
    return response


SPACING_RULES = ("retention_min", "retention_max", "maximum_interval_days", "retire_stability_days")


@transaction.atomic
def rules_save(*, program, user=None, **values):
    """Save the program's rules; once they commit, a background task recomputes its stages and,
    when a rule of the spacing policy changed, a job reschedules its answered questions."""
    # Compare with the stored rules, not `program.reinforcement_rules`: the rules form has
    # already written the new values onto that cached instance.
    rules = ReinforcementRules.objects.select_for_update().filter(program_id=program.pk).first()
    rules = rules or ReinforcementRules(program_id=program.pk)
    spacing_changed = any(name in values and values[name] != getattr(rules, name) for name in SPACING_RULES)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.full_clean()
    stages_recompute_later(rules=rules)
    rules.save()
    if spacing_changed:
        program.reinforcement_rules = rules
        row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
        policy_changed(row=row, trigger=RescheduleJob.Trigger.RULES, user=user)
    return rules

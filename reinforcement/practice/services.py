"""Writes of the practice app: scenarios, attempts and resumable uploads, reviews, certificates."""

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from reinforcement.models import SkillStage

from . import rules
from .models import (
    Attempt,
    Certificate,
    CertificationRule,
    Competition,
    PointsSettings,
    PracticeProfile,
    Review,
    ReviewerAssignment,
    Scenario,
    TimedComment,
    Upload,
)
from .starter import STARTER_SCENARIOS

logger = logging.getLogger(__name__)
BLOCK = 64 * 1024


class UploadRefused(Exception):
    """An upload that must not be stored; `status` is the HTTP status to answer with."""

    def __init__(self, message, status=400, offset=None):
        super().__init__(message)
        self.message, self.status, self.offset = message, status, offset


# ---------------------------------------------------------------- scenarios


def scenarios_load_starter(*, skill_model=None, scenario_model=None):
    """Create the starter scenarios for the built-in skills that exist; existing ones are kept.

    Takes the historical models when called from a migration. Returns how many were created.
    """
    from programs.models import Skill

    skill_model = skill_model or Skill
    scenario_model = scenario_model or Scenario
    created = 0
    skills = {s.name: s for s in skill_model.objects.filter(name__in=STARTER_SCENARIOS)}
    for skill_name, data in STARTER_SCENARIOS.items():
        skill = skills.get(skill_name)
        if skill is None:
            continue
        _, was_created = scenario_model.objects.get_or_create(
            skill=skill,
            title=data["title"],
            defaults={**{k: v for k, v in data.items() if k != "title"}, "is_starter": True},
        )
        created += was_created
    return created


def scenario_save(*, scenario=None, author, data):
    """Create or update a scenario from cleaned form data (rubric already parsed)."""
    scenario = scenario or Scenario(author=author)
    for field in (
        "skill",
        "title",
        "situation",
        "buyer_role",
        "objections",
        "what_good_looks_like",
        "rubric",
    ):
        setattr(scenario, field, data[field])
    scenario.is_active = data.get("is_active", True)
    scenario.save()
    return scenario


# ---------------------------------------------------------------- attempts


def _next_number(person, scenario):
    last = Attempt.objects.filter(person=person, scenario=scenario).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def practice_program(*, person, scenario, program=None):
    """The program an attempt on `scenario` counts for: `program` when the seller trains the
    scenario's skill in it and it is running, by default the newest such program. Practice
    is evidence of one program only, so there must be one."""
    from .selectors import practice_programs

    programs = practice_programs(person, scenario.skill)
    if program is None and programs:
        return programs[0]
    if program is not None and any(p.pk == program.pk for p in programs):
        return program
    raise ValidationError(
        {"program": f"You do not practise {scenario.skill.name} in a running program."}
        if program is None
        else {"program": f"You do not practise {scenario.skill.name} in {program.name}."}
    )


def attempt_write(*, person, scenario, text, program=None, now=None):
    """A written answer for `program` (see `practice_program`), submitted for review at once."""
    now = now or timezone.now()
    text = text.strip()
    if len(text) < 20:
        raise ValidationError({"text": "Write at least a few sentences (20 characters or more)."})
    program = practice_program(person=person, scenario=scenario, program=program)
    return Attempt.objects.create(
        scenario=scenario,
        person=person,
        program=program,
        number=_next_number(person, scenario),
        kind=Attempt.Kind.WRITTEN,
        text=text,
        status=Attempt.Status.SUBMITTED,
        created_at=now,
        submitted_at=now,
    )


def _part_path(upload_id):
    directory = Path(settings.PRACTICE_UPLOAD_TMP)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{upload_id}.part"


def upload_start(*, person, scenario, content_type, size, program=None, now=None):
    """Open a resumable upload of an attempt for `program` (see `practice_program`) after
    checking the declared type and size; nothing is stored when they are refused."""
    now = now or timezone.now()
    try:
        program = practice_program(person=person, scenario=scenario, program=program)
    except ValidationError as exc:
        raise UploadRefused(" ".join(exc.messages), status=400) from None
    error = rules.check_declared(content_type, size, settings.PRACTICE_MAX_UPLOAD_BYTES)
    kind = rules.base_type(content_type)
    if error:  # the status names the check that failed, in check_declared's order
        if kind not in rules.ALLOWED_TYPES:
            raise UploadRefused(error, status=415)
        raise UploadRefused(error, status=413 if size > settings.PRACTICE_MAX_UPLOAD_BYTES else 400)
    with transaction.atomic():
        attempt = Attempt.objects.create(
            scenario=scenario,
            person=person,
            program=program,
            number=_next_number(person, scenario),
            kind=Attempt.Kind.VIDEO if kind.startswith("video/") else Attempt.Kind.AUDIO,
            content_type=kind,
            size=size,
            status=Attempt.Status.UPLOADING,
            created_at=now,
        )
        return Upload.objects.create(
            attempt=attempt, declared_type=kind, total_size=size, created_at=now, updated_at=now
        )


def upload_discard(*, upload):
    """Forget an upload: its partial file, the upload row and its unfinished attempt."""
    _part_path(upload.id).unlink(missing_ok=True)
    Attempt.objects.filter(pk=upload.attempt_id, status=Attempt.Status.UPLOADING).delete()
    Upload.objects.filter(pk=upload.pk).delete()  # also when its attempt was already submitted


def upload_append(*, upload, offset, stream, length):
    """Append `length` bytes read from `stream` at `offset`; returns the new acknowledged offset.

    The offset must be the one last acknowledged (a retry after a lost answer re-sends from
    there; anything else is a 409 carrying the right offset). The first bytes must be the
    declared kind of media, else the whole upload is discarded. Bytes are streamed to a
    partial file in blocks, never held in memory whole.
    """
    if offset != upload.received:
        raise UploadRefused("Resume from the last acknowledged byte.", status=409, offset=upload.received)
    if length <= 0:
        raise UploadRefused("Empty chunk.", status=400, offset=upload.received)
    if offset + length > upload.total_size:
        upload_discard(upload=upload)
        raise UploadRefused("The recording is larger than announced; nothing was kept.", status=413)
    path = _part_path(upload.id)
    with open(path, "r+b" if path.exists() else "wb") as part:
        part.truncate(offset)  # drop bytes of an earlier chunk that was never acknowledged
        part.seek(offset)
        remaining, head = length, b""
        while remaining:
            block = stream.read(min(BLOCK, remaining))
            if not block:
                break
            if offset == 0 and len(head) < 16:
                head += block[: 16 - len(head)]
            part.write(block)
            remaining -= len(block)
    if remaining:
        raise UploadRefused("The chunk was cut short; send it again.", status=400, offset=upload.received)
    if offset == 0:
        error = rules.check_content(upload.declared_type, head)
        if error:
            logger.info("practice upload %s refused after sniffing: %s", upload.id, error)
            upload_discard(upload=upload)
            raise UploadRefused(error + " Nothing was kept.", status=415)
    new_offset = offset + length
    updated = Upload.objects.filter(pk=upload.pk, received=offset).update(
        received=new_offset, updated_at=timezone.now()
    )
    if not updated:  # a parallel request moved it first
        upload.refresh_from_db()
        raise UploadRefused("Resume from the last acknowledged byte.", status=409, offset=upload.received)
    upload.received = new_offset
    return new_offset


def upload_finish(*, upload, now=None):
    """Move a complete upload into storage (streamed through the storage API) and submit it."""
    now = now or timezone.now()
    if upload.received != upload.total_size:
        raise UploadRefused("The recording is not complete yet.", status=409, offset=upload.received)
    attempt = upload.attempt
    extension = rules.ALLOWED_TYPES[upload.declared_type]
    path = _part_path(upload.id)
    if not path.exists():  # the partial file is gone (temporary files cleared): nothing to finish
        upload_discard(upload=upload)
        raise UploadRefused("The recording's bytes were lost; please upload it again.", status=410)
    with open(path, "rb") as part:
        name = default_storage.save(
            f"practice/{now:%Y/%m}/attempt-{attempt.pk}-{upload.id.hex[:12]}.{extension}", File(part)
        )
    attempt.recording.name = name
    attempt.status = Attempt.Status.SUBMITTED
    attempt.submitted_at = now
    attempt.save(update_fields=["recording", "status", "submitted_at"])
    upload.delete()
    path.unlink(missing_ok=True)
    return attempt


def uploads_expire(*, older_than_hours=24, now=None):
    """Discard uploads nobody resumed for a day (partial files and unfinished attempts)."""
    now = now or timezone.now()
    stale = list(Upload.objects.filter(updated_at__lt=now - timedelta(hours=older_than_hours)))
    for upload in stale:
        upload_discard(upload=upload)
    return len(stale)


# ---------------------------------------------------------------- reviewers and reviews


def reviewer_assign(*, program, seller, reviewer, assigned_by):
    """Ask a peer at Apply or Master in one of the program's skills to review a seller."""
    if seller.pk == reviewer.pk:
        raise ValidationError({"reviewer": "A seller cannot review their own practice."})
    ready = SkillStage.objects.filter(
        person=reviewer, program_skill__program=program, stage__in=("apply", "master")
    ).exists()
    if not ready:
        raise ValidationError(
            {"reviewer": "Reviewers must be at Apply or Master on a skill of this program."}
        )
    try:
        with transaction.atomic():
            return ReviewerAssignment.objects.create(
                program=program, seller=seller, reviewer=reviewer, assigned_by=assigned_by
            )
    except IntegrityError:
        raise ValidationError({"reviewer": "This reviewer is already assigned to this seller."}) from None


def reviewer_unassign(*, assignment):
    assignment.delete()


@transaction.atomic
def review_submit(
    *, attempt, reviewer, by_manager, scores, comment="", timed_comments=(), actor=None, now=None
):
    """Score an attempt against its scenario's rubric; may certify it; moves stage and points.

    `timed_comments` is a list of (seconds, text). A reviewer reviews an attempt once.
    """
    now = now or timezone.now()
    if attempt.status == Attempt.Status.UPLOADING:
        raise ValidationError("This recording has not finished uploading.")
    if len(scores) != len(attempt.scenario.rubric):
        raise ValidationError("Give a score for every criterion of the rubric.")
    try:
        score = rules.mean_score(scores)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if Review.objects.filter(attempt=attempt, reviewer=reviewer).exists():
        raise ValidationError("You have already reviewed this attempt.")
    review = Review.objects.create(
        attempt=attempt,
        reviewer=reviewer,
        by_manager=by_manager,
        scores=list(scores),
        score=score,
        comment=comment.strip(),
        created_at=now,
    )
    TimedComment.objects.bulk_create(
        TimedComment(review=review, at_seconds=int(s), text=t.strip()[:500])
        for s, t in timed_comments
        if t.strip()
    )
    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.REVIEWED)
    if by_manager:
        _certify(review=review, attempt=attempt, reviewer=reviewer, now=now)
    person, skill, program_id = attempt.person, attempt.scenario.skill, attempt.program_id
    if program_id is not None:  # an attempt of no program moves no stage and earns no points
        transaction.on_commit(lambda: _after_review(person, skill, program_id, actor))
    return review


def _certify(*, review, attempt, reviewer, now):
    """A certificate when the attempt's program requires one on the skill and the score meets
    it; practice for one program never certifies in another that shares the skill."""
    if attempt.program_id is None:
        return
    for rule in CertificationRule.objects.filter(
        program_skill__program_id=attempt.program_id,
        program_skill__skill_id=attempt.scenario.skill_id,
        threshold__lte=review.score,
    ):
        Certificate.objects.create(
            person=attempt.person,
            program_skill_id=rule.program_skill_id,
            review=review,
            reviewer=reviewer,
            score=review.score,
            issued_at=now,
            expires_at=now + timedelta(days=rule.valid_days) if rule.valid_days else None,
        )


def _after_review(person, skill, program_id, actor):
    from reinforcement.services.stages import stages_recompute

    from .points import points_refresh

    stages_recompute(
        program_ids=[program_id],
        person_ids=[person.pk],
        skill_ids=[skill.pk],
        actor=actor,
        reason_prefix="Practice reviewed",
    )
    points_refresh(program_ids=[program_id], person_ids=[person.pk])


# ---------------------------------------------------------------- certification, points settings


def certification_rule_save(*, program_skill, required, threshold=None, valid_days=None):
    if not required:
        CertificationRule.objects.filter(program_skill=program_skill).delete()
        return None
    rule, _ = CertificationRule.objects.update_or_create(
        program_skill=program_skill, defaults={"threshold": threshold, "valid_days": valid_days}
    )
    return rule


def points_switch(*, program, enabled):
    PointsSettings.objects.update_or_create(program=program, defaults={"enabled": enabled})


def competition_create(*, program, name, starts_on, ends_on, created_by):
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The competition must end on or after its first day."})
    return Competition.objects.create(
        program=program, name=name, starts_on=starts_on, ends_on=ends_on, created_by=created_by
    )


def profile_set_hidden(*, person, hide_name):
    PracticeProfile.objects.update_or_create(person=person, defaults={"hide_name": hide_name})

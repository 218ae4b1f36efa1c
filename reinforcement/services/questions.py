"""The question bank, answering questions (FSRS reviews) and pausing for leave."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Card, Leave, Nudge, Question, SkillStage, Stage
from ..scheduling import answer_applied, policy_for
from .stages import cards_ensure, stage_recompute_for


@transaction.atomic
def question_create(*, skill, prompt, choices, correct_index, explanation, author=None):
    """Add a question and give it, due now, to everyone who already reached Learn on the skill."""
    question = Question.objects.create(
        skill=skill,
        prompt=prompt,
        choices=list(choices),
        correct_index=correct_index,
        explanation=explanation,
        author=author,
    )
    learners = SkillStage.objects.filter(program_skill__skill=skill).exclude(stage=Stage.NOT_STARTED)
    cards_ensure(
        pairs=learners.values_list("person_id", "program_skill__program_id", "program_skill__skill_id")
    )
    return question


@transaction.atomic
def question_update(*, question, prompt, choices, correct_index, explanation, is_active):
    """Edit a question; deactivating it cancels its nudges that have not gone out yet."""
    question.prompt = prompt
    question.choices = list(choices)
    question.correct_index = correct_index
    question.explanation = explanation
    question.is_active = is_active
    question.save()
    if not is_active:
        Nudge.objects.filter(card__question=question, status=Nudge.Status.PENDING).update(
            status=Nudge.Status.CANCELLED
        )
    return question


class AlreadyAnswered(Exception):
    """The card is not waiting for an answer (answered before, or not due); nothing was written."""

    def __init__(self, next_on=None):
        super().__init__("Already answered.")
        self.next_on = next_on


@transaction.atomic
def card_answer(*, card, chosen_index, confidence="", nudge=None, now=None):
    """Record an answer: update the card's memory, append a review log, close the nudge, move the stage.

    One answer per asked question: the card must be waiting (`Card.objects.waiting`: due, or
    with an open nudge, whichever came first); otherwise `AlreadyAnswered` and nothing is
    written. Racing submissions (double-click, two tabs, inbox and e-mail link) are settled by
    a conditional UPDATE that claims the card's next review number; the loser claims nothing.
    The unique (card, sequence) and (nudge) constraints on ReviewLog are the last line.

    The program's spacing policy (`scheduling.policy_for`) turns the answer into the card's
    new memory and next question; the card retires when the policy says it is durable.
    """
    now = now or timezone.now()
    card = Card.objects.select_for_update().select_related("question", "program").get(pk=card.pk)
    claim = Card.objects.filter(Card.objects.askable(now), pk=card.pk, reviews=card.reviews)
    if not card.question.is_active or card.program.status != card.program.Status.LAUNCHED:
        raise AlreadyAnswered(next_on=None)
    if not claim.update(reviews=F("reviews") + 1):
        raise AlreadyAnswered(next_on=card.due_at if card.retired_at is None else None)
    if nudge is not None and (nudge.card_id != card.pk or nudge.answered_at is not None):
        nudge = None
    policy = policy_for(card.program)
    is_correct = chosen_index == card.question.correct_index
    confidence = confidence if is_correct else ""
    # The claim above already took the card's next review number in the database.
    log = answer_applied(
        card,
        policy,
        chosen_index=chosen_index,
        correct=is_correct,
        at=now,
        confidence=confidence,
        nudge=nudge,
    )
    card.save()
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise AlreadyAnswered(next_on=card.due_at) from None
    # Any open nudge for this card is answered by this review (inbox or link, whichever came first).
    Nudge.objects.filter(card=card, answered_at__isnull=True).exclude(
        status__in=[Nudge.Status.CANCELLED, Nudge.Status.FAILED]
    ).update(status=Nudge.Status.ANSWERED, answered_at=now)
    stage_recompute_for(
        person=card.person, skill=card.question.skill, reason_prefix="Answered a review question"
    )
    return log


def leave_create(*, person, starts_on, ends_on, note=""):
    """Pause questions for a seller between two dates (inclusive)."""
    leave = Leave(person=person, starts_on=starts_on, ends_on=ends_on, note=note)
    leave.full_clean()
    leave.save()
    return leave

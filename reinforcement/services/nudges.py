"""The nudge outbox: plan rows, claim them with a lease, deliver each once, reap lost leases.

Nothing here talks to the broker: tasks (`reinforcement.tasks`) only move ids around, so
web requests and planning keep working while Redis is down and catch up when it returns.
"""

import logging
from collections import defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Person
from programs.models import Program
from rolloutplanner.outbox import lease_claim, lease_reap

from ..models import Card, Delivery, Leave, Nudge, ReinforcementRules
from ..scheduling import policy_for, recall_from

logger = logging.getLogger(__name__)

LINK_SALT = "reinforcement.answer-link"
# A card with a nudge in one of these states is not nudged again until it is answered. An
# EXPIRED nudge does not hold its card back: after the last reminder the card is paused for
# the program's `unanswered_pause_days`, then planned again (only retirement or the program's
# close stops a question).
UNANSWERED = (Nudge.Status.PENDING, Nudge.Status.CLAIMED, Nudge.Status.SENT)
MAX_ATTEMPTS = 5


# ---------------------------------------------------------------- signed answer links
def answer_token(nudge):
    return signing.dumps(
        {"n": nudge.pk, "c": nudge.card_id, "p": nudge.person_id}, salt=LINK_SALT, compress=True
    )


def answer_token_read(token):
    """The payload of a valid link; raises signing.SignatureExpired or signing.BadSignature."""
    max_age = timedelta(days=getattr(settings, "NUDGE_LINK_MAX_AGE_DAYS", 7))
    return signing.loads(token, salt=LINK_SALT, max_age=max_age)


def answer_url(nudge, prefix=None):
    prefix = prefix or settings.SITE_URL + reverse("reinforcement:answer_link", args=["-"])[:-2]
    return f"{prefix}{answer_token(nudge)}/"


# ---------------------------------------------------------------- planning
def _chunks(items, size=2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _quiet(local, rules):
    if rules.skip_weekends and local.weekday() >= 5:
        return True
    start, end = rules.quiet_hours_start, rules.quiet_hours_end
    if start == end:
        return False
    if start > end:  # overnight quiet hours, e.g. 19 → 8
        return local.hour >= start or local.hour < end
    return start <= local.hour < end


def _shortest_resend_wait():
    """Hours before any program resends an unanswered question (rows younger are not loaded)."""
    default = ReinforcementRules._meta.get_field("resend_after_hours").default
    shortest = ReinforcementRules.objects.aggregate(m=Min("resend_after_hours"))["m"]
    return min(default, shortest) if shortest is not None else default


def _question_key(card):
    return f"q:{card.pk}:{card.reviews}:{card.due_at:%Y%m%d%H%M%S}"


def nudges_plan(*, now=None, limit=20_000):
    """Turn due cards into pending nudges; resend unanswered ones with backoff and a cap.

    A question whose last reminder went unanswered is paused for the program's
    `unanswered_pause_days` and then planned again like any due card.
    Per seller: at most the program's daily cap of questions per local day, lowest
    predicted recall first; nothing in quiet hours or weekends (seller's time zone), on
    leave, or for retired cards and inactive questions. At most `limit` new questions per
    pass, so a pass stays well inside its minute; the next pass picks up the rest.
    Returns the number of new rows.
    """
    now = now or timezone.now()
    due = (
        Card.objects.filter(
            due_at__lte=now,
            retired_at__isnull=True,
            question__is_active=True,
            person__is_active=True,
        )
        .filter(program__status=Program.Status.LAUNCHED)
        .exclude(Exists(Nudge.objects.filter(card=OuterRef("pk"), status__in=UNANSWERED)))
    )
    # First only who has something due (one aggregate query); cards are loaded later, and only
    # for the sellers who may get a question right now.
    program_of = {}
    for person_id, program_id in due.values_list("person_id", "program_id").distinct().order_by():
        program_of.setdefault(person_id, program_id)
    resends = list(
        Nudge.objects.filter(
            kind=Nudge.Kind.QUESTION,
            status=Nudge.Status.SENT,
            person__is_active=True,
            answered_at__isnull=True,
            sent_at__lte=now - timedelta(hours=_shortest_resend_wait()),
        ).select_related("card__program__reinforcement_rules")
    )
    person_ids = set(program_of) | {n.person_id for n in resends}
    if not person_ids:
        return 0
    rules_of_program = {
        p.pk: ReinforcementRules.for_program(p)
        for p in Program.objects.filter(pk__in=set(program_of.values())).select_related("reinforcement_rules")
    }
    zones = {}
    for chunk in _chunks(sorted(person_ids)):
        zones.update(Person.objects.filter(id__in=chunk).values_list("id", "time_zone"))
    local_now = {pid: now.astimezone(ZoneInfo(zones[pid] or "UTC")) for pid in person_ids}
    on_leave = Leave.objects.filter(
        starts_on__lte=now.date() + timedelta(days=1), ends_on__gte=now.date() - timedelta(days=1)
    ).values_list("person_id", "starts_on", "ends_on")
    away = {pid for pid, start, end in on_leave if pid in local_now and start <= local_now[pid].date() <= end}
    sent_today = defaultdict(int)
    for pid, created in Nudge.objects.filter(
        kind=Nudge.Kind.QUESTION, created_at__gte=now - timedelta(hours=36)
    ).values_list("person_id", "created_at"):
        if pid in local_now and created.astimezone(local_now[pid].tzinfo).date() == local_now[pid].date():
            sent_today[pid] += 1
    room = {}
    for pid, program_id in program_of.items():
        rules = rules_of_program[program_id]
        slots = rules.daily_question_cap - sent_today[pid]
        if slots > 0 and pid not in away and not _quiet(local_now[pid], rules):
            room[pid] = (slots, rules)

    new = []
    expired = []
    paused = defaultdict(list)  # pause end -> card ids whose last reminder went unanswered
    for nudge in resends:
        rules = ReinforcementRules.for_program(nudge.card.program)
        wait = timedelta(hours=rules.resend_after_hours * (2**nudge.resend_number))
        if nudge.sent_at > now - wait:
            continue
        if nudge.resend_number >= rules.max_resends:
            expired.append(nudge.pk)
            paused[now + timedelta(days=rules.unanswered_pause_days)].append(nudge.card_id)
            continue
        if nudge.person_id in away:
            expired.append(nudge.pk)
            continue
        if _quiet(local_now[nudge.person_id], rules):
            continue
        expired.append(nudge.pk)
        new.append(
            Nudge(
                kind=Nudge.Kind.QUESTION,
                person_id=nudge.person_id,
                card_id=nudge.card_id,
                due_at=now,
                created_at=now,
                resend_number=nudge.resend_number + 1,
                idempotency_key=f"{nudge.idempotency_key.split(':r')[0]}:r{nudge.resend_number + 1}",
            )
        )
    # A few UPDATEs for the expired reminders and paused cards, not one per nudge.
    for ids in _chunks(expired):
        Nudge.objects.filter(pk__in=ids).update(status=Nudge.Status.EXPIRED)
    for until, card_ids in paused.items():
        for ids in _chunks(card_ids):
            Card.objects.filter(pk__in=ids, due_at__lt=until).update(due_at=until)

    fields = ["id", "person_id", "program_id", "stability", "due_at", "last_review_at"]
    policies = {}

    def policy_of(program_id):
        if program_id not in policies:
            program = Program.objects.select_related("reinforcement_rules", "spacing").get(pk=program_id)
            policies[program_id] = policy_for(program)
        return policies[program_id]

    def recall(card):
        policy = policy_of(card.program_id)
        return recall_from(
            stability=card.stability, last_review_at=card.last_review_at, now=now, policy=policy
        )

    for chunk in _chunks(sorted(room)):
        if len(new) >= limit:
            break
        by_person = defaultdict(list)
        for card in due.filter(person_id__in=chunk).only(*fields):
            by_person[card.person_id].append(card)
        for pid, person_cards in sorted(by_person.items()):
            slots, rules = room[pid]
            slots = min(slots, limit - len(new))
            if slots <= 0:
                break
            person_cards.sort(key=lambda c: (recall(c) or 0.0, c.due_at, c.pk))
            new += [
                Nudge(
                    kind=Nudge.Kind.QUESTION,
                    person_id=pid,
                    card_id=card.pk,
                    due_at=now,
                    created_at=now,
                    idempotency_key=_question_key(card),
                )
                for card in person_cards[:slots]
            ]
    Nudge.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
    return len(new)


def digests_plan(*, now=None):
    """One weekly digest nudge per manager with people under them, and per assigned peer
    reviewer with practice waiting for them (idempotent per person and ISO week)."""
    from ..practice.selectors import reviewers_with_requests

    now = now or timezone.now()
    year, week, _ = now.isocalendar()
    managers = Person.objects.filter(is_active=True, direct_reports__isnull=False).distinct()
    recipients = set(managers.values_list("id", flat=True)) | reviewers_with_requests()
    rows = [
        Nudge(
            kind=Nudge.Kind.DIGEST,
            person_id=pk,
            due_at=now,
            created_at=now,
            payload={"week": f"{year}-W{week:02d}"},
            idempotency_key=f"digest:{pk}:{year}-W{week:02d}",
        )
        for pk in sorted(recipients)
    ]
    Nudge.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


# ---------------------------------------------------------------- claiming and reaping
def nudges_claim(*, now=None, limit=500, lease_seconds=None):
    """Claim up to `limit` due pending nudges under a fresh lease; returns (token, ids)."""
    now = now or timezone.now()
    lease_seconds = lease_seconds or getattr(settings, "NUDGE_LEASE_SECONDS", 300)
    due = Nudge.objects.filter(status=Nudge.Status.PENDING, due_at__lte=now).order_by("due_at", "id")
    return lease_claim(due, now=now, limit=limit, lease_seconds=lease_seconds)


def nudges_release(*, lease_token):
    """Hand claimed rows back (e.g. the broker refused the task), without waiting for the reaper."""
    claimed = Nudge.objects.filter(lease_token=lease_token, status=Nudge.Status.CLAIMED)
    claimed.filter(attempts__gte=MAX_ATTEMPTS).update(status=Nudge.Status.FAILED, lease_token=None)
    return claimed.update(status=Nudge.Status.PENDING, lease_token=None, lease_expires_at=None)


def nudges_reap(*, now=None, max_attempts=MAX_ATTEMPTS):
    """Return claims whose lease ran out to pending; give up on rows tried too often."""
    return lease_reap(Nudge, now=now or timezone.now(), max_attempts=max_attempts)


# ---------------------------------------------------------------- delivery
def _question_message(nudge, urls):
    context = {
        "person": nudge.person,
        "question": nudge.card.question,
        "answer_url": answer_url(nudge, urls["answer_prefix"]),
        "inbox_url": urls["inbox"],
        "is_resend": nudge.resend_number > 0,
    }
    return _message(nudge, "question", context)


def _digest_message(nudge, urls):
    """The manager digest; a peer reviewer without a team gets only the practice waiting for them."""
    from ..practice.selectors import review_requests
    from ..selectors import digest_for_manager

    person = nudge.person
    if person.direct_reports.exists():
        context = {"has_team": True, **digest_for_manager(person)}
    else:
        context = {"has_team": False, "practice_reviews": review_requests(person)}
    return _message(nudge, "digest", {"person": person, "site_url": settings.SITE_URL, **context})


def _message(nudge, name, context):
    subject = render_to_string(f"reinforcement/email/{name}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"reinforcement/email/{name}.txt", context),
        to=[nudge.person.email],
        headers={"Message-ID": f"<{nudge.idempotency_key.replace(':', '.')}@rolloutplanner.nudge>"},
    )
    message.attach_alternative(render_to_string(f"reinforcement/email/{name}.html", context), "text/html")
    return message


BUILDERS = {Nudge.Kind.QUESTION: _question_message, Nudge.Kind.DIGEST: _digest_message}


def nudges_deliver(*, nudge_ids, lease_token, worker="", connection=None):
    """Deliver claimed nudges by e-mail (and questions to the inbox); returns how many.

    Safe to run twice: only rows still claimed under `lease_token` are sent, the rows are
    locked while sending, and a Delivery exists at most once per nudge and channel. The
    e-mail goes out before the commit, so a crash in between can repeat the e-mail (same
    Message-ID, for the receiving side to drop) but never the recorded delivery.
    """
    now = timezone.now()
    with transaction.atomic():
        qs = Nudge.objects.filter(id__in=nudge_ids, status=Nudge.Status.CLAIMED, lease_token=lease_token)
        if db_connection.features.has_select_for_update:
            qs = qs.select_for_update(of=("self",))
        nudges = list(qs.select_related("person", "card__question__skill").order_by("id"))
        # Someone deactivated since the row was planned gets nothing; the row is kept.
        gone = [n.pk for n in nudges if not n.person.is_active]
        if gone:
            Nudge.objects.filter(id__in=gone).update(
                status=Nudge.Status.CANCELLED, lease_token=None, lease_expires_at=None
            )
            nudges = [n for n in nudges if n.person.is_active]
        if not nudges:
            return 0
        done = set(
            Delivery.objects.filter(nudge__in=nudges, channel=Delivery.Channel.EMAIL).values_list(
                "nudge_id", flat=True
            )
        )
        urls = {
            "answer_prefix": settings.SITE_URL + reverse("reinforcement:answer_link", args=["-"])[:-2],
            "inbox": settings.SITE_URL + reverse("reinforcement:inbox"),
        }
        messages = [BUILDERS[n.kind](n, urls) for n in nudges if n.pk not in done]
        if messages:
            (connection or get_connection()).send_messages(messages)
        deliveries = [
            Delivery(nudge=n, channel=Delivery.Channel.EMAIL, delivered_at=now, worker=worker) for n in nudges
        ]
        deliveries += [
            Delivery(nudge=n, channel=Delivery.Channel.INBOX, delivered_at=now, worker=worker)
            for n in nudges
            if n.kind == Nudge.Kind.QUESTION
        ]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        Nudge.objects.filter(id__in=[n.pk for n in nudges]).update(
            status=Nudge.Status.SENT, sent_at=now, lease_token=None, lease_expires_at=None, last_error=""
        )
    return len(nudges)


def nudges_record_failure(*, nudge_ids, lease_token, error):
    Nudge.objects.filter(id__in=nudge_ids, lease_token=lease_token).update(last_error=str(error)[:500])

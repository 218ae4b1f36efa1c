from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.models import Person
from programs.models import Program
from reinforcement.measurement.selectors import FiguresPending, ProgramNotLaunched, not_launched_note
from rolloutplanner.roles import Role, role_of

from . import access, selectors
from .calendars import session_ics
from .forms import FollowUpFormSet, RecognitionForm, ReviewMeetingForm, SessionRecordForm, TeamSessionForm
from .models import FollowUp, TeamSession
from .rules import monday
from .services.recognitions import recognition_give
from .services.reviews import follow_up_done, review_meeting_record
from .services.sessions import team_session_invite, team_session_record, team_session_schedule


def _chosen(programs, chosen):
    """The program picked by ?program= among `programs` (404 if not among them), else the first."""
    if not chosen:
        return programs[0] if programs else None
    program = next((p for p in programs if str(p.pk) == chosen), None)
    if program is None:
        raise Http404
    return program


# ---------------------------------------------------------------- kits and team sessions
def kits_index(request):
    access.require(request.user, access.KIT_READERS)
    manager = access.manager_person(request.user) if role_of(request.user) == Role.MANAGER else None
    return render(request, "leadership/kits.html", {"programs": selectors.kit_programs(manager)})


def kit_detail(request, pk):
    ps = access.kit_for(request.user, pk)
    sessions = TeamSession.objects.filter(program_skill=ps).select_related("manager")
    if role_of(request.user) == Role.MANAGER:
        sessions = sessions.filter(manager=access.manager_person(request.user))
    return render(
        request,
        "leadership/kit.html",
        {
            "ps": ps,
            "kit": selectors.kit_for(ps),
            "sessions": sessions[:10],
            "can_schedule": role_of(request.user) == Role.MANAGER,
        },
    )


@require_http_methods(["GET", "POST"])
def session_new(request, pk):
    ps = access.kit_for(request.user, pk)
    manager = access.manager_person(request.user)
    team = selectors.team_for_session(manager, ps.program).order_by("last_name", "first_name")
    form = TeamSessionForm(
        request.POST or None,
        team=team,
        initial={
            "time_zone": manager.time_zone,
            "minutes": 30,
            "invitees": list(team.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = team_session_schedule(
            manager=manager,
            program_skill=ps,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            where=data["where"],
            invitees=data["invitees"],
            user=request.user,
        )
        session.refresh_from_db(fields=["invited_at"])
        if session.invited_at:
            messages.success(
                request,
                f"Session scheduled; {len(data['invitees'])} invitation(s) sent with a calendar file.",
            )
        else:
            messages.warning(
                request, "Session saved, but the invitations could not be sent: try again below."
            )
        return redirect("leadership:session", pk=session.pk)
    return render(request, "leadership/session_form.html", {"ps": ps, "form": form})


@require_http_methods(["GET", "POST"])
def session_detail(request, pk):
    session = access.team_session_for(request.user, pk, edit=request.method == "POST")
    form = SessionRecordForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        team_session_record(
            session=session, attendees=form.cleaned_data["attendees"], note=form.cleaned_data["note"]
        )
        messages.success(request, "Attendance and note saved: the session counts as held.")
        return redirect("leadership:session", pk=session.pk)
    can_record = role_of(request.user) == Role.MANAGER and session.manager.user_id == request.user.pk
    return render(
        request,
        "leadership/session_detail.html",
        {
            "session": session,
            "form": form,
            "can_record": can_record,
            "invitees": session.invitees.order_by("last_name", "first_name"),
            "attendees": set(session.attendees.values_list("pk", flat=True)),
        },
    )


@require_POST
def session_invite(request, pk):
    """Send the invitations of a session whose sending failed."""
    session = access.team_session_for(request.user, pk, edit=True)
    if team_session_invite(session=session) is None:
        messages.warning(request, "The invitations could not be sent; the mail server refused them.")
    else:
        messages.success(request, "Invitations sent.")
    return redirect("leadership:session", pk=session.pk)


def session_ics_download(request, pk):
    session = access.team_session_for(request.user, pk)
    response = HttpResponse(
        session_ics(session, method="PUBLISH"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="team-session-{session.pk}.ics"'
    return response


def sessions_overview(request):
    """Held vs expected team sessions per manager for a launched program (the accountability list)."""
    access.require(request.user, access.KIT_READERS)
    programs = list(Program.objects.filter(status=Program.Status.LAUNCHED).order_by("-start_date", "name"))
    program = _chosen(programs, request.GET.get("program"))
    managers = None
    if role_of(request.user) == Role.MANAGER:
        managers = Person.objects.filter(org_path__startswith=access.manager_person(request.user).org_path)
    data = selectors.sessions_accountability(program, managers) if program else None
    return render(
        request, "leadership/sessions.html", {"programs": programs, "program": program, "data": data}
    )


# ---------------------------------------------------------------- weekly brief and reviews
def _week(request):
    """The Monday asked for with ?week= (default this week); 404 for a bad or future date."""
    this_week = monday(timezone.localdate())
    raw = request.GET.get("week")
    if not raw:
        return this_week
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None or monday(day) > this_week:
        raise Http404
    return monday(day)


def brief(request, pk):
    program = access.program_reader(request.user, pk)
    week = _week(request)
    as_of = min(week + timedelta(days=6), timezone.localdate())
    try:
        figures = selectors.brief_for(program, today=as_of)
    except ProgramNotLaunched:
        figures = {"program": program, "week": week, "not_launched": not_launched_note(program)}
    except FiguresPending:
        figures = {"program": program, "week": week, "pending": True}
    return render(
        request,
        "leadership/brief.html",
        {
            **figures,
            "can_record": role_of(request.user) == Role.LEAD,
            "previous_week": week - timedelta(weeks=1),
            "next_week": week + timedelta(weeks=1) if week < monday(timezone.localdate()) else None,
        },
    )


@require_http_methods(["GET", "POST"])
def reviews(request, pk):
    program = access.program_reader(request.user, pk)
    can_record = role_of(request.user) == Role.LEAD
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    form = ReviewMeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    follow_ups = FollowUpFormSet(request.POST or None, prefix="f")
    if request.method == "POST" and form.is_valid() and follow_ups.is_valid():
        review_meeting_record(
            program=program,
            **form.cleaned_data,
            follow_ups=[f for f in follow_ups.cleaned_data if f.get("action")],
            user=request.user,
        )
        messages.success(request, "Review meeting recorded.")
        return redirect("leadership:reviews", pk=program.pk)
    meetings = program.review_meetings.prefetch_related("follow_ups").select_related("recorded_by")
    return render(
        request,
        "leadership/reviews.html",
        {
            "program": program,
            "meetings": meetings[:20],
            "form": form,
            "follow_ups": follow_ups,
            "can_record": can_record,
            "missed": selectors.review_gap(program),
            "today": timezone.localdate(),
        },
    )


@require_POST
def follow_up_mark_done(request, pk):
    access.require(request.user, (Role.LEAD,))
    follow_up = get_object_or_404(FollowUp.objects.select_related("meeting"), pk=pk)
    follow_up_done(follow_up=follow_up)
    return redirect("leadership:reviews", pk=follow_up.meeting.program_id)


# ---------------------------------------------------------------- recognition
def _int(value):
    """A positive id from a query parameter, or None (a malformed one is a 404, never a 500)."""
    if not value:
        return None
    if not str(value).isdigit():
        raise Http404
    return int(value)


@require_http_methods(["GET", "POST"])
def recognise(request):
    """Give a recognition to one seller (?person=) or one team (?team=), optionally for ?program=."""
    params = request.POST if request.method == "POST" else request.GET
    person, team = access.recognition_target(
        request.user, person_id=_int(params.get("person")), team_id=_int(params.get("team"))
    )
    program = Program.objects.filter(pk=_int(params.get("program")) or 0).first()
    back = params.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = RecognitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recognition = recognition_give(
            giver=request.user,
            person=person,
            team=team,
            program=program,
            message=form.cleaned_data["message"],
        )
        messages.success(request, f"Recognition sent to {recognition.recipient_name}.")
        return redirect(back or (reverse("reinforcement:person", args=[person.pk]) if person else "home"))
    return render(
        request,
        "leadership/recognise.html",
        {"form": form, "person": person, "team": team, "program": program, "next": back},
    )


# ---------------------------------------------------------------- fade alarms
def alarms(request):
    """Teams fading after launch: managers see their own teams, leads and executives all."""
    access.require(request.user, access.KIT_READERS)
    manager = access.manager_person(request.user) if role_of(request.user) == Role.MANAGER else None
    programs = []
    if manager is None:
        programs = [
            (p, len(selectors.review_gap(p)))
            for p in Program.objects.filter(status=Program.Status.LAUNCHED).order_by("-start_date", "name")
        ]
    return render(
        request, "leadership/alarms.html", {"alarms": selectors.recent_alarms(manager), "programs": programs}
    )

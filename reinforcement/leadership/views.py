from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cohorts.models import Person
from programs.models import Program
from rolloutplanner.roles import Role, role_of

from . import access, selectors
from .calendars import session_ics
from .forms import SessionRecordForm, TeamSessionForm
from .models import TeamSession
from .services.sessions import team_session_record, team_session_schedule


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
        messages.success(
            request, f"Session scheduled; {len(data['invitees'])} invitation(s) sent with a calendar file."
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

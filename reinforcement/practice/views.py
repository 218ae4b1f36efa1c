import json
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.models import Person
from cohorts.selectors import people_under, person_for_user
from programs.models import Program, ProgramSkill
from reinforcement.access import visible_people
from reinforcement.selectors import PROGRESS_SHOWN
from rolloutplanner.access import role_required
from rolloutplanner.roles import Role, role_of

from . import access, selectors, services
from .forms import (
    AssignmentForm,
    CertificationForm,
    CompetitionForm,
    PointsForm,
    ReviewForm,
    ScenarioForm,
    WrittenAttemptForm,
)
from .models import (
    Competition,
    PointsSettings,
    ReviewerAssignment,
    Scenario,
    Upload,
)

ALL_ROLES = (Role.LEAD, Role.MANAGER, Role.EXECUTIVE, Role.SELLER)
CHUNK_BYTES = 1024 * 1024


def _json_error(message, status, **extra):
    return JsonResponse({"error": message, "status_code": status, **extra}, status=status)


# ---------------------------------------------------------------- library


@role_required(*ALL_ROLES)
def index(request):
    """The scenario library; a seller sees the scenarios of their skills and their requests to review."""
    role = role_of(request.user)
    me = person_for_user(request.user)
    if role == Role.SELLER:
        scenarios = selectors.scenarios_for_person(me) if me else []
    else:
        scenarios = list(Scenario.objects.select_related("skill").order_by("skill__name", "title"))
    context = {
        "scenarios": scenarios,
        "can_edit": role == Role.LEAD,
        "requests": selectors.review_requests(me) if me and role in (Role.MANAGER, Role.SELLER) else [],
        "programs": Program.objects.filter(skills__isnull=False).distinct().order_by("name")
        if role == Role.LEAD
        else [],
    }
    return render(request, "practice/index.html", context)


@role_required(Role.LEAD)
@require_http_methods(["GET", "POST"])
def scenario_edit(request, pk=None):
    scenario = get_object_or_404(Scenario, pk=pk) if pk else None
    form = ScenarioForm(request.POST or None, instance=scenario)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        scenario = services.scenario_save(scenario=scenario, author=request.user, data=data)
        messages.success(request, f"Saved the scenario “{scenario.title}”.")
        return redirect("practice:scenario", pk=scenario.pk)
    return render(request, "practice/scenario_form.html", {"form": form, "scenario": scenario})


@role_required(*ALL_ROLES)
def scenario_detail(request, pk):
    scenario = get_object_or_404(Scenario.objects.select_related("skill"), pk=pk)
    role = role_of(request.user)
    context = {"scenario": scenario, "can_edit": role == Role.LEAD}
    if role == Role.SELLER:
        me = access.own_person(request.user)
        if not scenario.is_active:
            raise Http404
        programs = selectors.practice_programs(me, scenario.skill)
        program = _chosen_program(programs, request.GET.get("program"))
        context.update(_practice_context(me, scenario, WrittenAttemptForm(), programs, program))
    return render(request, "practice/scenario.html", context)


def _chosen_program(programs, chosen):
    """The program the seller practises for: the one chosen among `programs` (the running
    programs training the skill), else the first; a 404 when there is none or the choice is
    not one of them (a program the seller is not in reveals nothing)."""
    if not programs:
        raise Http404
    if not chosen:
        return programs[0]
    program = next((p for p in programs if str(p.pk) == chosen), None)
    if program is None:
        raise Http404
    return program


def _practice_context(me, scenario, form, programs, program):
    """What the seller's side of a scenario page needs: this program's attempts side by side,
    the seller's attempts for other programs labelled as such, and both answer forms."""
    attempts, other_attempts = selectors.attempts_of(me, scenario, program)
    return {
        "attempts": attempts,
        "other_attempts": other_attempts,
        "program": program,
        "programs": programs,
        "form": form,
        "can_practice": True,
        "upload_config": {
            "start": reverse("practice:upload_start", args=[scenario.pk]) + f"?program={program.pk}",
            "maxBytes": settings.PRACTICE_MAX_UPLOAD_BYTES,
            "chunkBytes": CHUNK_BYTES,
            "maxSeconds": 600,
        },
    }


# ---------------------------------------------------------------- attempts


def _practising_seller(request, scenario_pk, chosen):
    """The seller, the scenario and the program the attempt counts for (`chosen` program id,
    else the default one); 403 for other roles, 404 when the seller may not practise it there."""
    if role_of(request.user) != Role.SELLER:
        raise PermissionDenied
    me = access.own_person(request.user)
    scenario = get_object_or_404(Scenario.objects.select_related("skill"), pk=scenario_pk, is_active=True)
    programs = selectors.practice_programs(me, scenario.skill)
    return me, scenario, programs, _chosen_program(programs, chosen)


@require_POST
def attempt_write(request, scenario_pk):
    me, scenario, programs, program = _practising_seller(request, scenario_pk, request.POST.get("program"))
    form = WrittenAttemptForm(request.POST)
    if form.is_valid():
        try:
            attempt = services.attempt_write(
                person=me, scenario=scenario, program=program, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc.message_dict.get("text", exc.messages))
        else:
            messages.success(request, f"Attempt {attempt.number} sent for review in {program.name}.")
            url = reverse("practice:scenario", args=[scenario.pk])
            return redirect(f"{url}?program={program.pk}" if len(programs) > 1 else url)
    context = {"scenario": scenario, **_practice_context(me, scenario, form, programs, program)}
    return render(request, "practice/scenario.html", context, status=400)


@require_POST
def upload_start(request, scenario_pk):
    """Open a resumable upload: JSON {content_type, size} in, {upload_url, offset} out; the
    attempt counts for the program in `?program=` (else the seller's default one)."""
    try:
        me, scenario, _, program = _practising_seller(request, scenario_pk, request.GET.get("program"))
    except PermissionDenied:
        return _json_error("Only sellers record practice attempts.", 403)
    except Http404:
        return _json_error("No such scenario for you.", 404)
    try:
        body = json.loads(request.body or b"{}")
        content_type, size = str(body.get("content_type", "")), int(body.get("size", 0))
    except (ValueError, TypeError, AttributeError, OverflowError):  # not an object, or size not a number
        return _json_error("Send JSON with content_type and size.", 400)
    try:
        upload = services.upload_start(
            person=me, scenario=scenario, program=program, content_type=content_type, size=size
        )
    except services.UploadRefused as exc:
        return _json_error(exc.message, exc.status)
    return JsonResponse(
        {"upload_url": reverse("practice:upload", args=[upload.pk]), "offset": 0, "chunk_bytes": CHUNK_BYTES},
        status=201,
    )


def _own_upload(request, pk):
    me = person_for_user(request.user)
    upload = Upload.objects.select_related("attempt").filter(pk=pk).first()
    if me is None or upload is None or upload.attempt.person_id != me.pk:
        return None
    return upload


@require_http_methods(["GET", "PUT", "POST"])
def upload(request, pk):
    """GET: the acknowledged offset (to resume). PUT: bytes at `Upload-Offset`. POST: finish."""
    upload = _own_upload(request, pk)
    if upload is None:
        return _json_error("No such upload.", 404)
    if request.method == "GET":
        return JsonResponse({"offset": upload.received, "size": upload.total_size})
    if request.method == "POST":
        try:
            attempt = services.upload_finish(upload=upload)
        except services.UploadRefused as exc:
            return _json_error(exc.message, exc.status, offset=exc.offset)
        return JsonResponse(
            {"attempt_url": reverse("practice:attempt", args=[attempt.pk]), "number": attempt.number}
        )
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return _json_error("Send Upload-Offset and Content-Length headers.", 400)
    if length > CHUNK_BYTES:
        return _json_error(f"Chunks are at most {CHUNK_BYTES} bytes.", 413, offset=upload.received)
    try:
        received = services.upload_append(upload=upload, offset=offset, stream=request, length=length)
    except services.UploadRefused as exc:
        return _json_error(exc.message, exc.status, offset=exc.offset)
    return JsonResponse({"offset": received})


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def attempt_detail(request, pk):
    attempt = access.attempt_for_view(request.user, pk)
    reviewer = access.review_role(request.user, attempt)
    rubric = attempt.scenario.rubric
    form = None
    if reviewer and not attempt.reviews.filter(reviewer=reviewer[0]).exists():
        form = ReviewForm(request.POST or None, rubric=rubric, recording=attempt.is_recording)
        if request.method == "POST" and form.is_valid():
            try:
                services.review_submit(
                    attempt=attempt,
                    reviewer=reviewer[0],
                    by_manager=reviewer[1],
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    timed_comments=form.cleaned_data.get("timed", []),
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Review saved for {attempt.person.full_name}.")
                return redirect("practice:attempt", pk=attempt.pk)
    elif request.method == "POST":
        raise PermissionDenied
    reviews = list(attempt.reviews.select_related("reviewer").prefetch_related("timed_comments"))
    for review in reviews:
        review.rows = [
            {"criterion": c["criterion"], "score": s, "meaning": c["levels"][s - 1]}
            for c, s in zip(rubric, review.scores, strict=False)
        ]
    return render(
        request,
        "practice/attempt.html",
        {"attempt": attempt, "reviews": reviews, "form": form, "by_manager": reviewer and reviewer[1]},
        status=400 if form is not None and form.is_bound else 200,
    )


RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


@role_required(*ALL_ROLES)
def attempt_recording(request, pk):
    """The recording, only through this permission check; supports byte ranges for seeking."""
    attempt = access.attempt_for_view(request.user, pk)
    if not attempt.recording:
        raise Http404
    size = attempt.recording.size
    match = RANGE.match(request.headers.get("Range", ""))
    handle = attempt.recording.open("rb")
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:
            start, end = max(size - int(match.group(2)), 0), size - 1
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle.seek(start)
        response = FileResponse(
            _limited(handle, end - start + 1), status=206, content_type=attempt.content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(handle, content_type=attempt.content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    return response


def _limited(handle, length, block=64 * 1024):
    try:
        while length > 0:
            data = handle.read(min(block, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


@role_required(Role.MANAGER, Role.SELLER)
def reviews(request):
    me = access.own_person(request.user)
    return render(request, "practice/reviews.html", {"requests": selectors.review_requests(me)})


# ---------------------------------------------------------------- program settings (lead)


@role_required(Role.LEAD)
@require_http_methods(["GET", "POST"])
def program_settings(request, program_pk):
    program = get_object_or_404(Program, pk=program_pk)
    program_skills = list(
        ProgramSkill.objects.filter(program=program).select_related("skill", "certification_rule")
    )
    people = (
        Person.objects.filter(skill_stages__program_skill__program=program).distinct().order_by("last_name")
    )
    reviewers = people.filter(
        skill_stages__program_skill__program=program, skill_stages__stage__in=access.REVIEWER_STAGES
    ).distinct()
    action = request.POST.get("action") if request.method == "POST" else None
    points_form = PointsForm(
        request.POST if action == "points" else None, initial={"enabled": PointsSettings.enabled_for(program)}
    )
    assign_form = AssignmentForm(
        request.POST if action == "assign" else None, people=people, reviewers=reviewers
    )
    competition_form = CompetitionForm(request.POST if action == "competition" else None, prefix="c")
    cert_forms = []
    for ps in program_skills:
        rule = getattr(ps, "certification_rule", None)
        bound = request.POST if action == f"cert-{ps.pk}" else None
        cert_forms.append(
            (
                ps,
                CertificationForm(
                    bound, instance=rule, prefix=f"cert{ps.pk}", initial={"required": rule is not None}
                ),
            )
        )
    if action == "points" and points_form.is_valid():
        services.points_switch(program=program, enabled=points_form.cleaned_data["enabled"])
        messages.success(
            request, "Points " + ("switched on." if points_form.cleaned_data["enabled"] else "switched off.")
        )
        return redirect("practice:program_settings", program_pk=program.pk)
    if action == "assign" and assign_form.is_valid():
        try:
            services.reviewer_assign(program=program, assigned_by=request.user, **assign_form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                assign_form.add_error(field if field in assign_form.fields else None, errors)
        else:
            messages.success(request, "Reviewer assigned.")
            return redirect("practice:program_settings", program_pk=program.pk)
    if action == "unassign":
        assignment = get_object_or_404(ReviewerAssignment, pk=request.POST.get("assignment"), program=program)
        services.reviewer_unassign(assignment=assignment)
        messages.success(request, "Reviewer removed.")
        return redirect("practice:program_settings", program_pk=program.pk)
    if action == "competition" and competition_form.is_valid():
        services.competition_create(program=program, created_by=request.user, **competition_form.cleaned_data)
        messages.success(request, "Competition created.")
        return redirect("practice:program_settings", program_pk=program.pk)
    for ps, form in cert_forms:
        if action == f"cert-{ps.pk}" and form.is_valid():
            services.certification_rule_save(
                program_skill=ps,
                required=form.cleaned_data["required"],
                threshold=form.cleaned_data["threshold"],
                valid_days=form.cleaned_data["valid_days"],
            )
            messages.success(request, f"Certification for {ps.skill} saved.")
            return redirect("practice:program_settings", program_pk=program.pk)
    return render(
        request,
        "practice/program_settings.html",
        {
            "program": program,
            "points_form": points_form,
            "assign_form": assign_form,
            "competition_form": competition_form,
            "cert_forms": cert_forms,
            "assignments": ReviewerAssignment.objects.filter(program=program).select_related(
                "seller", "reviewer"
            ),
            "competitions": Competition.objects.filter(program=program),
        },
        status=400 if action else 200,
    )


# ---------------------------------------------------------------- points


def _programs_for(request):
    """Programs with points whose leaderboard the user may open: a program that has not
    launched shows nobody's progress, so it has no leaderboard yet."""
    role = role_of(request.user)
    me = person_for_user(request.user)
    programs = Program.objects.filter(skills__skill_stages__isnull=False, status__in=PROGRESS_SHOWN)
    if role == Role.SELLER:
        programs = programs.filter(skills__skill_stages__person=me)
    elif role == Role.MANAGER:
        programs = (
            programs.filter(skills__skill_stages__person__in=people_under(me)) if me else programs.none()
        )
    return list(programs.exclude(points_settings__enabled=False).distinct().order_by("name"))


@role_required(*ALL_ROLES)
def leaderboard(request):
    programs = _programs_for(request)
    chosen = request.GET.get("program")
    program = next((p for p in programs if str(p.pk) == chosen), programs[0] if programs else None)
    if chosen and (program is None or str(program.pk) != chosen):
        raise Http404
    role = role_of(request.user)
    me = person_for_user(request.user)
    context = {"programs": programs, "program": program, "role": role}
    if program is not None:
        if role == Role.SELLER:
            board = selectors.leaderboard(program, viewer=me)
            context["mine"] = selectors.points_of(me, program)
            context["hidden"] = selectors.hides_name(me)
        elif role == Role.MANAGER:
            board = selectors.leaderboard(
                program,
                viewer=me,
                scope_ids=visible_people(request.user).values_list("pk", flat=True),
                reveal_names=True,
            )
        else:
            board = selectors.leaderboard(program, viewer=me, scope_ids=None, reveal_names=True, top=50)
        context["board"] = board
        context["competitions"] = [
            (c, selectors.competition_standings(c)) for c in Competition.objects.filter(program=program)[:3]
        ]
    return render(request, "practice/leaderboard.html", context)


@role_required(Role.SELLER)
@require_POST
def hide_name(request):
    me = access.own_person(request.user)
    services.profile_set_hidden(person=me, hide_name=request.POST.get("hide_name") == "on")
    messages.success(request, "Your leaderboard setting is saved.")
    return redirect(
        reverse("practice:leaderboard")
        + (f"?program={request.POST['program']}" if request.POST.get("program", "").isdigit() else "")
    )

"""REST endpoints: metric actuals in (CRM jobs), and reads of programs, cohorts, stages, coaching
and adoption with the same permissions as the pages.

Reads: leads and executives see everyone; managers see the people under them; sellers only
themselves (and no planning data). Writes: metric actuals, by leads or users granted
`measurement.add_metricactual`. Errors are JSON with `status_code` (rolloutplanner.api).
"""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cohorts.models import Cohort, CohortMember, Person, Region, Team
from cohorts.selectors import people_under, person_for_user
from programs.access import can_read
from programs.models import Program
from reinforcement.access import visible_people
from reinforcement.models import CoachingRating, CoachingSession, SkillStage
from reinforcement.selectors import PROGRESS_SHOWN
from rolloutplanner.limits import parse_id
from rolloutplanner.roles import Role, role_of

from . import access
from .figures import present
from .models import MetricActual
from .selectors import FiguresPending, ProgramNotLaunched, figures_for, not_launched_note, planned_for
from .services import metric_actuals_save, metric_actuals_validate
from .stats import ADOPTION_GOAL

MAX_BATCH = 5000


class ReadsPrograms(BasePermission):
    message = "Your role cannot read programs."

    def has_permission(self, request, view):
        return can_read(request.user)


# ---------------------------------------------------------------- metric actuals


class MetricActualInSerializer(serializers.Serializer):
    metric = serializers.CharField(help_text="Metric name from the catalogue, e.g. 'Win rate'.")
    email = serializers.EmailField(required=False, allow_blank=True, help_text="The person's e-mail.")
    team = serializers.CharField(required=False, allow_blank=True, help_text="Or a team name.")
    period_start = serializers.DateField()
    period_end = serializers.DateField(required=False, allow_null=True, help_text="Default: six days later.")
    value = serializers.DecimalField(max_digits=16, decimal_places=4)


class MetricActualSerializer(serializers.ModelSerializer):
    metric = serializers.CharField(source="metric.name")
    email = serializers.EmailField(source="person.email", allow_null=True, default=None)
    team = serializers.CharField(source="team.name", allow_null=True, default=None)

    class Meta:
        model = MetricActual
        fields = [
            "id",
            "metric",
            "email",
            "team",
            "period_start",
            "period_end",
            "value",
            "source",
            "updated_at",
        ]


ImportResultSerializer = inline_serializer(
    "MetricActualImportResult",
    {"created": serializers.IntegerField(), "updated": serializers.IntegerField()},
)
RowErrorsSerializer = inline_serializer(
    "MetricActualRowErrors",
    {
        "detail": serializers.CharField(),
        "status_code": serializers.IntegerField(),
        "errors": inline_serializer(
            "MetricActualRowError",
            {
                "row": serializers.IntegerField(),
                "column": serializers.CharField(),
                "message": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class MetricActualList(generics.ListAPIView):
    """Metric actuals you may see; POST one object or a list of up to 5,000 (all or nothing).

    Posting the same metric, person (or team) and period start again replaces the value.
    """

    serializer_class = MetricActualSerializer

    def get_queryset(self):
        qs = MetricActual.objects.select_related("metric", "person", "team").order_by("-period_start", "id")
        role = role_of(self.request.user)
        if role in (Role.LEAD, Role.EXECUTIVE):
            pass
        elif role == Role.MANAGER:
            # Their people's figures, and those of the teams they or their managers lead.
            people = visible_people(self.request.user)
            me = person_for_user(self.request.user)
            qs = qs.filter(
                Q(person__in=people.values("pk"))
                | Q(team__manager__in=people.values("pk"))
                | Q(team__manager=me)
            )
        elif role == Role.SELLER:
            qs = qs.filter(person__in=visible_people(self.request.user).values("pk"))
        else:
            raise PermissionDenied("Your role cannot read metric actuals.")
        params = self.request.query_params
        if params.get("metric"):
            qs = qs.filter(metric__name__iexact=params["metric"])
        if params.get("since"):
            qs = qs.filter(period_start__gte=params["since"])
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", OpenApiTypes.STR, description="Only this metric (name)."),
            OpenApiParameter("since", OpenApiTypes.DATE, description="Periods starting on or after."),
        ]
    )
    def get(self, request, *args, **kwargs):
        if request.query_params.get("since"):
            serializers.DateField().run_validation(request.query_params["since"])
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MetricActualInSerializer(many=True),
        responses={201: ImportResultSerializer, 400: RowErrorsSerializer},
    )
    def post(self, request):
        if not access.can_import(request.user):
            raise PermissionDenied(
                "Only enablement leads, or users allowed to add metric actuals, may push them."
            )
        payload = request.data if isinstance(request.data, list) else [request.data]
        if not payload or len(payload) > MAX_BATCH:
            raise ValidationError({"detail": f"Send between 1 and {MAX_BATCH} rows."})
        shape_errors = []
        rows = []
        for index, item in enumerate(payload):
            serializer = MetricActualInSerializer(data=item if isinstance(item, dict) else {})
            if not serializer.is_valid():
                shape_errors += [
                    {"row": index, "column": column, "message": " ".join(str(m) for m in messages)}
                    for column, messages in serializer.errors.items()
                ]
                continue
            data = serializer.validated_data
            rows.append(
                (index, {**data, "value": str(data["value"]), "period_end": data.get("period_end") or ""})
            )
        clean, errors = metric_actuals_validate(
            [
                (i, {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()})
                for i, r in rows
            ]
        )
        errors = sorted(shape_errors + errors, key=lambda e: e["row"])
        if errors:
            return Response(
                {"detail": "Nothing was saved: fix the rows listed.", "errors": errors, "status_code": 400},
                status=status.HTTP_400_BAD_REQUEST,
            )
        created, updated = metric_actuals_save(rows=clean, source=MetricActual.Source.API, user=request.user)
        return Response({"created": created, "updated": updated}, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- programs and cohorts


class ProgramSerializer(serializers.ModelSerializer):
    skills = serializers.SerializerMethodField()
    metrics = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "status",
            "start_date",
            "end_date",
            "participation",
            "rollout",
            "participant_mix",
            "skills",
            "metrics",
        ]

    def get_skills(self, obj) -> list[str]:
        return [ps.skill.name for ps in obj.skills.all()]

    def get_metrics(self, obj) -> list[dict]:
        return [
            {
                "metric": pm.metric.name,
                "baseline": str(pm.baseline),
                "target": str(pm.target),
                "unit": pm.unit,
                "direction": pm.direction,
            }
            for pm in obj.metrics.all()
        ]


class ProgramList(generics.ListAPIView):
    """Programs with their skills and success metrics (leads, managers and executives)."""

    serializer_class = ProgramSerializer
    permission_classes = [IsAuthenticated, ReadsPrograms]
    queryset = Program.objects.prefetch_related("skills__skill", "metrics__metric").order_by("-id")


class ProgramDetail(generics.RetrieveAPIView):
    serializer_class = ProgramSerializer
    permission_classes = [IsAuthenticated, ReadsPrograms]
    queryset = ProgramList.queryset


class CohortSerializer(serializers.ModelSerializer):
    wave = serializers.CharField(source="wave.name")
    wave_kind = serializers.CharField(source="wave.kind")
    member_count = serializers.IntegerField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Cohort
        fields = [
            "id",
            "name",
            "wave",
            "wave_kind",
            "sequence",
            "is_leaders",
            "capacity",
            "member_count",
            "members",
        ]

    def get_members(self, obj) -> list[int]:
        """Ids of the members the caller may see (managers: only people under them)."""
        visible = self.context["visible"]
        return [pk for pk in self.context["members"].get(obj.pk, []) if visible is None or pk in visible]


class ProgramCohorts(generics.ListAPIView):
    """The program's cohorts in training order, with the members you may see."""

    serializer_class = CohortSerializer
    permission_classes = [IsAuthenticated, ReadsPrograms]
    pagination_class = None

    def get_queryset(self):
        self.program = get_object_or_404(Program, pk=self.kwargs["pk"])
        return (
            Cohort.objects.filter(program=self.program)
            .select_related("wave")
            .annotate(member_count=Count("members", filter=Q(members__status=CohortMember.Status.CONFIRMED)))
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        members = {}
        for cohort_id, person_id in CohortMember.objects.filter(
            program_id=self.kwargs["pk"], status=CohortMember.Status.CONFIRMED, cohort__isnull=False
        ).values_list("cohort_id", "person_id"):
            members.setdefault(cohort_id, []).append(person_id)
        role = role_of(self.request.user)
        visible = None
        if role == Role.MANAGER:
            visible = set(visible_people(self.request.user).values_list("pk", flat=True))
        context.update(members=members, visible=visible)
        return context


# ---------------------------------------------------------------- stages and coaching


class SkillStageSerializer(serializers.ModelSerializer):
    person_email = serializers.EmailField(source="person.email")
    program = serializers.IntegerField(source="program_skill.program_id")
    skill = serializers.CharField(source="program_skill.skill.name")

    class Meta:
        model = SkillStage
        fields = ["id", "person", "person_email", "program", "skill", "stage", "updated_at"]


class StageList(generics.ListAPIView):
    """Stage of mastery per person and skill: everyone (leads, executives), your people
    (managers) or yourself (sellers). Filter with `program` and `person`. Only launched (or
    closed) programs: before launch a program shows nobody's progress, not even stage rows
    left from an earlier launch."""

    serializer_class = SkillStageSerializer

    def get_queryset(self):
        if role_of(self.request.user) is None:
            raise PermissionDenied("Your account has no role.")
        qs = (
            SkillStage.objects.filter(
                person__in=visible_people(self.request.user).values("pk"),
                program_skill__program__status__in=PROGRESS_SHOWN,
            )
            .select_related("person", "program_skill__skill")
            .order_by("person_id", "program_skill_id")
        )
        params = self.request.query_params
        if parse_id(params.get("program")):
            qs = qs.filter(program_skill__program_id=parse_id(params["program"]))
        if parse_id(params.get("person")):
            qs = qs.filter(person_id=parse_id(params["person"]))
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("program", OpenApiTypes.INT, description="Only this program."),
            OpenApiParameter("person", OpenApiTypes.INT, description="Only this person."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CoachingSessionSerializer(serializers.ModelSerializer):
    manager_email = serializers.EmailField(source="manager.email")
    sellers = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()

    class Meta:
        model = CoachingSession
        fields = [
            "id",
            "manager",
            "manager_email",
            "program",
            "kind",
            "occurred_on",
            "sellers",
            "ratings",
            "next_step",
            "next_step_due",
            "next_step_done",
        ]

    def get_sellers(self, obj) -> list[int]:
        return [s.pk for s in obj.sellers.all()]

    def get_ratings(self, obj) -> list[dict]:
        return [
            {
                "seller": r.seller_id,
                "skill": r.skill.name,
                "rating": r.rating,
                "signs_off_mastery": r.signs_off_mastery,
            }
            for r in obj.ratings.all()
        ]


class CoachingList(generics.ListAPIView):
    """Coaching logs: all (leads, executives), given by you or your managers (managers),
    received (sellers). Notes stay on the pages. As for `stages/`, coaching logged for a
    program that has not launched (draft or ready) is not listed: before launch a program
    shows nobody's progress. Closed programs keep their history; coaching logged for no
    program is listed."""

    serializer_class = CoachingSessionSerializer

    def get_queryset(self):
        user = self.request.user
        role = role_of(user)
        qs = CoachingSession.objects.filter(
            Q(program__isnull=True) | Q(program__status__in=PROGRESS_SHOWN)
        ).select_related("manager")
        if role in (Role.LEAD, Role.EXECUTIVE):
            qs = qs.prefetch_related("sellers", "ratings__skill")
        elif role in (Role.MANAGER, Role.SELLER):
            me = person_for_user(user)
            if me is None:
                return qs.none()
            if role == Role.MANAGER:
                qs = qs.filter(Q(manager=me) | Q(manager__in=people_under(me).values("pk")))
                qs = qs.prefetch_related("sellers", "ratings__skill")
            else:
                # A seller sees a shared session (a team meeting) as their own: only their
                # name and their ratings, never a colleague's.
                qs = qs.filter(sellers=me).prefetch_related(
                    Prefetch("sellers", queryset=Person.objects.filter(pk=me.pk)),
                    Prefetch(
                        "ratings", queryset=CoachingRating.objects.filter(seller=me).select_related("skill")
                    ),
                )
        else:
            raise PermissionDenied("Your account has no role.")
        if parse_id(self.request.query_params.get("program")):
            qs = qs.filter(program_id=parse_id(self.request.query_params["program"]))
        return qs.order_by("-occurred_on", "-id")

    @extend_schema(
        parameters=[OpenApiParameter("program", OpenApiTypes.INT, description="Only this program.")]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ---------------------------------------------------------------- adoption


AdoptionSerializer = inline_serializer(
    "Adoption",
    {
        "program": serializers.IntegerField(),
        "status": serializers.CharField(help_text="The program's status: draft, ready, launched or closed."),
        "launched": serializers.BooleanField(
            help_text="False before launch: then every progress figure is null and `detail` says why."
        ),
        "launch_date": serializers.DateField(allow_null=True),
        "detail": serializers.CharField(allow_null=True),
        "scope": serializers.CharField(),
        "people": serializers.IntegerField(
            help_text="Sellers in scope (before launch: planned participants)."
        ),
        "adoption": serializers.FloatField(allow_null=True),
        "goal": serializers.FloatField(),
        "as_of": serializers.DateField(allow_null=True),
        "computed_at": serializers.DateTimeField(allow_null=True),
        "skills": inline_serializer(
            "SkillAdoption",
            {
                "name": serializers.CharField(),
                "adoption": serializers.FloatField(allow_null=True),
                "counts": serializers.ListField(child=serializers.IntegerField(), allow_null=True),
            },
            many=True,
        ),
    },
)


class FiguresNotReady(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The figures for this program are being computed; try again in a few minutes."
    default_code = "figures_pending"


class AdoptionView(APIView):
    """Adoption per skill for a program and scope (region, team or manager), as on the dashboard.

    Before launch (`launched` false) nobody's progress shows: adoption, as_of and every
    skill's adoption and stage counts are null, `detail` says when figures start, and
    `people` counts the planned participants."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", OpenApiTypes.INT),
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("manager", OpenApiTypes.INT),
        ],
        responses=AdoptionSerializer,
    )
    def get(self, request, pk):
        program = get_object_or_404(Program, pk=pk)
        params = request.query_params

        def pick(model, key):
            value = parse_id(params.get(key))
            return get_object_or_404(model, pk=value) if value else None

        # Django's PermissionDenied and Http404 from scope_for become JSON 403/404.
        scope = access.scope_for(
            request.user,
            program=program,
            region=pick(Region, "region"),
            team=pick(Team, "team"),
            manager=pick(Person, "manager"),
        )
        state = {
            "program": program.pk,
            "status": program.status,
            "launch_date": program.start_date,
            "scope": scope.title,
        }
        try:
            snapshot, figures = figures_for(scope)
        except ProgramNotLaunched:
            planned = planned_for(scope)
            return Response(
                {
                    **state,
                    "launched": False,
                    "detail": not_launched_note(program),
                    "people": planned["people"],
                    "adoption": None,
                    "goal": ADOPTION_GOAL,
                    "as_of": None,
                    "computed_at": None,
                    "skills": [
                        {"name": name, "adoption": None, "counts": None} for name in planned["skills"]
                    ],
                }
            )
        except FiguresPending as exc:
            raise FiguresNotReady from exc
        view = present(figures)
        return Response(
            {
                **state,
                "launched": True,
                "detail": None,
                "people": view["people"],
                "adoption": view["adoption"],
                "goal": view["goal"],
                "as_of": view["as_of"],
                "computed_at": snapshot.computed_at if snapshot else None,
                "skills": [
                    {"name": s["name"], "adoption": s["adoption"], "counts": s["counts"]}
                    for s in view["skills"]
                ],
            }
        )

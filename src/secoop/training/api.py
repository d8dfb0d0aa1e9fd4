"""The training API under /api/v1/training/: reads through the door (related rows prefetched
through it), writes through training.actions, refusals as 400 with the rule id. Partners get
their students' course, dates and status only (R-SEC-03)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from drf_spectacular.utils import inline_serializer
from rest_framework import mixins
from rest_framework import serializers
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from secoop.core import access
from secoop.core import actions as core
from secoop.core import clock
from secoop.core.api import CountryCodeField
from secoop.core.api_base import ActionsNowField
from secoop.core.api_base import ConditionalWriteMixin
from secoop.core.api_base import FieldsOnceModelSerializer
from secoop.core.api_base import MarkedModelSerializer
from secoop.core.api_base import MarkedReadCreateViewSet
from secoop.core.api_base import MarkingField
from secoop.core.api_steps import RecordSteps
from secoop.core.fields import PARTNER
from secoop.core.related import related
from secoop.core.rules import Audience

from . import actions
from . import exports
from . import facts
from . import findings
from . import rules
from .filters import StudentApiFilter
from .models import Allocation
from .models import ArrivalNotice
from .models import Cetpp
from .models import CetppLine
from .models import Course
from .models import CourseCost
from .models import Ito
from .models import ScreeningCheck
from .models import Student
from .models import TrainingPlan
from .models import Vetting


def is_partner(user) -> bool:
    profile = access.profile_for(user)
    return profile is not None and profile.person.audience == Audience.PARTNER


class TrainingSerializer(MarkedModelSerializer):
    """A training record in the API (related choices through the door: MarkedModelSerializer)."""


class CostSerializer(FieldsOnceModelSerializer):
    class Meta:
        model = CourseCost
        fields = list(CourseCost.cost_fields)


class CourseSerializer(TrainingSerializer):
    costs = CostSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            *Course.catalog_fields,
            "owner_org",
            "costs",
            "marking",
            "created_at",
            "updated_at",
        ]


class AllocationSerializer(FieldsOnceModelSerializer):
    class Meta:
        model = Allocation
        fields = ["program", "fiscal_year", "amount"]


class BudgetSerializer(serializers.Serializer):
    program = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    planned = serializers.DecimalField(max_digits=16, decimal_places=2)
    allocated = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    eimet = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text="Of planned: E-IMET (part of the IMET allocation).",
    )
    over = serializers.BooleanField()


class PlanSerializer(TrainingSerializer):
    country = CountryCodeField()
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "country",
            "owner_org",
            "title",
            "first_fy",
            "last_fy",
            "notes",
            "allocations",
            "marking",
            "created_at",
            "updated_at",
        ]


class LineSerializer(TrainingSerializer):
    cost = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    marking = MarkingField(required=False, help_text="Defaults to the CETPP's marking.")

    class Meta:
        model = CetppLine
        fields = [
            "id",
            "cetpp",
            "fiscal_year",
            "program",
            "course",
            "seats",
            "tuition",
            "travel_living",
            "include_tla",
            "priority",
            "case",
            "funding",
            "fixed",
            "cost",
            "notes",
            "marking",
        ]
        read_only_fields = ["fixed"]


# A CETPP's fields its steps write (submit, approve, return, finalize): read-only in the API.
CETPP_STEP_FIELDS = (
    "status",
    "submitted_on",
    "reviewed_on",
    "reviewed_by",
    "review_comment",
    "finalized_on",
)


class CetppSerializer(TrainingSerializer):
    lines = LineSerializer(many=True, read_only=True)
    budget = serializers.SerializerMethodField()
    actions_now = ActionsNowField(rules.CETPP_TRANSITIONS)

    class Meta:
        model = Cetpp
        fields = [
            "id",
            "plan",
            "fiscal_year",
            *CETPP_STEP_FIELDS,
            "notes",
            "lines",
            "budget",
            "actions_now",
            "marking",
            "created_at",
            "updated_at",
        ]
        read_only_fields = CETPP_STEP_FIELDS

    def get_budget(self, obj) -> list[dict]:
        request = self.context.get("request")
        plan = related(obj, "plan", request.user if request else None)
        rows = rules.budget(
            [(ln.program, ln.fiscal_year, ln.cost) for ln in obj.lines.all()],
            [(a.program, a.fiscal_year, a.amount) for a in plan.allocations.all()] if plan else [],
        )
        return BudgetSerializer([r.__dict__ | {"over": r.over} for r in rows], many=True).data


# The partner's fields come from the student's one field policy (core.fields, R-SEC-03).
PARTNER_FIELDS = list(Student.field_policy.fields_for(PARTNER))


class StudentSerializer(TrainingSerializer):
    country = CountryCodeField()
    missing = serializers.SerializerMethodField(
        help_text="What is missing and by when (USG users only)."
    )
    readiness = serializers.SerializerMethodField(
        help_text="ECL, prerequisites, medical (R-TRN-04/05), when recorded and visible to you."
    )
    vetting = serializers.SerializerMethodField(
        help_text="Whether the student needs human-rights (Leahy) vetting, and why (R-TRN-06)."
    )
    actions_now = ActionsNowField(rules.STUDENT)

    class Meta:
        model = Student
        fields = [
            "id",
            "country",
            "owner_org",
            *Student.person_fields,
            "course",
            "course_title",
            "program",
            "cetpp_line",
            "class_start",
            "class_end",
            "accompanied",
            "funding",
            "alternate_for",
            "status",
            "nominated_on",
            "readiness",
            "vetting",
            "missing",
            "actions_now",
            "marking",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["course_title", "status", "nominated_on"]

    def get_readiness(self, obj) -> dict | None:
        found = self.context.get("checklists", {}).get(obj.pk)
        r = getattr(found.student, "readiness", None) if found else None
        if r is None:
            return None
        return {
            "ecl_score": r.ecl_score,
            "ecl_tested_on": r.ecl_tested_on,
            "prerequisites_met": r.prerequisites_met,
            "medical_statement_on": r.medical_statement_on,
            "medical_form_on": r.medical_form_on,
            "dental_form_on": r.dental_form_on,
            "rdfp_forwarded_on": r.rdfp_forwarded_on,
            "rdfp_approved_on": r.rdfp_approved_on,
        }

    @extend_schema_field(
        inline_serializer(
            "VettingNeed",
            {"required": serializers.BooleanField(), "why": serializers.CharField()},
            allow_null=True,
        )
    )
    def get_vetting(self, obj) -> dict | None:
        found = self.context.get("checklists", {}).get(obj.pk)
        if found is None:
            return None
        need = findings.vetting_need(found.student, self.context["national_funds_vetted"])
        return {"required": need.required, "why": need.why}

    def get_missing(self, obj) -> list[dict]:
        found = self.context.get("checklists", {}).get(obj.pk)
        if found is None:
            return []
        return [
            {
                "area": i.area,
                "rule": i.finding.rule,
                "message": i.finding.message,
                "fix": i.finding.fix,
                "due": i.due.isoformat() if i.due else None,
                "overdue": i.overdue,
            }
            for i in found.items
        ]


class PartnerStudentSerializer(TrainingSerializer):
    """What a partner sees and enters: the nominee, the course, the dates, the status (R-SEC-03)."""

    country = CountryCodeField()
    course_code = serializers.CharField(
        write_only=True, help_text="The course ID, e.g. B171100 (partners do not read the catalog)."
    )
    # Shown, never set: the nomination takes its marking from the action (R-SEC-10: partner users
    # set no releasability).
    marking = MarkingField(read_only=True)

    class Meta:
        model = Student
        fields = PARTNER_FIELDS + [
            "marking",
            "unit",
            "service",
            "career_personnel",
            "potential",
            "accompanied",
            "course_code",
        ]
        read_only_fields = ["course_title", "status"]
        extra_kwargs = {
            f: {"write_only": True}
            for f in ["unit", "service", "career_personnel", "potential", "accompanied"]
        }

    def validate_course_code(self, value):
        return actions.course_by_code(value)


class VettingSerializer(TrainingSerializer):
    class Meta:
        model = Vetting
        fields = [
            "id",
            "student",
            "subject",
            "unit_name",
            "status",
            "requested_on",
            "completed_on",
            "cancelled_on",
            "resubmission_of",
            "reference",
            "notes",
            "marking",
        ]
        read_only_fields = ["status", "completed_on", "cancelled_on", "resubmission_of"]


class ScreeningSerializer(TrainingSerializer):
    class Meta:
        model = ScreeningCheck
        fields = [
            "id",
            "student",
            "kind",
            "status",
            "completed_on",
            "retain_until",
            "notes",
            "marking",
        ]
        read_only_fields = ["retain_until"]


class ItoSerializer(TrainingSerializer):
    class Meta:
        model = Ito
        fields = [
            "id",
            "student",
            "number",
            "issued_on",
            "issued_by",
            "manual",
            "waiver",
            "report_on",
            "course_title",
            "school",
            "location",
            "program",
            "accompanied",
            "marking",
        ]
        read_only_fields = fields


class IssueItoSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False)
    students = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="One id only (R-TRN-08)."
    )
    on = serializers.DateField(required=False)
    manual = serializers.BooleanField(default=False)


class ArrivalNoticeSerializer(TrainingSerializer):
    class Meta:
        model = ArrivalNotice
        fields = [
            "id",
            "student",
            "installation",
            "eta",
            "accompanied",
            "travel_mode",
            "flight",
            "dependents",
            "children_ages",
            "due_on",
            "sent_on",
            "marking",
        ]
        read_only_fields = ["due_on", "sent_on"]


class Corrections:
    """POST …/{id}/correct {"changes": {field: value}, "reason": text} (issue 14.4): the training
    correction action, change-logged with the reason; answers the record and what the re-run
    rules now say."""

    correct_action = None

    @extend_schema(
        request=inline_serializer(
            "Correction",
            {
                "changes": serializers.DictField(help_text="field → corrected value"),
                "reason": serializers.CharField(),
            },
        ),
        responses=inline_serializer(
            "Corrected",
            {"record": serializers.DictField(), "findings": serializers.ListField()},
        ),
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        obj = self.get_object()
        changes = request.data.get("changes")
        if not isinstance(changes, dict) or not changes:
            raise serializers.ValidationError(
                {
                    "changes": [
                        'an object of field → corrected value, e.g. {"family_name": "Moreau"}.'
                    ]
                }
            )
        form = self.get_serializer(obj, data=changes, partial=True)
        form.is_valid(raise_exception=True)
        values = {k: form.validated_data.get(k, v) for k, v in changes.items()}
        done = type(self).correct_action(
            request.user, obj, values, reason=str(request.data.get("reason", ""))
        )
        record = self.get_serializer(self.get_queryset().get(pk=obj.pk)).data
        return Response(
            {
                "record": record,
                "findings": [
                    {"rule": f.rule, "message": f.message, "fix": f.fix} for f in done.findings
                ],
            }
        )


class ReadCreate(RecordSteps, MarkedReadCreateViewSet):
    """List, read and create; each viewset names the training action that creates its record
    (training actions take no reason)."""

    reread_writes = True

    def create_record(self, obj, extras: dict):
        return self.create_action(self.request.user, obj, **extras)

    def _date(self, name: str, required: bool = False) -> dt.date | None:
        """An action endpoint's date input `name` (YYYY-MM-DD): 400 naming it when it is not a
        date, or when it is `required` and absent."""
        value = self.request.data.get(name)
        if not value:
            if required:
                raise serializers.ValidationError({name: ["Enter a date (YYYY-MM-DD)."]})
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise serializers.ValidationError(
                {name: [f"{value!r} is not a date: write YYYY-MM-DD."]}
            ) from None


class CourseViewSet(Corrections, ReadCreate):
    """The course catalog with cost per program and year."""

    model = Course
    serializer_class = CourseSerializer
    filterset_fields = ["school", "owner_org"]
    search_fields = ["course_id", "title", "school", "location"]
    ordering_fields = ["course_id", "title", "min_ecl"]

    list_prefetch = ("costs",)

    create_action = staticmethod(actions.create_course)
    correct_action = staticmethod(actions.correct_course)


class PlanViewSet(Corrections, ReadCreate):
    """Four-year training plans (R-TRN-01) with their allocations."""

    model = TrainingPlan
    serializer_class = PlanSerializer
    filterset_fields = ["country", "first_fy"]
    search_fields = ["title"]

    list_prefetch = ("allocations",)

    create_action = staticmethod(actions.create_plan)
    correct_action = staticmethod(actions.correct_plan)


class CetppViewSet(ReadCreate):
    """CETPPs (R-TRN-02): lines, budget vs allocation; submit, approve, return, finalize."""

    model = Cetpp
    serializer_class = CetppSerializer
    filterset_fields = ["status", "fiscal_year", "plan"]
    search_fields = ["notes", "plan__title"]
    list_select_related = ("plan",)

    # the plan through the door, then its allocations
    list_prefetch = ("lines", "plan", "plan__allocations")

    create_action = staticmethod(actions.create_cetpp)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._do(actions.submit_cetpp)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._do(actions.approve_cetpp, comment=str(request.data.get("comment", "")))

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._do(actions.return_cetpp, comment=str(request.data.get("comment", "")))

    @action(detail=True, methods=["post"])
    def finalize(self, request, pk=None):
        return self._do(actions.finalize_cetpp)

    @action(detail=True, methods=["post"], url_path="lines")
    def add_line(self, request, pk=None):
        """Add a line (R-TRN-02: inside the plan's years; only while the CETPP is a draft or returned)."""
        cetpp = self.get_object()
        form = LineSerializer(
            data={**request.data, "cetpp": cetpp.pk}, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        marking = data.pop("marking", None)
        line = CetppLine(**data)
        line.marking = core.check_marking(marking) if marking else cetpp.marking
        saved = actions.add_line(request.user, line)
        return Response(
            LineSerializer(saved, context=self.get_serializer_context()).data, status=201
        )


class StudentViewSet(Corrections, ReadCreate):
    """Students; POST nominates (partners too). Partners see course, dates and status only."""

    model = Student
    filterset_class = StudentApiFilter
    search_fields = ["given_name", "family_name", "course_title"]
    ordering_fields = ["class_start", "family_name", "status"]

    correct_action = staticmethod(actions.correct_student)

    def get_serializer_class(self):
        return PartnerStudentSerializer if is_partner(self.request.user) else StudentSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        reading = self.action in ("list", "retrieve") or getattr(self, "_answering", False)
        if reading and not is_partner(self.request.user):
            # What each student's checklist reads, prefetched with the page itself through the
            # user's door: a fixed number of queries, and the page is not read twice.
            qs = findings.with_related(qs, self.request.user, as_lists=True)
        return qs

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        if not is_partner(self.request.user) and getattr(self, "_page", None) is not None:
            ctx["checklists"] = self._page
            ctx["national_funds_vetted"] = facts.national_funds_vetted(
                clock.today_for(self.request.user)
            )
        return ctx

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        if not is_partner(request.user):
            self._page = {
                c.student.pk: c
                for c in findings.checklists_of(list(rows), clock.today_for(request.user))
            }
        serializer = self.get_serializer(rows, many=True)
        return (
            self.get_paginated_response(serializer.data)
            if page is not None
            else Response(serializer.data)
        )

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if not is_partner(request.user):
            self._page = {
                c.student.pk: c
                for c in findings.checklists_of([obj], clock.today_for(request.user))
            }
        return Response(self.get_serializer(obj).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        marking = data.pop("marking", None)
        course = data.pop("course_code", None)
        obj = Student(**data)
        if course is not None:
            obj.course = course
        if marking is not None:
            obj.marking = core.check_marking(marking)
        if obj.owner_org_id is None:
            obj.owner_org = actions.sco_of(obj.country_id)
        saved = actions.nominate(self.request.user, obj)
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def _after(self, student):
        self._answering = True  # the record as a GET shows it, read again with its step records
        return self.retrieve(self.request, pk=student.pk)

    @action(detail=True, methods=["post"])
    def ecl(self, request, pk=None):
        """Record the ECL test (R-TRN-04): {"score": 0–100, "tested_on": date}."""
        student = self.get_object()
        try:
            score = int(request.data.get("score"))
        except (TypeError, ValueError):
            raise serializers.ValidationError(
                {"score": ["R-TRN-04: the ECL score is a whole number 0–100."]}
            ) from None
        actions.record_ecl(request.user, student, score, self._date("tested_on", required=True))
        return self._after(student)

    @action(detail=True, methods=["post"])
    def prerequisites(self, request, pk=None):
        """Record whether the course prerequisites are met (R-TRN-04): {"met": bool, "note": text}."""
        student = self.get_object()
        met = request.data.get("met")
        if not isinstance(met, bool):
            raise serializers.ValidationError({"met": ["true or false."]})
        actions.record_prerequisites(request.user, student, met, str(request.data.get("note", "")))
        return self._after(student)

    @action(detail=True, methods=["post"])
    def medical(self, request, pk=None):
        """Record the medical statement and forms (R-TRN-05)."""
        student = self.get_object()
        actions.record_medical(
            request.user,
            student,
            self._date("medical_statement_on", required=True),
            self._date("medical_form_on"),
            self._date("dental_form_on"),
        )
        return self._after(student)

    @action(detail=True, methods=["post"], url_path="rdfp-forward")
    def rdfp_forward(self, request, pk=None):
        """The CCMD endorses and forwards an RDFP nomination to OSD/SOLIC (R-TRN-03)."""
        student = self.get_object()
        actions.forward_rdfp(request.user, student, on=self._date("on"))
        return self._after(student)

    @action(detail=True, methods=["post"], url_path="rdfp-approval")
    def rdfp_approval(self, request, pk=None):
        """Record OSD/SOLIC's approval of a forwarded RDFP nomination (R-TRN-03)."""
        student = self.get_object()
        actions.record_rdfp_approval(request.user, student, on=self._date("on"))
        return self._after(student)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """{"transition": "start" | "graduate" | "withdraw", "reason": text}."""
        student = self.get_object()
        name = str(request.data.get("transition", ""))
        if name not in actions.STUDENT_TRANSITIONS:
            raise serializers.ValidationError(
                {"transition": [f"one of {', '.join(actions.STUDENT_TRANSITIONS)}."]}
            )
        actions.transition_student(
            request.user, student, name, reason=str(request.data.get("reason", ""))
        )
        return self._after(student)


class VettingViewSet(ReadCreate):
    """Human-rights vetting of students and units (R-TRN-06); POST requests it, POST …/result records it."""

    model = Vetting
    serializer_class = VettingSerializer
    filterset_fields = ["status", "subject", "student"]
    search_fields = ["reference", "unit_name"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        saved = actions.request_vetting(
            self.request.user,
            d["student"],
            d["subject"],
            requested_on=d.get("requested_on"),
            unit_name=d.get("unit_name", ""),
            reference=d.get("reference", ""),
            marking=d.get("marking"),
        )
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        vetting = self.get_object()
        completed = request.data.get("completed_on")
        done = actions.record_vetting_result(
            request.user,
            vetting,
            str(request.data.get("status", "")),
            completed_on=dt.date.fromisoformat(completed) if completed else None,
        )
        return Response(self.get_serializer(done).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """State's system cancelled the unresolved request (R-TRN-06): {"on": date, "notes": text}."""
        done = actions.cancel_vetting(
            request.user,
            self.get_object(),
            cancelled_on=self._date("on"),
            notes=str(request.data.get("notes", "")),
        )
        return Response(self.get_serializer(done).data)

    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Resubmit a cancelled request as a new one (R-TRN-06): {"on": date, "reference": text}."""
        again = actions.resubmit_vetting(
            request.user,
            self.get_object(),
            requested_on=self._date("on"),
            reference=str(request.data.get("reference", "")),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=again.pk)).data, status=201)


class ScreeningViewSet(ReadCreate):
    """The screening checklist (R-TRN-07); POST adds or updates a check."""

    model = ScreeningCheck
    serializer_class = ScreeningSerializer
    filterset_fields = ["status", "kind", "student"]
    search_fields = ["notes"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        saved = actions.record_screening(
            self.request.user,
            d["student"],
            d["kind"],
            d.get("status", "pending"),
            completed_on=d.get("completed_on"),
            notes=d.get("notes", ""),
            marking=d.get("marking"),
        )
        serializer.instance = self.get_queryset().get(pk=saved.pk)


class PartnerItoSerializer(TrainingSerializer):
    """The ITO as the student's country reads it (issue 12 item 7): its own fields, from its one
    field policy; not who issued it or the waiver behind a manual one."""

    class Meta:
        model = Ito
        fields = [*Ito.field_policy.fields_for(PARTNER), "marking"]
        read_only_fields = fields


class ItoViewSet(
    ConditionalWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Invitational Travel Orders. POST issues one (R-TRN-08) or refuses with every missing item.
    Partners read the ITOs issued to their students (their own fields only)."""

    serializer_class = ItoSerializer
    filterset_fields = ["student", "manual"]
    search_fields = ["number", "course_title"]

    def get_serializer_class(self):
        return PartnerItoSerializer if is_partner(self.request.user) else ItoSerializer

    def get_queryset(self):
        return Ito.objects.visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        form = IssueItoSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        ids = d.get("students") or ([d["student"]] if "student" in d else [])
        if not ids:
            raise serializers.ValidationError(
                {"student": ["R-TRN-08: name the one student the ITO is for."]}
            )
        students = list(Student.objects.visible_to(request.user).filter(pk__in=ids))
        if len(students) != len(set(ids)):
            raise serializers.ValidationError(
                {"student": ["No such student, or not one you may see."]}
            )
        ito = actions.issue_ito(request.user, students, on=d.get("on"), manual=d["manual"])
        return Response(ItoSerializer(ito, context=self.get_serializer_context()).data, status=201)

    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        ito = self.get_object()
        report = exports.ito_pdf(ito, request.user)
        if report is None:
            raise Http404
        return report.response()


class ArrivalNoticeSendSerializer(serializers.Serializer):
    sent_on = serializers.DateField(
        required=False, allow_null=True, help_text="YYYY-MM-DD; today when left out"
    )


class ArrivalNoticeViewSet(ReadCreate):
    """Arrival notifications (R-TRN-09); POST …/send records the day it went."""

    model = ArrivalNotice
    serializer_class = ArrivalNoticeSerializer
    filterset_fields = ["student", "sent_on"]
    search_fields = ["installation", "flight"]
    ordering_fields = ["due_on", "eta"]

    create_action = staticmethod(actions.create_arrival_notice)

    @extend_schema(request=ArrivalNoticeSendSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        form = ArrivalNoticeSendSerializer(data=request.data)
        form.is_valid(
            raise_exception=True
        )  # a bad date is a 400 naming the field (issue 10 item 7)
        notice = actions.send_arrival_notice(
            request.user, self.get_object(), sent_on=form.validated_data.get("sent_on")
        )
        return Response(self.get_serializer(notice).data)


class SettingsView(APIView):
    """The SCO's own training settings (R-TRN-06): GET reads them, POST sets them
    {"alternate_days": n, "lapse_warning_days": n, "reason": text}."""

    serializer = inline_serializer(
        "TrainingSettings",
        {
            "office": serializers.IntegerField(read_only=True),
            "alternate_days": serializers.IntegerField(min_value=0, max_value=365),
            "lapse_warning_days": serializers.IntegerField(min_value=0, max_value=60),
            "reason": serializers.CharField(required=False, write_only=True),
        },
    )

    def _office(self, request):
        office = actions.settings_office(request.user)
        if office is None:
            raise PermissionDenied("Training settings are kept by a security cooperation office.")
        return office

    def _answer(self, office):
        alternate, warn = facts.settings_for([office.pk])[office.pk]
        return Response(
            {"office": office.pk, "alternate_days": alternate, "lapse_warning_days": warn}
        )

    @extend_schema(responses=serializer)
    def get(self, request, *args, **kwargs):
        return self._answer(self._office(request))

    @extend_schema(request=serializer, responses=serializer)
    def post(self, request, *args, **kwargs):
        office = self._office(request)
        form = type(self.serializer)(data=request.data)
        form.is_valid(raise_exception=True)
        actions.set_training_settings(
            request.user,
            office,
            alternate_days=form.validated_data["alternate_days"],
            lapse_warning_days=form.validated_data["lapse_warning_days"],
            reason=form.validated_data.get("reason", ""),
        )
        return self._answer(office)


class FmtReportView(APIView):
    """The Foreign Military Training report (R-TRN-12): the fiscal year just ended and the one in
    progress, per country. ?export=xlsx or docx for the document."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "export",
                str,
                enum=["xlsx", "docx"],
                required=False,
                description="the report as a document",
            )
        ],
        responses={
            200: inline_serializer(
                "FmtReport",
                {
                    "fiscal_years": serializers.ListField(child=serializers.IntegerField()),
                    "marking": serializers.CharField(),
                    "rows": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request, *args, **kwargs):
        data = exports.fmt_data(request.user, clock.today_for(request.user))
        fmt = request.query_params.get("export")
        if fmt in exports.FMT_FORMATS:
            return exports.FMT_FORMATS[fmt](data, request.user).response()
        return Response(exports.fmt_json(data))


router = SimpleRouter(use_regex_path=False)
router.register("courses", CourseViewSet, basename="training-course")
router.register("plans", PlanViewSet, basename="training-plan")
router.register("cetpps", CetppViewSet, basename="training-cetpp")
router.register("students", StudentViewSet, basename="training-student")
router.register("vettings", VettingViewSet, basename="training-vetting")
router.register("screenings", ScreeningViewSet, basename="training-screening")
router.register("itos", ItoViewSet, basename="training-ito")
router.register("arrival-notices", ArrivalNoticeViewSet, basename="training-arrival-notice")

from django.urls import path  # noqa: E402

urlpatterns = router.urls + [
    path("reports/fmt/", FmtReportView.as_view(), name="training-report-fmt"),
    path("settings/", SettingsView.as_view(), name="training-settings"),
]

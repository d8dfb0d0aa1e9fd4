"""Assessment forms: they check shape; assessment.actions checks the rules (R-AME-01..05) and its
refusals land beside the field they name. Every choice list is read through the door."""

from __future__ import annotations

from django import forms

from secoop.core.forms import DoorChoicesForm
from secoop.core.forms import MarkedRecordForm
from secoop.core.forms import UswdsForm
from secoop.core.forms import chosen_records
from secoop.core.forms import uswds_widgets
from secoop.core.models import Document
from secoop.planning.models import EndState
from secoop.planning.models import Measure

from . import rules
from .models import Evaluation
from .models import EvaluationFinding
from .models import Indicator
from .models import Lesson
from .models import Period
from .models import Result
from .models import Update

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MEASURE_KEPT = ("title", "kind", "unit", "collection_method", "baseline", "baseline_on")


class AssessmentForm(DoorChoicesForm):
    """Choices through the door (core.forms.DoorChoicesForm), owners labelled as such, dates
    as date inputs."""

    offered_order = {
        "responsible_org": ("tree_path",),
        "result": ("title",),
        "imo": ("title",),
        "activity": ("-start_date", "title"),
    }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name, field in self.fields.items():
            if name in self.owner_fields:
                field.label = "Owning organization"
            elif getattr(field, "queryset", None) is None and isinstance(
                field.widget, forms.DateInput
            ):
                field.widget = forms.DateInput(
                    attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d"
                )


class ResultForm(AssessmentForm):
    dropped_on_edit = ("imo", "activity")

    class Meta:
        model = Result
        fields = [
            "title",
            "result_type",
            "description",
            "end_state",
            "imo",
            "activity",
            "owner_org",
            "country",
            "shared_with_partner",
        ]
        help_texts = {
            "end_state": "The campaign objective the result belongs to; or choose an IMO/outcome "
            "or an activity instead.",
            "imo": "The IMO/outcome the result belongs to; or choose an activity instead.",
            "activity": "The activity the result belongs to; or choose an IMO/outcome instead.",
            "result_type": "IATI result type: output, outcome or impact.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if "imo" in self.fields:  # a new result: its campaign objective chosen by title
            self.fields["end_state"].queryset = EndState.objects.visible_to(user).order_by("title")

    def clean(self):
        cleaned = super().clean()
        parents = [cleaned.get(f) for f in ("end_state", "imo", "activity")]
        if "imo" in self.fields and sum(bool(p) for p in parents) != 1:
            self.add_error(
                "imo",
                "Choose one campaign objective, IMO/outcome or activity this result belongs to.",
            )
        return cleaned


# The reference sheet's fields, which the form and the API both take (R-AME-02).
INDICATOR_FIELDS = [
    "result",
    "measure",
    "title",
    "kind",
    "definition",
    "measure_type",
    "unit",
    "scale",
    "direction",
    "data_source",
    "collection_method",
    "frequency",
    "responsible_org",
    "baseline",
    "baseline_on",
    "baseline_comment",
    "roll_up",
    "owner_org",
    "shared_with_partner",
]


class IndicatorForm(AssessmentForm):
    """The reference sheet (R-AME-02). An IMO measure's indicator takes its name, kind, unit,
    method and baseline from the measure (one record per measure)."""

    dropped_on_edit = ("result", "measure")

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        labels = {"kind": "MOP or MOE", "title": "Indicator name"}
        help_texts = {
            "measure": "For an IMO's measure only: leave the name, kind, unit, method and baseline empty, they stay on the measure.",
            "unit": "Quantitative indicators: what is counted (patrols, personnel, percent).",
            "baseline": "The initial assessment (R-AME-01): no actual is recorded before it.",
            "roll_up": "How activity indicators roll up to the objective's.",
        }
        widgets = {"scale": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if "measure" in self.fields:
            self.fields["measure"].queryset = Measure.objects.visible_to(user).filter(
                results_indicator__isnull=True
            )
        if self.instance.pk and self.instance.measure_id:
            for name in MEASURE_KEPT:
                self.fields.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("measure") is not None:
            filled = [
                self.fields[n].label for n in MEASURE_KEPT if cleaned.get(n) not in (None, "")
            ]
            if filled:
                self.add_error(
                    "measure",
                    "R-AME-02: an IMO measure's indicator keeps its name, kind, unit, method and "
                    f"baseline on the measure: leave {', '.join(filled).lower()} empty.",
                )
        return cleaned


class PartForm(UswdsForm):
    """One disaggregation row (IATI dimension): e.g. gender / female / 12."""

    dimension = forms.CharField(max_length=100, required=False)
    category = forms.CharField(max_length=100, required=False)
    amount = forms.CharField(max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"


class BasePartsFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled rows, as the actions take them (the actions check them)."""
        return [
            {k: f.cleaned_data.get(k, "") for k in ("dimension", "category", "amount")}
            for f in self.forms
            if any((f.cleaned_data.get(k) or "").strip() for k in ("dimension", "category"))
            or (f.cleaned_data.get("amount") or "").strip()
        ]


PartsFormSet = forms.formset_factory(PartForm, formset=BasePartsFormSet, extra=3)


class PeriodForm(AssessmentForm):
    target_unit = forms.CharField(
        max_length=40,
        required=False,
        label="Unit of the target",
        help_text="The indicator's unit; a target in another unit is refused, not converted.",
    )

    class Meta:
        model = Period
        fields = ["period_start", "period_end", "target", "target_unit", "target_comment"]
        widgets = {"target_comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, indicator: Indicator | None = None, unit="", **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if indicator is not None and not self.instance.pk:
            self.initial["marking"] = indicator.marking_text  # a period is marked like it
        if unit:
            self.initial.setdefault("target_unit", unit)

    def changes(self) -> dict:
        return {k: v for k, v in super().changes().items() if k != "target_unit"}


class ReportForm(forms.Form):
    add_action_error = MarkedRecordForm.add_action_error  # a refusal beside the field it names

    """An actual for one of the indicator's periods (a draft update), with its evidence."""

    period = forms.ModelChoiceField(queryset=Period.objects.none(), empty_label=None)
    value = forms.CharField(max_length=40)
    narrative = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_title = forms.CharField(
        max_length=300, required=False, label="Evidence title", help_text="e.g. Patrol log, Nov."
    )
    evidence_file = forms.FileField(
        required=False,
        label="Evidence file",
        help_text="PDF, DOCX, XLSX or an image: kept as a document of the update, marked like it.",
    )

    def __init__(self, *args, periods=None, unit_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if periods is not None:
            self.fields["period"].queryset = periods
        self.fields["value"].label = f"Value{unit_hint}"
        uswds_widgets(self)
        self.fields["value"].widget.attrs["inputmode"] = "decimal"


class UpdateForm(AssessmentForm):
    """A draft or returned update's value and narrative (its marking is its indicator's)."""

    class Meta:
        model = Update
        fields = ["value", "narrative"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("marking", None)


class EvaluationForm(AssessmentForm):
    criteria = forms.MultipleChoiceField(
        choices=rules.Criterion.choices,
        required=False,
        label="Criteria judged",
        help_text="R-AME-04: each criterion chosen needs a finding before the evaluation completes. Ctrl/Cmd-click for several.",
        widget=forms.SelectMultiple(attrs={"size": len(rules.Criterion.choices)}),
    )

    class Meta:
        model = Evaluation
        fields = [
            "title",
            "kind",
            "activity",
            "imo",
            "criteria",
            "plan",
            "due_on",
            "owner_org",
            "country",
        ]
        help_texts = {"activity": "The activity evaluated; or choose an IMO/outcome."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            self.initial["criteria"] = self.instance.criteria_list

    def clean_criteria(self):
        return rules.criteria_stored(self.cleaned_data.get("criteria") or [])


DOCUMENT_CHOICES = 200  # the newest documents of the country offered for citing


class FindingForm(AssessmentForm):
    """A finding against one criterion and the evidence it rests on (R-AME-04;
    GAO-23-106275): updates and documents the user may see, or data cited in words."""

    updates = chosen_records(Update, "Updates cited", size=6)
    documents = chosen_records(Document, "Documents cited", size=6)

    class Meta:
        model = EvaluationFinding
        fields = ["criterion", "statement", "cited_data"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, evaluation: Evaluation | None = None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if evaluation is None:
            return
        self.initial["marking"] = evaluation.marking_text  # a finding is marked like it
        planned = evaluation.criteria_list
        if planned:
            self.fields["criterion"].choices = [
                (c, label) for c, label in rules.Criterion.choices if c in planned
            ]
        self.fields["updates"].queryset = (
            Update.objects.visible_to(user)
            .filter(period__indicator__result__in=_results_of(evaluation, user))
            .order_by("-pk")
        )
        newest = list(
            Document.objects.visible_to(user)
            .filter(country_id=evaluation.country_id)
            .order_by("-dated", "-pk")
            .values_list("pk", flat=True)[:DOCUMENT_CHOICES]
        )
        self.fields["documents"].queryset = Document.objects.visible_to(user).filter(pk__in=newest)
        uswds_widgets(self)


class EvidenceForm(forms.Form):
    """More evidence for a finding: updates, documents, or the data in words."""

    add_action_error = MarkedRecordForm.add_action_error

    updates = FindingForm.base_fields["updates"]
    documents = FindingForm.base_fields["documents"]
    cited_data = forms.CharField(
        required=False,
        label="Data cited",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Data the finding rests on that is not an update or document.",
    )

    def __init__(self, *args, user=None, finding: EvaluationFinding, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("cited_data", finding.cited_data)
        offered = FindingForm(user=user, evaluation=evaluation)
        for name in ("updates", "documents"):
            self.fields[name].queryset = offered.fields[name].queryset
        uswds_widgets(self)


def _results_of(evaluation: Evaluation, user):
    """The results the evaluated activity or IMO/outcome has (an IMO's own and its activities'),
    through the door."""
    results = Result.objects.visible_to(user)
    if evaluation.activity_id:
        return results.filter(activity_id=evaluation.activity_id)
    return results.filter(imo_id=evaluation.imo_id) | results.filter(
        activity__line_of_activity__imo_id=evaluation.imo_id
    )


class LessonForm(AssessmentForm):
    class Meta:
        model = Lesson
        fields = [
            "title",
            "kind",
            "observation",
            "recommendation",
            "tags",
            "evaluation",
            "activity",
            "observed_on",
            "owner_org",
            "country",
        ]
        help_texts = {"evaluation": "Where it was learned: an evaluation, or an activity."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tag_list)

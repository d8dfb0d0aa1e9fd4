"""Planning forms. They validate shape; planning.actions validates the rules and its errors land
inline. Choices of related records come through the door; owners are organizations the user may
write for."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.urls import reverse_lazy

from secoop.core.forms import DoorChoicesForm

from . import rules
from .models import Activity
from .models import CampaignPlan
from .models import CountryPlan
from .models import FundingSource
from .models import GuidanceKind
from .models import IntermediateObjective
from .models import PlanningAssumption

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanningForm(DoorChoicesForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                # A native checkbox: USWDS hides usa-checkbox__input unless its label follows it.
                field.widget.attrs["class"] = "planning-checkbox"


class CampaignPlanForm(PlanningForm):
    class Meta:
        model = CampaignPlan
        fields = ["kind", "title", "owner_org", "start_fy", "end_fy", "supports", "summary"]
        help_texts = {"end_fy": "A campaign plan spans 3 to 5 fiscal years (R-PLN-03)."}


SMART_FIELDS = (
    "statement",
    "by_whom",
    "with_whom",
    "authority",
    "resources",
    "partner_agreement_on",
    "political_risk_considered",
    "fiscal_risk_considered",
    "end_state",
    "priority",
    "deadline",
)


# What a planner writes of an IMO / outcome: the form and the API (planning/api.py) show these.
IMO_FIELDS = [
    "line_of_effort",
    "title",
    "term",
    *SMART_FIELDS[:8],
    "risk_notes",
    *SMART_FIELDS[8:],
]


class ImoForm(PlanningForm):
    """An IMO / outcome; the SMART findings update as the planner types (htmx, R-PLN-02)."""

    class Meta:
        model = IntermediateObjective
        fields = IMO_FIELDS
        widgets = {
            "partner_agreement_on": DATE,
            "deadline": DATE,
            "statement": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "risk_notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "statement": "Specific: what is expected.",
            "by_whom": "Specific: the partner unit or organization that achieves it.",
            "with_whom": "Specific: who it is for or with.",
            "authority": "Achievable: the authority or program.",
            "resources": "Achievable: the funds, forces and people that carry it.",
            "partner_agreement_on": "Achievable: the date the partner agreed.",
            "end_state": "Relevant: the end state or SC objective it serves.",
            "priority": "Relevant: 1 is highest.",
            "deadline": "Time-bound: the date by which it is achieved.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in SMART_FIELDS + ("line_of_effort",):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse_lazy("planning:imo-smart-check"),
                    "hx-trigger": "input changed delay:400ms, change",
                    "hx-target": "#smart-findings",
                    "hx-include": "closest form",
                    "aria-describedby": "smart-findings",
                }
            )


# The CSCS's six sections (R-PLN-05): the form and the API show them in this order.
CSCS_FIELDS = [name for name, _ in rules.CSCS_SECTIONS]

# What a planner writes of an activity: the form and the API (planning/api.py) show these.
ACTIVITY_FIELDS = [
    "title",
    "activity_type",
    "program",
    "authority",
    "line_of_activity",
    "country",
    "country_plan",
    "phase",
    "owner_org",
    "start_date",
    "end_date",
    "location",
    "us_participants",
    "partner_participants",
    "description",
    "needs_us_forces",
    "rff_lead_days",
    "rff_submitted_on",
]


class ActivityForm(PlanningForm):
    class Meta:
        model = Activity
        fields = ACTIVITY_FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "rff_submitted_on": DATE,
            "us_participants": forms.Textarea(attrs={"rows": 2}),
            "partner_participants": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "owner_org": "Sponsoring organization",
            "line_of_activity": "Line of activity (LOA)",
        }


class CountryPlanForm(PlanningForm):
    """A country plan (CSCS) with every section of R-PLN-05."""

    class Meta:
        model = CountryPlan
        fields = [
            "campaign_plan",
            "country",
            "owner_org",
            "title",
            "version",
            "issued_on",
            "start_fy",
            "end_fy",
            "ics",
            *CSCS_FIELDS,
        ]
        widgets = {
            "issued_on": DATE,
            **{name: forms.Textarea(attrs={"rows": 4}) for name in CSCS_FIELDS},
        }
        help_texts = {
            "version": "Versioned, updated at least annually (R-PLN-05).",
            "end_fy": "Within the campaign plan's fiscal years (R-PLN-05).",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["ics"].queryset = self.fields["ics"].queryset.filter(kind=GuidanceKind.ICS)


class AssumptionForm(PlanningForm):
    """A planning assumption with its plan, valid and necessary, and its review date (R-PLN-04)."""

    class Meta:
        model = PlanningAssumption
        fields = [
            "campaign_plan",
            "country_plan",
            "owner_org",
            "statement",
            "valid",
            "necessary",
            "review_on",
            "rationale",
        ]
        widgets = {
            "review_on": DATE,
            "statement": forms.Textarea(attrs={"rows": 3}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
        }


class ReviewForm(forms.Form):
    """R-PLN-04: the assumption still holds; the next review date and why."""

    review_on = forms.DateField(
        label="Next review date",
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d"),
        error_messages={
            "required": "R-PLN-04: give the next review date.",
            "invalid": "R-PLN-04: give the next review date as a date.",
        },
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}),
        help_text="What the review found; kept in the assumption's history.",
        error_messages={
            "required": "R-PLN-04: say what the review found (e.g. 'still holds after the RWG')."
        },
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_review_on(self):
        day = self.cleaned_data["review_on"]
        if self.today is not None and day <= self.today:
            raise forms.ValidationError("R-PLN-04: the next review date is after today.")
        return day


class FundingLineForm(forms.Form):
    """One funding line of an activity: fiscal year, source, amount in USD (R-PLN-08)."""

    fiscal_year = forms.IntegerField(
        label="Fiscal year",
        required=False,
        widget=forms.NumberInput(attrs={"class": "usa-input", "inputmode": "numeric"}),
    )
    source = forms.ChoiceField(
        label="Funding source",
        required=False,
        choices=[("", "—")] + list(FundingSource.choices),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    amount = forms.DecimalField(
        label="Amount (USD)",
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "usa-input", "inputmode": "decimal"}),
        error_messages={"invalid": "R-PLN-08: give the amount in US dollars, e.g. 125000.00."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )

    def clean(self):
        data = super().clean()
        if self.errors or not self.has_changed() or data.get("DELETE"):
            return data
        fy, source, amount = data.get("fiscal_year"), data.get("source"), data.get("amount")
        if fy is None:
            self.add_error("fiscal_year", "R-PLN-08: give the fiscal year of the funding line.")
        if not source:
            self.add_error("source", "R-PLN-08: choose the funding source.")
        if amount is None:
            self.add_error("amount", "R-PLN-08: give the amount in US dollars, e.g. 125000.00.")
        elif amount < Decimal("0"):
            self.add_error("amount", "R-PLN-08: an amount is zero or more US dollars.")
        return data


class BaseFundingFormSet(forms.BaseFormSet):
    """The funding lines; fiscal years must fall inside the plan the activity serves (`period`:
    (first FY, last FY, label), set by the view once the activity form is read)."""

    period: tuple[int, int, str] | None = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this line"
            form.fields["DELETE"].widget.attrs["class"] = "planning-checkbox"

    def _kept(self) -> list[forms.Form]:
        """The rows that stay: filled in (new or as they were) and not removed."""
        return [
            f
            for f in self.forms
            if not f.cleaned_data.get("DELETE") and f.cleaned_data.get("fiscal_year") is not None
        ]

    def lines(self) -> list[dict]:
        """Every funding line the activity keeps: actions.create/update(funding=…) replace them all."""
        return [
            {
                "fiscal_year": f.cleaned_data["fiscal_year"],
                "source": f.cleaned_data["source"],
                "amount": f.cleaned_data["amount"],
                "note": f.cleaned_data.get("note", ""),
            }
            for f in self._kept()
        ]

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for f in self._kept():
            fy, source = f.cleaned_data["fiscal_year"], f.cleaned_data["source"]
            if self.period is not None and not self.period[0] <= fy <= self.period[1]:
                first, last, label = self.period
                f.add_error(
                    "fiscal_year",
                    f"R-PLN-08: FY{fy} is outside {label} (FY{first}–FY{last}): fund it in one of the plan's fiscal years.",
                )
            if (fy, source) in seen:
                f.add_error(
                    "source",
                    f"R-PLN-08: FY{fy} {source.upper()} is listed twice: one line per fiscal year and source.",
                )
            seen.add((fy, source))


FundingFormSet = formset_factory(
    FundingLineForm, formset=BaseFundingFormSet, extra=2, can_delete=True
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"})
    )


class CompleteForm(ReasonForm):
    completed_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )


class AssessForm(forms.Form):
    assessment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}), required=False
    )
    assessed_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )

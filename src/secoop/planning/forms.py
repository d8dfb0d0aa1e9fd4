"""Planning forms. They validate shape; planning.actions validates the rules and its errors land
inline. Choices of related records come through the door; owners are organizations the user may
write for."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from secoop.core.forms import MarkedRecordForm
from secoop.core.models import Country, MarkedModel, Organization

from .models import Activity, CampaignPlan, IntermediateObjective

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanningForm(MarkedRecordForm):
    owner_fields: tuple[str, ...] = ("owner_org",)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                # A native checkbox: USWDS hides usa-checkbox__input unless its label follows it.
                field.widget.attrs["class"] = "planning-checkbox"
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if name in self.owner_fields:
                field.queryset = Organization.objects.editable_by(user).order_by("tree_path")
            elif issubclass(queryset.model, MarkedModel):
                field.queryset = queryset.model.objects.visible_to(user)
            elif queryset.model is Country:
                field.queryset = Country.objects.visible_to(user)


class CampaignPlanForm(PlanningForm):
    class Meta:
        model = CampaignPlan
        fields = ["kind", "title", "owner_org", "start_fy", "end_fy", "supports", "summary"]
        help_texts = {"end_fy": "A campaign plan spans 3 to 5 fiscal years (R-PLN-03)."}


SMART_FIELDS = (
    "statement", "by_whom", "with_whom", "authority", "resources", "partner_agreement_on",
    "political_risk_considered", "fiscal_risk_considered", "end_state", "priority", "deadline",
)


class ImoForm(PlanningForm):
    """An IMO / outcome; the SMART findings update as the planner types (htmx, R-PLN-02)."""

    class Meta:
        model = IntermediateObjective
        fields = [
            "line_of_effort", "title", "term", "statement", "by_whom", "with_whom", "authority", "resources",
            "partner_agreement_on", "political_risk_considered", "fiscal_risk_considered", "risk_notes",
            "end_state", "priority", "deadline",
        ]
        widgets = {
            "partner_agreement_on": DATE, "deadline": DATE,
            "statement": forms.Textarea(attrs={"rows": 3}), "resources": forms.Textarea(attrs={"rows": 2}),
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


class ActivityForm(PlanningForm):
    class Meta:
        model = Activity
        fields = [
            "title", "activity_type", "program", "authority", "line_of_activity", "country", "country_plan", "phase",
            "owner_org", "start_date", "end_date", "location", "us_participants", "partner_participants", "description",
            "needs_us_forces", "rff_lead_days", "rff_submitted_on",
        ]
        widgets = {
            "start_date": DATE, "end_date": DATE, "rff_submitted_on": DATE,
            "us_participants": forms.Textarea(attrs={"rows": 2}), "partner_participants": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"owner_org": "Sponsoring organization", "line_of_activity": "Line of activity (LOA)"}


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}))


class CompleteForm(ReasonForm):
    completed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}))


class AssessForm(forms.Form):
    assessment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}), required=False)
    assessed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}))

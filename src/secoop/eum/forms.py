"""EUM forms: they check shape; the actions check the rules, and their refusals land inline."""

from __future__ import annotations

from django import forms

from secoop.cases.models import Delivery
from secoop.core.forms import DoorChoicesForm
from secoop.core.forms import uswds_widgets
from secoop.core.models.organizations import OrganizationKind

from . import models as m
from .rules import CheckKind

DATE = forms.DateInput(attrs={"type": "date"})


class EumForm(DoorChoicesForm):
    """A record of a country, owned by an organization the user writes for (of the kinds that
    own such a record); its other choices through the door."""

    owner_kinds = (OrganizationKind.SCO,)
    # Dates the action takes as the user's today when left empty (core.clock.action_day).
    today_if_empty: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date", "class": "usa-input"})
        for name in self.today_if_empty:
            self.fields[name].required = False


class ArticleForm(EumForm):
    serials = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Enhanced EUM: one serial a line (or separated by commas); each is checked against the format.",
    )

    class Meta:
        model = m.TransferredArticle
        fields = [
            "country",
            "owner_org",
            "source",
            "program",
            "monitoring",
            "delivery",
            "eda_offer",
            "dcs_license",
            "transfer_reference",
            "nomenclature",
            "nsn",
            "quantity",
            "delivered_on",
            "serial_format",
            "storage_site",
            "holder",
        ]
        help_texts = {
            "delivery": "For an FMS case: the delivery the case manager recorded (case, line and date follow it).",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["delivery"].queryset = Delivery.objects.visible_to(user).filter(
            actual_on__isnull=False
        )
        self.fields["delivered_on"].required = False
        uswds_widgets(self)

    def clean(self):
        cleaned = super().clean()
        delivery = cleaned.get("delivery")
        if delivery is not None and not cleaned.get("delivered_on"):
            cleaned["delivered_on"] = delivery.actual_on
            self.instance.delivered_on = delivery.actual_on
        return cleaned


class CheckForm(forms.Form):
    """An inventory or inspection: the expected serials are ticked or typed (or scanned)."""

    kind = forms.ChoiceField(choices=CheckKind.choices)
    checked_on = forms.DateField(widget=DATE, required=False, help_text="Leave empty for today.")
    checked_by = forms.CharField(max_length=200, help_text="Who counted or inspected (name, unit).")
    found = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocapitalize": "characters"}),
        help_text="Serials present: tick them above, or type (or scan) one a line.",
    )
    findings = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Photos, signed count sheets, hand receipts: where they are kept.",
    )

    def __init__(self, *args, kinds=CheckKind.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        uswds_widgets(self)


class ViolationForm(EumForm):
    today_if_empty = ("opened_on",)

    class Meta:
        model = m.PossibleViolation
        fields = ["article", "serial", "opened_on", "summary"]


class VisitForm(EumForm):
    owner_kinds = (OrganizationKind.SCO, OrganizationKind.DSCA)

    class Meta:
        model = m.ComplianceVisit
        fields = ["country", "owner_org", "held_on", "virtual", "team", "findings"]


class ReportForm(EumForm):
    owner_kinds = (OrganizationKind.SCO, OrganizationKind.PARTNER)

    class Meta:
        model = m.RoutineReport
        fields = ["country", "owner_org", "period_end", "summary"]


class ReviewForm(EumForm):
    class Meta:
        model = m.DatabaseReview
        fields = ["country", "owner_org", "reviewed_on", "checked", "discrepancies"]


class PlanForm(EumForm):
    dropped_on_edit = ("country",)

    class Meta:
        model = m.ControlPlan
        fields = [
            "country",
            "owner_org",
            "internal_accountability",
            "inventory_reporting",
            "record_keeping",
            "violation_reporting",
            "visit_procedures",
        ]


class RequestForm(EumForm):
    owner_kinds = (OrganizationKind.SCO, OrganizationKind.PARTNER)
    today_if_empty = ("requested_on",)

    class Meta:
        model = m.EndUseRequest
        fields = [
            "article",
            "owner_org",
            "kind",
            "quantity",
            "description",
            "recipient",
            "requested_on",
            "environmental_agreement",
        ]


class NoticeForm(EumForm):
    owner_kinds = (OrganizationKind.IMPLEMENTING_AGENCY, OrganizationKind.DSCA)

    class Meta:
        model = m.MaterielNotice
        fields = [
            "owner_org",
            "item",
            "related_terms",
            "rationale",
            "lor_deadline",
            "loa_acceptance_by",
        ]

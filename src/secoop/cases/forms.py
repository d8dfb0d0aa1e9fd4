"""Cases forms: they validate shape; cases.actions validates the rules and its errors land inline."""

from __future__ import annotations

from django import forms

from secoop.core.forms import DoorChoicesForm
from secoop.core.forms import MarkedRecordForm
from secoop.core.forms import UswdsForm
from secoop.core.forms import uswds_widgets
from secoop.core.models import Organization
from secoop.core.models import OrganizationKind
from secoop.core.models import User
from secoop.core.rules import Role

from . import rules
from .models import AodDelayReason
from .models import AodGroup
from .models import CaseCategory
from .models import CaseCost
from .models import CaseDocument
from .models import CaseLine
from .models import CaseNote
from .models import CaseReview
from .models import CountryTeamAssessment
from .models import CtaElement
from .models import Delivery
from .models import FmsCase
from .models import LetterOfRequest
from .models import MasterPlanItem
from .models import PaymentScheduleEntry
from .models import Shipment
from .models import SupplyDiscrepancyReport
from .rules import ChangeKind

DATE = forms.DateInput(attrs={"type": "date"})


def implementing_agencies(user):
    return (
        Organization.objects.visible_to(user)
        .filter(kind=OrganizationKind.IMPLEMENTING_AGENCY)
        .exclude(implementing_agency_code="")
        .order_by("short_name")
    )


# What each LOA milestone takes besides its date (`on`) and reason, by kind of value: the case
# page's forms and the API read the same inputs (acceptance is signature and initial deposit by
# the OED; approval may set a non-standard OED with its remark).
MILESTONE_INPUTS = {
    "accept": {"signed_on": "date", "deposit_on": "date"},
    "approve": {"oed_days": "whole", "oed_remark": "text"},
    # §11 closure: what the IA checked before posting SSC (issue 13 item 6).
    "complete": {
        "services_complete_on": "date",
        "warranties_end_on": "date",
        "storage_quantity": "count",
    },
}


def milestone_inputs(name: str, readers: dict) -> dict:
    """The milestone's extra inputs, each read by the reader of its kind (`readers[kind](field)`)."""
    return {field: readers[kind](field) for field, kind in MILESTONE_INPUTS.get(name, {}).items()}


class LorForm(DoorChoicesForm):
    owner_kinds = (OrganizationKind.SCO, OrganizationKind.PARTNER)

    class Meta:
        model = LetterOfRequest
        fields = [
            "title",
            "country",
            "owner_org",
            "received_on",
            "requested_items",
            "estimated_value",
            "mde_value",
            "design_construction_value",
            "sme",
            "mde",
            "sensitive_technology",
            "new_capability",
            "night_vision",
            "implementing_agency",
            "request_type",
        ]
        widgets = {"received_on": DATE, "requested_items": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        owners = list(self.owners(user))
        country = next((o.country_id for o in owners if o.country_id), None) or "XBN"
        # Partner forms carry only what the partner decides (issue 12 item 5): the marking is the
        # partner's releasable one, and the SCO routes the LOR to an implementing agency.
        self.partner = not _is_usg(user)
        self.partner_marking = f"CUI//REL TO USA, {country}"
        if self.partner:
            del self.fields["implementing_agency"]
            del self.fields["marking"]
        else:
            self.fields["implementing_agency"].queryset = implementing_agencies(user)
            self.fields[
                "implementing_agency"
            ].help_text = "The SCO routes the LOR to an implementing agency (R-FMS-01)."
        if not self.instance.pk:
            # Shown only once a duplicate was found (clean()); hidden until then.
            self.fields["confirm_duplicate"] = forms.BooleanField(
                label="Submit anyway: this is a new request, not one already submitted",
                required=False,
                widget=forms.HiddenInput,
            )
        if not self.is_bound and not self.instance.pk:
            if not self.partner:
                self.initial["marking"] = self.partner_marking
            self.initial.setdefault("country", country)
            if owners:  # "Entered by": the user's own organization, so the first save succeeds
                self.initial.setdefault("owner_org", owners[0].pk)

    def clean(self):
        cleaned = super().clean()
        if self.partner:
            cleaned["marking"] = self.partner_marking
        if not self.instance.pk and not cleaned.get("confirm_duplicate"):
            country = cleaned.get("country")
            existing = (
                LetterOfRequest.objects.visible_to(self.user)
                .filter(country=country)
                .values_list("title", "requested_items", "received_on")
            )
            found = rules.lor_duplicate(
                cleaned.get("title"), cleaned.get("requested_items"), existing
            )
            if found is not None:
                self.add_error(None, f"{found.rule}: {found.message}")
                self.fields["confirm_duplicate"].widget = forms.CheckboxInput(
                    attrs={"class": "usa-checkbox__input"}
                )
        return cleaned


def _is_usg(user) -> bool:
    return getattr(user, "audience", "") == "USG"


class CtaForm(DoorChoicesForm):
    """The CTA with one text box per element (SAMM Table C5.T1, kept as data)."""

    owner_kinds = (OrganizationKind.SCO,)

    class Meta:
        model = CountryTeamAssessment
        fields = ["lor", "owner_org", "dated"]
        widgets = {"dated": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        answers = self.instance.elements or {}
        self.element_names = []
        for element in CtaElement.objects.filter(active=True).order_by("number"):
            name = f"element_{element.code}"
            self.fields[name] = forms.CharField(
                label=f"{element.number}. {element.text}",
                required=False,
                initial=answers.get(element.code, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=f"Only for requests with: {element.only_when.replace('_', ' ')}."
                if element.only_when
                else "",
            )
            self.element_names.append((name, element.code))
        uswds_widgets(self)

    def elements(self) -> dict:
        return {
            code: self.cleaned_data.get(name, "").strip()
            for name, code in self.element_names
            if self.cleaned_data.get(name, "").strip()
        }


class CaseForm(DoorChoicesForm):
    owner_kinds = (OrganizationKind.IMPLEMENTING_AGENCY,)

    class Meta:
        model = FmsCase
        fields = [
            "identifier",
            "title",
            "country",
            "owner_org",
            "lor",
            "loa_type",
            "fmso1_case",
            "category",
            "aod_group",
            "delay_reason",
            "disclosure_approved_on",
            "transfer_approved_on",
            "case_manager",
            "transportation_plan",
            "fmf_baseline",
            "fmf_deviation_approved_on",
        ]
        widgets = {
            "disclosure_approved_on": DATE,
            "transfer_approved_on": DATE,
            "fmf_deviation_approved_on": DATE,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["owner_org"].queryset = self.owners(user).exclude(implementing_agency_code="")
        self.fields["lor"].queryset = LetterOfRequest.objects.visible_to(user).filter(
            status="validated"
        )
        self.fields["case_manager"].queryset = (
            User.objects.visible_to(user).filter(memberships__role=Role.CASE_MANAGER).distinct()
        )
        # SPEC §5 CLSSA: an FMSO II names one of the FMSO I cases this user may see.
        self.fields["fmso1_case"].queryset = FmsCase.objects.visible_to(user).filter(
            loa_type=rules.FMSO_I
        )
        # §11 AOD: a delay reason is a code from the list (reference data), not free text.
        codes = [(c.code, str(c)) for c in AodDelayReason.objects.filter(active=True)]
        current = self.instance.delay_reason if self.instance.pk else ""
        if current and current not in dict(codes):
            codes.append((current, f"{current} (not on the code list)"))
        self.fields["delay_reason"] = forms.ChoiceField(
            label="AOD delay reason code",
            choices=[("", "— none (offered by the AOD) —"), *codes],
            required=False,
            help_text="Required when the LOA is offered after its AOD.",
        )
        self.fields["delay_reason"].widget.attrs["class"] = "usa-select"
        if not self.is_bound and not self.instance.pk:
            self.initial["marking"] = "CUI//REL TO USA, XBN"
            self.initial.setdefault("country", "XBN")


class LineForm(MarkedRecordForm):
    class Meta:
        model = CaseLine
        fields = [
            "number",
            "item",
            "description",
            "quantity",
            "unit_of_issue",
            "unit_value",
            "sme",
            "mde",
            "design_construction",
            "fmf_funded",
            "program_of_record",
            "classified",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class DeliveryForm(MarkedRecordForm):
    class Meta:
        model = Delivery
        fields = ["line", "planned_on", "planned_quantity"]
        widgets = {"planned_on": DATE}

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["line"].queryset = CaseLine.objects.visible_to(user).filter(case=case)


class DeliverForm(UswdsForm):
    actual_on = forms.DateField(label="Delivered on", widget=DATE)
    actual_quantity = forms.IntegerField(label="Quantity delivered")
    title_passed = forms.BooleanField(required=False, initial=True, label="Title passed")


class ShipmentForm(MarkedRecordForm):
    class Meta:
        model = Shipment
        fields = [
            "delivery",
            "reference",
            "shipped_on",
            "classified",
            "via_dts",
            "dts_representative",
            "received_on",
        ]
        widgets = {"shipped_on": DATE, "received_on": DATE}

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["delivery"].queryset = (
            Delivery.objects.visible_to(user).filter(case=case).select_related("line__case")
        )


class SdrForm(DoorChoicesForm):
    owner_kinds = (
        OrganizationKind.PARTNER,
        OrganizationKind.SCO,
        OrganizationKind.IMPLEMENTING_AGENCY,
    )

    class Meta:
        model = SupplyDiscrepancyReport
        fields = [
            "owner_org",
            "line",
            "reported_on",
            "discrepancy",
            "description",
            "quantity",
            "value",
            "title_passed_on",
            "recommended_fms_funds",
        ]
        widgets = {
            "reported_on": DATE,
            "title_passed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["line"].queryset = (
            CaseLine.objects.visible_to(user).filter(case=case).select_related("case")
        )
        if case is not None and not self.is_bound:
            self.initial.setdefault("marking", case.marking_text)


class ReviewForm(MarkedRecordForm):
    class Meta:
        model = CaseReview
        fields = ["kind", "held_on", "notes", "sco_travel_fms_admin"]
        widgets = {"held_on": DATE}


class CaseDocumentForm(MarkedRecordForm):
    class Meta:
        model = CaseDocument
        fields = ["kind", "title", "dated", "file", "released_to_partner"]
        widgets = {"dated": DATE}


class PlanItemForm(MarkedRecordForm):
    class Meta:
        model = MasterPlanItem
        fields = ["kind", "title", "due_on", "done_on", "poc"]
        widgets = {"due_on": DATE, "done_on": DATE}


class PaymentForm(MarkedRecordForm):
    class Meta:
        model = PaymentScheduleEntry
        fields = ["due_on", "amount", "initial_deposit", "paid_on"]
        widgets = {"due_on": DATE, "paid_on": DATE}


class CostForm(MarkedRecordForm):
    class Meta:
        model = CaseCost
        fields = ["description", "programmed", "actual", "released_to_partner"]


class NoteForm(MarkedRecordForm):
    class Meta:
        model = CaseNote
        fields = ["text"]
        labels = {"text": "Internal note (never shown to the partner)"}


class AmendmentForm(forms.Form):
    """A new LOA version: its kind, why, and up to three line changes."""

    kind = forms.ChoiceField(choices=ChangeKind.CHOICES)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    ROWS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(self.ROWS):
            self.fields[f"op_{i}"] = forms.ChoiceField(
                label=f"Change {i + 1}",
                required=False,
                choices=[
                    ("", "—"),
                    ("change", "Change line"),
                    ("add", "Add line"),
                    ("delete", "Delete line"),
                ],
            )
            self.fields[f"number_{i}"] = forms.CharField(
                label="Line number", required=False, max_length=3
            )
            self.fields[f"item_{i}"] = forms.CharField(label="Item", required=False)
            self.fields[f"quantity_{i}"] = forms.IntegerField(label="Quantity", required=False)
            self.fields[f"unit_value_{i}"] = forms.DecimalField(
                label="Unit value (USD)", required=False, decimal_places=2, max_digits=16
            )
        uswds_widgets(self)

    def changes(self) -> list[dict]:
        out = []
        for i in range(self.ROWS):
            op = self.cleaned_data.get(f"op_{i}")
            if not op:
                continue
            number = (self.cleaned_data.get(f"number_{i}") or "").strip()
            values = {
                k: self.cleaned_data.get(f"{k}_{i}") for k in ("item", "quantity", "unit_value")
            }
            values = {
                k: (str(v) if k == "unit_value" else v)
                for k, v in values.items()
                if v not in (None, "")
            }
            if op == "add":
                out.append({"op": "add", "line": {"number": number, **values}})
            elif op == "delete":
                out.append({"op": "delete", "number": number})
            else:
                out.append({"op": "change", "number": number, **values})
        return out


# === fmsclssa: the AOD of a version, emergency implementation, CLSSA requisitions ================
# (issue 13 items 5, 8; docs/decisions/0031-clssa-emergency-aod.md)


class MeasuredAmendmentForm(AmendmentForm):
    """A new LOA version with its AOD measurement (§11 AOD): amendments are measured to offer,
    modifications to implementation, from the day their request was complete."""

    request_complete_on = forms.DateField(
        label="Change request complete",
        required=False,
        help_text="Amendments and modifications: the day the request was complete; the AOD counts from it.",
        widget=DATE,
    )
    aod_group = forms.ChoiceField(
        label="AOD group",
        required=False,
        choices=[("", "The case's group"), *AodGroup.choices],
    )
    category = forms.ChoiceField(
        label="Case category",
        required=False,
        choices=[("", "The case's category"), *CaseCategory.choices],
    )
    delay_reason = forms.ChoiceField(label="AOD delay reason code", required=False, choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delay_reason"].choices = [
            ("", "None (on time)"),
            *AodDelayReason.objects.filter(active=True).values_list("code", "label"),
        ]
        self.fields[
            "delay_reason"
        ].help_text = "Required when the version is issued after its AOD (SPEC §11 AOD)."

    def measurement(self) -> dict:
        return {
            k: self.cleaned_data.get(k) or ("" if k != "request_complete_on" else None)
            for k in ("request_complete_on", "aod_group", "category", "delay_reason")
        }


class EmergencyRequestForm(UswdsForm):
    """SAMM C6.1.2: the implementing agency's written request to DSCA."""

    signed_on = forms.DateField(label="Purchaser signed the LOA on", widget=DATE)
    circumstances = forms.CharField(
        label="Extenuating circumstances",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it is urgent, e.g. a contract award deadline after which prices rise.",
    )
    on = forms.DateField(
        label="Requested on",
        required=False,
        widget=DATE,
        help_text="Leave empty for today.",
    )


class EmergencyDecisionForm(UswdsForm):
    """SAMM C6.1.2: DSCA's written decision — who, when, the reference."""

    decided_by = forms.CharField(label="DSCA official", max_length=200)
    reference = forms.CharField(label="Written decision (reference)", max_length=120)
    expected_deposit_on = forms.DateField(
        label="Initial deposit expected",
        required=False,
        widget=DATE,
    )
    on = forms.DateField(label="Decided on", required=False, widget=DATE)


class RequisitionForm(UswdsForm):
    """SPEC §5 CLSSA: a requisition against an implemented FMSO II case."""

    document_number = forms.CharField(label="MILSTRIP document number", max_length=14)
    item = forms.CharField(label="Item (NSN and nomenclature)", max_length=200)
    quantity = forms.IntegerField(min_value=1)
    value = forms.DecimalField(
        label="Estimated value (USD)", min_value=0, decimal_places=2, max_digits=16
    )
    requisitioned_on = forms.DateField(label="Requisitioned on", widget=DATE)


# === closure and billing (issue 13 items 6–7) ======================================================

from .models import CaseExpenditure  # noqa: E402 — this section's models
from .models import Collection  # noqa: E402 — this section's models


class CollectionForm(MarkedRecordForm):
    class Meta:
        model = Collection
        fields = ["received_on", "amount", "reference"]
        widgets = {"received_on": DATE}


class ExpenditureForm(MarkedRecordForm):
    class Meta:
        model = CaseExpenditure
        fields = ["line", "dated", "description", "obligated", "expended"]
        widgets = {"dated": DATE}

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["line"].queryset = CaseLine.objects.visible_to(user).filter(case=case)


class CloseLineForm(UswdsForm):
    """Close a line; naming active contracts makes the closure conditional (DSCA 26-32)."""

    line = forms.TypedChoiceField(coerce=int, label="Line")
    on = forms.DateField(label="Closed on", widget=DATE, required=False)
    active_contracts = forms.CharField(
        label="Active contracts (conditional closure)",
        required=False,
        help_text="Leave empty when every contract of the line is closed out.",
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(ln.pk, f"{ln.number} {ln.item}") for ln in lines]


class ClosholdForm(UswdsForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label="On", widget=DATE, required=False)


class StatementForm(UswdsForm):
    period_end = forms.DateField(
        label="Quarter ended",
        widget=DATE,
        help_text="31 December, 31 March, 30 June or 30 September.",
    )
    notes = forms.CharField(
        label="Reconciliation notes (internal)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# === Excess Defense Articles and DCS license requests (dcseda) ===================================

from .models import DcsLicense  # noqa: E402
from .models import EdaOffer  # noqa: E402


class EdaForm(DoorChoicesForm):
    owner_kinds = (
        OrganizationKind.IMPLEMENTING_AGENCY,
        OrganizationKind.MILDEP,
        OrganizationKind.DSCA,
    )
    dropped_on_edit = ("owner_org",)  # the offering organization does not change

    class Meta:
        model = EdaOffer
        fields = [
            "title",
            "country",
            "owner_org",
            "article",
            "quantity",
            "authority",
            "terms",
            "original_acquisition_value",
            "current_value",
            "condition",
            "as_is_where_is",
            "lor",
        ]


class DcsForm(DoorChoicesForm):
    dropped_on_edit = ("company",)  # the applicant does not change (R-IND-01)

    class Meta:
        model = DcsLicense
        fields = [
            "company",
            "country",
            "reference",
            "commodity",
            "usml_category",
            "license_type",
            "value",
            "mde_value",
            "firearms_category_i",
            "manufacture_abroad_sme",
            "fms_case",
            "lor",
            "relation",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if "company" in self.fields:
            # The companies the user may see (an industry user: their own, R-IND-01).
            self.fields["company"].queryset = (
                Organization.objects.visible_to(user)
                .filter(kind=OrganizationKind.COMPANY)
                .order_by("name")
            )

"""Filters for the cases lists and API endpoints. Choices of related records come through the door."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models import Q
from django.utils import timezone

from secoop.core.filters import SearchFilterSet
from secoop.core.filters import any_choice
from secoop.core.filters import country_choice
from secoop.core.models import Country
from secoop.core.models import Organization
from secoop.core.models import OrganizationKind

from .models import AodGroup
from .models import CaseAmendment
from .models import CaseCategory
from .models import CaseDocument
from .models import CaseDocumentKind
from .models import CaseLine
from .models import CaseReview
from .models import CountryTeamAssessment
from .models import CtaStatus
from .models import Delivery
from .models import FmsCase
from .models import LetterOfRequest
from .models import LoaType
from .models import LorStatus
from .models import RequestType
from .models import SdrStatus
from .models import Shipment
from .models import SupplyDiscrepancyReport
from .rules import ChangeKind
from .rules import Status


class CasesFilterSet(SearchFilterSet):
    """Country and implementing-agency choices limited to what the user may see."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for f in self.filters.values():
            queryset = getattr(f, "queryset", None)
            if queryset is not None and queryset.model is Organization:
                f.queryset = queryset.filter(kind=OrganizationKind.IMPLEMENTING_AGENCY).exclude(
                    implementing_agency_code=""
                )


def _country():
    return country_choice("Partner")


def _ia(field="owner_org"):
    return django_filters.ModelChoiceFilter(
        field_name=field,
        queryset=Organization.objects.none(),
        empty_label="Any IA",
        label="Implementing agency",
    )


class LorFilter(CasesFilterSet):
    search_fields = ("title", "requested_items")
    country = _country()
    status = any_choice(LorStatus.choices, "Any status")
    request_type = any_choice(RequestType.choices, "P&A or LOA", "Request")
    implementing_agency = _ia("implementing_agency")

    class Meta:
        model = LetterOfRequest


class CtaFilter(CasesFilterSet):
    search_fields = ("lor__title", "coordinated_with")
    status = any_choice(CtaStatus.choices, "Any status")
    lor = django_filters.ModelChoiceFilter(queryset=LetterOfRequest.objects.none(), label="LOR")

    class Meta:
        model = CountryTeamAssessment


class CaseFilter(CasesFilterSet):
    search_fields = ("identifier", "title")
    country = _country()
    status = any_choice(Status.CHOICES, "Any status")
    owner_org = _ia()
    category = any_choice(CaseCategory.choices, "Any category")
    aod_group = any_choice(AodGroup.choices, "Any AOD group", "AOD group")
    loa_type = any_choice(LoaType.choices, "Any LOA type", "LOA type")
    fy = django_filters.NumberFilter(method="offered_in_fy", label="Offered in FY")

    class Meta:
        model = FmsCase

    def offered_in_fy(self, queryset, name, value):
        import datetime as dt

        try:
            fy = int(value)
            start, end = dt.date(fy - 1, 10, 1), dt.date(fy, 9, 30)
        except (TypeError, ValueError, OverflowError):
            return queryset.none()
        return queryset.filter(offered_on__gte=start, offered_on__lte=end)


class CaseField(django_filters.fields.ModelChoiceField):
    """A case typed as its identifier (BN-D-AAA; any case) or its id (the API's `?case=12`),
    looked up among the cases the reader may see (the filter set puts the queryset through the
    door). A text box, not a list: a list of every visible case was 20,000 options at enterprise
    scale (issue 15)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": "No case you may see has that identifier: type one such as BN-D-AAA."
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        lookup = {"pk": value} if value.isdigit() else {"identifier__iexact": value}
        found = self.queryset.filter(**lookup).first()
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found

    def prepare_value(self, value):
        return value.identifier if isinstance(value, FmsCase) else value


CHILD_FIELDS = ("q", "case", "country")


class CaseChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CaseField


class CaseChildFilter(CasesFilterSet):
    """A list of a case's records: searched, and filtered by the case and the partner (the fields
    every subclass's Meta lists first, CHILD_FIELDS)."""

    case = CaseChoiceFilter(queryset=FmsCase.objects.none(), label="Case (identifier)")
    country = django_filters.ModelChoiceFilter(
        field_name="case__country",
        queryset=Country.objects.none(),
        empty_label="Any country",
        label="Partner",
    )


class LineFilter(CaseChildFilter):
    search_fields = ("item", "description")
    sme = django_filters.BooleanFilter(label="SME")
    mde = django_filters.BooleanFilter(label="MDE")
    fmf_funded = django_filters.BooleanFilter(label="FMF-funded")

    class Meta:
        model = CaseLine


class AmendmentFilter(CaseChildFilter):
    search_fields = ("description",)
    kind = any_choice(ChangeKind.CHOICES, "Any kind")

    class Meta:
        model = CaseAmendment
        fields = [*CHILD_FIELDS, "kind", "status"]


class DeliveryFilter(CaseChildFilter):
    search_fields = ("line__item",)
    state = django_filters.ChoiceFilter(
        choices=[
            ("late", "Late (delivered late or open past the planned date)"),
            ("open", "Not yet delivered"),
            ("delivered", "Delivered"),
        ],
        method="filter_state",
        empty_label="Any state",
        label="State",
    )

    class Meta:
        model = Delivery

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "late":
            return queryset.filter(
                Q(actual_on__gt=F("planned_on")) | Q(actual_on__isnull=True, planned_on__lt=today)
            )
        if value == "open":
            return queryset.filter(actual_on__isnull=True)
        return queryset.filter(actual_on__isnull=False)


class ShipmentFilter(CaseChildFilter):
    search_fields = ("reference",)

    class Meta:
        model = Shipment
        fields = [*CHILD_FIELDS, "classified", "via_dts"]


class SdrFilter(CaseChildFilter):
    search_fields = ("description",)
    status = any_choice(SdrStatus.choices, "Any status")

    class Meta:
        model = SupplyDiscrepancyReport
        fields = [*CHILD_FIELDS, "status", "discrepancy"]


class ReviewFilter(CaseChildFilter):
    search_fields = ("notes",)

    class Meta:
        model = CaseReview
        fields = [*CHILD_FIELDS, "kind"]


class DocumentFilter(CaseChildFilter):
    search_fields = ("title",)
    kind = any_choice(CaseDocumentKind.choices, "Any kind")

    class Meta:
        model = CaseDocument


# === Excess Defense Articles and DCS license requests (dcseda) ===================================

from .models import DcsLicense  # noqa: E402
from .models import DcsLicenseType  # noqa: E402
from .models import DcsStatus  # noqa: E402
from .models import EdaAuthority  # noqa: E402
from .models import EdaOffer  # noqa: E402
from .models import EdaStatus  # noqa: E402
from .models import EdaTerms  # noqa: E402


class EdaFilter(CasesFilterSet):
    search_fields = ("title", "article")
    country = country_choice("Recipient")
    status = any_choice(EdaStatus.choices, "Any status")
    terms = any_choice(EdaTerms.choices, "Grant or sale")
    authority = any_choice(EdaAuthority.choices, "Any authority")

    class Meta:
        model = EdaOffer


class DcsFilter(SearchFilterSet):
    """Company choices: the companies the user may see (an industry user: their own, R-IND-01)."""

    search_fields = ("commodity", "reference")
    country = country_choice("Destination")
    status = any_choice(DcsStatus.choices, "Any status")
    license_type = any_choice(DcsLicenseType.choices, "Any license type", "License type")
    company = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.none(), empty_label="Any company", label="Company"
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["company"].queryset = self.filters["company"].queryset.filter(
            kind=OrganizationKind.COMPANY
        )

    class Meta:
        model = DcsLicense

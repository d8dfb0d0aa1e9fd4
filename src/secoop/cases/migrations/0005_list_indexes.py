"""Issue 15 items 1–3 for cases: indexes behind the keyset lists' orders (a foreign key sorts by
its id: case lines by (case, number, id)), trigram indexes for search, the releasability index.
See secoop.core.dbindex."""

from django.db import migrations

from secoop.core.dbindex import Releasability, list_indexes, sorted_indexes, trigram_indexes

MARKED = (
    "LetterOfRequest",
    "CountryTeamAssessment",
    "FmsCase",
    "CaseLine",
    "CaseAmendment",
    "PaymentScheduleEntry",
    "MasterPlanItem",
    "CaseEvent",
    "Delivery",
    "Shipment",
    "SupplyDiscrepancyReport",
    "CaseReview",
    "CaseCost",
    "CaseNote",
    "CaseDocument",
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_fms_gates_36b_dates"),
        ("core", "0013_keyset_search_releasability"),
    ]

    operations = [
        list_indexes(
            "cases",
            *sorted_indexes("LetterOfRequest", "received_on", "title", "status", "estimated_value"),
            *sorted_indexes("CountryTeamAssessment", "dated", "status", "transmitted_on"),
            *sorted_indexes("FmsCase", "title", "status", "aod", "offered_on", "oed"),
            *sorted_indexes("CaseLine", ("case", "number"), "total_value"),
            *sorted_indexes("CaseAmendment", ("case", "number"), "issued_on"),
            *sorted_indexes("Delivery", "planned_on", "actual_on", ("case", "planned_on")),
            *sorted_indexes("Shipment", ("case", "shipped_on")),
            *sorted_indexes("SupplyDiscrepancyReport", "reported_on", "status", "value"),
            *sorted_indexes("CaseReview", ("case", "held_on")),
            *sorted_indexes("CaseDocument", ("case", "dated")),
            *trigram_indexes("LetterOfRequest", "title", "requested_items"),
            *trigram_indexes("CountryTeamAssessment", "coordinated_with"),
            *trigram_indexes("FmsCase", "identifier", "title"),
            *trigram_indexes("CaseLine", "item", "description"),
            *trigram_indexes("SupplyDiscrepancyReport", "description"),
            *trigram_indexes("CaseDocument", "title"),
            *[Releasability(m) for m in MARKED],
        )
    ]

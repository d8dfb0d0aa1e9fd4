"""The EUM lists as decision 0027 has every list: indexes behind the keyset pages' orders, trigram
indexes for the search fields, the releasability index (secoop.core.dbindex)."""

from django.db import migrations

from secoop.core.dbindex import Releasability, list_indexes, sorted_indexes, trigram_indexes

MARKED = (
    "TransferredArticle",
    "SerialNumber",
    "Check",
    "PossibleViolation",
    "ComplianceVisit",
    "RoutineReport",
    "DatabaseReview",
    "ControlPlan",
    "EndUseRequest",
    "MaterielNotice",
    "NoticeRecipient",
)


class Migration(migrations.Migration):
    dependencies = [
        ("eum", "0002_eum_eda_dcs_links"),
        ("core", "0013_keyset_search_releasability"),
    ]

    operations = [
        list_indexes(
            "eum",
            *sorted_indexes("TransferredArticle", "nomenclature", "nsn", "delivered_on"),
            *sorted_indexes("Check", "checked_on", "kind"),
            *sorted_indexes("PossibleViolation", "opened_on", "summary", "status"),
            *sorted_indexes("ComplianceVisit", "held_on"),
            *sorted_indexes("RoutineReport", "period_end", "submitted_on"),
            *sorted_indexes("DatabaseReview", "reviewed_on", "signed_off_on"),
            *sorted_indexes("EndUseRequest", "requested_on", "kind", "status"),
            *sorted_indexes("MaterielNotice", "item", "lor_deadline", "issued_on"),
            *trigram_indexes("TransferredArticle", "nomenclature", "nsn"),
            *trigram_indexes("Check", "checked_by", "findings"),
            *trigram_indexes("PossibleViolation", "summary"),
            *trigram_indexes("ComplianceVisit", "team", "findings"),
            *trigram_indexes("RoutineReport", "summary"),
            *trigram_indexes("DatabaseReview", "checked", "discrepancies"),
            *trigram_indexes("EndUseRequest", "description", "recipient"),
            *trigram_indexes("MaterielNotice", "item", "rationale"),
            *[Releasability(m) for m in MARKED],
        )
    ]

"""Issue 15 items 1–3 for planning: indexes behind the keyset lists' orders, trigram indexes for
search, the releasability index. See secoop.core.dbindex."""

from django.db import migrations

from secoop.core.dbindex import Releasability, list_indexes, sorted_indexes, trigram_indexes

MARKED = (
    "GuidanceDocument",
    "CampaignPlan",
    "EndState",
    "LineOfEffort",
    "IntermediateObjective",
    "Measure",
    "LineOfActivity",
    "CountryPlan",
    "Phase",
    "Activity",
    "ActivityFunding",
    "ActivityDependency",
    "Reschedule",
    "PlanningAssumption",
    "PlanningEvent",
)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_reschedule_record"),
        ("core", "0013_keyset_search_releasability"),
    ]

    operations = [
        list_indexes(
            "planning",
            *sorted_indexes(
                "Activity", ("start_date", "title"), "start_date", "end_date", "title", "status"
            ),
            *sorted_indexes("CampaignPlan", "start_fy", "title", "status"),
            *sorted_indexes(
                "IntermediateObjective",
                "deadline",
                "title",
                ("line_of_effort", "deadline", "title"),
            ),
            *sorted_indexes("PlanningAssumption", "review_on"),
            *sorted_indexes("GuidanceDocument", "kind", "issued_on", "title"),
            *sorted_indexes("PlanningEvent", ("start_date", "title"), "fiscal_year"),
            *sorted_indexes("CountryPlan", "version", "issued_on", "title"),
            *sorted_indexes("EndState", ("campaign_plan", "priority", "title")),
            *sorted_indexes("LineOfEffort", ("campaign_plan", "sequence", "name")),
            *sorted_indexes("Measure", ("imo", "kind")),
            *sorted_indexes("LineOfActivity", ("imo", "name")),
            *sorted_indexes("Phase", ("country_plan", "number")),
            *trigram_indexes("Activity", "title", "program", "location", "description"),
            *trigram_indexes("CampaignPlan", "title", "summary"),
            *trigram_indexes("IntermediateObjective", "title", "statement", "by_whom", "with_whom"),
            *trigram_indexes("CountryPlan", "title", "country_objectives", "concept_of_engagement"),
            *trigram_indexes("PlanningAssumption", "statement", "rationale"),
            *trigram_indexes("GuidanceDocument", "title", "issued_by", "summary"),
            *trigram_indexes("PlanningEvent", "title", "location"),
            *trigram_indexes("EndState", "title", "description"),
            *trigram_indexes("LineOfEffort", "name", "description"),
            *trigram_indexes("Measure", "indicator", "method"),
            *trigram_indexes("LineOfActivity", "name", "description"),
            *[Releasability(m) for m in MARKED],
        )
    ]

"""The analysis lists' indexes (docs/decisions/0027): b-tree indexes behind their sorts, trigram
indexes for their searches and the releasability index on every marked table (PostgreSQL)."""

from django.db import migrations

from secoop.core.dbindex import Releasability, list_indexes, sorted_indexes, trigram_indexes

MARKED = (
    "Program",
    "CapabilityAnalysis",
    "Gap",
    "SolutionOption",
    "OptionCost",
    "PlannedResource",
    "Scenario",
    "ScenarioBudget",
    "ScenarioCountry",
    "ScenarioWeight",
    "ScenarioPlan",
)


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0002_analysis_programs"),
        ("core", "0013_keyset_search_releasability"),
    ]

    operations = [
        list_indexes(
            "analysis",
            *sorted_indexes(
                "Program",
                "name",
                "title_code",
                "is_bpc",
                "lifespan_years",
                "lead_time_months",
                "status",
            ),  # fmt: skip
            *sorted_indexes("CapabilityAnalysis", "title", "role_kind", "partner_desire", "status"),
            *sorted_indexes("Scenario", "start_fy", "title", "ccmd", "status"),
            *trigram_indexes(
                "Program", "key", "abbreviation", "name", "authority", "purpose", "executes"
            ),  # fmt: skip
            *trigram_indexes(
                "CapabilityAnalysis",
                "title",
                "partner_role",
                "required_capability",
                "current_capability",
            ),  # fmt: skip
            *trigram_indexes("Scenario", "title", "notes"),
            *(Releasability(model) for model in MARKED),
        )
    ]

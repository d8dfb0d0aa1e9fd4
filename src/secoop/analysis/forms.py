"""Analysis forms. They validate shape; analysis.actions validates the rules and its errors land
inline. Choices of related records come through the door (planning's PlanningForm does that)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from secoop.core.forms import chosen_records
from secoop.core.forms import uswds_widgets
from secoop.core.related import related
from secoop.planning.forms import PlanningForm

from . import rules
from .actions import PROGRAM_FIELDS
from .models import CapabilityAnalysis
from .models import Gap
from .models import OptionCost
from .models import PlannedResource
from .models import Program
from .models import Scenario
from .models import ScenarioBudget
from .models import ScenarioCountry
from .models import ScenarioWeight
from .models import SolutionOption

TEXT = {"rows": 3}
# What a planner writes of an analysis and of a solution option: the forms and the API show these.
ANALYSIS_FIELDS = [
    "imo",
    "country",
    "owner_org",
    "title",
    "role_kind",
    "partner_role",
    "partner_desire",
    "desire_notes",
    "required_capability",
    "current_capability",
    "operational_risk",
    "political_risk",
    "urgency",
    *(key for key, _, _ in rules.CONSIDERATIONS),
]
OPTION_FIELDS = [
    "gap",
    "title",
    "description",
    "expected_effect",
    "lead_time_months",
    "latest_start_fy",
    "dod_support",
    "dos_support",
    "partner_support",
    "affordable",
    "feasible",
    "responsive",
]


class AnalysisForm(PlanningForm):
    class Meta:
        model = CapabilityAnalysis
        fields = ANALYSIS_FIELDS
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in (
                "partner_role",
                "desire_notes",
                "required_capability",
                "current_capability",
                *(key for key, _, _ in rules.CONSIDERATIONS),
            )
        }
        help_texts = {
            "partner_desire": "R-CBA-02: a role the partner has no will to play gets no resources (it stays flagged, never hidden).",
            **{
                key: f"R-CBA-03 {label}: {question}"
                for key, label, question in rules.CONSIDERATIONS
            },
        }


class GapForm(PlanningForm):
    class Meta:
        model = Gap
        fields = ["analysis", "title", "dotmlpf", "joint_function", "required", "current", "risk"]
        widgets = {"required": forms.Textarea(attrs=TEXT), "current": forms.Textarea(attrs=TEXT)}
        help_texts = {
            "dotmlpf": "R-CBA-01: required when a Building Partner Capacity program may fund an option of the gap.",
            "joint_function": "Or the joint function, when the gap was worked through that paradigm.",
        }


class OptionForm(PlanningForm):
    """An option with its costs by fiscal year (one line per year) and its links, saved in one
    transaction by the actions (nothing half-written on a refusal)."""

    costs = forms.CharField(
        label="Cost by fiscal year (USD)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One line per fiscal year: FY2028: 150,000",
    )
    programs = chosen_records(Program, "Programs that could fund it", size=8)
    requires = chosen_records(SolutionOption, "Prerequisite options")
    excludes = chosen_records(SolutionOption, "Mutually exclusive options")
    offered_order = {"programs": ("key",)}

    class Meta:
        model = SolutionOption
        fields = OPTION_FIELDS
        widgets = {"description": forms.Textarea(attrs=TEXT)}
        help_texts = {
            "dod_support": "R-CBA-04: with DoS and partner support, the option is in the sweet spot.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.shown_records: list = []
        options = SolutionOption.objects.visible_to(user).order_by("title")
        if self.instance.pk:
            options = options.exclude(pk=self.instance.pk)
            costs = list(OptionCost.objects.visible_to(user).filter(option=self.instance))
            self.shown_records = costs  # the text area shows them: the banner covers them
            self.initial.setdefault(
                "costs", rules.costs_text({c.fiscal_year: c.amount for c in costs})
            )
            self.initial.setdefault(
                "programs", list(Program.objects.visible_to(user).filter(options=self.instance))
            )
            self.initial.setdefault("requires", list(options.filter(required_by=self.instance)))
            self.initial.setdefault("excludes", list(options.filter(excludes=self.instance)))
        self.fields["requires"].queryset = options
        self.fields["excludes"].queryset = options
        uswds_widgets(self)

    def clean_costs(self) -> dict[int, Decimal]:
        costs, problems = rules.parse_costs(self.cleaned_data.get("costs", ""))
        if problems:
            raise forms.ValidationError([p.text for p in problems])
        return costs

    def links(self) -> dict:
        return {k: self.cleaned_data.get(k) or [] for k in ("programs", "requires", "excludes")}


class ResourceForm(PlanningForm):
    class Meta:
        model = PlannedResource
        fields = ["gap", "provider_kind", "provider", "description", "fiscal_year", "amount"]
        help_texts = {
            "amount": "R-CBA-05: it reduces what the USG plans to spend on the same capability that year."
        }


class ScenarioForm(PlanningForm):
    budgets = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="New money per program per fiscal year, one a line: 10 USC 333, FY2028, 1,500,000",
    )
    countries = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One country a line: its ISO code, then optionally what it can absorb per year, "
        "its minimum and its maximum over the scenario (USD), separated by semicolons, e.g. "
        "XBN; 4,000,000; 0; 12,000,000",
    )

    weights = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="The weight of an analysis's objective, one a line: its title = 4. Without a line "
        "an analysis weighs by its IMO's priority (1 → 5, 2 → 4, … 5 and below → 1).",
    )

    class Meta:
        model = Scenario
        fields = ["title", "owner_org", "ccmd", "start_fy", "end_fy", "time_limit_seconds", "notes"]
        widgets = {"notes": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The rows the text areas show (and the programs and analyses they name): the page's
        # banner covers them (R-SEC-01, decision 0047).
        self.shown_records: list = []
        if self.instance.pk:
            budget_lines = (
                ScenarioBudget.objects.visible_to(user)
                .filter(scenario=self.instance)
                .select_related("program")
                .order_by("program__key", "fiscal_year")
            )
            # A line of a program the reader may not see is not shown; saving keeps it
            # (actions.set_scenario_inputs replaces only the lines of programs the writer sees).
            budgets = [(related(b, "program", user), b) for b in budget_lines]
            budgets = [(p, b) for p, b in budgets if p is not None]
            countries = list(
                ScenarioCountry.objects.visible_to(user).filter(scenario=self.instance)
            )
            weights = [
                (related(w, "analysis", user), w)
                for w in ScenarioWeight.objects.visible_to(user).filter(scenario=self.instance)
            ]
            weights = [(a, w) for a, w in weights if a is not None]
            self.initial.setdefault(
                "budgets",
                "\n".join(f"{p.key}, FY{b.fiscal_year}, {b.amount:,.2f}" for p, b in budgets),
            )
            self.initial.setdefault(
                "countries",
                "\n".join(
                    "; ".join(
                        [c.country_id]
                        + [
                            "" if v is None else f"{v:,.2f}"
                            for v in (c.absorb_per_year, c.min_total, c.max_total)
                        ]
                    ).rstrip("; ")
                    for c in countries
                ),
            )
            self.initial.setdefault(
                "weights", "\n".join(f"{a} = {w.weight.normalize():f}" for a, w in weights)
            )
            self.shown_records = [*(r for pair in budgets + weights for r in pair), *countries]
        self.user = user

    def clean_weights(self) -> dict[int, Decimal]:
        titles = {
            a.title.casefold(): a.pk for a in CapabilityAnalysis.objects.visible_to(self.user)
        }
        weights, problems = {}, []
        for raw in (self.cleaned_data.get("weights") or "").splitlines():
            if not raw.strip():
                continue
            title, _, value = raw.rpartition("=")
            pk = titles.get(title.strip().casefold())
            try:
                weight = Decimal(value.strip())
            except ArithmeticError:
                weight = None
            if not title.strip() or pk is None:
                problems.append(f"“{raw.strip()}”: no analysis of that title that you may see (write: title = 4).")  # fmt: skip
            elif weight is None or weight < 0:
                problems.append(f"“{raw.strip()}”: the weight is a number, 0 or more.")
            else:
                weights[pk] = weight
        if problems:
            raise forms.ValidationError(problems)
        return weights

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("start_fy"), cleaned.get("end_fy")
        problem = rules.scenario_period_problem(first, last)
        if problem:
            self.add_error(problem.field, problem.full)
            return cleaned
        if first and last:
            keys = Program.objects.visible_to(self.user).values_list("key", flat=True)
            lines, problems = rules.parse_budgets(cleaned.get("budgets", ""), keys, first, last)
            for p in problems:
                self.add_error("budgets", p.full)
            cleaned["budget_lines"] = lines
        rows, problems = parse_countries(cleaned.get("countries", ""))
        for p in problems:
            self.add_error("countries", p)
        cleaned["country_rows"] = rows
        return cleaned


def parse_countries(text: str) -> tuple[list[dict], list[str]]:
    from secoop.core.models import Country

    rows, problems = [], []
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split(";")]
        code, values = parts[0].upper(), [p.replace(",", "") for p in parts[1:]]
        if not Country.objects.filter(alpha3=code).exists():
            problems.append(f"“{code}” is not an ISO alpha-3 country code (e.g. XBN).")
            continue
        row: dict = {"country": code}
        for name, value in zip(("absorb_per_year", "min_total", "max_total"), values, strict=False):
            if value == "":
                row[name] = None
                continue
            try:
                row[name] = Decimal(value.replace("$", ""))
            except ArithmeticError:
                problems.append(f"{code}: “{value}” is not an amount in USD.")
        rows.append(row)
    return rows, problems


class ProgramForm(forms.ModelForm):
    """A catalog row, as an administrator or DSCA corrects it (actions.update_program)."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Why this change? Kept with the change in the program's history.",
    )

    class Meta:
        model = Program
        fields = [
            f.name
            for f in Program._meta.concrete_fields
            if f.name in PROGRAM_FIELDS
            and f.name not in ("classification", "dissemination", "rel_to")
        ]
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in ("purpose", "eligibility", "caps", "unconfirmed")
        } | {"effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        uswds_widgets(self)

    def changes(self) -> dict:
        return {n: self.cleaned_data[n] for n in self.changed_data if n != "reason"}


class ProgramCreateForm(ProgramForm):
    """A new catalog row (actions.create_program): every fact with its source, marked as the
    public law it comes from unless the keeper marks it otherwise."""

    marking = forms.CharField(
        initial="UNCLASSIFIED",
        help_text="Catalog facts come from public law and policy: UNCLASSIFIED unless a source is not.",
    )

    field_order = ["key", "abbreviation", "name", "authority"]

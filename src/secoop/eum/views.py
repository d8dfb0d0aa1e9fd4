"""EUM pages under /eum/: the dashboard (what falls due per country), lists and record pages,
the inventory checklist (phone-friendly, typed or scanned serials, XLSX out and back in), and
the step buttons. Every read goes through the door; every write through eum.actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from secoop.core import access
from secoop.core import clock
from secoop.core.fields import reader_of
from secoop.core.lists import Column
from secoop.core.models import Country
from secoop.core.related import related
from secoop.core.viewkit import Section
from secoop.core.viewkit import posted_date
from secoop.core.viewkit import record_form
from secoop.core.viewkit import run_action
from secoop.core.viewkit import visible_or_404
from secoop.core.views import CreatingList
from secoop.core.views import RecordDetailView
from secoop.reports.common import Report

from . import actions
from . import exports
from . import filters
from . import forms
from . import models as m
from . import rules
from .rules import CheckKind

SECTION = Section("End-use monitoring", "eum:index", ("cases/cases.css", "eum/eum.css"))


COUNTRIES_SHOWN = 20  # countries whose dues the home page lists; more are picked one at a time
# Inventories listed per country, the first to fall due; the article list has the rest (issue 15
# item 4: a country with thousands of enhanced-EUM articles does not list them all here).
ARTICLE_DUES_SHOWN = 10
VIOLATIONS_SHOWN = 20  # the oldest open ones; the list has them all


@login_required
def index(request):
    """Each country's EUM at a glance: what falls due (R-EUM-02, R-EUM-03, SPEC §11), open
    possible violations, the lists."""
    user = request.user
    today = clock.today_for(user)
    # The first countries by name, and any one of them by ?country= (R-EUM-02): a reader with
    # more countries than the page lists is told so and picks one.
    wanted = request.GET.get("country", "")
    articles = m.TransferredArticle.objects.visible_to(user)
    if wanted:
        articles = articles.filter(country_id=wanted)
    found = list(
        articles.order_by("country__name", "country_id")
        .values_list("country_id", flat=True)
        .distinct()[: COUNTRIES_SHOWN + 1]
    )
    countries, more_countries = found[:COUNTRIES_SHOWN], len(found) > COUNTRIES_SHOWN
    names = dict(
        Country.objects.visible_to(user).filter(pk__in=countries).values_list("pk", "name")
    )
    firsts = actions.first_dues_by_country(user, countries, today, ARTICLE_DUES_SHOWN)
    dues = [
        (
            names.get(c, c),
            *firsts.get(c, ([], 0)),
            reverse("eum:articles") + "?" + urlencode({"country": c, "monitoring": "enhanced"}),
        )
        for c in countries
    ]
    violations = list(
        m.PossibleViolation.objects.visible_to(user)
        .filter(status__in=(*rules.VIOLATION_OPEN, "forwarded"))
        .order_by("opened_on", "pk")[: VIOLATIONS_SHOWN + 1]
    )
    more_violations = len(violations) > VIOLATIONS_SHOWN
    violations = violations[:VIOLATIONS_SHOWN]
    return render(
        request,
        "eum/index.html",
        {
            "section": SECTION,
            "today": today,
            "dues": dues,
            "violations": violations,
            "more_countries": more_countries,
            "more_violations": more_violations,
            "countries": Country.objects.visible_to(user)
            .filter(pk__in=m.TransferredArticle.objects.visible_to(user).values("country_id"))
            .order_by("name")
            if more_countries or wanted
            else None,
            "wanted": wanted,
            "countries_shown": COUNTRIES_SHOWN,
            # The banner covers the articles the dues name, as well as the violations (R-SEC-01).
            "page_records": [
                *violations,
                *m.TransferredArticle.objects.visible_to(user).filter(
                    pk__in={d.article for _, items, *_ in dues for d in items if d.article}
                ),
            ],
            "is_usg": reader_of(user) == "USG",
            "lists": [
                (title, reverse(f"eum:{name}"))
                for title, name, model in LISTS
                if access.visibility_q(model, user) is not None
            ],
        },
    )


class EumList(CreatingList):
    template_name = "eum/record_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["section"] = SECTION
        return ctx


class ArticleList(EumList):
    model = m.TransferredArticle
    filterset_class = filters.ArticleFilter
    title = "Transferred articles"
    intro = "R-EUM-01: articles transferred by FMS, EDA (Golden Sentry) or DCS (Blue Lantern); enhanced-EUM articles by serial number."
    columns = [
        Column("Article", "nomenclature", "nomenclature", link=True),
        Column("NSN", "nsn", "nsn"),
        Column("Country", "country.name"),
        Column("Quantity", "quantity"),
        Column("Monitoring", "get_monitoring_display", "monitoring"),
        Column("Program", "get_program_display", "program"),
        Column("Delivered", "delivered_on", "delivered_on"),
    ]
    default_sort = "nomenclature"
    select_related = ("country",)
    create_url = "eum:article-create"
    create_label = "Register a transferred article"


class CheckList(EumList):
    model = m.Check
    filterset_class = filters.CheckFilter
    title = "Inventories and inspections"
    intro = "SPEC §11 enhanced EUM: initial and annual serial-number inventories and physical-security inspections."
    columns = [
        Column("Check", "get_kind_display", "kind", link=True),
        Column("Date", "checked_on", "checked_on"),
        Column("Article", "article.nomenclature"),
        Column("Checked by", "checked_by"),
        Column("Missing", "col_missing"),
    ]
    default_sort = "-checked_on"
    select_related = ("article",)

    def col_missing(self, check):
        return len(check.missing)


class ViolationList(EumList):
    model = m.PossibleViolation
    filterset_class = filters.ViolationFilter
    title = "Possible violations"
    intro = "R-EUM-07: investigated locally; forwarded by the country team to DoS PM/RSAT when not resolved."
    columns = [
        Column("Possible violation", "summary", "summary", link=True),
        Column("Opened", "opened_on", "opened_on"),
        Column("Status", "get_status_display", "status"),
        Column("Forwarded", "forwarded_on", "forwarded_on"),
    ]
    default_sort = "-opened_on"
    create_url = "eum:violation-create"
    create_label = "Open a possible violation"


class VisitList(EumList):
    model = m.ComplianceVisit
    filterset_class = filters.VisitFilter
    title = "Compliance assessment visits (CAVs)"
    intro = "R-EUM-02: a DSCA compliance assessment visit every 18 to 24 months per country (the interval is a dated fact)."
    columns = [
        Column("Visit", "col_name", link=True),
        Column("Country", "country.name"),
        Column("Held", "held_on", "held_on"),
        Column("Team", "team"),
    ]
    default_sort = "-held_on"
    select_related = ("country",)
    create_url = "eum:visit-create"
    create_label = "Record a visit"


class ReportList(EumList):
    model = m.RoutineReport
    filterset_class = filters.ReportFilter
    title = "Routine EUM reports"
    intro = "R-EUM-03: uploaded at least quarterly."
    columns = [
        Column("Quarter ended", "period_end", "period_end", link=True),
        Column("Country", "country.name"),
        Column("Submitted", "submitted_on", "submitted_on"),
    ]
    default_sort = "-period_end"
    select_related = ("country",)
    create_url = "eum:report-create"
    create_label = "Submit a routine report"


class ReviewList(EumList):
    model = m.DatabaseReview
    filterset_class = filters.ReviewFilter
    title = "Quarterly EUM database reviews"
    intro = "DODIG-2025-078: who reviewed, when, what was checked, the discrepancies and a second person's sign-off."
    columns = [
        Column("Reviewed", "reviewed_on", "reviewed_on", link=True),
        Column("Country", "country.name"),
        Column("Signed off", "signed_off_on", "signed_off_on"),
    ]
    default_sort = "-reviewed_on"
    select_related = ("country",)
    create_url = "eum:review-create"
    create_label = "Record a review"


class PlanList(EumList):
    model = m.ControlPlan
    filterset_class = filters.PlanFilter
    title = "EUM control plans"
    intro = "R-EUM-04: one per country."
    columns = [
        Column("Country", "country.name", link=True),
        Column("Approved", "approved_on", "approved_on"),
    ]
    select_related = ("country",)
    create_url = "eum:plan-create"
    create_label = "Write a control plan"


class RequestList(EumList):
    model = m.EndUseRequest
    filterset_class = filters.RequestFilter
    title = "Change of end use and third-party transfer requests"
    intro = "R-EUM-05, R-EUM-06: nothing is carried out before the USG approval or written consent."
    columns = [
        Column("Request", "get_kind_display", "kind", link=True),
        Column("Article", "article.nomenclature"),
        Column("Requested", "requested_on", "requested_on"),
        Column("Status", "get_status_display", "status"),
    ]
    default_sort = "-requested_on"
    select_related = ("article",)
    create_url = "eum:request-create"
    create_label = "Request a change of end use or transfer"


class NoticeList(EumList):
    model = m.MaterielNotice
    filterset_class = filters.NoticeFilter
    title = "Materiel notices"
    intro = "R-EUM-08: only to countries that showed interest and are eligible; rationale, LOR deadline and final LOA acceptance date."
    columns = [
        Column("Item", "item", "item", link=True),
        Column("LOR deadline", "lor_deadline", "lor_deadline"),
        Column("Final LOA acceptance", "loa_acceptance_by", "loa_acceptance_by"),
        Column("Issued", "issued_on", "issued_on"),
    ]
    create_url = "eum:notice-create"
    create_label = "Draft a materiel notice"


LISTS = [
    ("Transferred articles", "articles", m.TransferredArticle),
    ("Inventories and inspections", "checks", m.Check),
    ("Possible violations", "violations", m.PossibleViolation),
    ("Compliance assessment visits (CAVs)", "visits", m.ComplianceVisit),
    ("Routine reports", "reports", m.RoutineReport),
    ("Database reviews", "reviews", m.DatabaseReview),
    ("Control plans", "plans", m.ControlPlan),
    ("End-use requests", "requests", m.EndUseRequest),
    ("Materiel notices", "notices", m.MaterielNotice),
]


# --- record pages --------------------------------------------------------------------------------


class EumDetail(RecordDetailView):
    section = SECTION
    tabs = ("overview", "history")
    template_name = "eum/detail.html"
    list_name = ""
    with_today = True

    def fields(self) -> list[tuple[str, object]]:
        return []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            fields=self.fields(),
            list_url=reverse(self.list_name) if self.list_name else "",
            act_kind=getattr(self, "act_kind", ""),
            kind_label=str(self.model._meta.verbose_name).capitalize(),
            list_title=next((t for t, n, _ in LISTS if f"eum:{n}" == self.list_name), ""),
        )
        return ctx


class ArticleDetail(EumDetail):
    model = m.TransferredArticle
    template_name = "eum/article_detail.html"
    list_name = "eum:articles"
    select_related = ("country",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, article = self.request.user, self.object
        serials = list(m.SerialNumber.objects.visible_to(user).filter(article=article))
        checks = list(m.Check.objects.visible_to(user).filter(article=article)[:20])
        violations = list(m.PossibleViolation.objects.visible_to(user).filter(article=article))
        requests = list(m.EndUseRequest.objects.visible_to(user).filter(article=article))
        case, line = related(article, "case", user), related(article, "line", user)
        eda, dcs = related(article, "eda_offer", user), related(article, "dcs_license", user)
        kinds = [k for k in CheckKind if actions.may_check(user, article, k)]
        ctx.update(
            serials=serials,
            checks=checks,
            violations=violations,
            requests=requests,
            case=case,
            line=line,
            eda=eda,
            dcs=dcs,
            owner=related(article, "owner_org", user),
            may_check=bool(kinds),
            may_add_serials=article.is_enhanced
            and access.holds_role(user, actions.CLERICAL, actions._org(article.owner_org_id)),
        )
        self.shown(ctx, [*serials, *checks, *violations, *requests, case, line, eda, dcs])
        return ctx


class CheckDetail(EumDetail):
    model = m.Check
    list_name = "eum:checks"

    def fields(self):
        c = self.object
        article = related(c, "article", self.request.user)
        rows = [
            ("Kind", c.get_kind_display()),
            ("Article", article),
            ("Checked on", c.checked_on),
            ("Checked by", c.checked_by),
            ("Findings", c.findings or "—"),
            ("Evidence", c.evidence or "—"),
        ]
        if c.kind in rules.INVENTORY_KINDS:
            rows += [
                ("Serials present", ", ".join(c.present) or "—"),
                ("Serials missing", ", ".join(c.missing) or "none"),
            ]
        return rows


class ViolationDetail(EumDetail):
    model = m.PossibleViolation
    template_name = "eum/violation_detail.html"
    list_name = "eum:violations"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, v = self.request.user, self.object
        steps = []
        for t in rules.VIOLATION.available(v.status):
            if t.name == "forward":
                ok = access.holds_role(user, actions.FORWARDERS, actions._org(v.owner_org_id))
            elif t.name == "close":
                ok = access.holds_role(user, actions.STATE)
            else:
                ok = access.holds_role(user, actions.MONITORS, actions._org(v.owner_org_id))
            if ok:
                steps.append(t)
        article = related(v, "article", user)
        ctx.update(
            steps=steps,
            article=article,
            serial=related(v, "serial", user),
            # NOFORN records: the door keeps them from LE staff and the partner.
            notes=list(m.InvestigationNote.objects.visible_to(user).filter(violation=v)),
            can_investigate=any(t.name == "investigate" for t in steps),
        )
        self.shown(ctx, [article, *ctx["notes"]])  # the banner carries the notes' NOFORN
        return ctx


class VisitDetail(EumDetail):
    model = m.ComplianceVisit
    list_name = "eum:visits"

    def fields(self):
        v = self.object
        return [
            ("Country", v.country),
            ("Held on", v.held_on),
            ("Virtual assessment", "yes" if v.virtual else "no, in country"),
            ("Assessment team", v.team or "—"),
            ("Findings", v.findings or "—"),
        ]


class ReportDetail(EumDetail):
    model = m.RoutineReport
    list_name = "eum:reports"

    def fields(self):
        r = self.object
        return [
            ("Country", r.country),
            ("Quarter ended", r.period_end),
            ("Submitted", r.submitted_on),
            ("Reported by", related(r, "owner_org", self.request.user) or "(restricted)"),
            ("Report", r.summary),
        ]


class ReviewDetail(EumDetail):
    model = m.DatabaseReview
    list_name = "eum:reviews"
    act_kind = "review"

    def fields(self):
        r = self.object
        user = self.request.user
        return [
            ("Country", r.country),
            ("Reviewed on", r.reviewed_on),
            ("Reviewer", related(r, "reviewer", user) or "—"),
            ("What was checked", r.checked),
            ("Discrepancies found", r.discrepancies or "none"),
            ("Signed off", f"{r.signed_off_on:%d %b %Y}" if r.signed_off_on else "not yet"),
            ("Signed off by", related(r, "signed_off_by", user) or "—"),
        ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r, user = self.object, self.request.user
        if not r.signed_off_on and r.reviewer_id != user.pk and actions.may_sign_off(user, r):
            ctx["buttons"] = [("sign-off", "Sign the review off", "R-SEC-11")]
        return ctx


class PlanDetail(EumDetail):
    model = m.ControlPlan
    list_name = "eum:plans"
    act_kind = "plan"

    def fields(self):
        p = self.object
        rows = [("Country", p.country)]
        rows += [
            (label, getattr(p, name) or "— not yet written —")
            for name, label in rules.CONTROL_PLAN_ELEMENTS.items()
        ]
        rows.append(("Approved", f"{p.approved_on:%d %b %Y}" if p.approved_on else "not yet"))
        return rows

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = self.object, self.request.user
        if ctx["can_edit"]:
            ctx["edit_url"] = reverse("eum:plan-edit", args=[p.pk])
        if not p.approved_on and access.holds_role(
            user, actions.PLAN_APPROVERS, actions._org(p.owner_org_id)
        ):
            ctx["buttons"] = [("approve", "Approve the control plan", "R-EUM-04")]
        return ctx


class RequestDetail(EumDetail):
    model = m.EndUseRequest
    template_name = "eum/request_detail.html"
    list_name = "eum:requests"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r, user = self.object, self.request.user
        article = related(r, "article", user)
        ctx.update(
            article=article,
            rule=rules.rule_of(r.kind),
            may_decide=r.status == "requested" and access.holds_role(user, actions.STATE),
            may_complete=r.status in ("requested", "approved")
            and access.holds_role(user, actions.CLERICAL | actions.PARTNER),
        )
        self.shown(ctx, [article])
        return ctx


class NoticeDetail(EumDetail):
    model = m.MaterielNotice
    template_name = "eum/notice_detail.html"
    list_name = "eum:notices"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        n, user = self.object, self.request.user
        recipients = list(m.NoticeRecipient.objects.visible_to(user).filter(notice=n))
        on_list = {r.country_id for r in recipients}
        may = not n.issued_on and access.holds_role(
            user, actions.NOTICE_ISSUERS, actions._org(n.owner_org_id)
        )
        proposed = actions.proposed_recipients(user, n) if may else {}
        ctx.update(
            recipients=recipients,
            proposed=[
                (c, rules.Interest(reason).label)
                for c, reason in proposed.items()
                if c not in on_list
            ],
            may_change=may,
        )
        self.shown(ctx, recipients)
        return ctx


# --- forms and buttons ---------------------------------------------------------------------------


def _form(request, model, form_class, pk, noun, list_name, create, update=None, **extra):
    return record_form(
        request,
        model,
        form_class,
        pk,
        create=create,
        update=update or (lambda *a, **k: None),
        noun=noun,
        list_name=list_name,
        section=SECTION,
        **extra,
    )


def _article_serials(form, article):
    article._serials = form.cleaned_data.get("serials", "")


@login_required
def article_create(request):
    def create(user, article, reason=""):
        raw = getattr(article, "_serials", "")
        serials = [s for part in raw.splitlines() for s in part.split(",")]
        return actions.register_article(user, article, serials=serials, reason=reason)

    return _form(
        request,
        m.TransferredArticle,
        forms.ArticleForm,
        None,
        "transferred article",
        "eum:articles",
        create,
        prepare=_article_serials,
    )


@login_required
def violation_create(request):
    return _form(
        request,
        m.PossibleViolation,
        forms.ViolationForm,
        None,
        "possible violation",
        "eum:violations",
        actions.open_violation,
        only_if_may_create=False,
    )


@login_required
def visit_create(request):
    return _form(
        request,
        m.ComplianceVisit,
        forms.VisitForm,
        None,
        "compliance assessment visit",
        "eum:visits",
        actions.record_visit,
    )


@login_required
def report_create(request):
    return _form(
        request,
        m.RoutineReport,
        forms.ReportForm,
        None,
        "routine EUM report",
        "eum:reports",
        actions.submit_report,
    )


@login_required
def review_create(request):
    return _form(
        request,
        m.DatabaseReview,
        forms.ReviewForm,
        None,
        "EUM database review",
        "eum:reviews",
        actions.record_review,
    )


@login_required
def plan_edit(request, pk=None):
    return _form(
        request,
        m.ControlPlan,
        forms.PlanForm,
        pk,
        "EUM control plan",
        "eum:plans",
        actions.create_control_plan,
        actions.update_control_plan,
    )


@login_required
def request_create(request):
    return _form(
        request,
        m.EndUseRequest,
        forms.RequestForm,
        None,
        "end-use request",
        "eum:requests",
        actions.request_end_use,
        only_if_may_create=False,
    )


@login_required
def notice_create(request):
    return _form(
        request,
        m.MaterielNotice,
        forms.NoticeForm,
        None,
        "materiel notice",
        "eum:notices",
        actions.create_notice,
    )


def _text(request, name: str) -> str:
    return request.POST.get(name, "")


@login_required
@require_POST
def act(request, kind: str, pk: int, name: str):
    """The step buttons of the record pages: each runs its action; a refusal is shown."""
    user = request.user
    on, reason = posted_date(request, "on"), _text(request, "reason")
    if kind == "violation":
        record = visible_or_404(m.PossibleViolation, user, pk)
        if name not in rules.VIOLATION:
            raise Http404
        call = lambda: actions.violation_step(  # noqa: E731
            user, record, name, on, note=_text(request, "note"), reason=reason
        )
        done = f"{rules.VIOLATION[name].label}: done."
    elif kind == "review" and name == "sign-off":
        record = visible_or_404(m.DatabaseReview, user, pk)
        call = lambda: actions.sign_off_review(user, record, on, reason=reason)  # noqa: E731
        done = "Review signed off."
    elif kind == "plan" and name == "approve":
        record = visible_or_404(m.ControlPlan, user, pk)
        call = lambda: actions.approve_control_plan(user, record, on, reason=reason)  # noqa: E731
        done = "Control plan approved."
    elif kind == "request" and name in ("approve", "refuse"):
        record = visible_or_404(m.EndUseRequest, user, pk)
        call = lambda: actions.decide_end_use(  # noqa: E731
            user, record, name, on, reference=_text(request, "reference"), reason=reason
        )
        done = f"{rules.END_USE[name].label}: done."
    elif kind == "request" and name == "complete":
        record = visible_or_404(m.EndUseRequest, user, pk)
        call = lambda: actions.complete_end_use(  # noqa: E731
            user,
            record,
            on,
            demil_standard=_text(request, "demil_standard"),
            condition_before=_text(request, "condition_before"),
            condition_after=_text(request, "condition_after"),
            serials=_text(request, "serials").split(),
            reason=reason,
        )
        done = "Recorded as carried out."
    elif kind == "notice" and name == "recipient":
        record = visible_or_404(m.MaterielNotice, user, pk)
        recipient = m.NoticeRecipient(
            country_id=_text(request, "country"),
            eligible=request.POST.get("eligible") == "on",
            evidence=_text(request, "evidence"),
        )
        call = lambda: actions.add_recipient(user, record, recipient, reason=reason)  # noqa: E731
        done = "Country added to the notice."
    elif kind == "notice" and name == "issue":
        record = visible_or_404(m.MaterielNotice, user, pk)
        call = lambda: actions.issue_notice(user, record, on, reason=reason)  # noqa: E731
        done = "Notice issued."
    elif kind == "article" and name == "serials":
        record = visible_or_404(m.TransferredArticle, user, pk)
        serials = [s for part in _text(request, "serials").splitlines() for s in part.split(",")]
        call = lambda: actions.add_serials(user, record, serials, reason=reason)  # noqa: E731
        done = "Serials added."
    else:
        raise Http404
    run_action(request, call, done)
    return redirect(record.get_absolute_url())


# --- the inventory checklist (field use) ---------------------------------------------------------


def _checklist_article(request, pk):
    article = visible_or_404(m.TransferredArticle, request.user, pk)
    kinds = [(k.value, k.label) for k in CheckKind if actions.may_check(request.user, article, k)]
    if not kinds:
        raise Http404("You record no check of this article.")
    return article, kinds


@login_required
def checklist(request, pk):
    """The inventory checklist: the expected serials to tick, a field to type or scan serials
    (each scan confirmed against the expected list before it counts), and the check's record."""
    article, kinds = _checklist_article(request, pk)
    user = request.user
    serials = list(
        m.SerialNumber.objects.visible_to(user)
        .filter(
            article=article, status__in=(rules.SerialStatus.ON_HAND, rules.SerialStatus.MISSING)
        )
        .order_by("serial")
    )
    expected = [s.serial for s in serials]
    form = forms.CheckForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        found = (
            request.POST.getlist("present")
            + form.cleaned_data["found"].replace(",", "\n").splitlines()
        )
        try:
            check = actions.record_check(
                user,
                article,
                form.cleaned_data["kind"],
                on=form.cleaned_data["checked_on"],
                checked_by=form.cleaned_data["checked_by"],
                findings=form.cleaned_data["findings"],
                evidence=form.cleaned_data["evidence"],
                found=found,
            )
        except (ValidationError, PermissionDenied) as exc:  # a refusal, shown on the form
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            if check.missing:
                messages.warning(
                    request,
                    f"{len(check.missing)} serial(s) missing: a possible violation is open for each (R-EUM-07).",
                )
            else:
                messages.success(request, "Recorded: every expected serial is accounted for.")
            return redirect(check.get_absolute_url())
    return render(
        request,
        "eum/checklist.html",
        {
            "section": SECTION,
            "object": article,
            "article": article,
            "expected": expected,
            "form": form,
            "page_records": [article, *serials],  # the banner covers the serials listed
            "ticked": set(request.POST.getlist("present")),
        },
    )


@login_required
def checklist_xlsx(request, pk):
    """The checklist as a workbook, for a site without a connection (filled in, then imported)."""
    article, _ = _checklist_article(request, pk)
    serials = list(
        m.SerialNumber.objects.visible_to(request.user)
        .filter(
            article=article, status__in=(rules.SerialStatus.ON_HAND, rules.SerialStatus.MISSING)
        )
        .order_by("serial")
    )
    body, marking = exports.checklist_workbook(article, serials)
    return Report(body, f"inventory-{article.pk}.xlsx", marking).response()


MAX_ERRORS_SHOWN = 30  # the messages ride in the session: a bad file's every row would not fit


@login_required
@require_POST
def checklist_import(request, pk):
    """The filled workbook back: every row valid and the inventory recorded, or nothing, with a
    clear error per bad row."""
    article, kinds = _checklist_article(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose the filled workbook to import.")
        return redirect(reverse("eum:checklist", args=[article.pk]))
    parsed, errors = exports.read_checklist(upload, {k for k, _ in kinds})
    if not errors:
        try:
            check = actions.record_check(request.user, article, found=parsed.pop("found"), **parsed)
        except (ValidationError, PermissionDenied) as exc:
            errors = list(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, f"Imported: {check}.")
            return redirect(check.get_absolute_url())
    for error in errors[:MAX_ERRORS_SHOWN]:
        messages.error(request, error)
    if len(errors) > MAX_ERRORS_SHOWN:
        messages.error(request, f"… and {len(errors) - MAX_ERRORS_SHOWN} more rows to correct.")
    messages.error(request, "Nothing was recorded: correct the rows above and import again.")
    return redirect(reverse("eum:checklist", args=[article.pk]))

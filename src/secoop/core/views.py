"""Core pages: logon with the consent banner, home, organizations, countries, documents, people,
change log. Views are thin: reads through the door, writes through actions."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import PasswordChangeView
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from . import access
from . import actions
from . import clock
from .api_auth import issue_token
from .api_auth import revoke_session_tokens
from .api_auth import revoke_token
from .api_auth import token_state
from .api_plumbing import PASSWORD_MAX_LENGTH
from .api_plumbing import USERNAME_MAX_LENGTH
from .auth import LogonRefused
from .auth import check_logon
from .filters import ChangeLogFilter
from .filters import CountryFilter
from .filters import DocumentFilter
from .filters import NotificationFilter
from .filters import OrganizationFilter
from .filters import PersonFilter
from .forms import DocumentForm
from .forms import OrganizationForm
from .forms import ReasonForm
from .forms import uswds_widgets
from .keyset import bounded_count
from .lists import Column
from .lists import RecordListView
from .markings import Marking
from .markings import MarkingError
from .models import ApiToken
from .models import AuditEvent
from .models import ChangeLogEntry
from .models import Country
from .models import Document
from .models import Notification
from .models import Organization
from .models import User
from .models.changelog import AuditEventKind
from .templatetags.secoop import rule_text
from .today import areas_for
from .today import items_for
from .today import recent_work
from .viewkit import attached_file
from .viewkit import may_create
from .viewkit import record_form
from .viewkit import visible_or_404

CONSENT_KEY = "consent_acknowledged"

# --- logon ---------------------------------------------------------------------------------------


def logon(request):
    """R-SEC-08: the notice and consent banner first; the logon form only after it is acknowledged."""
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not request.session.get(CONSENT_KEY):
        if request.method == "POST" and request.POST.get("consent") == "agree":
            request.session[CONSENT_KEY] = True
            actions.audit(AuditEventKind.CONSENT, detail="notice and consent banner acknowledged")
            return redirect(f"{reverse('login')}?next={next_url}" if next_url else reverse("login"))
        return render(
            request,
            "core/consent.html",
            {"banner_text": settings.CONSENT_BANNER_TEXT.split("\n"), "next": next_url},
        )
    error = None
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "")
        password = request.POST.get("password", "")
        if len(username) > USERNAME_MAX_LENGTH or len(password) > PASSWORD_MAX_LENGTH:
            # Issue 10 item 7: no account has such a name; refused before any lookup or audit row.
            error = f"A user name has at most {USERNAME_MAX_LENGTH} characters and a password at most {PASSWORD_MAX_LENGTH}."
            return render(
                request,
                "core/login.html",
                {"error": error, "username": "", "next": next_url},
                status=400,
            )
        try:
            user = check_logon(username, password, channel="web")
        except LogonRefused as exc:
            error = str(exc)
        else:
            login(request, user, backend="secoop.core.auth.LockoutAwareBackend")
            request.session[CONSENT_KEY] = True
            safe_next = (
                next_url if next_url.startswith("/") and not next_url.startswith("//") else ""
            )
            return redirect(safe_next or "home")
    return render(
        request,
        "core/login.html",
        {"error": error, "username": username, "next": next_url},
        status=401 if error else 200,
    )


@require_POST
def logoff(request):
    if request.user.is_authenticated:
        revoked = revoke_session_tokens(request.user, request.session.session_key)
        actions.audit(
            AuditEventKind.LOGOFF,
            user=request.user,
            detail=f"{revoked} API token(s) of the session revoked" if revoked else "",
        )
    logout(request)
    return redirect("login")


# --- home --------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    memberships = list(
        user.memberships.select_related("organization").order_by("organization__name")
    )
    recent = recent_work(user, memberships)
    # Bounded counts (core.keyset): exact up to the lists' limit, then "more than" or the
    # planner's "about N" for a reader seen by clearance alone (issue 15).
    estimate = access.seen_by_clearance_alone(user)
    counts = {
        "documents": bounded_count(Document.objects.visible_to(user), estimate=estimate),
        "organizations": bounded_count(Organization.objects.visible_to(user), estimate=estimate),
    }
    today = items_for(user)
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "today": today,
            "areas": areas_for(user),
            "recent_changes": recent,
            "counts": counts,
            # The banner covers the records the items name or count, too (R-SEC-01).
            "page_records": recent + [i for _, items in today for i in items if i.marking],
        },
    )


# --- organizations -----------------------------------------------------------------------------


class OrganizationList(RecordListView):
    model = Organization
    filterset_class = OrganizationFilter
    select_related = ("parent", "country")
    default_sort = "name"
    create_url_name = "organization-create"
    intro = "The organizations of the security cooperation enterprise, as a tree: DoD, DoS, partners and industry."
    columns = [
        Column("Name", "name", sort="name", link=True),
        Column("Short name", "short_name", sort="short_name"),
        Column("Kind", "get_kind_display", sort="kind"),
        Column("Parent", "parent.short_name"),
        Column("Country", "country.name", sort="country__name"),
        Column("Command", "ccmd", sort="ccmd"),
    ]


def _history(user, obj, limit=100):
    ct = ContentType.objects.get_for_model(obj)
    return list(
        ChangeLogEntry.objects.visible_to(user)
        .filter(
            Q(content_type=ct, object_id=str(obj.pk))
            | Q(related_content_type=ct, related_object_id=str(obj.pk))
        )
        .select_related("content_type")
        .order_by("-at", "-id")[:limit]
    )


def _attached_documents(user, obj):
    ct = ContentType.objects.get_for_model(obj)
    return list(
        Document.objects.visible_to(user)
        .filter(content_type=ct, object_id=str(obj.pk))
        .select_related("owner_org")
    )


class VisibleDetailView(LoginRequiredMixin, DetailView):
    """The page of one record the user may see (404 otherwise), with its related rows joined."""

    select_related: tuple[str, ...] = ()

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        return qs.select_related(*self.select_related) if self.select_related else qs


class CreatingList(RecordListView):
    """A list with a named create button ("Register a transferred article") for those who may
    create such a record (core.viewkit.may_create); the others see the list without it."""

    create_url = ""  # URL name of the create page; none: no button
    create_label = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.create_url and may_create(self.request.user, self.model):
            ctx.update(create_url=reverse(self.create_url), create_label=self.create_label)
        return ctx


TAB_PANEL = "tab-panel"  # the element a tab's content is swapped into (htmx)


class RecordDetailView(VisibleDetailView):
    """Detail page with tabs: overview, related, documents, history.

    Each tab reads only what it shows (issue 15 §4): the history and the attached documents are
    read on their own tab, so a page costs its tab, not every tab. Each tab has its own URL
    (`?tab=`), which renders the whole page; a tab link followed by htmx gets the tab's panel
    alone (with the marking banners, which cover what the tab shows, swapped out of band)."""

    tabs = ("overview", "related", "documents", "history")
    section = None  # the app's Section: its breadcrumb and stylesheets (core.viewkit)
    # A page that weighs dates against the user's today (what is due, late) has it as `today`.
    with_today = False

    def related(self) -> dict:
        return {}

    @property
    def tab(self) -> str:
        asked = self.request.GET.get("tab")
        return asked if asked in self.tabs else self.tabs[0]

    def panel_only(self) -> bool:
        htmx = getattr(self.request, "htmx", None)
        return bool(htmx) and htmx.target == TAB_PANEL

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user, tab = self.object, self.request.user, self.tab
        related = self.related()
        history = _history(user, obj) if tab == "history" else None
        documents = _attached_documents(user, obj) if tab == "documents" else None
        # The banner carries the highest marking of what this tab shows, not of every tab.
        shown = {
            "related": [r for rows in related.values() for r in rows if hasattr(r, "marking")],
            "documents": documents,
            "history": history,
        }.get(tab) or []
        records = [obj, *shown]
        ctx.update(
            tab=tab,
            section=self.section,
            related=related,
            history=history,
            documents=documents,
            page_records=records,
            page_template="core/tab_panel.html" if self.panel_only() else "core/page.html",
            tab_panel=TAB_PANEL,
            can_edit=self.model.objects.editable_by(user).filter(pk=obj.pk).exists(),
        )
        if self.with_today:
            ctx["today"] = clock.today_for(user)
        return ctx

    def shown(self, ctx, head=(), overview=()) -> None:
        """Add to what the page's banner covers the records it names besides its own: `head` on
        every tab, `overview` on the overview tab only. Each was read through the door; a related
        record the user may not see is None (core.related) and is left out."""
        records = [r for r in head if r is not None]
        if ctx["tab"] == "overview":
            records += [r for r in overview if r is not None]
        ctx["page_records"] = ctx["page_records"] + records


class OrganizationDetail(RecordDetailView):
    model = Organization
    template_name = "core/organization_detail.html"

    select_related = ("parent", "country")

    def related(self):
        user = self.request.user
        org = self.object
        return {
            "Sub-organizations": list(
                Organization.objects.visible_to(user).filter(parent=org).select_related("country")
            ),
            "Documents owned": list(Document.objects.visible_to(user).filter(owner_org=org)[:50]),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        members = (
            User.objects.visible_to(self.request.user)
            .filter(memberships__organization=self.object)
            .distinct()
        )
        ctx["members"] = list(members.prefetch_related("memberships"))
        ctx["ancestors"] = list(
            Organization.objects.visible_to(self.request.user)
            .filter(pk__in=self.object.ancestor_ids())
            .order_by("tree_path")
        )
        return ctx


# Core's forms open for every signed-in user; the action refuses one who may not write there.
_edit = partial(record_form, update=actions.update_record, only_if_may_create=False)


@login_required
def organization_edit(request, pk=None):
    create = actions.create_organization
    return _edit(
        request,
        Organization,
        OrganizationForm,
        pk,
        create=create,
        noun="organization",
        list_name="organizations",
    )


# --- countries ---------------------------------------------------------------------------------


class CountryList(RecordListView):
    model = Country
    filterset_class = CountryFilter
    default_sort = "name"
    paginate_by = 100
    intro = "ISO 3166 countries with the geographic combatant command whose area of responsibility holds each."
    columns = [
        Column("Name", "name", sort="name", link=True),
        Column("Alpha-3", "alpha3", sort="alpha3"),
        Column("Alpha-2", "alpha2", sort="alpha2"),
        Column("Combatant command", "ccmd", sort="ccmd"),
    ]


class CountryDetail(VisibleDetailView):
    model = Country
    template_name = "core/country_detail.html"
    slug_field = "alpha3"
    slug_url_kwarg = "alpha3"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        orgs = list(
            Organization.objects.visible_to(user)
            .filter(country=self.object)
            .select_related("parent")
        )
        docs = list(
            Document.objects.visible_to(user)
            .filter(country=self.object)
            .select_related("owner_org")[:50]
        )
        ctx.update(organizations=orgs, documents=docs, page_records=orgs + docs)
        return ctx


# --- documents ---------------------------------------------------------------------------------


class DocumentList(RecordListView):
    model = Document
    filterset_class = DocumentFilter
    select_related = ("owner_org", "country")
    default_sort = "-dated"
    create_url_name = "document-create"
    intro = "Guidance, assessments, agreements and correspondence, each with its marking."
    columns = [
        Column("Title", "title", sort="title", link=True),
        Column("Kind", "get_kind_display", sort="kind"),
        Column("Owner", "owner_org.short_name", sort="owner_org__short_name"),
        Column("Country", "country.name", sort="country__name"),
        Column("Dated", "dated", sort="dated"),
    ]


class DocumentDetail(RecordDetailView):
    model = Document
    template_name = "core/document_detail.html"
    tabs = ("overview", "history")

    select_related = ("owner_org", "country")


@login_required
def document_file(request, pk):
    return attached_file(request, Document, pk)


@login_required
def document_edit(request, pk=None):
    create = actions.create_record
    return _edit(
        request,
        Document,
        DocumentForm,
        pk,
        create=create,
        noun="document",
        list_name="documents",
        multipart=True,
    )


@login_required
def marking_check(request):
    """htmx: read the marking as the user types and say what is wrong, with the rule id."""
    text = request.GET.get("marking", "")
    try:
        marking = actions.check_marking(Marking.parse(text))
    except MarkingError as exc:
        return HttpResponse(
            format_html('<span class="usa-error-message">{}</span>', rule_text(f"R-SEC-01: {exc}"))
        )
    except ValidationError as exc:
        return HttpResponse(
            format_html(
                '<span class="usa-error-message">{}</span>',
                format_html_join(" ", "{}", ((rule_text(m),) for m in exc.messages)),
            )
        )
    return HttpResponse(
        format_html('<span class="secoop-ok">Reads as <strong>{}</strong></span>', marking)
    )


# --- people ------------------------------------------------------------------------------------


class PersonList(RecordListView):
    model = User
    filterset_class = PersonFilter
    default_sort = "username"
    title = "People"
    intro = "Accounts, their organizations and roles."
    columns = [
        Column("Username", "username", sort="username", link=True),
        Column("Name", "col_name", sort="display_name"),
        Column("Audience", "get_audience_display", sort="audience"),
        Column("Citizenship", "citizenship_id", sort="citizenship"),
        Column("Status", "col_status"),
    ]

    def base_queryset(self):
        return User.objects.visible_to(self.request.user)

    def col_name(self, person):
        return str(person) if str(person) != person.username else ""

    def col_status(self, person):
        if person.locked_at:
            return "Locked"
        return "Active" if person.is_active else "Disabled"


class PersonDetail(VisibleDetailView):
    model = User
    template_name = "core/person_detail.html"
    context_object_name = "person"

    select_related = ("citizenship",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        person = self.object
        profile = access.profile_for(self.request.user)
        ctx["memberships"] = list(person.memberships.select_related("organization"))
        ctx["is_admin_view"] = bool(profile and profile.is_administrator)
        # LE staff and foreign nationals do not see U.S. users' clearances and last logons.
        ctx["shows_access_facts"] = access.sees_access_facts(self.request.user, person)
        ctx["may_request_access_change"] = (
            ctx["is_admin_view"] and person.pk != self.request.user.pk
        )
        ctx["sees_access_requests"] = ctx["is_admin_view"] or access.holds_role(
            self.request.user, "security_officer"
        )
        ctx["audit_events"] = list(
            AuditEvent.objects.visible_to(self.request.user).filter(user=person)[:25]
        )
        ctx["reason_form"] = ReasonForm()
        return ctx


@login_required
@require_POST
def person_unlock(request, pk):
    person = visible_or_404(User, request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect("person-detail", pk=pk)
    try:
        actions.unlock_account(request.user, person, reason=form.cleaned_data["reason"])
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("person-detail", pk=pk)
    messages.success(request, f"{person.username} is unlocked; the reason is in the audit log.")
    return redirect("person-detail", pk=pk)


@login_required
def my_account(request):
    return redirect("person-detail", pk=request.user.pk)


class PasswordChange(LoginRequiredMixin, PasswordChangeView):
    """The user changes their own password; AUTH_PASSWORD_VALIDATORS apply (ASD STIG V-222536..
    V-222546: 15 characters, upper, lower, digit, special, none of the last 5, no username)."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("my-account")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        uswds_widgets(form)
        # The validators' help text is a lazy string that asks each of the seven validators again at
        # every read — the widget's aria-describedby, the template's test and its text: four times
        # a page (issue 15). The same text, read once for this form.
        for field in form.fields.values():
            if isinstance(field.help_text, Promise):
                field.help_text = str(field.help_text)
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.audit(
            AuditEventKind.ACCOUNT_CHANGE,
            user=self.request.user,
            actor=self.request.user,
            detail="password changed by its owner",
        )
        messages.success(self.request, "Your password is changed.")
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "page_records": []}


@login_required
def my_tokens(request):
    """Your API tokens: when each was made and last used, whether it still works; revoke any; make
    one for this session (it ends when you log off)."""
    if request.method == "POST":
        if not request.session.session_key:
            request.session.save()
        key, _token = issue_token(request.user, session_key=request.session.session_key)
        messages.success(request, "New API token created. Copy it now: it is shown only once.")
        tokens = list(ApiToken.objects.visible_to(request.user).order_by("-created_at", "-id"))
        return render(
            request,
            "core/my_tokens.html",
            {
                "tokens": _token_rows(tokens),
                "new_key": key,
                "idle_minutes": settings.API_TOKEN_IDLE_MINUTES,
                "page_records": [],
            },
        )
    tokens = list(ApiToken.objects.visible_to(request.user).order_by("-created_at", "-id"))
    return render(
        request,
        "core/my_tokens.html",
        {
            "tokens": _token_rows(tokens),
            "idle_minutes": settings.API_TOKEN_IDLE_MINUTES,
            "page_records": [],
        },
    )


def _token_rows(tokens):
    return [{"token": t, "state": token_state(t)} for t in tokens]


@login_required
@require_POST
def my_token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    revoke_token(request.user, token)
    messages.success(request, f"Token {token.prefix}… is revoked: it no longer works.")
    return redirect("my-tokens")


# --- change log --------------------------------------------------------------------------------


class ChangeLogList(RecordListView):
    model = ChangeLogEntry
    filterset_class = ChangeLogFilter
    select_related = ("content_type",)
    default_sort = "-at"
    title = "Change log"
    intro = "Every change to every record you may see: who, when, what, before and after (R-SEC-04). It cannot be edited."
    template_name = "core/changelog_list.html"
    columns = [
        Column("When", "at", sort="at", link=True),
        Column("Who", "col_who", sort="username"),
        Column("Action", "get_action_display", sort="action"),
        Column("Record", "object_repr"),
        Column("Type", "content_type.name"),
        Column("Reason", "reason"),
    ]

    export_columns = [Column("Changes", "col_changes")]

    def first_cell(self, entry, value):
        from .templatetags.formats import moment

        return format_html(
            '<a href="{}"><time datetime="{}">{}</time></a>',
            entry.get_absolute_url(),
            timezone.localtime(entry.at).isoformat(),
            moment(entry.at),
        )

    def col_who(self, entry):
        return entry.username or "system"

    def col_changes(self, entry):
        """Each changed field as 'field: before → after', only the fields this reader may see
        (the entry came through the door, which knows the reader: core.fields)."""
        return "; ".join(
            f"{field}: {after}" if entry.action == "create" else f"{field}: {before} → {after}"
            for field, before, after in entry.changed_fields
        )


class ChangeLogDetail(VisibleDetailView):
    model = ChangeLogEntry
    template_name = "core/changelog_detail.html"
    context_object_name = "entry"

    select_related = ("content_type",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_records"] = [self.object]
        return ctx


# --- notifications -----------------------------------------------------------------------------


class NotificationList(RecordListView):
    model = Notification
    filterset_class = NotificationFilter
    select_related = ("recipient_org", "sent_by", "acknowledged_by")
    default_sort = "-created_at"
    title = "Notifications"
    intro = "What actions told your organizations: each links to where you act on it. Acknowledge it once dealt with."
    columns = [
        Column("Subject", "subject", sort="subject", link=True),
        Column("Rule", "rule", sort="rule"),
        Column("To", "recipient_org.short_name", sort="recipient_org__short_name"),
        Column("From", "col_sender"),
        Column("Sent", "created_at", sort="created_at"),
        Column("Acknowledged", "acknowledged_at", sort="acknowledged_at"),
    ]

    def col_sender(self, note) -> str:
        return note.sent_by.username if access.shows_person(self.request.user, note.sent_by) else ""


class NotificationDetail(RecordDetailView):
    model = Notification
    template_name = "core/notification_detail.html"
    tabs = ("overview", "history")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, note = self.request.user, self.object
        ctx["sender"] = note.sent_by if access.shows_person(user, note.sent_by) else None
        ctx["acknowledger"] = (
            note.acknowledged_by if access.shows_person(user, note.acknowledged_by) else None
        )
        return ctx

    select_related = ("recipient_org", "sent_by", "acknowledged_by")


@login_required
@require_POST
def notification_acknowledge(request, pk):
    note = visible_or_404(Notification, request.user, pk)
    try:
        actions.acknowledge_notification(request.user, note, reason=request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"Acknowledged: {note.subject}.")
    next_url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(next_url if next_url and safe else note.get_absolute_url())

"""Django admin for administrators. Administration is a role, not a key to every marking: admin
lists read through the door, and saves go through the actions layer so the change log holds."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib import messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from . import actions
from .models import AccessChangeRequest
from .models import AuditEvent
from .models import ChangeLogEntry
from .models import Country
from .models import Document
from .models import LogonAttempt
from .models import Membership
from .models import Organization
from .models import ReferenceFact
from .models import User
from .models.changelog import AuditEventKind
from .related import related


class AdminRefused(Exception):
    """An action refused what the admin form asked; the form's transaction is rolled back."""


def _refusal_text(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class ThroughActions:
    """Admin saves and deletes go through the actions (ARCHITECTURE invariant 2). A refusal rolls
    the whole form back (the admin's own transaction) and comes back as an error message on the
    same form, instead of a 403 page or a half-saved record."""

    @staticmethod
    def _back_on_refusal(view, done: str, request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AdminRefused as exc:
            messages.error(request, f"Nothing was {done}: {exc}")
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        return self._back_on_refusal(super().changeform_view, "saved", request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._back_on_refusal(super().delete_view, "deleted", request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # the change list's bulk delete action
        return self._back_on_refusal(super().changelist_view, "deleted", request, *args, **kwargs)


class MarkedModelAdmin(ThroughActions, admin.ModelAdmin):
    readonly_fields = ("classification", "dissemination", "rel_to")

    def view_on_site(self, obj):
        """The record's own page, where its kind has one (core RecordPage: detail_url)."""
        return obj.get_absolute_url() or None

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def marking(self, obj):
        return obj.marking_text

    # Related marked records shown in the list, by field name: their names are shown only to those
    # who may see them (the door holds for related objects too).
    guarded_related: tuple[str, ...] = ()

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        for field in self.guarded_related:

            def show(obj, field=field):
                record = related(obj, field, request.user)
                if record is not None:
                    return str(record)
                return "(restricted)" if getattr(obj, f"{field}_id", None) else "—"

            show.short_description = field.replace("_org", "").replace("_", " ")
            columns.insert(columns.index(field) if field in columns else len(columns) - 1, show)
            if field in columns:
                columns.remove(field)
        return columns

    def save_model(self, request, obj, form, change):
        try:
            if change:
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                fresh = self.model.objects.editable_by(request.user).get(pk=obj.pk)
                actions.update_record(request.user, fresh, changes, reason="admin")
            elif isinstance(obj, Organization):
                actions.create_organization(request.user, obj, reason="admin")
            else:
                actions.create_record(request.user, obj, reason="admin")
        except (ValidationError, PermissionDenied) as exc:
            raise AdminRefused(_refusal_text(exc)) from exc

    def delete_model(self, request, obj):
        try:
            actions.delete_record(request.user, obj, reason="admin")
        except (ValidationError, PermissionDenied) as exc:
            raise AdminRefused(_refusal_text(exc)) from exc

    def delete_queryset(self, request, queryset):
        try:
            for obj in queryset:
                actions.delete_record(request.user, obj, reason="admin")
        except (ValidationError, PermissionDenied) as exc:
            raise AdminRefused(_refusal_text(exc)) from exc


@admin.register(Organization)
class OrganizationAdmin(MarkedModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "country", "marking")
    guarded_related = ("parent",)
    list_filter = ("kind", "ccmd")
    search_fields = ("name", "short_name")


@admin.register(Document)
class DocumentAdmin(MarkedModelAdmin):
    list_display = ("title", "kind", "owner_org", "country", "marking")
    guarded_related = ("owner_org",)
    list_filter = ("kind",)
    search_fields = ("title",)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("name", "alpha3", "alpha2", "ccmd", "notional")
    list_filter = ("ccmd", "notional")
    search_fields = ("name", "alpha3", "alpha2")


@admin.register(ReferenceFact)
class ReferenceFactAdmin(admin.ModelAdmin):
    list_display = ("key", "label", "value", "unit", "effective_from", "effective_until", "source")
    search_fields = ("key", "label", "source")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actions.audit(AuditEventKind.PRIVILEGED, actor=request.user, detail=f"reference fact {obj}")


class ReadOnlyAdmin(admin.ModelAdmin):
    """The logs cannot be edited through the product (R-SEC-04); the database refuses it too."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "action", "object_repr", "content_type")
    list_filter = ("action",)

    def get_queryset(self, request):
        return ChangeLogEntry.objects.visible_to(request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "username", "actor", "remote_addr", "detail")
    list_filter = ("kind",)

    def get_queryset(self, request):
        return AuditEvent.objects.visible_to(request.user)


@admin.register(LogonAttempt)
class LogonAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "username", "succeeded", "channel", "remote_addr")
    list_filter = ("succeeded", "channel")


class MembershipInline(admin.TabularInline):
    """Roles are granted and revoked through core.actions (audited, never one's own: R-SEC-11);
    UserAdmin.save_formset routes every row there."""

    model = Membership
    extra = 0
    fields = ("organization", "role")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.pk != request.user.pk
            and super().has_add_permission(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.pk != request.user.pk
            and super().has_change_permission(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.pk != request.user.pk
            and super().has_delete_permission(request, obj)
        )


# What a person may read changes only through an access change request (R-SEC-11): the admin
# shows these fields and links to the request page.
ACCESS_FIELDS = (
    "audience",
    "citizenship",
    "clearance",
    "is_le_staff",
    "laa_level",
    "last_investigation_on",
)


class AccountForm(UserChangeForm):
    reason = forms.CharField(
        label="Why (kept in the audit log)",
        required=False,
        help_text="Required to re-enable an account (R-SEC-05).",
    )


@admin.register(User)
class UserAdmin(ThroughActions, DjangoUserAdmin):
    form = AccountForm
    inlines = [MembershipInline]
    list_display = (
        "username",
        "display_name",
        "audience",
        "citizenship",
        "clearance",
        "is_active",
        "locked_at",
    )
    list_filter = ("audience", "is_active", "is_le_staff", "clearance")
    readonly_fields = ("locked_at", "last_login", "date_joined", *ACCESS_FIELDS, "access_change")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            "Access (R-SEC-01, R-SEC-02) — changed only through an access change request (R-SEC-11)",
            {
                "fields": (
                    "display_name",
                    "title",
                    *ACCESS_FIELDS,
                    "access_change",
                    "laa_justification",
                    "locked_at",
                    "disabled_reason",
                    "reason",
                )
            },
        ),
    )

    @admin.display(description="Change clearance, audience, citizenship or LAA")
    def access_change(self, obj):
        if obj is None or obj.pk is None:
            return "Save the account first."
        return format_html(
            '<a href="{}">Request an access change</a> (a security officer approves it; R-SEC-11)',
            reverse("access-request-new", args=[obj.pk]),
        )

    def get_queryset(self, request):
        return User.objects.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            # No one changes their own account's powers (R-SEC-11).
            fields += [
                "is_active",
                "is_staff",
                "is_superuser",
                "groups",
                "user_permissions",
                "laa_justification",
            ]
        return fields

    def save_model(self, request, obj, form, change):
        changed = [f for f in form.changed_data if f not in ACCESS_FIELDS + ("reason",)]
        # Re-enabling is an action (R-SEC-05): it says why and restarts the inactivity clock, or
        # the nightly job disables the account again at once.
        enabling = change and "is_active" in form.changed_data and obj.is_active
        if enabling:
            obj.is_active = False
            changed.remove("is_active")
        super().save_model(request, obj, form, change)
        if enabling:
            try:
                actions.enable_account(
                    request.user, obj, reason=form.cleaned_data.get("reason", "")
                )
            except (ValidationError, PermissionDenied) as exc:
                raise AdminRefused(_refusal_text(exc)) from exc
        actions.audit(
            AuditEventKind.ACCOUNT_CHANGE,
            user=obj,
            actor=request.user,
            detail=f"{'changed' if change else 'created'} in admin: {', '.join(changed) or 'no fields'}",
        )
        messages.info(request, "The change is recorded in the audit log.")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        subject = form.instance
        try:
            for row in formset.forms:
                if not row.has_changed() and row not in formset.deleted_forms:
                    continue
                old = row.instance if row.instance.pk else None
                if old is not None:
                    old = Membership.objects.select_related("organization", "user").get(pk=old.pk)
                if row in formset.deleted_forms:
                    if old is not None:
                        actions.revoke_membership(request.user, old, reason="admin")
                    continue
                if old is not None:
                    actions.revoke_membership(request.user, old, reason="admin: changed")
                actions.grant_membership(
                    request.user,
                    subject,
                    row.cleaned_data["organization"],
                    row.cleaned_data["role"],
                )
        except (ValidationError, PermissionDenied) as exc:
            raise AdminRefused(_refusal_text(exc)) from exc
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(AccessChangeRequest)
class AccessChangeRequestAdmin(ReadOnlyAdmin):
    """Requests are made and decided on the access requests page, with their audit events."""

    list_display = ("requested_at", "subject", "requested_by", "status", "decided_by", "decided_at")
    list_filter = ("status",)

    def get_queryset(self, request):
        return AccessChangeRequest.objects.visible_to(request.user).select_related(
            "subject", "requested_by", "decided_by"
        )

"""Django admin for administrators. Administration is a role, not a key to every marking: admin
lists read through the door, and saves go through the actions layer so the change log holds."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError

from . import access, actions
from .models import (
    AuditEvent,
    ChangeLogEntry,
    Country,
    Document,
    LogonAttempt,
    Membership,
    Organization,
    ReferenceFact,
    User,
)
from .models.changelog import AuditEventKind


class MarkedModelAdmin(admin.ModelAdmin):
    readonly_fields = ("classification", "dissemination", "rel_to")

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
                related = getattr(obj, field, None)
                if related is None:
                    return "—"
                return str(related) if access.can_see_record(request.user, related) else "(restricted)"

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
            # The admin has no inline hook for this; say it plainly and keep nothing.
            raise PermissionDenied(" ".join(getattr(exc, "messages", [str(exc)]))) from exc

    def delete_model(self, request, obj):
        actions.delete_record(request.user, obj, reason="admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            actions.delete_record(request.user, obj, reason="admin")


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
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "display_name", "audience", "citizenship", "clearance", "is_active", "locked_at")
    list_filter = ("audience", "is_active", "is_le_staff", "clearance")
    readonly_fields = ("locked_at", "last_login", "date_joined")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            "Access (R-SEC-01, R-SEC-02)",
            {
                "fields": (
                    "display_name", "title", "audience", "citizenship", "clearance", "is_le_staff",
                    "laa_level", "laa_justification", "last_investigation_on", "locked_at", "disabled_reason",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return User.objects.visible_to(request.user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actions.audit(
            AuditEventKind.ACCOUNT_CHANGE, user=obj, actor=request.user,
            detail=f"{'changed' if change else 'created'} in admin: {', '.join(form.changed_data) or 'no fields'}",
        )
        messages.info(request, "The change is recorded in the audit log.")

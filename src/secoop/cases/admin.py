"""Admin for the cases reference data an administrator keeps (SPEC §11): the CTA criteria and
elements, and which ILCO receives each military department's SDRs. The dated figures themselves
are Reference facts (core admin), keys fms-*."""

from __future__ import annotations

from django.contrib import admin

from secoop.core import actions
from secoop.core.models import Organization
from secoop.core.models import OrganizationKind
from secoop.core.models.changelog import AuditEventKind

from .models import CtaCriterion
from .models import CtaElement
from .models import IlcoRouting


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        actions.audit(
            AuditEventKind.PRIVILEGED, actor=request.user, detail=f"{obj._meta.verbose_name} {obj}"
        )

    def delete_model(self, request, obj):
        actions.audit(
            AuditEventKind.PRIVILEGED,
            actor=request.user,
            detail=f"deleted {obj._meta.verbose_name} {obj}",
        )
        super().delete_model(request, obj)


@admin.register(CtaCriterion)
class CtaCriterionAdmin(AuditedAdmin):
    list_display = ("code", "label", "flag", "active", "source")
    list_filter = ("active",)


@admin.register(CtaElement)
class CtaElementAdmin(AuditedAdmin):
    list_display = ("number", "code", "text", "only_when", "active")
    list_filter = ("active",)


@admin.register(IlcoRouting)
class IlcoRoutingAdmin(AuditedAdmin):
    list_display = ("mildep", "ilco", "source")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mildep", "ilco")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("mildep", "ilco"):
            kinds = (
                [OrganizationKind.MILDEP]
                if db_field.name == "mildep"
                else [OrganizationKind.IMPLEMENTING_AGENCY, OrganizationKind.MILDEP]
            )
            kwargs["queryset"] = Organization.objects.visible_to(request.user).filter(
                kind__in=kinds
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_onetoonefield(self, db_field, request, **kwargs):
        return self.formfield_for_foreignkey(db_field, request, **kwargs)

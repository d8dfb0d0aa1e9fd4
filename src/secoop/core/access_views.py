"""Access change requests (R-SEC-11): an administrator asks for a change to what a person may
read; a security officer who is neither the requester nor the subject approves or refuses it.
Views are thin: reads through the door, writes through core.actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from . import access
from . import actions
from . import rules
from .forms import UswdsForm
from .models import AccessChangeRequest
from .models import Country
from .models import User
from .rules import Audience
from .rules import Clearance
from .rules import Role
from .viewkit import visible_or_404


class AccessChangeForm(UswdsForm):
    clearance = forms.TypedChoiceField(choices=Clearance.CHOICES, coerce=int)
    audience = forms.ChoiceField(choices=Audience.CHOICES)
    citizenship = forms.ModelChoiceField(
        queryset=Country.objects.order_by("name"), to_field_name="alpha3"
    )
    is_le_staff = forms.BooleanField(required=False, label="Locally employed staff (R-SEC-02)")
    laa_level = forms.TypedChoiceField(
        choices=Clearance.CHOICES, coerce=int, label="Limited Access Authorization"
    )
    last_investigation_on = forms.DateField(
        required=False,
        label="Last background investigation",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For LE staff: the LAA counts only while the reinvestigation is current.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Job need and the investigation or adjudication reference. Recorded in the audit log with your name.",
        error_messages={"required": "Say why the person needs this access."},
    )


def _changes(form: AccessChangeForm, subject: User) -> dict:
    current = actions.access_facts(subject)
    out = {}
    for name in rules.ACCESS_FIELDS:
        value = form.cleaned_data[name]
        value = value.alpha3 if isinstance(value, Country) else value
        value = value.isoformat() if hasattr(value, "isoformat") else value
        if current[name] != value:
            out[name] = value
    return out


def _is_administrator(user) -> bool:
    profile = access.profile_for(user)
    return bool(profile and profile.is_administrator)


@login_required
def access_request_new(request, pk):
    """The administrator's form: the person's access as it is, and the change asked for."""
    subject = get_object_or_404(
        User.objects.visible_to(request.user).select_related("citizenship"), pk=pk
    )
    if not _is_administrator(request.user):
        raise PermissionDenied(
            "Only an administrator requests an access change; a security officer decides it (R-SEC-11)."
        )
    if subject.pk == request.user.pk:
        raise PermissionDenied(
            "No one changes their own access (R-SEC-11): ask another administrator."
        )
    current = actions.access_facts(subject)
    form = AccessChangeForm(
        request.POST or None, initial={**current, "citizenship": subject.citizenship_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            req = actions.request_access_change(
                request.user, subject, _changes(form, subject), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
                for error in errors:
                    form.add_error(
                        field if field in form.fields else None, " ".join(error.messages)
                    )
        else:
            if req.is_pending:
                messages.success(
                    request,
                    f"Request #{req.pk} waits for a security officer; {subject.username}'s access is unchanged until it is approved.",
                )
            else:
                messages.success(
                    request,
                    f"Request #{req.pk} lowers {subject.username}'s access and took effect at once; it is in the audit log.",
                )
            return redirect("access-requests")
    pending = AccessChangeRequest.objects.visible_to(request.user).filter(
        subject=subject, status__in=rules.ACCESS_CHANGE_WAITING
    )
    return render(
        request,
        "core/access_request_form.html",
        {"form": form, "subject": subject, "pending": list(pending)},
    )


@login_required
def access_requests(request):
    """Pending requests first, then the recent decisions, with who asked and who decided."""
    user = request.user
    if not (_is_administrator(user) or access.holds_role(user, Role.SECURITY_OFFICER)):
        raise PermissionDenied(
            "The access requests are for administrators and security officers (R-SEC-11)."
        )
    rows = AccessChangeRequest.objects.visible_to(user).select_related(
        "subject", "requested_by", "decided_by"
    )
    pending = [r for r in rows.filter(status__in=rules.ACCESS_CHANGE_WAITING)]
    decided = list(rows.exclude(status__in=rules.ACCESS_CHANGE_WAITING)[:50])
    may_decide = access.holds_role(user, Role.SECURITY_OFFICER)
    for r in pending:
        r.can_decide = may_decide and user.pk not in (r.requested_by_id, r.subject_id)
        r.change_lines = _lines(r)
    for r in decided:
        r.change_lines = _lines(r)
    return render(
        request,
        "core/access_requests.html",
        {"pending": pending, "decided": decided, "may_decide": may_decide},
    )


LABELS = {
    "clearance": ("Clearance", dict(Clearance.CHOICES)),
    "laa_level": ("LAA", dict(Clearance.CHOICES)),
    "audience": ("Audience", dict(Audience.CHOICES)),
    "citizenship": ("Citizenship", {}),
    "is_le_staff": ("LE staff", {True: "yes", False: "no"}),
    "last_investigation_on": ("Last investigation", {None: "none"}),
}


def _lines(req: AccessChangeRequest) -> list[str]:
    out = []
    for name, value in sorted(req.changes.items()):
        label, names = LABELS.get(name, (name, {}))
        before = req.before.get(name)
        out.append(f"{label}: {names.get(before, before)} → {names.get(value, value)}")
    return out


def _decide(request, pk, verb: str):
    req = visible_or_404(AccessChangeRequest, request.user, pk)
    note = request.POST.get("note", "")
    try:
        if verb == "approve":
            actions.approve_access_change(request.user, req, note=note)
        else:
            actions.refuse_access_change(request.user, req, note=note)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Request #{req.pk} {'approved and applied' if verb == 'approve' else 'refused'}; recorded in the audit log.",
        )
    return redirect("access-requests")


@login_required
@require_POST
def access_request_approve(request, pk):
    return _decide(request, pk, "approve")


@login_required
@require_POST
def access_request_refuse(request, pk):
    return _decide(request, pk, "refuse")

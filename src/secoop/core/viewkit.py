"""What every app's pages share: the section a page sits in, running an action from a form or a
button, and the one record form page. Apps pass their own actions in; core knows no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.urls import reverse

from . import access
from . import versioning
from .markings import Marking


@dataclass(frozen=True)
class Section:
    """A part of the system (Planning, Cases, Training): the first breadcrumb of its pages and
    the stylesheets they load."""

    title: str
    index: str  # URL name of the section's front page
    stylesheets: tuple[str, ...] = ()


def may_create(user, model) -> bool:
    """Whether the user may create a record of `model` at all: sees the kind (partners never see
    planning, R-SEC-03) and holds a writing role somewhere."""
    return (
        access.visibility_q(model, user) is not None
        and access.edit_scope_q(model, user) is not None
    )


def posted_date(request, name: str):
    """A step button's optional date field `name`: None when it is empty or not a date (the
    action then takes the user's today)."""
    from django import forms

    value = request.POST.get(name) or ""
    if not value:
        return None
    try:
        return forms.DateField().clean(value)
    except ValidationError:
        return None


def visible_or_404(model, user, pk):
    """The record through the door, or 404: a record the user may not see does not exist."""
    obj = model.objects.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def attached_file(request, model, pk, *, what: str = "document"):
    """The file of a record the user may see, as a download (404 when the record is hidden or
    has no file)."""
    record = visible_or_404(model, request.user, pk)
    if not record.file:
        raise Http404(f"This {what} has no file attached.")
    return FileResponse(
        record.file.open("rb"), as_attachment=True, filename=record.file.name.rsplit("/", 1)[-1]
    )


def save_from_form(form, save: Callable):
    """Run `save` (an actions call); put its refusal on the form. Returns the record or None.
    An edit form's loaded version is compared again by the action under its row lock."""
    version = form.loaded_version() if hasattr(form, "loaded_version") else ""
    instance = getattr(form, "instance", None)
    try:
        if version and instance is not None and instance.pk is not None:
            with versioning.expecting(instance, frozenset({version})):
                return save()
        return save()
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "You may not do this.")
    except ValidationError as exc:
        if hasattr(form, "add_action_error"):
            form.add_action_error(exc)
        else:
            for message in exc.messages:
                form.add_error(None, message)
    return None


def flash_refusal(request, exc: Exception) -> None:
    """Show a refusal as messages: each rule and its fix."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or "You may not do this.")


def run_action(request, call: Callable, ok: str, *, forbid: bool = False) -> bool:
    """Run an action from a button; say what was done, or why it was refused. With `forbid`, a
    role the user lacks answers the 403 page instead of a message (a rule's refusal stays one)."""
    try:
        call()
    except PermissionDenied as exc:
        if forbid:
            raise PermissionDenied(str(exc)) from None
        flash_refusal(request, exc)
        return False
    except ValidationError as exc:
        flash_refusal(request, exc)
        return False
    messages.success(request, ok)
    return True


def form_page(
    request,
    form,
    instance,
    title: str,
    cancel_url: str,
    *,
    section: Section | None = None,
    template: str = "core/record_form.html",
    **extra,
):
    return render(
        request,
        template,
        {
            "form": form,
            "object": instance,
            "title": title,
            "cancel_url": cancel_url,
            "section": section,
            # The banner covers the record and the records the form itself shows, if any (an
            # option's costs in a text area: analysis' forms' `shown_records`).
            "page_records": [
                r for r in (instance, *getattr(form, "shown_records", ())) if r is not None
            ],
            **extra,
        },
    )


def record_form(
    request,
    model,
    form_class,
    pk,
    *,
    create: Callable,
    update: Callable,
    noun: str,
    list_name: str,
    section: Section | None = None,
    template: str = "core/record_form.html",
    prepare: Callable | None = None,
    extra: Callable | None = None,
    only_if_may_create: bool = True,
    then: Callable | None = None,
    **page,
):
    """The create/edit page of one record: the form, then `create(user, record, reason=)` or
    `update(user, record, changes, reason=)` from the app's actions. `prepare(form, target)` may
    complete the new record or the changes before the action runs. With `only_if_may_create`, a
    user who may create no such record gets no form (404); without it the action refuses on save.
    `then(user, saved, form, reason)` saves the rows the record carries (an option's costs, a
    scenario's budgets) in the action's transaction: a refusal anywhere saves nothing."""
    user = request.user
    if pk is None and only_if_may_create and not may_create(user, model):
        raise Http404(f"No {noun} form for you.")
    instance = get_object_or_404(model.objects.editable_by(user), pk=pk) if pk else None
    form = form_class(request.POST or None, request.FILES or None, instance=instance, user=user)

    def carrying(save: Callable) -> Callable:
        """`save`, then the rows the record carries (`then`), in one transaction."""
        if then is None:
            return save

        def both():
            with transaction.atomic():
                saved = save()
                then(user, saved, form, reason)
                return saved

        return both

    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if instance is None:
            record = form.save(commit=False)
            record.marking = Marking.parse(form.cleaned_data["marking"])
            if prepare:
                prepare(form, record)
            saved = save_from_form(form, carrying(lambda: create(user, record, reason=reason)))
        else:
            changes = form.changes()
            if prepare:
                changes = prepare(form, changes)
            saved = save_from_form(
                form,
                carrying(
                    lambda: update(
                        user, model.objects.editable_by(user).get(pk=pk), changes, reason=reason
                    )
                ),
            )
        if saved is not None:
            messages.success(request, f"Saved {saved}.")
            return redirect(saved.get_absolute_url())
    cancel = instance.get_absolute_url() if instance else reverse(list_name)
    title = f"Edit {instance}" if instance else f"New {noun}"
    if extra:
        page.update(extra(form))
    return form_page(
        request, form, instance, title, cancel, section=section, template=template, **page
    )


def record_urls(
    prefix: str,
    name: str,
    listing,
    detail,
    edit=None,
    *,
    create=None,
    step=None,
    list_name: str | None = None,
):
    """The pages of a kind of record, named alike in every app: the list (`listing`, named
    `list_name`, by default the prefix: "plans") and the record (`detail`, `<name>-detail`); with `edit`, `<name>-create` and `<name>-edit` (the
    create page is `create` when another view makes new records); with `step`, `<name>-action`,
    the buttons of the record's lifecycle (`<prefix><pk>/<step name>/`)."""
    urls = [path(f"{prefix}", listing.as_view(), name=list_name or prefix.rstrip("/"))]
    if edit or create:
        urls.append(path(f"{prefix}new/", create or edit, name=f"{name}-create"))
    urls.append(path(f"{prefix}<int:pk>/", detail.as_view(), name=f"{name}-detail"))
    if edit:
        urls.append(path(f"{prefix}<int:pk>/edit/", edit, name=f"{name}-edit"))
    if step:
        urls.append(path(f"{prefix}<int:pk>/<slug:name>/", step, name=f"{name}-action"))
    return urls

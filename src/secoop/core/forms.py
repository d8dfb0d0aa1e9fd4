"""Forms. They validate shape; the actions layer validates rules and its errors land inline."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy

from . import versioning
from .door_choices import offered
from .markings import Marking
from .markings import MarkingError
from .models import Document
from .models import Organization


class MarkingFormField(forms.CharField):
    default_error_messages = {
        "required": "A marking is required, e.g. 'UNCLASSIFIED' or 'CUI//REL TO USA, XBN'."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Marking")
        kwargs.setdefault(
            "help_text",
            "Classification and releasability, e.g. CUI//REL TO USA, XBN (R-SEC-01). Trigraphs are ISO 3166 alpha-3.",
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "hx-get": reverse_lazy("marking-check"),
                "hx-trigger": "keyup changed delay:300ms, change",
                "hx-target": "#marking-feedback",
                "hx-swap": "innerHTML",
                "aria-describedby": "marking-feedback id_marking_helptext",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )

    def clean(self, value):
        value = super().clean(value)
        try:
            return str(Marking.parse(value))
        except MarkingError as exc:
            raise ValidationError(str(exc)) from None


def uswds_widgets(form: forms.BaseForm) -> None:
    """Give each widget the U.S. Web Design System class for its kind."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            css = "usa-select"
        elif isinstance(widget, forms.Textarea):
            css = "usa-textarea"
        elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            css = "usa-file-input"
        elif isinstance(widget, forms.CheckboxInput):
            css = "usa-checkbox__input"
        else:
            css = "usa-input"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class UswdsForm(forms.Form):
    """A form that is not a record's (a step button's, a row's, an access change's): its fields
    get the USWDS classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        uswds_widgets(self)


# The hidden field's name: not "version", which some records have as a field of their own.
VERSION_FIELD = versioning.VERSION_FIELD


class StaleEditMixin:
    """Refuse a stale edit (issue 10 item 8): the form carries the version of the record it was
    loaded from; if the record changed since, the form comes back with a message and the fields
    that changed (when you opened it, now, yours). Saving again then applies the user's values
    knowingly: the hidden version moves to the current one."""

    stale_changes: list = []
    stale_by: str = ""

    def add_version_field(self) -> None:
        instance = getattr(self, "instance", None)
        if instance is None or instance.pk is None:
            return
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[VERSION_FIELD] = versioning.form_token(instance)

    def loaded_version(self) -> str:
        """The version of the record the form was loaded from ('' for a new record)."""
        if VERSION_FIELD not in self.fields or not self.is_bound:
            return ""
        return versioning.parse_token(self.data.get(self.add_prefix(VERSION_FIELD), ""))[0]

    def check_not_stale(self) -> None:
        if VERSION_FIELD not in self.fields or not self.is_bound:
            return
        posted = self.data.get(self.add_prefix(VERSION_FIELD), "")
        loaded_version, since = versioning.parse_token(posted)
        if not loaded_version or loaded_version == versioning.version_of(self.instance):
            return
        self.stale_changes, self.stale_by = versioning.changes_since(
            self, since, getattr(self, "user", None)
        )
        self.add_error(None, versioning.STALE_FORM_MESSAGE.format(who=self.stale_by))
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = versioning.form_token(self.instance)
        self.data = data


class MarkedRecordForm(StaleEditMixin, forms.ModelForm):
    marking = MarkingFormField()
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why this change? Kept with the change in the record's history.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        uswds_widgets(self)
        if self.instance and self.instance.pk:
            self.initial.setdefault("marking", self.instance.marking_text)
        else:
            self.initial.setdefault("marking", "CUI")
        self.add_version_field()

    def clean(self):
        cleaned = super().clean()
        self.check_not_stale()
        return cleaned

    def add_action_error(self, exc: ValidationError) -> None:
        """Put an actions-layer error beside the field it names, or at the top of the form."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = (
                    "marking" if field in ("classification", "dissemination", "rel_to") else field
                )
                if target not in self.fields:
                    target = None
                for error in errors:
                    for message in error.messages:
                        self.add_error(target, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)

    def changes(self) -> dict:
        """The changed fields, for actions.update_record."""
        data = {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.cleaned_data and name not in ("reason", VERSION_FIELD)
        }
        return data


# --- choices through the door ----------------------------------------------------------------
# One definition of what a record form's related-record fields offer (R-SEC-01), for every app:
# planning and assessment each had a loop, eum, cases and core set them field by field (issue 11 §4).


class DoorChoicesForm(MarkedRecordForm):
    """A record form whose related-record fields offer what the user may see
    (`core.door_choices.offered`) and whose owner fields offer the organizations the user writes
    for (of `owner_kinds`, when the kind of record says who owns it). A subclass that narrows a
    field further sets its queryset after this one's `__init__`."""

    owner_fields: tuple[str, ...] = ("owner_org",)
    owner_kinds: tuple[str, ...] = ()  # OrganizationKind values; none: any kind
    # The order a field lists its records in, where it is not the model's own.
    offered_order: dict[str, tuple[str, ...]] = {}
    # Fields a record keeps from its creation: not on its edit form.
    dropped_on_edit: tuple[str, ...] = ()

    def owners(self, user) -> QuerySet:
        """The organizations an owner field offers."""
        organizations = Organization.objects.editable_by(user)
        if self.owner_kinds:
            organizations = organizations.filter(kind__in=self.owner_kinds)
        return organizations.order_by("tree_path")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            for name in self.dropped_on_edit:
                self.fields.pop(name, None)
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if name in self.owner_fields:
                field.queryset = self.owners(user)
            else:
                field.queryset = offered(queryset, user)
                if name in self.offered_order:
                    field.queryset = field.queryset.order_by(*self.offered_order[name])


def chosen_records(model, label: str, size: int | None = None) -> forms.ModelMultipleChoiceField:
    """A field that chooses several records of `model` (none required): it offers nothing until
    its form sets the records the user may see (a DoorChoicesForm offers them all)."""
    return forms.ModelMultipleChoiceField(
        queryset=model.objects.none(),
        required=False,
        label=label,
        widget=forms.SelectMultiple(attrs={"size": size}) if size else None,
    )


class OrganizationForm(DoorChoicesForm):
    owner_fields = ()
    offered_order = {"parent": ("tree_path",)}

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "country",
            "ccmd",
            "implementing_agency_code",
            "time_zone",
            "description",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["parent"].required = True


class DocumentForm(DoorChoicesForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "summary", "owner_org", "country", "dated", "file"]
        widgets = {"dated": forms.DateInput(attrs={"type": "date"})}
        labels = {"owner_org": "Owning organization", "dated": "Document date"}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit log with your name.",
        error_messages={
            "required": "Say why (e.g. 'identity confirmed by phone with the SCO chief')."
        },
    )

"""Forms. They validate shape; the actions layer validates rules and its errors land inline."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from . import versioning
from .markings import Marking, MarkingError
from .models import Country, Document, Organization


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


class OrganizationForm(MarkedRecordForm):
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
        self.fields["parent"].queryset = Organization.objects.visible_to(user).order_by("tree_path")
        self.fields["parent"].required = True
        self.fields["country"].queryset = Country.objects.visible_to(user)


class DocumentForm(MarkedRecordForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "summary", "owner_org", "country", "dated", "file"]
        widgets = {"dated": forms.DateInput(attrs={"type": "date"})}
        labels = {"owner_org": "Owning organization", "dated": "Document date"}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["owner_org"].queryset = Organization.objects.editable_by(user).order_by(
            "tree_path"
        )
        self.fields["country"].queryset = Country.objects.visible_to(user)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit log with your name.",
        error_messages={
            "required": "Say why (e.g. 'identity confirmed by phone with the SCO chief')."
        },
    )

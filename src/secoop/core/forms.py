"""Forms. They validate shape; the actions layer validates rules and its errors land inline."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from .markings import Marking, MarkingError
from .models import Country, Document, Organization


class MarkingFormField(forms.CharField):
    default_error_messages = {"required": "A marking is required, e.g. 'UNCLASSIFIED' or 'CUI//REL TO USA, XBN'."}

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


class MarkedRecordForm(forms.ModelForm):
    marking = MarkingFormField()
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
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

    def add_action_error(self, exc: ValidationError) -> None:
        """Put an actions-layer error beside the field it names, or at the top of the form."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = "marking" if field in ("classification", "dissemination", "rel_to") else field
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
        data = {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data and name != "reason"}
        return data


class OrganizationForm(MarkedRecordForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "kind", "parent", "country", "ccmd", "implementing_agency_code", "time_zone", "description"]

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
        self.fields["owner_org"].queryset = Organization.objects.editable_by(user).order_by("tree_path")
        self.fields["country"].queryset = Country.objects.visible_to(user)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit log with your name.",
        error_messages={"required": "Say why (e.g. 'identity confirmed by phone with the SCO chief')."},
    )

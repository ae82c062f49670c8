"""Forms of response times and of problems linked across wards."""

from django import forms

from csphub.accounts.models import Organisation
from csphub.govuk import GovukForm
from csphub.lib.forms import optional_text


class ResponsePeriodForm(GovukForm):
    """The months response times look back over."""

    months = forms.TypedChoiceField(
        label="Issues raised in the last",
        choices=[(m, f"{m} months") for m in (3, 6, 12, 24)],
        coerce=int,
        initial=12,
        error_messages={"invalid_choice": "Choose 3, 6, 12 or 24 months"},
    )

    def months_or_default(self):
        if self.is_valid() and self.cleaned_data.get("months"):
            return self.cleaned_data["months"]
        return 12


class AdoptResponseKPIForm(GovukForm):
    """Adopt a response time as a KPI of the performance register."""

    measure = forms.ChoiceField(
        choices=[
            ("first_action", "Days from raised to first action"),
            ("resolution", "Days from raised to resolution"),
        ]
    )
    organisation = forms.ModelChoiceField(Organisation.objects.none(), required=False)

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partnerships=partnership
        )


class LinkForm(GovukForm):
    """Link an issue with issues on other groups' action logs as one problem."""

    submit_label = "Link them"

    problem = forms.ModelChoiceField(
        None,
        required=False,
        label="Add them to an existing linked problem",
        empty_label="No: a new linked problem",
    )
    title = optional_text(
        "Name of the problem",
        200,
        "For example: street drinking along the high road.",
    )
    description = forms.CharField(
        label="What links them", widget=forms.Textarea, required=False
    )
    issues = forms.ModelMultipleChoiceField(
        None,
        required=False,
        label="Issues to link with it",
        widget=forms.CheckboxSelectMultiple,
        help_text="Open issues on the same theme nearby come first.",
    )

    def __init__(self, issue, candidates, problems, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.fields["issues"].queryset = candidates
        self.fields["issues"].label_from_instance = lambda i: (
            f"{i.title} ({i.body.label}, {i.area_label()})"
        )
        self.fields["problem"].queryset = problems
        if not problems.exists():
            del self.fields["problem"]

    def clean(self):
        data = super().clean()
        problem = data.get("problem")
        if problem is None and not data.get("issues"):
            self.add_error("issues", "Choose at least one other issue to link it with")
        if problem is None and not (data.get("title") or "").strip():
            self.add_error("title", "Enter the name of the problem")
        return data

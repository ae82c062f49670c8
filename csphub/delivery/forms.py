"""Forms of the delivery plan; every one renders through the GOV.UK mixin."""

from django import forms

from csphub.accounts.models import Organisation
from csphub.govuk import GovukForm, GovukModelForm

from . import quarters, services
from .models import Activity, Gap, Milestone, Objective, QuarterlyUpdate, Rag, Risk

DATE = forms.DateInput(attrs={"type": "date"})


class ObjectiveForm(GovukModelForm):
    class Meta:
        model = Objective
        fields = ["title"]


class ActivityForm(GovukModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "kind",
            "owner",
            "organisation",
            "partners",
            "starts",
            "ends",
            "status",
            "depends_on",
        ]
        widgets = {
            "starts": DATE,
            "ends": DATE,
            "partners": forms.CheckboxSelectMultiple,
            "depends_on": forms.CheckboxSelectMultiple,
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(partnerships=partnership)
        self.fields["organisation"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["owner"].queryset = (
            self.fields["owner"]
            .queryset.filter(role_assignments__partnership=partnership)
            .distinct()
        )
        self.fields["depends_on"].queryset = Activity.objects.of(partnership)
        self.fields["depends_on"].required = False
        self.fields["partners"].required = False

    def clean(self):
        data = super().clean()
        if data.get("ends") and data.get("starts") and data["ends"] < data["starts"]:
            self.add_error("ends", "The end must be on or after the start.")
        return data


class MilestoneForm(GovukModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due"]
        widgets = {"due": DATE}


class UpdateForm(GovukModelForm):
    """A quarterly update: a reason is required for amber and red."""

    quarter = forms.ChoiceField(label="Quarter")
    status = forms.ChoiceField(
        label="Status of the activity now", choices=Activity.Status.choices
    )

    class Meta:
        model = QuarterlyUpdate
        fields = [
            "quarter",
            "rag",
            "reason",
            "progress",
            "next_quarter",
            "blockers",
            "status",
        ]
        widgets = {"rag": forms.RadioSelect}
        help_texts = {
            "blockers": "Anything stopping the work that partners must unblock; it"
            " can be escalated to the body that drives the priority in one step.",
        }

    def __init__(self, *args, today, activity, **kwargs):
        super().__init__(*args, **kwargs)
        current = quarters.reporting_quarter(today)
        choices = [current, quarters.previous_quarter(current)]
        self.fields["quarter"].choices = [
            (q.isoformat(), quarters.label(q)) for q in choices
        ]
        self.fields["quarter"].initial = current.isoformat()
        self.fields["rag"].choices = Rag.choices
        self.fields["status"].initial = activity.status

    def clean_quarter(self):
        return quarters.parse(self.cleaned_data["quarter"])

    def clean(self):
        data = super().clean()
        try:
            services.check_rag(data.get("rag"), data.get("reason"))
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data


class SpendImportForm(GovukForm):
    file = forms.FileField(
        label="Spend file (CSV or XLSX)",
        help_text="Columns: organisation, service_area, priority, year (e.g. 2011/12),"
        " amount (pounds, e.g. 195,511 or 1234.56); optionally zone, source,"
        " confidence (actual, budget, estimate). All or nothing.",
    )


class RiskForm(GovukModelForm):
    class Meta:
        model = Risk
        fields = [
            "risk",
            "cause",
            "likelihood",
            "impact",
            "owner",
            "mitigations",
            "review_months",
            "last_reviewed",
        ]
        widgets = {"last_reviewed": DATE}


class GapForm(GovukModelForm):
    class Meta:
        model = Gap
        fields = ["gap", "opportunity", "owner", "review_months", "last_reviewed"]
        widgets = {"last_reviewed": DATE}


class ReviewedForm(GovukForm):
    on = forms.DateField(label="Reviewed on", widget=DATE)

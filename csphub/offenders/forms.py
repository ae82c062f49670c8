"""Forms of the IOM cohort: choices and dates, never free text about a person
(the one text field, a budget's risk decision, says so)."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

from csphub.accounts.models import Organisation
from csphub.govuk import GovukForm, GovukModelForm
from csphub.lib.forms import radio_field

from .models import Allocation, BudgetPilot, Intervention, Need, Referral, Spend

DATE = forms.DateInput(attrs={"type": "date"})


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why are you opening the IOM cohort?",
        help_text="Written to the audit log with every page you open this session,"
        " e.g. 'monthly IOM panel preparation'.",
        max_length=200,
        min_length=5,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_next(self):
        value = self.cleaned_data["next"]
        ok = value.startswith("/offenders/") and url_has_allowed_host_and_scheme(
            value, allowed_hosts=None
        )
        return value if ok else ""


def partner_field(partnership, label, required=True):
    return forms.ModelChoiceField(
        queryset=Organisation.objects.filter(memberships__partnership=partnership),
        label=label,
        required=required,
    )


class ImportForm(GovukForm):
    kind = radio_field(
        "What the file holds",
        [
            ("cohort", "The cohort (reference, stream, selected_on, ...)"),
            ("offences", "Proven offences, the full extract (replaces those held)"),
        ],
    )
    file = forms.FileField(
        label="The case system's CSV export",
        help_text="Never a name, date of birth or address: a file with such a"
        " column is refused whole.",
    )
    dry_run = forms.BooleanField(
        label="Only check the file, store nothing", required=False
    )


class NeedForm(GovukForm):
    stage = forms.ChoiceField(choices=Need.Stage.choices, widget=forms.RadioSelect)
    assessed_on = forms.DateField(label="Assessed on", widget=DATE)

    def __init__(self, *args, pathways, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in pathways:
            self.fields[f"need_{value}"] = radio_field(label, Need.Level.choices)

    def levels(self):
        return {
            name[5:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("need_")
        }


class InterventionForm(GovukModelForm):
    class Meta:
        model = Intervention
        fields = ["pathway", "kind", "provider", "offered_on"]
        widgets = {"offered_on": DATE}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"] = partner_field(partnership, "Providing partner")


class ProgressForm(GovukModelForm):
    class Meta:
        model = Intervention
        fields = ["started_on", "completed_on"]
        widgets = {"started_on": DATE, "completed_on": DATE}

    def clean(self):
        data = super().clean()
        started, completed = data.get("started_on"), data.get("completed_on")
        if completed and not started:
            self.add_error("started_on", "Enter when it started")
        if started and started < self.instance.offered_on:
            self.add_error("started_on", "It cannot start before it was offered")
        if started and completed and completed < started:
            self.add_error("completed_on", "It cannot end before it started")
        return data


class ReferralForm(GovukModelForm):
    class Meta:
        model = Referral
        fields = ["service", "organisation", "referred_on"]
        widgets = {"referred_on": DATE}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = partner_field(
            partnership, "Organisation", required=False
        )


class ResponseForm(GovukModelForm):
    class Meta:
        model = Referral
        fields = ["responded_on"]
        widgets = {"responded_on": DATE}

    def clean_responded_on(self):
        value = self.cleaned_data["responded_on"]
        if value and value < self.instance.referred_on:
            raise forms.ValidationError("The response cannot come before the referral")
        return value


class PilotForm(GovukModelForm):
    fund = forms.DecimalField(label="Fund (£)", min_value=0, decimal_places=2)

    class Meta:
        model = BudgetPilot
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class AllocationForm(GovukModelForm):
    amount = forms.DecimalField(label="Budget (£)", min_value=1, decimal_places=2)
    nominal_code = forms.CharField(label="Nominal's display code", max_length=12)

    class Meta:
        model = Allocation
        fields = ["decided_on", "risk_decision"]
        widgets = {"decided_on": DATE}


class SpendForm(GovukModelForm):
    amount = forms.DecimalField(label="Amount (£)", min_value=0.01, decimal_places=2)

    class Meta:
        model = Spend
        fields = ["spent_on", "pathway"]
        widgets = {"spent_on": DATE}

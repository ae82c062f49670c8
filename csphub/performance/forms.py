"""Forms of the performance pages (GOV.UK markup through csphub.govuk)."""

from django import forms

from csphub.accounts.models import Organisation
from csphub.govuk import GovukForm, GovukModelForm, date_field
from csphub.lib.forms import (
    MonthField,
    checkbox_field,
    radio_field,
    required_messages,
    text_area,
)
from csphub.lib.months import parse_period
from csphub.strategy.models import Priority

from .models import Indicator, Rating

POLICE_UK_CATEGORIES = [
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
]


class IndicatorForm(GovukModelForm):
    crime_categories = checkbox_field(
        "police.uk categories counted (for indicators counted from incidents)",
        [(c, c) for c in POLICE_UK_CATEGORIES],
    )

    class Meta:
        model = Indicator
        fields = [
            "name", "priority", "theme", "source", "status", "description", "unit",
            "improvement", "frequency", "owner", "baseline_value", "baseline_period",
            "baseline_label", "target_value", "target_date", "target_percent",
            "target_years", "target_note", "target_critical", "published",
            "computed_from", "crime_categories",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = required_messages(
            name="Enter the indicator's name",
            source="Choose where the indicator comes from",
        )

    baseline_period = date_field(
        "Baseline date", required=False, help_text="The first day of the period."
    )
    target_date = date_field(
        "Target date",
        required=False,
        help_text="With a baseline, the target is a straight trajectory to this"
        " date. For example, 1 4 2018.",
    )

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.of(partnership)
        self.fields["priority"].empty_label = "None (the MOPAC 7 block)"
        self.fields["source"].choices = [("", "Choose a source")] + [
            c for c in self.fields["source"].choices if c[0]
        ]
        self.fields["owner"].queryset = Organisation.objects.filter(
            partnerships=partnership
        )
        self.fields["owner"].empty_label = "No owner yet"
        created = self.instance.pk is None
        self.submit_label = "Add the indicator" if created else "Save the indicator"

    def clean(self):
        data = super().clean()
        if data.get("computed_from") == Indicator.Computed.CRIME and not data.get(
            "crime_categories"
        ):
            self.add_error(
                "crime_categories", "Choose the police.uk categories it counts."
            )
        if (data.get("target_percent") is None) != (data.get("target_years") is None):
            self.add_error(
                "target_years", "A change target needs both the % and the years."
            )
        if data.get("target_percent") is not None and (
            data.get("baseline_value") is None or data.get("baseline_period") is None
        ):
            self.add_error(
                "baseline_value", "A change target needs a baseline value and date."
            )
        return data


class MeasurementForm(GovukForm):
    period = MonthField(
        label="Period (YYYY-MM)",
        help_text="The month the value is for.",
        parse=parse_period,
    )
    value = forms.FloatField(label="Value")
    note = forms.CharField(
        label="Note",
        help_text="Say why, if this corrects a value.",
        required=False,
        max_length=300,
    )
    submit_label = "Save the value"


class ImportForm(GovukForm):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="Columns: indicator, period (YYYY-MM), value, and optionally note.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Choose a .csv or .xlsx file.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB.")
        return upload


class OpenReviewForm(GovukForm):
    period = MonthField(label="Month to review (YYYY-MM)", parse=parse_period)


class RatingForm(GovukForm):
    rag = radio_field("RAG rating", Rating.Rag.choices)
    commentary = text_area(
        "Commentary",
        4,
        required=False,
        help_text="Needed when the rating is red or amber.",
    )
    board_ask = text_area("What the board is asked to do", 2, required=False)
    override_reason = text_area(
        "Why the group differs from the proposed rating",
        2,
        required=False,
        help_text="Needed only when the rating is not the one proposed.",
    )


class ContextForm(GovukForm):
    note = text_area(
        "Context from business intelligence",
        4,
        help_text="Social needs, demographic trends: what helps the board"
        " read the figures.",
        max_length=4000,
    )
    submit_label = "Save the context"


class BoardReportForm(GovukForm):
    """The performance group's setting of what of a KPI reaches the board."""

    setting = radio_field(
        "When does this KPI go on the board's highlight report?",
        [
            (Indicator.BoardReport.ALWAYS, "Always, every period"),
            (Indicator.BoardReport.EXCEPTIONAL, "Only when it is an exception"),
            (Indicator.BoardReport.NEVER, "Never"),
        ],
        error_messages={
            "required": "Choose when the board sees this KPI",
            "invalid_choice": "Choose when the board sees this KPI",
        },
    )
    reason = text_area(
        "Why the board will not see it",
        3,
        help_text="Needed when the answer is never. For example: the police"
        " review it at their own monthly performance meeting.",
        required=False,
        max_length=500,
    )
    submit_label = "Save the board report setting"

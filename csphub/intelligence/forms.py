"""Forms for loading incident data."""

from django import forms

from csphub.govuk import GovukForm

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class CrimeUploadForm(GovukForm):
    """Upload one data.police.uk street-level CSV file."""

    file = forms.FileField(
        label="Street-level crime file",
        help_text=(
            "A data.police.uk street-level CSV as downloaded, for example"
            " 2018-06-metropolitan-street.csv. One force and month a file."
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError(
                f"{uploaded.name} is not a CSV file: choose the .csv file"
                " from the police.uk download"
            )
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{uploaded.name} is larger than 50 MB: a street-level file for"
                " one force and month is far smaller; check it is the right file"
            )
        return uploaded


def month_choices(months):
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]


def area_choices(partnership, *, lsoas=False):
    """(code, label) of the borough, its zones and wards (and LSOAs)."""
    from csphub.places.models import Area, Zone

    borough = partnership.borough
    choices = [(borough.code, f"{borough.name} (the whole borough)")]
    choices += [
        (f"zone:{slug}", f"{name} zone")
        for slug, name in Zone.objects.filter(partnership=partnership).values_list(
            "slug", "name"
        )
    ]
    choices += [
        (code, f"{name} ward")
        for code, name in Area.objects.wards()
        .filter(parent=borough)
        .order_by("name")
        .values_list("code", "name")
    ]
    if lsoas:
        choices += [
            (code, f"{name} (LSOA)")
            for code, name in Area.objects.lsoas()
            .filter(parent__parent=borough)
            .order_by("name")
            .values_list("code", "name")
        ]
    return choices


class BriefingForm(GovukForm):
    """Prepare a briefing: an area and a month with data."""

    area = forms.ChoiceField(label="Area")
    month = forms.ChoiceField(label="Month", help_text="Months with crime data.")
    cell_size = forms.IntegerField(
        label="Grid cell size, in metres",
        initial=250,
        min_value=50,
        max_value=2000,
        help_text="Hotspots are also found on a grid of square cells this size.",
    )
    local_moran = forms.BooleanField(
        label="Also find clusters and outliers with local Moran's I", required=False
    )

    def __init__(self, partnership, months, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices(partnership)
        self.fields["month"].choices = month_choices(months)


MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
FLAGS = [
    ("", "Any"),
    ("alcohol_related", "Alcohol-related"),
    ("hate_crime", "Hate crime"),
    ("repeat_victim", "Repeat victim"),
]


class IncidentFilterForm(GovukForm):
    """Filter the incident list: area, category, months, flag."""

    area = forms.ChoiceField(label="Area", required=False)
    category = forms.ChoiceField(label="Category", required=False)
    flag = forms.ChoiceField(label="Flag", choices=FLAGS, required=False)

    def __init__(self, partnership, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All of the borough")] + area_choices(
            partnership, lsoas=True
        )
        self.fields["category"].choices = [("", "Any")] + [(c, c) for c in categories]
        for name, label in (("from", "From month"), ("to", "To month")):
            self.fields[name] = forms.RegexField(
                label=label,
                regex=MONTH_PATTERN,
                required=False,
                help_text="For example, 2018-06",
                error_messages={"invalid": f"{label} must be a month like 2018-06"},
            )
        # Set by links from a briefing's map and tables, not typed.
        self.fields["point"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["box"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_point(self):
        return _floats(self.cleaned_data["point"], 2, "point")

    def clean_box(self):
        return _floats(self.cleaned_data["box"], 4, "box")


def _floats(text, n, name):
    if not text:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != n:
        raise forms.ValidationError(f"{name} must be {n} numbers separated by commas")
    return values

"""Forms for loading incident data."""

from django import forms

from csphub.govuk import GovukForm, GovukModelForm
from csphub.lib.digits import is_digits
from csphub.lib.forms import MonthField, checkbox_field, optional_text
from csphub.lib.months import month_key, month_label, parse_month
from csphub.places.models import Area, Zone

from .datasets.parsing import DATE_FORMATS
from .models import DataSet, FlagChange
from .sources import FLAG_SERIES, available_sources, category_names

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
    return [(month_key(m), month_label(m)) for m in months]


def area_choices(partnership, *, lsoas=False):
    """(code, label) of the borough, its zones and wards (and LSOAs)."""
    borough = partnership.borough
    choices = [(borough.code, f"{borough.name} (the whole borough)")]
    choices += [
        (f"zone:{slug}", f"{name} zone")
        for slug, name in Zone.objects.filter(partnership=partnership).values_list(
            "slug", "name"
        )
    ]
    areas = [(Area.objects.wards().filter(parent=borough), "{} ward")]
    if lsoas:
        areas += [(Area.objects.lsoas().filter(parent__parent=borough), "{} (LSOA)")]
    for found, label in areas:
        choices += [
            (code, label.format(name))
            for code, name in found.order_by("name").values_list("code", "name")
        ]
    return choices


class BriefingForm(GovukForm):
    """Prepare a briefing: an area and a month with data."""

    area = forms.ChoiceField(label="Area")
    month = forms.TypedChoiceField(
        label="Month", help_text="Months with crime data.", coerce=parse_month
    )
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

    sources = checkbox_field(
        "Data sets for the trends and counts",
        help_text="Each is named on the briefing. None ticked: police.uk alone.",
    )
    hotspot_sources = checkbox_field(
        "Data sets for the hotspots",
        help_text="None ticked: the same data sets as the trends. Data sets"
        " that record the same incidents (a council ASB log and police.uk's"
        " anti-social behaviour) would count them twice in one hotspot map.",
    )
    hotspot_categories = checkbox_field(
        "Categories for the hotspots",
        help_text="For hotspots of the most harmful crime, tick those"
        " categories. None ticked: every category.",
    )
    harm_weighted = forms.BooleanField(
        label="Weight the hotspots by the partnership's harm weights",
        required=False,
    )

    def __init__(self, partnership, months, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices(partnership)
        self.fields["month"].choices = month_choices(months)
        sources = [(s.key, s.name) for s in available_sources(partnership)]
        self.fields["sources"].choices = sources
        self.fields["sources"].initial = [key for key, _ in sources]
        self.fields["hotspot_sources"].choices = sources
        self.fields["hotspot_categories"].choices = [
            (c, c) for c in [*category_names(partnership), *FLAG_SERIES.values()]
        ]
        if not hasattr(partnership, "harm_index"):
            self.fields[
                "harm_weighted"
            ].help_text = (
                "There are no harm weights yet: load them on the harm weights page."
            )

    def options(self):
        """The briefing options the form chose (for tasks.prepare_briefing)."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "cell_size",
                "local_moran",
                "sources",
                "hotspot_sources",
                "hotspot_categories",
                "harm_weighted",
            )
        }


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
        self.fields["source"] = forms.ChoiceField(
            label="Source",
            required=False,
            choices=[("", "All sources"), ("police_uk", "police.uk")]
            + list(
                DataSet.objects.filter(partnership=partnership)
                .order_by("name")
                .values_list("slug", "name")
            ),
        )
        for name, label in (("from", "From month"), ("to", "To month")):
            self.fields[name] = MonthField(
                label=label,
                required=False,
                help_text="For example, 2018-06",
                message=f"{label} must be a month like 2018-06",
            )
        # Set by links from a briefing's map and tables, not typed.
        self.fields["point"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["box"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["ids"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_point(self):
        return _floats(self.cleaned_data["point"], 2, "point")

    def clean_box(self):
        return _floats(self.cleaned_data["box"], 4, "box")

    def clean_ids(self):
        text = self.cleaned_data["ids"]
        if not text:
            return None
        ids = [v for v in text.split(",") if is_digits(v.strip())]
        if len(ids) != len(text.split(",")) or len(ids) > 500:
            raise forms.ValidationError("ids must be up to 500 whole numbers")
        return [int(v) for v in ids]


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


# Partner data sets ---------------------------------------------------------------

NOT_IN_FILE = ("", "— not in the file —")


class UploadFileField(forms.FileField):
    """A CSV or XLSX file of at most 50 MB."""

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded is None:
            return uploaded
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(
                f"{uploaded.name} is not a CSV or XLSX file: save it from the"
                " spreadsheet as CSV UTF-8 or Excel workbook (.xlsx)"
            )
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"{uploaded.name} is larger than 50 MB")
        return uploaded


class DataSetForm(GovukModelForm):
    """Name a new data set and give a sample file to map its columns from."""

    sample = UploadFileField(
        label="A sample file",
        help_text=(
            "A CSV or XLSX file as the partner sends it. Its column names and"
            " first rows are kept so you can choose the columns on the next page."
        ),
    )

    class Meta:
        model = DataSet
        fields = ["name", "organisation", "description", "encoding", "sheet"]
        labels = {
            "name": "Name",
            "organisation": "Partner organisation that sends the files",
            "encoding": "Text encoding of CSV files",
            "sheet": "Sheet name (XLSX files)",
        }
        help_texts = {
            "name": "For example: Haringey Council ASB log",
            "encoding": "UTF-8 unless the partner saves plain CSV from Excel.",
        }
        widgets = {"encoding": forms.RadioSelect}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership.organisations.order_by(
            "name"
        )
        self.fields["organisation"].empty_label = "Choose an organisation"


class SampleForm(GovukForm):
    """Replace the sample a mapping is made from."""

    sample = UploadFileField(label="A new sample file")


class MappingForm(GovukModelForm):
    """Which column of the partner's file holds what."""

    category_map_text = forms.CharField(
        label="Category map",
        required=False,
        widget=forms.Textarea,
        help_text=(
            "One line per value in the file: value = category, for example"
            " NOI = Noise. Leave empty to keep the file's own categories."
        ),
    )
    date_formats = checkbox_field(
        "How dates are written",
        [(f, example) for f, example in DATE_FORMATS],
        required=True,
        help_text="Tick every way the file writes dates. Date cells in XLSX"
        " files are read as dates whatever is ticked.",
    )

    class Meta:
        model = DataSet
        fields = [
            "name", "description", "encoding", "sheet", "date_column",
            "date_formats",
            "category_column", "fixed_category", "category_map_text",
            "category_map_required", "location_kind", "x_column", "y_column",
            "lsoa_column", "address_column", "reference_column",
            "alcohol_column", "hate_crime_column", "repeat_victim_column",
            "victim_column", "yes_values",
        ]  # fmt: skip
        labels = {
            "date_column": "Date column",
            "category_column": "Category column",
            "fixed_category": "Category of every row (when there is no category"
            " column)",
            "category_map_required": "Reject a file with a value not in the"
            " category map",
            "location_kind": "Where each row is",
            "x_column": "Longitude or easting column",
            "y_column": "Latitude or northing column",
            "lsoa_column": "LSOA code column",
            "address_column": "Address or street column",
            "reference_column": "Reference or ID column",
            "alcohol_column": "Alcohol-related flag column",
            "hate_crime_column": "Hate crime flag column",
            "repeat_victim_column": "Repeat victim flag column",
            "victim_column": "Victim or household reference column",
            "yes_values": "Values that mean yes in a flag column",
            "encoding": "Text encoding of CSV files",
            "sheet": "Sheet name (XLSX files)",
        }
        help_texts = {
            "address_column": "Full postcodes are removed on import.",
            "reference_column": "The partner's own reference: a corrected file"
            " keeps flags recorded here by it.",
            "lsoa_column": "Used first when a row has one; needed when rows"
            " have no coordinates.",
            "victim_column": "Kept only as a keyed code that cannot be read"
            " back: briefings count repeat victims without showing a reference.",
        }
        widgets = {"location_kind": forms.RadioSelect, "encoding": forms.RadioSelect}

    COLUMN_FIELDS = [
        "date_column", "category_column", "x_column", "y_column", "lsoa_column",
        "address_column", "reference_column", "alcohol_column",
        "hate_crime_column", "repeat_victim_column", "victim_column",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [(c, c) for c in self.instance.columns if c]
        for name in self.COLUMN_FIELDS:
            current = getattr(self.instance, name)
            extra = [(current, f"{current} (not in the sample)")]
            known = columns + (
                extra if current and current not in self.instance.columns else []
            )
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label,
                help_text=self.fields[name].help_text,
                required=name == "date_column",
                choices=[NOT_IN_FILE, *known],
            )
        self.fields["category_map_text"].initial = "\n".join(
            f"{k} = {v}" for k, v in self.instance.category_map.items()
        )

    def clean_category_map_text(self):
        mapping = {}
        lines = self.cleaned_data["category_map_text"].splitlines()
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            value, sep, category = line.partition("=")
            if not sep or not value.strip() or not category.strip():
                raise forms.ValidationError(
                    f"Line {n} of the category map, {line.strip()!r}: write it"
                    " as value = category"
                )
            mapping[value.strip()] = category.strip()[:100]
        return mapping

    def clean(self):
        data = super().clean()
        kind = data.get("location_kind")
        if not data.get("category_column") and not data.get("fixed_category"):
            self.add_error(
                "category_column",
                "Choose the category column, or give the category of every row",
            )
        if data.get("category_map_required") and not data.get("category_map_text"):
            self.add_error(
                "category_map_required",
                "There is no category map to check against: write one, or untick",
            )
        if kind == DataSet.LocationKind.LSOA and not data.get("lsoa_column"):
            self.add_error("lsoa_column", "Choose the LSOA code column")
        elif kind and kind != DataSet.LocationKind.LSOA:
            for name in ("x_column", "y_column"):
                if not data.get(name):
                    self.add_error(
                        name, f"Choose the {self.fields[name].label.lower()}"
                    )
        return data

    def save(self, commit=True):
        self.instance.category_map = self.cleaned_data["category_map_text"]
        return super().save(commit=commit)


class DataSetUploadForm(GovukForm):
    """Upload one file of a data set."""

    file = UploadFileField(
        label="File",
        help_text="A CSV or XLSX file laid out like the data set's sample.",
    )


class FlagForm(GovukForm):
    """Record what a partner knows about an incident."""

    flags = checkbox_field(
        "Flags",
        FlagChange.Flag.choices,
        help_text="Tick each that applies; untick one recorded in error.",
    )
    note = optional_text(
        "Why", 500, "For example: reported by the licensing team. No names."
    )


class HarmWeightsForm(GovukForm):
    """Load the partnership's harm weights: a CSV of category and weight."""

    name = forms.CharField(
        label="Name of the weights",
        max_length=200,
        initial="Harm weights",
        help_text="For example, Crime Severity Score weights 2024.",
    )
    source = forms.CharField(
        label="Where the weights come from",
        max_length=500,
        help_text="Shown with the weights on every briefing that uses them. For"
        " example, ONS Crime Severity Score, year ending March 2024, mapped to"
        " our categories by the analyst.",
    )
    file = forms.FileField(
        label="Weights file",
        help_text="A CSV file with a header row and the columns category and"
        " weight: one row a category, weights from 0 up.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError(f"{uploaded.name} is not a CSV file")
        if uploaded.size > 1024 * 1024:
            raise forms.ValidationError(
                f"{uploaded.name} is larger than 1 MB: a weights file has one"
                " row a category"
            )
        return uploaded

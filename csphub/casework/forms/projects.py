"""Forms of problem-solving projects: each SARA section, the baseline, the
assessment after, and the close."""

from django import forms

from csphub.accounts.forms import partner_organisations
from csphub.govuk import GovukForm, GovukModelForm, date_field
from csphub.intelligence.models import Incident
from csphub.lib.forms import checkbox_field, text_area
from csphub.structure.models import Person

from .. import services
from ..models import Project
from .issues import area_choices

PROJECT_SECTIONS = {
    "scanning": ["lead", "problem", "evidence"],
    "analysis": ["causes", "victim", "offender", "place"],
    "response": ["aim", "aim_text", "partners"],
    "assessment": ["assessment"],
}


def project_form(section, partnership, *args, **kwargs):
    """A model form for one SARA section of a project."""

    class SectionForm(GovukModelForm):
        class Meta:
            model = Project
            fields = PROJECT_SECTIONS[section]
            widgets = {
                "partners": forms.CheckboxSelectMultiple,
                **{
                    f: forms.Textarea(attrs={"rows": 4})
                    for f in PROJECT_SECTIONS[section]
                    if f not in {"lead", "aim", "partners"}
                },
            }

        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            if "lead" in self.fields:
                self.fields["lead"].queryset = Person.objects.filter(
                    partnership=partnership
                )
            if "partners" in self.fields:
                self.fields["partners"].queryset = partner_organisations(partnership)

    return SectionForm(*args, **kwargs)


def incident_categories(partnership):
    return list(
        Incident.objects.filter(partnership=partnership)
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


class BaselineForm(GovukForm):
    """A computed baseline (incidents in an area) or an entered measure."""

    measure = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=Project.Measure.choices,
        initial=Project.Measure.INCIDENTS,
    )
    categories = checkbox_field("Incident categories (computed)")
    area = forms.ChoiceField(required=False, label="Area (computed)")
    start = date_field("Period from")
    end = date_field("Period to")
    measure_label = forms.CharField(
        label="What is measured (entered)", required=False, max_length=300
    )
    source = forms.CharField(label="Source (entered)", required=False, max_length=200)
    baseline = forms.FloatField(label="Baseline value (entered)", required=False)
    submit_label = "Set the baseline"

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["categories"].choices = [
            (c, c) for c in incident_categories(partnership)
        ]
        self.fields["area"].choices = area_choices(partnership)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period must end after it starts")
        if data.get("measure") == Project.Measure.INCIDENTS:
            if not data.get("categories"):
                self.add_error("categories", "Choose at least one category")
            place = services.resolve_area(self.partnership, data.get("area") or "")
            data["ward"] = place["ward"] if place else None
            data["zone"] = place["zone"] if place and not place["ward"] else None
        else:
            for name in ("measure_label", "source", "baseline"):
                if data.get(name) in (None, ""):
                    self.add_error(name, f"Enter the {self.fields[name].label.lower()}")
        return data


class AfterForm(GovukForm):
    start = date_field("Period from")
    end = date_field("Period to")
    after = forms.FloatField(
        label="Measure after (entered measures only)", required=False
    )
    control = forms.ChoiceField(
        required=False,
        label="Control area",
        help_text="An area like the target where nothing was done, to compare with.",
    )

    submit_label = "Record the measure after"

    def __init__(self, project, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        partnership = project.issue.partnership
        self.fields["control"].choices = area_choices(partnership, "No control area")
        if project.measure != Project.Measure.INCIDENTS:
            del self.fields["control"]
            self.fields["after"].required = True

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period must end after it starts")
        if "control" in self.fields:
            place = services.resolve_area(
                self.project.issue.partnership, data.get("control") or ""
            )
            data["control"] = (place["ward"] or place["zone"]) if place else None
        return data


class CloseForm(GovukForm):
    note = text_area(
        "The body's approval: who approved the close, and when",
        3,
        "Record the approval",
    )

    submit_label = "Close the project"

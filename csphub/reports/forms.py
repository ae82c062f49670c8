"""Forms: the resident's pages (one question each), staff actions, and the
Community Trigger application."""

import io

from django import forms
from django.core.files.base import ContentFile
from django.utils import timezone

from csphub.accounts.models import Organisation
from csphub.govuk import GovukForm
from csphub.lib.forms import radio_field

from . import gazetteer
from .models import Category, Report, Reporter

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {
    b"\xff\xd8\xff": ("JPEG", "image/jpeg"),
    b"\x89PNG": ("PNG", "image/png"),
}
YES_NO = [("yes", "Yes"), ("no", "No")]


def text(label, max_length, required=False, help_text="", **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"Enter {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


class AreaForm(GovukForm):
    """Which partnership's area the problem is in."""

    partnership = forms.ChoiceField(
        label="Which borough is the problem in?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the borough the problem is in"},
    )

    def __init__(self, partnerships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.slug, p.name) for p in partnerships]


class WhereForm(GovukForm):
    """A street from the gazetteer, a postcode, or a point on the map."""

    street = text(
        "Street name",
        120,
        help_text="The street it happens in, or the nearest one."
        " For example, High Road.",
    )
    choice = forms.ChoiceField(
        label="Which of these streets?", required=False, widget=forms.RadioSelect
    )
    postcode = text("Postcode", 10, help_text="For example, N17 8AB.")
    latitude = forms.FloatField(
        label="Latitude (a point on the map)",
        required=False,
        help_text="If you know it, for example 51.5904.",
        error_messages={"invalid": "Enter the latitude as a number, like 51.5904"},
    )
    longitude = forms.FloatField(
        label="Longitude (a point on the map)",
        required=False,
        help_text="For example, -0.0712.",
        error_messages={"invalid": "Enter the longitude as a number, like -0.0712"},
    )

    def __init__(self, partnership, *args, with_postcode=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.placement = None
        if not with_postcode:
            del self.fields["postcode"]
        matches = gazetteer.streets_named(partnership.borough, self.data.get("street"))
        if len(matches) > 1:
            self.fields["choice"].choices = [
                (str(s.pk), gazetteer.street_label(s)) for s in matches
            ]
        else:
            del self.fields["choice"]
        self.matches = {str(s.pk): s for s in matches}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.placement = self._place(data)
        except (ValueError, gazetteer.OutsideArea) as error:
            raise forms.ValidationError(str(error)) from None
        return data

    def _place(self, data):
        if data.get("latitude") is not None or data.get("longitude") is not None:
            if data.get("latitude") is None or data.get("longitude") is None:
                raise ValueError("Enter both the latitude and the longitude")
            return gazetteer.place_point(
                self.partnership, data["latitude"], data["longitude"]
            )
        if data.get("postcode"):
            return gazetteer.place_postcode(self.partnership, data["postcode"])
        if not data.get("street"):
            raise ValueError("Enter a street name, a postcode or a point on the map")
        if data.get("choice") in self.matches:
            return gazetteer.place_street(
                self.partnership, self.matches[data["choice"]]
            )
        if len(self.matches) == 1:
            return gazetteer.place_street(self.partnership, *self.matches.values())
        if self.matches:
            raise ValueError("Choose which of the streets you mean")
        raise ValueError(f"No street called {data['street']!r} was found in this area")


class WhatForm(GovukForm):
    category = forms.ModelChoiceField(
        Category.objects.all(),
        label="What is happening?",
        widget=forms.RadioSelect,
        to_field_name="code",
        empty_label=None,
        error_messages={
            "required": "Choose what is happening",
            "invalid_choice": "Choose one of the kinds listed",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.name} ({c.get_asb_type_display().lower()} ASB)"
        )


class NowForm(GovukForm):
    happening_now = radio_field(
        "Is it happening now?", YES_NO, "Say whether it is happening now"
    )


class WhenForm(GovukForm):
    incident_date = forms.DateField(
        label="When did it last happen?",
        help_text="As year-month-day, for example 2026-03-31.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date it last happened",
            "invalid": "Enter the date as year-month-day, like 2026-03-31",
        },
    )
    frequency = radio_field(
        "How often does it happen?",
        Reporter.Frequency.choices,
        "Choose how often it happens",
    )

    def clean_incident_date(self):
        day = self.cleaned_data["incident_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "The date it last happened must be today or in the past"
            )
        return day


class InvolvedForm(GovukForm):
    alcohol = forms.BooleanField(label="Alcohol is involved", required=False)
    hate = forms.BooleanField(
        label="I think it is targeted because of who someone is (hate)",
        required=False,
        help_text="Race, religion, disability, sexual orientation or gender identity.",
    )


class DescribeForm(GovukForm):
    description = text(
        "Describe what is happening",
        4000,
        required=True,
        widget=forms.Textarea,
        help_text="What you see or hear, and when. Do not include your own name.",
    )
    photo = forms.FileField(
        label="Add a photo",
        required=False,
        help_text="A JPEG or PNG up to 5 MB. Location details in it are removed.",
    )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return clean_photo(upload)


def clean_photo(upload):
    """(ContentFile, content type) of a re-encoded image, so no EXIF (and no
    location) survives; a clear error for anything too big or not an image."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_PHOTO_BYTES:
        raise forms.ValidationError("The photo must be smaller than 5 MB")
    head = upload.read(4)
    upload.seek(0)
    kind = next((v for k, v in PHOTO_TYPES.items() if head.startswith(k)), None)
    if kind is None:
        raise forms.ValidationError("The photo must be a JPEG or PNG")
    try:
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise forms.ValidationError(
            "The photo could not be read: try another"
        ) from None
    if image.width * image.height > 40_000_000:
        raise forms.ValidationError("The photo is too large in pixels")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # pixels only: EXIF and other metadata are dropped
    if kind[0] == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    out = io.BytesIO()
    clean.save(out, kind[0])
    name = "photo.jpg" if kind[0] == "JPEG" else "photo.png"
    return ContentFile(out.getvalue(), name=name), kind[1]


class ContactForm(GovukForm):
    name = text("Your name", 200)
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="We send updates here.",
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    phone = text("Phone number", 30)
    anonymous = forms.BooleanField(
        label="Do not share my name and contact details with the partners",
        required=False,
        help_text="They are kept to send you updates only.",
    )
    # A honeypot: people never fill it in; form-filling robots do.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in " +()-" for c in phone):
            raise forms.ValidationError("Enter a phone number using digits only")
        return phone


class StatusForm(GovukForm):
    status = forms.ChoiceField(
        choices=[c for c in Report.Status.choices if c[0] != Report.Status.MERGED],
        error_messages={"required": "Choose a status"},
    )
    public_note = text(
        "Update for the residents",
        2000,
        widget=forms.Textarea,
        help_text="They see this on their page and by email.",
    )
    internal_note = text("Note for partners only", 2000, widget=forms.Textarea)
    outcome = text("Outcome", 300, help_text="Needed when closing.")


class RerouteForm(GovukForm):
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(),
        label="Pass it to",
        error_messages={"required": "Choose the partner to pass it to"},
    )
    reason = text("Reason", 1000, required=True, widget=forms.Textarea)

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership.organisations.all()


class MergeForm(GovukForm):
    into = text(
        "Reference of the report to merge this into",
        12,
        required=True,
        help_text="This report's residents move to that one and get its updates.",
    )


class OnBehalfForm(GovukForm):
    """An officer enters a report made by phone or e-mail."""

    channel = radio_field(
        "How was it reported?",
        [(Reporter.Channel.PHONE, "By phone"), (Reporter.Channel.EMAIL, "By e-mail")],
        "Choose how it was reported",
    )
    category = WhatForm.base_fields["category"]
    street = text("Street name", 120, required=True)
    incident_date = WhenForm.base_fields["incident_date"]
    description = DescribeForm.base_fields["description"]
    name = ContactForm.base_fields["name"]
    email = ContactForm.base_fields["email"]
    phone = ContactForm.base_fields["phone"]
    anonymous = ContactForm.base_fields["anonymous"]


class ReopenForm(GovukForm):
    note = text("What is still happening?", 2000, required=True, widget=forms.Textarea)


class SatisfactionForm(GovukForm):
    satisfied = radio_field(
        "Are you satisfied with how your report was dealt with?",
        YES_NO,
        "Choose yes or no",
    )


class ApplyForm(GovukForm):
    """An application for an ASB case review (the Community Trigger)."""

    partnership = AreaForm.base_fields["partnership"]
    name = text("Your name", 200, required=True)
    email = ContactForm.base_fields["email"]
    phone = ContactForm.base_fields["phone"]
    on_behalf_of = text(
        "Applying for someone else? Their name",
        200,
        help_text="A victim may ask someone (a family member, councillor,"
        " MP or advocate) to apply for them.",
    )
    account = text(
        "What has happened, and what you reported",
        6000,
        required=True,
        widget=forms.Textarea,
        help_text="When you reported it, to whom, and what happened after.",
    )

    def __init__(self, partnerships, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(p.slug, p.name) for p in partnerships]

    def clean(self):
        data = super().clean()
        if not (data.get("email") or data.get("phone")) and not self.errors:
            raise forms.ValidationError(
                "Give an email address or phone number so we can reply"
            )
        return data


class DecideForm(GovukForm):
    met = radio_field("Is the threshold met?", YES_NO)
    reason = text("Reason", 2000, required=True, widget=forms.Textarea)


class MeetingForm(GovukForm):
    meeting_on = forms.DateField(
        label="Date of the review meeting",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the date as year-month-day"},
    )
    recommendations = text("The panel's recommendations", 6000, widget=forms.Textarea)


class SubmissionForm(GovukForm):
    text = text(
        "Your organisation's submission", 6000, required=True, widget=forms.Textarea
    )

"""Forms for bodies, terms of reference, seats, changes, reviews and imports."""

from django import forms
from django.utils.text import slugify

from csphub import govuk
from csphub.accounts.forms import partner_organisations
from csphub.accounts.models import Organisation, User
from csphub.govuk import DATE_HINT, DateInput, GovukForm, GovukModelForm
from csphub.lib.forms import cleaned, optional_text, radio_field
from csphub.places.models import Area, Zone
from csphub.strategy.models import Priority

from . import handover, services
from .models import Body, BodyChange, Finding, Seat, TermsOfReference


def date_field(label, required=False, help_text=DATE_HINT):
    return govuk.date_field(label, required=required, help_text=help_text)


class BodyFilterForm(GovukForm):
    """Filter the structure by priority, zone or organisation."""

    priority = forms.ModelChoiceField(
        Priority.objects.none(), required=False, empty_label="Any priority"
    )
    zone = forms.ModelChoiceField(
        Zone.objects.none(), required=False, empty_label="Any zone"
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), required=False, empty_label="Any organisation"
    )

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.of(partnership)
        self.fields["zone"].queryset = Zone.objects.filter(partnership=partnership)
        self.fields["organisation"].queryset = partner_organisations(partnership)

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


class BodyForm(GovukModelForm):
    """A body's details. Status changes go through ChangeForm, on the record."""

    reason = forms.CharField(
        label="Why", help_text="Kept with the change record.", max_length=1000
    )

    class Meta:
        model = Body
        fields = [
            "name",
            "short_name",
            "kind",
            "level",
            "reports_to",
            "priorities",
            "zone",
            "ward",
            "status",
            "status_since",
            "end_date",
            "output_owed",
            "restricted",
        ]
        widgets = {
            "priorities": forms.CheckboxSelectMultiple,
            "status_since": DateInput(),
            "end_date": DateInput(),
        }

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        others = Body.objects.filter(partnership=partnership).order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            del self.fields["status"]
        self.fields["reports_to"].queryset = others
        self.fields["priorities"].queryset = Priority.objects.of(partnership)
        self.fields["zone"].queryset = Zone.objects.filter(partnership=partnership)
        self.fields["ward"].queryset = Area.objects.wards().filter(
            parent_id=partnership.borough_id
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        slug = slugify(name)[:80]
        clash = Body.objects.filter(partnership=self.partnership, slug=slug)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if not slug or clash.exists():
            raise forms.ValidationError(
                f"A body called {name!r} already exists: choose another name"
            )
        return name

    def clean(self):
        data = super().clean()
        parent = data.get("reports_to")
        if parent and self.instance.pk and services.would_cycle(self.instance, parent):
            self.add_error(
                "reports_to",
                f"{parent} already reports, directly or through others, to this"
                " body: choose a body above it",
            )
        if data.get("kind") == Body.Kind.TASK_AND_FINISH and not data.get("end_date"):
            self.add_error("end_date", "A task-and-finish group needs an end date")
        return data


class TermsForm(GovukModelForm):
    """A new version of a body's terms of reference."""

    class Meta:
        model = TermsOfReference
        fields = [*services.TERMS_FIELDS, "change_note"]
        labels = {"change_note": "What changed, and why"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_note"].required = True
        self.fields["meeting_minutes"].error_messages["invalid"] = (
            "Enter the meeting length as a whole number of minutes"
        )


class SeatForm(GovukForm):
    """A seat on a body, for a user or a named person without an account."""

    person_name = optional_text(
        "Person", 200, "Their name or post. Leave blank to use the account's name."
    )
    user = forms.ModelChoiceField(
        User.objects.none(),
        required=False,
        label="Account",
        empty_label="No account",
        help_text="If they have a CSP Hub account.",
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(),
        required=False,
        help_text="Needed when they have no account; else the account's.",
    )
    role = forms.ChoiceField(choices=Seat.Role.choices, initial=Seat.Role.MEMBER)
    attendance = forms.ChoiceField(
        choices=Seat.Attendance.choices, initial=Seat.Attendance.ALWAYS
    )
    started = date_field("Start date")

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(role_assignments__partnership=partnership)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["organisation"].queryset = partner_organisations(partnership)

    def clean(self):
        data = super().clean()
        user = data.get("user")
        if not data.get("person_name"):
            if user is None:
                self.add_error(
                    "person_name",
                    "Enter the person's name or post, or choose an account",
                )
            else:
                data["person_name"] = str(user)
        if user is None and not data.get("organisation"):
            self.add_error("organisation", "Choose the organisation they sit for")
        return data


class ChangeForm(GovukForm):
    """Set up, pause, resume, merge or discontinue a body, with why and who
    decided; merging or discontinuing hands each open item to a receiving
    body, or closes it on purpose."""

    kind = radio_field(
        "Change",
        [
            (k, label)
            for k, label in BodyChange.Kind.choices
            if k in services.STATUS_OF_CHANGE
        ],
    )
    on = date_field("Date", required=True)
    reason = forms.CharField(label="Why", widget=forms.Textarea, max_length=2000)
    authorised_by = optional_text(
        "Decision that authorised it",
        300,
        "For example: CSP Board, 12 March 2024, item 5.",
    )
    merged_into = forms.ModelChoiceField(
        Body.objects.none(), required=False, label="Merged into (for a merger)"
    )

    def __init__(self, body, *args, open_work=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.open_work = list(open_work)
        receivers = (
            Body.objects.filter(partnership=body.partnership)
            .current()
            .exclude(pk=body.pk)
            .order_by("name")
        )
        self.fields["merged_into"].queryset = receivers
        if not self.open_work:
            return
        self.receivers = {str(b.pk): b for b in receivers}
        self.fields["hand_all_to"] = forms.ModelChoiceField(
            receivers,
            required=False,
            label="Hand its open work to",
            empty_label="Choose a body",
            help_text=f"{body.name} holds {len(self.open_work)} open item"
            f"{'s' if len(self.open_work) != 1 else ''}, listed below. When it is"
            " merged or discontinued, each goes to this body unless you choose"
            " otherwise for it. For a merger, the body it merges into is used"
            " if you leave this blank.",
        )
        choices = [
            ("", "As chosen above"),
            (handover.CLOSE, "Close it: no longer needed"),
        ] + [(pk, b.name) for pk, b in self.receivers.items()]
        for item in self.open_work:
            self.fields[self.field_name(item)] = forms.ChoiceField(
                label=f"{item.kind}: {item.title}",
                help_text=item.detail,
                choices=choices,
                required=False,
            )

    @staticmethod
    def field_name(item):
        return "handover_" + item.key.replace(":", "_")

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == BodyChange.Kind.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", "Choose the body it was merged into")
        if kind in services.CLOSING and self.open_work:
            default = data.get("hand_all_to") or data.get("merged_into")
            decisions = {}
            for item in self.open_work:
                name = self.field_name(item)
                choice = data.get(name, "")
                if choice == handover.CLOSE:
                    decisions[item.key] = None
                elif choice:
                    decisions[item.key] = self.receivers[choice]
                elif default is not None:
                    decisions[item.key] = default
                else:
                    self.add_error(
                        name,
                        "Choose the body that takes this over, or close it",
                    )
            if len(decisions) < len(self.open_work) and "hand_all_to" in self.fields:
                self.add_error(
                    "hand_all_to",
                    "Choose the body that takes over its open work, or a body"
                    " for each item below",
                )
            data["hand_over"] = decisions
        return data

    def change(self):
        """The keyword arguments of services.change_status."""
        names = ["kind", "on", "reason", "authorised_by", "merged_into", "hand_over"]
        return cleaned(self, names)


class MetForm(GovukForm):
    """The date a body last met (until the meetings app records meetings)."""

    on = date_field("Date it met", required=True)


class DecideForm(GovukForm):
    """Accept or dismiss a review finding."""

    state = radio_field(
        "Decision",
        [(Finding.State.ACCEPTED, "Accept"), (Finding.State.DISMISSED, "Dismiss")],
    )
    reason = forms.CharField(label="Reason", max_length=2000, widget=forms.Textarea)


class RecordReviewForm(GovukForm):
    """Keep today's review as a dated record."""

    note = optional_text(
        "Note", 300, "For example: the 3-month review after the restructure."
    )


class ImportForm(GovukForm):
    """Upload bodies or seats as CSV."""

    what = radio_field(
        "What the file holds",
        [("bodies", "Bodies"), ("seats", "Seats (memberships)")],
    )
    file = forms.FileField(label="CSV file")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError(f"{uploaded.name} is not a CSV file")
        if uploaded.size > 5 * 1024 * 1024:
            raise forms.ValidationError(f"{uploaded.name} is larger than 5 MB")
        return uploaded

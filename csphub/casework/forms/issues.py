"""Forms of issues and their actions: raising, filtering, updating, acting,
escalating, answering, tasking, reporting, and the digest settings."""

from django import forms
from django.utils import timezone

from csphub.accounts.forms import partner_organisations
from csphub.accounts.models import Organisation, Role
from csphub.govuk import GovukForm, GovukModelForm, date_field
from csphub.lib.digits import is_digits
from csphub.lib.forms import cleaned, radio_field, required_messages, text_area
from csphub.places.models import Area, Zone
from csphub.strategy.models import Priority
from csphub.structure.models import Body, Person

from .. import services
from ..models import Action, DigestSetting, Escalation, Issue, Tasking, Theme


def area_choices(partnership, blank="Borough-wide"):
    """Zones (by slug) and wards (by ONS code), for one select."""
    zones = Zone.objects.filter(partnership=partnership).order_by("name")
    wards = Area.objects.wards().filter(parent_id=partnership.borough_id)
    return [
        ("", blank),
        ("Zones", [(z.slug, f"{z.name} zone") for z in zones]),
        ("Wards", [(w.code, f"{w.name} ward") for w in wards.order_by("name")]),
    ]


def body_choices(partnership, user, is_admin):
    return (
        Body.objects.filter(partnership=partnership)
        .current()
        .visible_to(user, is_admin=is_admin)
        .order_by("name")
    )


# The fields an issue form gives the service under their own names; the
# briefing and the place are renamed for the model.
ISSUE_FIELDS = [
    "title",
    "description",
    "theme",
    "priority",
    "location",
    "origin",
    "origin_detail",
    "restricted",
]


class IssueForm(GovukForm):
    """Raise an issue on a body's action log."""

    body = forms.ModelChoiceField(
        Body.objects.none(),
        label="Whose action log",
        help_text="The body that will own it: usually the ward's ABW group.",
        error_messages={
            "required": "Choose the body whose action log it goes on",
            "invalid_choice": "Choose one of this partnership's bodies",
        },
    )
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a title"}
    )
    description = forms.CharField(widget=forms.Textarea, required=False)
    theme = forms.ChoiceField(
        choices=[("", "Choose a theme"), *Theme.choices],
        error_messages={"required": "Choose a theme"},
    )
    priority = forms.ModelChoiceField(
        Priority.objects.none(), required=False, label="Partnership priority"
    )
    area = forms.ChoiceField(label="Area", required=False)
    lsoa = forms.CharField(
        label="LSOA code",
        required=False,
        max_length=9,
        help_text="Where the problem is narrower than a ward, for example E01001937.",
    )
    location = forms.CharField(
        label="Place", required=False, max_length=200, help_text="A street or site."
    )
    origin = forms.ChoiceField(choices=Issue.Origin.choices, label="Where it came from")
    origin_detail = forms.CharField(
        label="Details of where it came from", required=False, max_length=200
    )
    briefing = forms.IntegerField(required=False, widget=forms.HiddenInput)
    restricted = forms.BooleanField(
        required=False,
        label="Restricted to the members of the body",
        help_text="For issues naming individuals or holding intelligence.",
    )
    not_duplicate = forms.BooleanField(
        required=False,
        label="None of the open issues listed is this problem",
    )

    def __init__(self, request, *args, similar=False, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = request.partnership
        self.partnership = partnership
        self.fields["body"].queryset = body_choices(
            partnership, request.user, Role.ADMIN in request.roles
        )
        self.fields["priority"].queryset = Priority.objects.of(partnership)
        self.fields["area"].choices = area_choices(partnership)
        slug = request.GET.get("body", "")  # raised from a body's own page
        if not self.is_bound and slug and "body" not in self.initial:
            found = (
                self.fields["body"]
                .queryset.filter(slug=slug)
                .values("pk", "ward__code", "zone__slug")
                .first()
                or {}
            )
            self.initial["body"] = found.get("pk")
            # The body's own place: a ward group's ward, a zone group's zone.
            if "area" not in self.initial:
                self.initial["area"] = found.get("ward__code") or found.get(
                    "zone__slug"
                )
        if not similar:
            del self.fields["not_duplicate"]

    def clean_lsoa(self):
        code = self.cleaned_data["lsoa"].strip().upper()
        if not code:
            return None
        found = services.resolve_area(self.partnership, code)
        if not found or found["lsoa"] is None:
            raise forms.ValidationError(f"{code} is not an LSOA in this borough")
        return found

    def clean(self):
        data = super().clean()
        place = services.resolve_area(self.partnership, data.get("area") or "")
        lsoa = data.get("lsoa")
        if lsoa:
            if place and place["ward"] and place["ward"] != lsoa["ward"]:
                self.add_error("lsoa", "That LSOA is not in the ward chosen")
            place = lsoa
        data["place"] = place or {"zone": None, "ward": None, "lsoa": None}
        return data

    def issue_fields(self):
        data = self.cleaned_data
        return {
            **cleaned(self, ISSUE_FIELDS),
            "briefing_id": data.get("briefing"),
            **data["place"],
        }


STATUS_CHOICES = [("", "Any status"), ("live", "Not resolved or closed")]
FLAG_CHOICES = [
    ("", "Any"),
    ("red", "Red: blocked or overdue"),
    ("amber", "Amber: escalated or stalled"),
    ("blocked", "Blocked"),
    ("escalated", "Escalated"),
    ("overdue", "With overdue actions"),
    ("stalled", "Stalled"),
]


class FilterForm(GovukForm):
    """Filter issues by area, theme, organisation, status and flag."""

    area = forms.ChoiceField(required=False)
    theme = forms.ChoiceField(
        choices=[("", "Any theme"), *Theme.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), required=False, empty_label="Any organisation"
    )
    status = forms.ChoiceField(
        choices=STATUS_CHOICES + Issue.Status.choices, required=False
    )
    flag = forms.ChoiceField(choices=FLAG_CHOICES, required=False)
    stalled_days = forms.IntegerField(
        label="Stalled after (days without an update)",
        min_value=1,
        max_value=365,
        required=False,
    )

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["area"].choices = area_choices(partnership, "Any area")
        self.fields["organisation"].queryset = partner_organisations(partnership)

    def filters(self):
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        place = services.resolve_area(self.partnership, data.pop("area") or "")
        if place:
            data["zone"], data["ward"] = place["zone"], place["ward"]
        return {k: v for k, v in data.items() if v not in (None, "")}


class UpdateForm(GovukForm):
    submit_label = "Record the update"
    note = text_area("Update", 3, "Enter the update")
    status = forms.ChoiceField(
        choices=[
            (Issue.Status.OPEN, "Open"),
            (Issue.Status.IN_HAND, "In hand"),
            (Issue.Status.BLOCKED, "Blocked"),
            (Issue.Status.RESOLVED, "Resolved"),
            (Issue.Status.CLOSED, "Closed"),
        ],
        label="Status after this update",
    )


class ActionForm(GovukModelForm):
    """An action on an issue; the organisation is the owner's unless chosen."""

    submit_label = "Add the action"
    due = date_field("Due date")

    class Meta:
        model = Action
        fields = ["title", "owner", "organisation", "due"]
        labels = {
            "title": "What will be done",
            "owner": "Owner",
            "organisation": "Organisation that will do it",
        }
        help_texts = {"organisation": "Leave blank for the owner's organisation."}
        error_messages = required_messages(
            title="Say what will be done", owner="Choose the person who owns it"
        )

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(
            partnership=partnership
        ).select_related("organisation")
        self.fields["organisation"].queryset = partner_organisations(partnership)
        self.fields["organisation"].required = False

    def clean(self):
        data = super().clean()
        owner = data.get("owner")
        if owner and not data.get("organisation"):
            if owner.organisation_id is None:
                self.add_error(
                    "organisation", "Choose the organisation that will do this"
                )
            else:
                data["organisation"] = owner.organisation
        return data


class ActionUpdateForm(GovukForm):
    note = text_area("Update", 3, "Enter the update")
    status = forms.ChoiceField(choices=Action.Status.choices)
    due = date_field("New due date", required=False, help_text="Only if it moves.")
    # The action's edit_version() when the form was shown (see update_action).
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    submit_label = "Record the update"


class EscalateForm(GovukModelForm):
    needed_by = date_field("Answer needed by")

    class Meta:
        model = Escalation
        fields = ["action", "tried", "asked", "needed_by"]
        labels = {"action": "Which action is blocked"}
        error_messages = required_messages(
            tried="Say what has been tried", asked="Say what is asked for"
        )

    def __init__(self, issue, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = issue.actions.live()
        self.fields["action"].required = False
        self.fields["action"].empty_label = "The issue as a whole"
        upper = issue.body.reports_to
        self.submit_label = f"Escalate to {upper.label}" if upper else "Escalate"

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        if needed_by < timezone.localdate():
            raise forms.ValidationError(
                "The answer needed by date must be today or in the future"
            )
        return needed_by


def recipient_choices(from_body, partnership):
    below = [b for b in services.bodies_below(from_body) if b.pk != from_body.pk]
    orgs = Organisation.objects.filter(partnerships=partnership).order_by("name")
    return [
        ("", "Choose who"),
        ("Bodies below", [(f"body:{b.pk}", b.name) for b in below]),
        ("Partner organisations", [(f"org:{o.pk}", o.name) for o in orgs]),
    ]


def recipient(value, partnership):
    kind, _, pk = (value or "").partition(":")
    if not is_digits(pk):
        return None
    if kind == "body":
        return Body.objects.filter(partnership=partnership, pk=pk).first()
    return Organisation.objects.filter(partnerships=partnership, pk=pk).first()


class AnswerForm(GovukForm):
    submit_label = "Send the answer"
    decision = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            (Escalation.State.ACCEPTED, "Accept: this body takes ownership"),
            (Escalation.State.TASKED, "Accept and task a body below or a partner"),
            (Escalation.State.RETURNED, "Return it with advice"),
            (Escalation.State.FURTHER, "Escalate it further up"),
        ],
        error_messages={"required": "Choose an answer"},
    )
    answer = text_area(
        "Why, and what happens next", 3, "Say why, and what happens next"
    )
    task_to = forms.ChoiceField(
        label="Task (when tasking)",
        required=False,
        error_messages={"invalid_choice": "Choose a body below or a partner"},
    )
    expects = text_area("What is expected back (when tasking)", 2, required=False)
    due = date_field("Report back by (when tasking)", required=False)

    def __init__(self, escalation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.escalation = escalation
        self.fields["task_to"].choices = recipient_choices(
            escalation.to_body, escalation.to_body.partnership
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Escalation.State.TASKED:
            data["task_to"] = recipient(
                data.get("task_to"), self.escalation.to_body.partnership
            )
            if data["task_to"] is None:
                self.add_error("task_to", "Choose who to task")
            if not data.get("due"):
                self.add_error("due", "Enter when to report back by")
        else:
            data["task_to"] = None
        if data.get("decision") == Escalation.State.FURTHER and not (
            self.escalation.to_body.reports_to_id
        ):
            self.add_error("decision", f"{self.escalation.to_body} reports to no body")
        return data


class TaskForm(GovukForm):
    submit_label = "Send the tasking"
    to = forms.ChoiceField(
        label="Task",
        error_messages={
            "required": "Choose who to task",
            "invalid_choice": "Choose a body below or a partner",
        },
    )
    kind = radio_field("What kind", Tasking.Kind.choices, initial=Tasking.Kind.TASK)
    expects = text_area("What is expected back", 3, "Say what is expected back")
    due = date_field("Report back by")

    def __init__(self, from_body, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_body = from_body
        self.fields["to"].choices = recipient_choices(from_body, from_body.partnership)

    def clean_to(self):
        found = recipient(self.cleaned_data["to"], self.from_body.partnership)
        if found is None:
            raise forms.ValidationError("Choose a body below or a partner")
        return found


class ReportForm(GovukForm):
    submit_label = "Report back"
    report = text_area("What was done, and the outcome", 4, "Say what was done")


class DigestForm(GovukModelForm):
    class Meta:
        model = DigestSetting
        fields = [
            "enabled",
            "due_within_days",
            "include_escalations",
            "include_taskings",
        ]

    submit_label = "Save my e-mail settings"

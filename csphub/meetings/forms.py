"""Forms for meetings, attendance, proposals, items, papers, homework,
decisions, communications, report-backs and minutes."""

from django import forms

from csphub.accounts.forms import partner_organisations
from csphub.casework.forms import ActionForm
from csphub.casework.models import Escalation
from csphub.govuk import GovukForm, GovukModelForm, date_field
from csphub.lib.forms import radio_field, text_area
from csphub.structure.models import Body

from .models import (
    AgendaItem,
    Attendance,
    Communication,
    Decision,
    Meeting,
    Operation,
    Paper,
    Proposal,
    Question,
    ReportBack,
)

__all__ = ["ActionForm"]

EIA_FIELDS = ["eia_groups", "eia_impact", "eia_mitigation", "eia_not_needed"]


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingForm(GovukModelForm):
    date = date_field("Date")
    online_link = forms.URLField(
        label="Online link", required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "body",
            "title",
            "date",
            "start",
            "end",
            "place",
            "online_link",
            "public",
            "marking",
        ]
        widgets = {
            "start": TimeInput(format="%H:%M"),
            "end": TimeInput(format="%H:%M"),
        }
        labels = {"public": "Public meeting", "start": "Starts", "end": "Ends"}
        error_messages = {"body": {"required": "Choose the body that meets"}}

    def __init__(self, bodies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The meeting must end after it starts")
        return data


class AttendanceForm(GovukForm):
    """One status (and substitute) field pair per seat."""

    def __init__(self, seats, marked, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        for seat in seats:
            mark = marked.get(seat.pk)
            who = f"{seat.person} ({seat.organisation or 'no organisation'})"
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=who,
                choices=[("", "Not recorded"), *Attendance.Status.choices],
                required=False,
                initial=mark.status if mark else "",
            )
            self.fields[f"sub_{seat.pk}"] = forms.CharField(
                label=f"Substitute for {seat.person}",
                required=False,
                initial=mark.substitute if mark else "",
            )

    def clean(self):
        data = super().clean()
        for seat in self.seats:
            status = data.get(f"seat_{seat.pk}")
            if status == Attendance.Status.SUBSTITUTE and not data.get(
                f"sub_{seat.pk}"
            ):
                self.add_error(
                    f"sub_{seat.pk}", f"Name the substitute for {seat.person}"
                )
        return data

    def marks(self):
        data = self.cleaned_data
        return {
            seat: (data[f"seat_{seat.pk}"], data.get(f"sub_{seat.pk}", ""))
            for seat in self.seats
            if data.get(f"seat_{seat.pk}")
        }


class ProposalForm(GovukModelForm):
    kind = radio_field(
        "What is sought",
        [(k, v) for k, v in AgendaItem.Kind.choices if k != AgendaItem.Kind.STANDING],
    )

    class Meta:
        model = Proposal
        fields = ["title", "detail", "kind", "restricted", *EIA_FIELDS]
        labels = {
            "title": "What should the meeting take",
            "detail": "Why, and what you ask of it",
            "restricted": "Exempt: for members only",
        }
        error_messages = {"title": {"required": "Say what the meeting should take"}}


class DecideProposalForm(GovukForm):
    state = radio_field(
        "What to do with it",
        [c for c in Proposal.State.choices if c[0] != Proposal.State.PROPOSED],
        "Choose what to do with the proposal",
    )
    kind = forms.ChoiceField(
        label="Kind of item (if on the agenda)",
        choices=AgendaItem.Kind.choices,
        required=False,
    )
    minutes = forms.IntegerField(
        label="Minutes allotted (if on the agenda)",
        min_value=1,
        max_value=240,
        required=False,
    )
    reason = text_area(
        "Reason the proposer will see",
        3,
        required=False,
        help_text="Required unless it goes on the agenda.",
    )

    def clean(self):
        data = super().clean()
        if data.get("state") not in (None, Proposal.State.AGENDA) and not data.get(
            "reason"
        ):
            self.add_error("reason", "Give the reason the proposer will see")
        return data


class ItemForm(GovukModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "kind",
            "sought",
            "lead",
            "minutes",
            "order",
            "restricted",
            "communities",
        ]
        labels = {"order": "Position on the agenda"}
        error_messages = {"title": {"required": "Give the item a title"}}

    def clean(self):
        data = super().clean()
        if data.get("kind") == AgendaItem.Kind.DECISION and not data.get("sought"):
            self.add_error("sought", "Say what decision is sought")
        return data


class PaperForm(GovukModelForm):
    class Meta:
        model = Paper
        fields = ["title", "text", "author", "restricted"]
        labels = {"text": "The paper"}
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}
        error_messages = {
            "title": {"required": "Give the paper a title"},
            "text": {"required": "Write the paper"},
        }


class PartnerOrganisationForm(GovukModelForm):
    """A form whose organisation is one of the partnership's partners."""

    def __init__(self, partnership, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations(partnership)


class QuestionForm(PartnerOrganisationForm):
    due = date_field("Answer by")

    class Meta:
        model = Question
        fields = ["organisation", "text", "due"]
        labels = {"organisation": "Partner organisation asked"}
        error_messages = {
            "organisation": {"required": "Choose the organisation to ask"},
            "text": {"required": "Write the question"},
        }


class AnswerForm(GovukForm):
    answer = text_area("Your organisation's answer", 6, "Write the answer")


class DecisionForm(GovukModelForm):
    answer_state = forms.ChoiceField(
        label="Answer to the escalation",
        choices=[
            ("", "Do not answer the escalation yet"),
            (Escalation.State.ACCEPTED, Escalation.State.ACCEPTED.label),
            (Escalation.State.RETURNED, Escalation.State.RETURNED.label),
        ],
        required=False,
        help_text="The decision's text becomes the answer the lower body sees.",
    )

    class Meta:
        model = Decision
        fields = ["text", "proposed_by", "key", "refer_to", *EIA_FIELDS]
        error_messages = {
            "text": {"required": "Write the decision taken"},
            "proposed_by": {"required": "Say who proposed it"},
        }

    def __init__(self, partnership, *args, escalation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refer_to"].queryset = Body.objects.filter(
            partnership=partnership
        ).current()
        if escalation is None:
            del self.fields["answer_state"]

    def clean(self):
        data = super().clean()
        if data.get("key") and not (
            (data.get("eia_groups") and data.get("eia_impact"))
            or data.get("eia_not_needed")
        ):
            self.add_error(
                "eia_groups",
                "A key decision needs an equality impact assessment (groups"
                " affected and impact) or a reason none is needed",
            )
        return data


class CommunicationForm(GovukModelForm):
    by = date_field("Send by")

    class Meta:
        model = Communication
        fields = ["message", "audience", "channels", "sender", "by"]
        error_messages = {
            "message": {"required": "Write the message"},
            "audience": {"required": "Say who it is for"},
            "channels": {"required": "Say how it goes out"},
            "sender": {"required": "Say who sends it"},
        }


class OweReportBackForm(PartnerOrganisationForm):
    due = date_field("Report back by")

    class Meta:
        model = ReportBack
        fields = ["organisation", "due", "governance_body"]
        labels = {"organisation": "Partner organisation that reports back"}
        error_messages = {"organisation": {"required": "Choose the organisation"}}


class WriteReportBackForm(GovukModelForm):
    class Meta:
        model = ReportBack
        fields = ["governance_body", "account"]
        labels = {
            "governance_body": "Your organisation's governance body",
            "account": "What it did with the decision",
        }
        error_messages = {
            "governance_body": {"required": "Name the governance body"},
            "account": {"required": "Say what it did with the decision"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governance_body"].required = True
        self.fields["account"].required = True


class MinutesForm(GovukForm):
    minutes = text_area("Minutes", 24, "Write the minutes")


class OperationForm(GovukModelForm):
    starts = date_field("Starts")
    ends = date_field("Ends")

    class Meta:
        model = Operation
        fields = [
            "title",
            "kind",
            "organisation",
            "zone",
            "ward",
            "place",
            "starts",
            "ends",
            "lead",
            "target",
            "restricted",
        ]
        error_messages = {
            "title": {"required": "Give the operation a name"},
            "kind": {"required": "Choose the kind of operation"},
            "organisation": {"required": "Choose the organisation that runs it"},
            "zone": {"required": "Choose the zone"},
            "lead": {"required": "Say who leads it"},
            "target": {"required": "Say who or what it targets"},
        }

    def __init__(self, partnership, *args, **kwargs):
        from csphub.places.models import Area, Zone

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations(partnership)
        self.fields["zone"].queryset = Zone.objects.filter(partnership=partnership)
        self.fields["ward"].queryset = Area.objects.wards().filter(
            parent_id=partnership.borough_id
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", "The operation must end on or after it starts")
        zone, ward = data.get("zone"), data.get("ward")
        if zone and ward and not zone.wards.filter(pk=ward.pk).exists():
            self.add_error("ward", f"{ward.name} is not in the {zone.name} zone")
        return data

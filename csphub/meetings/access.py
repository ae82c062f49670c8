"""Who may see and change what in meetings.

A public meeting whose papers are published is open to everyone, signed in
or not, without its exempt (restricted) items. Every role in a partnership
sees its meetings, except those of restricted bodies it does not sit on.
A meeting is run (planned, published, minuted, its decisions recorded) by
members of its body and of the body that plans its agenda (the Executive
for the board); they, and administrators, also see its exempt items and
open the full pack, and each such view is audited. Homework is answered, and
report-backs written, by the people of the organisation asked.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from csphub.accounts.access import has_role
from csphub.accounts.models import Role
from csphub.accounts.services import record_restricted_view
from csphub.casework.services import seated_body_ids
from csphub.structure.models import Body

from . import services
from .models import AgendaItem, Decision, Meeting, Paper, Proposal, Question, ReportBack


def is_admin(request):
    return has_role(request, Role.ADMIN)


def seated(request):
    """Ids of bodies the user sits on (cached on the request)."""
    if not hasattr(request, "_meetings_seats"):
        user = request.user
        request._meetings_seats = (
            seated_body_ids(user) if user.is_authenticated else set()
        )
    return request._meetings_seats


def in_partnership(request, meeting):
    return request.partnership is not None and (
        meeting.partnership_id == request.partnership.pk
    )


def can_run(request, meeting):
    """Members of the body or its planning body, and administrators."""
    if not in_partnership(request, meeting):
        return False
    if is_admin(request):
        return True
    return bool(services.runner_body_ids(meeting.body) & seated(request))


def can_run_body(request, body):
    if request.partnership is None or body.partnership_id != request.partnership.pk:
        return False
    return is_admin(request) or bool(services.runner_body_ids(body) & seated(request))


def meeting_for(request, pk):
    """The meeting, or 404: to the public only a published public meeting;
    to the partnership all but a restricted body's, to its members."""
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "body", "body__current_terms", "partnership", "minutes_approved_at"
        ),
        pk=pk,
    )
    if in_partnership(request, meeting):
        body = meeting.body
        if body.restricted and not (is_admin(request) or body.pk in seated(request)):
            raise Http404("No such meeting.")
        return meeting
    if meeting.public and meeting.is_published():
        return meeting
    raise Http404("No such meeting.")


def sees_restricted(request, meeting, reason="meeting page"):
    """Whether the exempt items show; audited when they do."""
    if not can_run(request, meeting):
        return False
    if meeting.items.filter(restricted=True).exists():
        record_restricted_view(request, meeting, reason=reason)
    return True


def readable_papers(papers, restricted):
    """The papers someone may read: the restricted ones only if `restricted`
    (they run the meeting, or may see its exempt business)."""
    return list(papers) if restricted else [p for p in papers if not p.restricted]


def require(allowed, why="Only members of the body concerned can do this."):
    if not allowed:
        raise PermissionDenied(why)


def run_meeting_for(request, pk):
    meeting = meeting_for(request, pk)
    require(can_run(request, meeting))
    return meeting


def body_for(request, slug):
    body = get_object_or_404(
        Body.objects.select_related("current_terms", "reports_to"),
        partnership=request.partnership,
        slug=slug,
    )
    if body.restricted and not (is_admin(request) or body.pk in seated(request)):
        raise Http404("No such body.")
    return body


def item_for(request, pk, organisation_id=None):
    """An agenda item of a meeting the user may see; an exempt one only to
    those who run the meeting (and, for its homework or report-backs, to the
    people of the organisation asked)."""
    item = get_object_or_404(AgendaItem.objects.select_related("proposal"), pk=pk)
    item.meeting = meeting_for(request, item.meeting_id)
    asked = organisation_id is not None and (
        request.user.is_authenticated
        and request.user.organisation_id == organisation_id
    )
    if item.restricted and not (asked or can_run(request, item.meeting)):
        raise Http404("No such item.")
    if item.restricted:
        record_restricted_view(request, item.meeting, reason="exempt item")
    return item


def proposal_for(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    proposal.meeting = meeting_for(request, proposal.meeting_id)
    require(in_partnership(request, proposal.meeting), "Not your partnership.")
    mine = proposal.proposed_by_id == request.user.pk
    if proposal.restricted and not (mine or can_run(request, proposal.meeting)):
        raise Http404("No such proposal.")
    return proposal


def paper_for(request, pk):
    paper = get_object_or_404(Paper.objects.select_related("item"), pk=pk)
    paper.item = item_for(request, paper.item_id)
    meeting = paper.item.meeting
    public = not in_partnership(request, meeting)
    if paper.restricted and not can_run(request, meeting):
        raise Http404("No such paper.")
    if public and not paper.frozen:
        raise Http404("No such paper.")
    return paper


def decision_for(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("item"), pk=pk)
    decision.item = item_for(request, decision.item_id)
    return decision


def run_decision_for(request, pk):
    """A decision, for those who run its meeting."""
    decision = decision_for(request, pk)
    require(can_run(request, decision.item.meeting))
    return decision


def question_for(request, pk):
    question = get_object_or_404(
        Question.objects.select_related("organisation", "item"), pk=pk
    )
    question.item = item_for(request, question.item_id, question.organisation_id)
    require(in_partnership(request, question.item.meeting), "Not your partnership.")
    return question


def can_answer(request, question):
    return is_admin(request) or (
        request.user.organisation_id == question.organisation_id
    )


def report_back_for(request, pk):
    report_back = get_object_or_404(
        ReportBack.objects.select_related("organisation", "decision__item"), pk=pk
    )
    report_back.decision.item = item_for(
        request, report_back.decision.item_id, report_back.organisation_id
    )
    require(
        in_partnership(request, report_back.decision.item.meeting),
        "Not your partnership.",
    )
    return report_back


def can_write_report_back(request, report_back):
    return is_admin(request) or (
        request.user.organisation_id == report_back.organisation_id
    )

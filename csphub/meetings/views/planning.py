"""Pages for planning an agenda: proposals, the planners' decisions, items,
the rehearsal and homework."""

from functools import partial

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import form_flow, partnership_required

from .. import access, forms, planning, services
from ..models import Paper, Proposal, Question
from .meetings import form_page


@partnership_required
def planning_page(request, pk):
    meeting = access.run_meeting_for(request, pk)
    access.sees_restricted(request, meeting, reason="planning page")
    items = list(
        meeting.items.prefetch_related(
            Prefetch("papers", queryset=Paper.objects.current()),
            Prefetch(
                "questions", queryset=Question.objects.only("pk", "item_id", "answer")
            ),
        )
    )
    proposals = list(
        meeting.proposals.select_related("from_body", "proposed_by", "decided_by")
    )
    waiting = [p for p in proposals if p.state == Proposal.State.PROPOSED]
    return TemplateResponse(
        request,
        "meetings/planning.html",
        {
            "meeting": meeting,
            "waiting": waiting,
            "decided": [p for p in proposals if p.state != Proposal.State.PROPOSED],
            "timings": planning.timings(meeting, items),
            "rehearsal": planning.rehearse(meeting, items),
            "planner": services.planning_body(meeting.body),
        },
    )


@require_POST
@partnership_required
def gather(request, pk):
    meeting = access.run_meeting_for(request, pk)
    count = planning.gather_proposals(meeting)
    services.add_standing_items(meeting)
    messages.success(request, f"{count} new proposal{'s' if count != 1 else ''}.")
    return redirect("meetings:planning", meeting.pk)


@partnership_required
def propose(request, pk):
    meeting = access.meeting_for(request, pk)
    access.require(access.in_partnership(request, meeting), "Not your partnership.")
    access.require(not meeting.is_held(), "This meeting has been held.")
    form = forms.ProposalForm(request.POST or None)
    save = partial(planning.propose, meeting, request.user)
    done = form_flow(request, form, save, message="Proposal sent to the planners.")
    hint = (
        f"{services.planning_body(meeting.body).name} decides what goes on the"
        " agenda and tells you why."
    )
    title = f"Propose business for {meeting}"
    return done or form_page(request, form, title, meeting, hint)


@partnership_required
def proposal(request, pk):
    proposal = access.proposal_for(request, pk)
    meeting = proposal.meeting
    can_decide = access.can_run(request, meeting) and not meeting.is_held()
    form = forms.DecideProposalForm(
        request.POST or None,
        initial={"state": proposal.state, "reason": proposal.reason,
                 "kind": proposal.kind},
    )  # fmt: skip
    if request.method == "POST":
        access.require(can_decide)
    done = form_flow(
        request,
        form,
        partial(planning.decide_proposal, proposal, request.user),
        reverse("meetings:planning", args=[meeting.pk]),
        lambda _: f"{proposal.get_state_display()}.",
    )
    return done or TemplateResponse(
        request,
        "meetings/proposal.html",
        {
            "proposal": proposal,
            "meeting": meeting,
            "form": form if can_decide else None,
            "item": getattr(proposal, "item", None),
        },
    )


@partnership_required
def item_add(request, pk):
    meeting = access.run_meeting_for(request, pk)
    form = forms.ItemForm(request.POST or None)
    back = reverse("meetings:planning", args=[meeting.pk])
    save = partial(services.add_item, meeting)
    done = form_flow(request, form, save, back, "Item added.")
    return done or form_page(request, form, f"Add an item to {meeting}", meeting)


@partnership_required
def item(request, pk):
    item = access.item_for(request, pk)
    meeting = item.meeting
    can_run = access.can_run(request, meeting)
    form = forms.ItemForm(request.POST or None, instance=item)
    if request.method == "POST":
        access.require(can_run and not meeting.is_held())
    save = partial(services.update_item, item)
    back = reverse("meetings:planning", args=[meeting.pk])
    if done := form_flow(request, form, save, back, "Item saved."):
        return done
    papers = access.readable_papers(item.papers.current(), can_run)
    return TemplateResponse(
        request,
        "meetings/item.html",
        {
            "item": item,
            "meeting": meeting,
            "form": form if can_run and not meeting.is_held() else None,
            "papers": papers,
            "questions": list(item.questions.select_related("organisation")),
            "decisions": list(item.decisions.all()),
            "can_run": can_run,
            "today": timezone.localdate(),
        },
    )


@partnership_required
def question_add(request, pk):
    item = access.item_for(request, pk)
    access.require(access.can_run(request, item.meeting))
    form = forms.QuestionForm(request.partnership, request.POST or None)
    asked = "Question added; it goes out with the agenda."
    done = form_flow(
        request, form, partial(services.ask, item, request.user), item, asked
    )
    hint = "Homework: the organisation's people answer through the site."
    return done or form_page(request, form, f"Ask a partner about {item}", item, hint)


@partnership_required
def question(request, pk):
    question = access.question_for(request, pk)
    can = access.can_answer(request, question) and not question.item.meeting.is_held()
    form = forms.AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST":
        access.require(can, "Only the organisation asked can answer.")
    done = form_flow(
        request,
        form,
        lambda answer: services.answer(question, request.user, answer),
        "meetings:mine",
        "Answer saved; it goes into the pack.",
    )
    return done or TemplateResponse(
        request,
        "meetings/question.html",
        {"question": question, "item": question.item, "form": form if can else None},
    )

"""Pages for what a meeting decided: decisions, their actions, communications
and report-backs, and a person's own business (proposals, homework,
report-backs their organisation owes)."""

from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import form_flow, partnership_required

from .. import access, forms, services
from ..models import Communication, Proposal, Question, ReportBack
from .meetings import form_page


@partnership_required
def decision_add(request, pk):
    item = access.item_for(request, pk)
    access.require(access.can_run(request, item.meeting))
    escalation = services.pending_escalation(item)
    form = forms.DecisionForm(
        request.partnership, request.POST or None, escalation=escalation
    )
    save = partial(services.record_decision, item, request.user)
    done = form_flow(request, form, save, message="Decision recorded.")
    hint = (
        f"This item answers an escalation from {escalation.from_body.name}."
        if escalation
        else "Then add its actions, communications and report-backs."
    )
    return done or form_page(request, form, f"Record a decision: {item}", item, hint)


@partnership_required
def decision(request, pk):
    decision = access.decision_for(request, pk)
    meeting = decision.item.meeting
    access.require(access.in_partnership(request, meeting), "Not your partnership.")
    can_run = access.can_run(request, meeting)
    actions = []
    if decision.issue_id:
        actions = list(decision.issue.actions.select_related("owner", "organisation"))
    return TemplateResponse(
        request,
        "meetings/decision.html",
        {
            "decision": decision,
            "item": decision.item,
            "meeting": meeting,
            "actions": actions,
            "communications": list(decision.communications.all()),
            "report_backs": list(decision.report_backs.select_related("organisation")),
            "can_run": can_run,
            "today": timezone.localdate(),
        },
    )


@partnership_required
def action_add(request, pk):
    decision = access.run_decision_for(request, pk)
    form = forms.ActionForm(request.partnership, request.POST or None)
    save = partial(services.add_decision_action, decision, request.user)
    done = form_flow(
        request, form, save, decision, "Action added to the body's action log."
    )
    return done or form_page(request, form, f"Add an action: {decision.item}", decision)


@partnership_required
def communication_add(request, pk):
    decision = access.run_decision_for(request, pk)
    form = forms.CommunicationForm(request.POST or None)
    save = partial(services.add_communication, decision)
    done = form_flow(request, form, save, decision, "Communication recorded.")
    title = f"Decide a communication: {decision.item}"
    return done or form_page(request, form, title, decision)


@partnership_required
def report_back_owe(request, pk):
    decision = access.run_decision_for(request, pk)
    form = forms.OweReportBackForm(request.partnership, request.POST or None)
    owed = "Report-back owed; the organisation sees it on its page."
    done = form_flow(
        request, form, partial(services.owe_report_back, decision), decision, owed
    )
    title = f"A partner reports back: {decision.item}"
    return done or form_page(request, form, title, decision)


@require_POST
@partnership_required
def communication_sent(request, pk):
    comm = get_object_or_404(Communication, pk=pk)
    decision = access.run_decision_for(request, comm.decision_id)
    services.mark_sent(comm)
    messages.success(request, "Marked as sent.")
    return redirect(decision)


@partnership_required
def report_back(request, pk):
    report_back = access.report_back_for(request, pk)
    can = access.can_write_report_back(request, report_back)
    can = can and not report_back.written_at
    form = forms.WriteReportBackForm(request.POST or None, instance=report_back)
    if request.method == "POST":
        access.require(can, "Only the organisation that owes it can write it.")

    def save(**data):
        report_back.refresh_from_db()  # the form wrote onto the instance
        return services.write_report_back(report_back, request.user, **data)

    thanks = "Report-back recorded. Thank you."
    done = form_flow(request, form, save, lambda _: report_back.decision, thanks)
    return done or TemplateResponse(
        request,
        "meetings/report_back.html",
        {
            "report_back": report_back,
            "decision": report_back.decision,
            "meeting": report_back.decision.item.meeting,
            "form": form if can else None,
            "today": timezone.localdate(),
        },
    )


@partnership_required
def mine(request):
    """What the person and their organisation owe, and their proposals."""
    partnership, organisation = request.partnership, request.user.organisation_id
    live = {"decision__item__meeting__partnership": partnership}
    return TemplateResponse(
        request,
        "meetings/mine.html",
        {
            "report_backs": list(
                ReportBack.objects.filter(organisation_id=organisation, **live)
                .select_related("organisation", "decision__item__meeting__body")
                .order_by("written_at", "due")[:100]
            ),
            "questions": list(
                Question.objects.filter(
                    organisation_id=organisation,
                    item__meeting__partnership=partnership,
                )
                .select_related("item__meeting__body")
                .order_by("answered_at", "due")[:100]
            ),
            "proposals": list(
                Proposal.objects.filter(
                    proposed_by=request.user, meeting__partnership=partnership
                ).select_related("meeting__body")[:100]
            ),
            "today": timezone.localdate(),
        },
    )

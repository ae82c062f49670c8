"""Pages for what a meeting decided: decisions, their actions, communications
and report-backs, and a person's own business (proposals, homework,
report-backs their organisation owes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import partnership_required

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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            decision = services.record_decision(
                item,
                request.user,
                answer_state=data.pop("answer_state", ""),
                **data,
            )
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, "Decision recorded.")
            return redirect(decision)
    hint = (
        f"This item answers an escalation from {escalation.from_body.name}."
        if escalation
        else "Then add its actions, communications and report-backs."
    )
    return form_page(request, form, f"Record a decision: {item}", item, hint)


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


def _decision_form(request, pk, form_class, verb, title, done):
    decision = access.decision_for(request, pk)
    access.require(access.can_run(request, decision.item.meeting))
    args = (request.partnership,) if form_class is not forms.CommunicationForm else ()
    form = form_class(*args, request.POST or None)
    if request.method == "POST" and form.is_valid():
        verb(decision, request.user, form.cleaned_data)
        messages.success(request, done)
        return redirect(decision)
    return form_page(request, form, f"{title}: {decision.item}", decision)


@partnership_required
def action_add(request, pk):
    return _decision_form(
        request,
        pk,
        forms.ActionForm,
        lambda d, by, data: services.add_decision_action(d, by, **data),
        "Add an action",
        "Action added to the body's action log.",
    )


@partnership_required
def communication_add(request, pk):
    return _decision_form(
        request,
        pk,
        forms.CommunicationForm,
        lambda d, by, data: services.add_communication(d, **data),
        "Decide a communication",
        "Communication recorded.",
    )


@partnership_required
def report_back_owe(request, pk):
    return _decision_form(
        request,
        pk,
        forms.OweReportBackForm,
        lambda d, by, data: services.owe_report_back(d, **data),
        "A partner reports back",
        "Report-back owed; the organisation sees it on its page.",
    )


@require_POST
@partnership_required
def communication_sent(request, pk):
    comm = get_object_or_404(Communication, pk=pk)
    decision = access.decision_for(request, comm.decision_id)
    access.require(access.can_run(request, decision.item.meeting))
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
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("account", "governance_body")}
            report_back.refresh_from_db()
            try:
                services.write_report_back(report_back, request.user, **data)
            except ValidationError as e:
                form.add_error(None, e.messages[0])
            else:
                messages.success(request, "Report-back recorded. Thank you.")
                return redirect(report_back.decision)
    return TemplateResponse(
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

"""Partners' pages: reports routed to them, a report's page (identity for the
receiving partner only, audited), status, re-route, merge, raise as a
casework issue, and reports entered for a resident who phoned or e-mailed."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import has_role, partnership_required, post_back, submitted
from csphub.accounts.models import AuditEntry, Role
from csphub.accounts.services import audit
from csphub.casework.models import Issue
from csphub.lib.csv_export import csv_response
from csphub.structure.models import Body

from .. import access, gazetteer, services
from ..forms import MergeForm, OnBehalfForm, RerouteForm, StatusForm
from ..models import Report

PAGE_SIZE = 50
SHOWS = {
    "mine": "Routed to my organisation",
    "overdue": "Overdue first response",
    "open": "All open",
    "all": "All",
    "mine-overdue": "Routed to my organisation, overdue first response",
}


def _filtered(request, show, today):
    reports = Report.objects.filter(partnership=request.partnership).select_related(
        "category", "organisation", "ward"
    )
    if show == "mine":
        return reports.open().filter(organisation_id=request.user.organisation_id)
    if show == "overdue":
        return services.overdue(reports, today)
    if show == "mine-overdue":
        mine = reports.filter(organisation_id=request.user.organisation_id)
        return services.overdue(mine, today)
    if show == "open":
        return reports.open()
    return reports


@partnership_required
def staff_list(request):
    today = timezone.localdate()
    show = request.GET.get("show", "mine")
    show = show if show in SHOWS else "mine"
    reports = _filtered(request, show, today).order_by("-created_at", "-pk")
    if request.GET.get("format") == "csv":
        return _csv(request, reports)
    return TemplateResponse(
        request,
        "reports/staff_list.html",
        {
            "reports": reports[:PAGE_SIZE],
            "count": reports.count(),
            "show": show,
            "shows": SHOWS,
            "today": today,
            "by_partner": services.overdue_by_partner(request.partnership, today),
            "mine_overdue": services.overdue(
                Report.objects.filter(
                    partnership=request.partnership,
                    organisation_id=request.user.organisation_id,
                ),
                today,
            ).count()
            if request.user.organisation_id
            else 0,
            "can_enter": access.can_enter(request),
        },
    )


def _csv(request, reports):
    rows = []
    rows.append(
        [
            "reference",
            "category",
            "asb_type",
            "place",
            "ward",
            "status",
            "routed_to",
            "created",
            "first_response_due",
            "people",
            "reports",
        ]
    )
    for r in reports.iterator():
        rows.append(
            [
                r.reference,
                r.category.name,
                r.category.asb_type,
                r.public_place(),
                r.ward.name if r.ward_id else "",
                r.status,
                r.organisation.name if r.organisation_id else "",
                r.created_at.date().isoformat(),
                r.first_response_due.isoformat() if r.first_response_due else "",
                r.people_count,
                r.reporter_count,
            ]
        )
    audit(AuditEntry.Action.EXPORT, reason="reports.csv", request=request)
    return csv_response("reports.csv", rows)


@partnership_required
def staff_detail(request, reference):
    report = access.report_for(request, reference)
    reporters, identities = access.reporters_seen(request, report)
    issue = (
        Issue.objects.filter(
            pk=report.issue_id, partnership=request.partnership
        ).first()
        if report.issue_id
        else None
    )
    can_work = access.can_work(request, report)
    return TemplateResponse(
        request,
        "reports/staff_detail.html",
        {
            "report": report,
            "reporters": reporters,
            "identities": identities,
            "events": report.events.select_related("organisation", "by"),
            "can_work": can_work,
            "can_call": has_role(request, Role.MEMBER, Role.ADMIN),
            "today": timezone.localdate(),
            "issue": issue,
            "status_form": StatusForm(initial={"status": report.status}),
            "reroute_form": RerouteForm(request.partnership),
            "merge_form": MergeForm(
                initial={"into": getattr(report.possible_duplicate_of, "reference", "")}
            ),
            "bodies": services.ward_groups(report) if can_work else [],
            "nearby": [
                r
                for r in services.nearby_open(
                    request.partnership,
                    report.category,
                    report.latitude,
                    report.longitude,
                )
                if r.pk != report.pk
            ],
        },
    )


def _worked(request, reference):
    report = access.report_for(request, reference)
    access.require(access.can_work(request, report))
    return report


@require_POST
@partnership_required
def staff_status(request, reference):
    report = _worked(request, reference)
    form = StatusForm(request.POST)
    save = partial(services.update_status, report, request.user)
    return post_back(request, report, save, form)


@require_POST
@partnership_required
def staff_reroute(request, reference):
    report = _worked(request, reference)
    form = RerouteForm(request.partnership, request.POST)
    save = partial(services.reroute, report, request.user)
    return post_back(request, report, save, form)


@require_POST
@partnership_required
def staff_merge(request, reference):
    report = _worked(request, reference)

    def merge(into):
        found = Report.objects.filter(
            partnership=request.partnership, reference=into.strip().upper()
        ).first()
        if found is None:
            raise ValidationError("No report of this partnership has that reference.")
        services.merge(report, found, request.user)

    return post_back(request, report, merge, MergeForm(request.POST))


@require_POST
@partnership_required
def staff_raise(request, reference):
    """Raise as a casework issue at a ward group, or link to an existing one."""
    report = _worked(request, reference)

    def raise_or_link():
        if request.POST.get("issue"):
            issue = Issue.objects.filter(
                partnership=request.partnership, pk=request.POST["issue"]
            ).first()
            if issue is None or not request.POST["issue"].isdecimal():
                raise ValidationError("No issue of this partnership has that number.")
            services.link_issue(report, request.user, issue)
            return
        body_id = request.POST.get("body", "")
        body = Body.objects.filter(
            partnership=request.partnership,
            pk=int(body_id) if body_id.isdecimal() else 0,
        ).first()
        if body is None:
            raise ValidationError("Choose the group to raise it at.")
        services.raise_as_issue(report, request.user, body)

    if request.POST.get("issue", "") and not request.POST["issue"].isdecimal():
        messages.error(request, "Enter the issue's number.")
        return redirect(report)
    return post_back(request, report, raise_or_link)


@partnership_required(roles=access.ENTER_ROLES)
def staff_enter(request):
    """A report taken by phone or e-mail, entered for the resident."""
    form = OnBehalfForm(request.POST or None)
    matches = gazetteer.streets_named(
        request.partnership.borough, request.POST.get("street", "")
    )
    if submitted(request, form):
        data = form.cleaned_data
        if not matches:
            form.add_error("street", "No street of that name in this area's gazetteer")
        else:
            placement = gazetteer.place_street(request.partnership, matches[0])
            reporter = services.submit_report(
                request.partnership,
                data["category"],
                placement,
                services.Details(
                    description=data["description"],
                    incident_date=data["incident_date"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    anonymous=data["anonymous"],
                ),
                channel=data["channel"],
                entered_by=request.user,
            )
            messages.success(
                request,
                f"Report {reporter.report.reference} entered. The resident's private"
                f" link: {request.build_absolute_uri(reporter.get_absolute_url())}",
            )
            return redirect(reporter.report)
    return TemplateResponse(request, "reports/staff_enter.html", {"form": form})

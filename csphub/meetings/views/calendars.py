"""Pages for calendars: forthcoming operations, and iCalendar feeds of
meetings per body and per person."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from csphub.accounts.access import partnership_required, submitted

from .. import access, ical, operations
from ..forms import OperationForm
from ..models import Meeting
from .meetings import form_page


def _visible(request):
    return operations.visible_operations(
        request.partnership,
        request.user,
        seated=access.seated(request),
        is_admin=access.is_admin(request),
    )


@partnership_required
def operation_list(request):
    today = timezone.localdate()
    upcoming = list(_visible(request).filter(ends__gte=today))
    return TemplateResponse(
        request,
        "meetings/operations.html",
        {"rows": operations.flagged(upcoming), "today": today},
    )


@partnership_required
def operation_add(request):
    form = OperationForm(request.partnership, request.POST or None)
    if submitted(request, form):
        operations.add_operation(request.partnership, request.user, **form.cleaned_data)
        messages.success(request, "Operation added to the calendar.")
        return redirect("meetings:operation-list")
    hint = "Zone meetings see it on the next period's calendar, with clashes flagged."
    return form_page(request, form, "Post a forthcoming operation", hint=hint)


def _ics(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@partnership_required
def body_calendar(request, slug):
    body = access.body_for(request, slug)
    meetings = Meeting.objects.filter(body=body).select_related("body")
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics(ical.calendar(meetings, body.name, base_url=base), f"{slug}.ics")


@partnership_required
def my_calendar(request):
    """Meetings of every body the person sits on."""
    meetings = Meeting.objects.filter(
        partnership=request.partnership, body__in=access.seated(request)
    ).select_related("body")
    base = request.build_absolute_uri("/").rstrip("/")
    name = f"{request.user}'s meetings"
    return _ics(ical.calendar(meetings, name, base_url=base), "my-meetings.ics")

"""Pages for meetings: the list, a meeting, attendance, publishing, holding,
a body's forward plan, papers and minutes."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.access import form_flow, partnership_required
from csphub.structure.models import Body

from .. import access, planning, services
from ..forms import MeetingForm, MinutesForm, PaperForm
from ..models import Decision, Meeting, Paper, Proposal, Question, ReportBack


def form_page(request, form, title, back=None, hint="", button="Save"):
    return TemplateResponse(
        request,
        "meetings/form.html",
        {"form": form, "title": title, "back": back, "hint": hint, "button": button},
    )


def index(request):
    """Signed in: the partnership's meetings. Signed out: public meetings."""
    today = timezone.localdate()
    if request.partnership is None:
        meetings = (
            Meeting.objects.public()
            .select_related("body", "partnership")
            .order_by("-date")[:200]
        )
        return TemplateResponse(
            request, "meetings/public_index.html", {"meetings": list(meetings)}
        )
    meetings = services.visible_meetings(
        request.partnership, request.user, is_admin=access.is_admin(request)
    )
    bodies = (
        Body.objects.filter(partnership=request.partnership)
        .current()
        .visible_to(request.user, is_admin=access.is_admin(request))
    )
    return TemplateResponse(
        request,
        "meetings/index.html",
        {
            "upcoming": list(meetings.upcoming(today)[:30]),
            "recent": list(meetings.filter(date__lt=today).order_by("-date")[:30]),
            "bodies": list(bodies.filter(meetings__isnull=False).distinct()),
            "can_add": access.is_admin(request) or bool(access.seated(request)),
        },
    )


def _runnable_bodies(request):
    """Bodies the user sits on, and those their seat on an Executive plans."""
    bodies = Body.objects.filter(partnership=request.partnership).current()
    if access.is_admin(request):
        return bodies
    seated = access.seated(request)
    plans = Q(
        reporting_bodies__in=seated,
        reporting_bodies__kind=Body.Kind.EXECUTIVE,
    )
    return bodies.filter(Q(pk__in=seated) | plans).distinct()


@partnership_required
def meeting_add(request):
    bodies = _runnable_bodies(request)
    access.require(bodies.exists(), "Only members of a body can plan its meetings.")
    form = MeetingForm(bodies, request.POST or None)
    done = form_flow(
        request,
        form,
        lambda body, **data: services.create_meeting(
            request.partnership, body, request.user, **data
        ),
        lambda meeting: reverse("meetings:planning", args=[meeting.pk]),
        "Meeting planned; proposals gathered.",
    )
    return done or form_page(request, form, "Plan a meeting")


@partnership_required
def meeting_edit(request, pk):
    meeting = access.run_meeting_for(request, pk)
    form = MeetingForm(
        _runnable_bodies(request), request.POST or None, instance=meeting
    )
    form.fields.pop("body")
    save = partial(services.update_meeting, meeting, request.user)
    done = form_flow(request, form, save, meeting, "Meeting details saved.")
    return done or form_page(request, form, f"Change {meeting}", back=meeting)


def visible_items(meeting, restricted):
    """The agenda with what each item's page shows, in a fixed number of
    queries however many items there are."""
    items = meeting.items.select_related("proposal").prefetch_related(
        Prefetch("papers", queryset=Paper.objects.current()),
        Prefetch("questions", queryset=Question.objects.select_related("organisation")),
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related(
                "issue", "refer_to"
            ).prefetch_related(
                "communications",
                Prefetch(
                    "report_backs",
                    queryset=ReportBack.objects.select_related("organisation"),
                ),
            ),
        ),
    )
    if not restricted:
        items = items.filter(restricted=False)
    return list(items)


def detail(request, pk):
    meeting = access.meeting_for(request, pk)
    can_run = access.can_run(request, meeting)
    restricted = access.sees_restricted(request, meeting)
    items = visible_items(meeting, restricted)
    for item in items:
        item.shown_papers = access.readable_papers(item.papers.all(), restricted)
    context = {
        "meeting": meeting,
        "timings": planning.timings(meeting, items),
        "can_run": can_run,
        "restricted": restricted,
        "member_of_partnership": access.in_partnership(request, meeting),
        "today": timezone.localdate(),
        "exempt_count": 0
        if restricted
        else meeting.items.filter(restricted=True).count(),
    }
    if access.in_partnership(request, meeting):
        seats = services.seats_at(meeting)
        attendance = list(meeting.attendance.select_related("seat__person"))
        context["quorum"] = services.quorum(meeting, seats, attendance)
        context["attendance"] = attendance
        context["proposal_count"] = meeting.proposals.filter(
            state=Proposal.State.PROPOSED
        ).count()
        context["previous"] = services.previous_meeting(meeting)
        # The chair sees what is unanswered (those who run it see exempt items).
        unanswered = Question.objects.filter(
            item__meeting=meeting, answered_at__isnull=True
        ).select_related("organisation", "item")
        context["unanswered"] = list(unanswered) if can_run else []
        context["builds"] = list(
            meeting.pack_builds.defer("pdf").select_related("created_by")[:6]
        )
    return TemplateResponse(request, "meetings/detail.html", context)


@partnership_required
def attendance(request, pk):
    from ..forms import AttendanceForm

    meeting = access.run_meeting_for(request, pk)
    seats = services.seats_at(meeting)
    marked = {a.seat_id: a for a in meeting.attendance.all()}
    form = AttendanceForm(seats, marked, request.POST or None)
    done = form_flow(
        request,
        form,
        lambda **_: services.record_attendance(meeting, request.user, form.marks()),
        meeting,
        "Attendance recorded.",
    )
    return done or TemplateResponse(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "quorum": services.quorum(meeting, seats, list(marked.values())),
        },
    )


def _change(request, pk, verb, done):
    meeting = access.run_meeting_for(request, pk)
    try:
        verb(meeting, request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, done)
    return redirect(meeting)


@require_POST
@partnership_required
def publish(request, pk):
    return _change(request, pk, services.publish, "Papers published and frozen.")


@require_POST
@partnership_required
def held(request, pk):
    return _change(
        request, pk, services.mark_held, "Recorded as held, on the body too."
    )


@partnership_required
def body_meetings(request, slug):
    from ..effectiveness import effectiveness

    body = access.body_for(request, slug)
    today = timezone.localdate()
    meetings = list(body.meetings.order_by("date"))
    return TemplateResponse(
        request,
        "meetings/body.html",
        {
            "body": body,
            "plan": [m for m in meetings if m.date >= today],
            "past": [m for m in reversed(meetings) if m.date < today],
            "can_run": access.can_run_body(request, body),
            "effectiveness": effectiveness(body),
            "overdue": list(
                ReportBack.objects.overdue(today)
                .filter(decision__item__meeting__body=body)
                .select_related("organisation", "decision__item__meeting")
            ),
        },
    )


@partnership_required
def minutes(request, pk):
    meeting = access.run_meeting_for(request, pk)
    if not meeting.is_held():
        raise Http404("Minutes follow a held meeting.")
    initial = meeting.minutes
    if not initial:
        items = visible_items(meeting, False)  # exempt items: minuted apart
        attendance = list(meeting.attendance.select_related("seat__person"))
        initial = services.draft_minutes(meeting, items, attendance)
    form = MinutesForm(request.POST or None, initial={"minutes": initial})
    done = form_flow(
        request,
        form,
        lambda minutes: services.save_minutes(meeting, request.user, minutes),
        meeting,
        "Minutes saved.",
    )
    hint = (
        "Drafted from the attendance, decisions, report-backs and communications."
        " Edit them; they are approved at the next meeting."
    )
    return done or form_page(
        request, form, f"Minutes of {meeting}", back=meeting, hint=hint
    )


@require_POST
@partnership_required
def approve_minutes(request, pk):
    meeting = access.run_meeting_for(request, pk)
    earlier = services.previous_meeting(meeting)
    try:
        if earlier is None:
            raise ValidationError("There is no earlier meeting.")
        services.approve_minutes(earlier, request.user, meeting)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, f"Minutes of {earlier} approved.")
    return redirect(meeting)


def paper(request, pk):
    paper = access.paper_for(request, pk)
    first = paper.first or paper
    versions = [first, *first.versions.all()] if paper.frozen else [paper]
    can_run = access.can_run(request, paper.item.meeting)
    versions = access.readable_papers(versions, can_run)
    return TemplateResponse(
        request,
        "meetings/paper.html",
        {
            "paper": paper,
            "item": paper.item,
            "meeting": paper.item.meeting,
            "versions": sorted(versions, key=lambda v: v.version),
            "can_run": can_run,
        },
    )


@partnership_required
def paper_add(request, pk):
    item = access.item_for(request, pk)
    access.require(access.can_run(request, item.meeting))
    form = PaperForm(request.POST or None)
    save = partial(services.add_paper, item, request.user)
    done = form_flow(request, form, save, message="Paper added.")
    return done or form_page(request, form, f"Add a paper to {item}", back=item.meeting)


@partnership_required
def paper_edit(request, pk):
    paper = access.paper_for(request, pk)
    access.require(access.can_run(request, paper.item.meeting) and paper.current)
    form = PaperForm(request.POST or None, instance=paper)

    def save(**data):
        paper.refresh_from_db()  # the form wrote onto the instance
        return services.revise_paper(paper, request.user, **data)

    done = form_flow(
        request,
        form,
        save,
        message=lambda new: (
            "New version saved." if new.pk != paper.pk else "Paper saved."
        ),
    )
    hint = (
        "The papers are published: saving makes a new version, and this one"
        " stays readable."
        if paper.frozen
        else ""
    )
    return done or form_page(
        request, form, f"Change {paper.title}", back=paper, hint=hint
    )

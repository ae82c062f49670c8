"""Pages about the partnership's structure: the map, bodies, the review."""

import json
from functools import partial

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from csphub.accounts.access import audit_restricted, form_flow, partnership_required
from csphub.lib.csv_export import csv_response
from csphub.places.mapping import MapShape, svg_map
from csphub.places.models import Zone
from csphub.strategy.models import Priority

from . import access, exchange, layout, review as checks, services
from .access import EDITORS
from .forms import (
    BodyFilterForm,
    BodyForm,
    ChangeForm,
    DecideForm,
    ImportForm,
    MetForm,
    RecordReviewForm,
    SeatForm,
    TermsForm,
)
from .models import Body, BodyChange, StructureReview


def _filtered(request):
    form = BodyFilterForm(request.partnership, request.GET or None)
    filters = form.filters()
    bodies = services.filter_bodies(access.bodies_for(request), **filters)
    return form, filters, bodies


@partnership_required
def structure_map(request):
    partnership = request.partnership
    form, filters, bodies = _filtered(request)
    bodies = list(bodies)
    if request.GET.get("format") == "csv":
        return csv_response("structure-bodies.csv", exchange.bodies_rows(bodies))
    audit_restricted(request, bodies, "structure map")
    priorities = list(Priority.objects.of(partnership))
    if "priority" in filters:
        priorities = [filters["priority"]]
    zones = list(Zone.objects.filter(partnership=partnership).prefetch_related("wards"))
    zone_of_ward = {w.pk: z for z in zones for w in z.wards.all()}
    gaps = (
        set() if filters else {p.pk for p in checks.priority_gaps(bodies, priorities)}
    )
    bands = layout.place_bands(bodies, priorities, zones, zone_of_ward)
    svg = layout.structure_svg(
        bands,
        title=f"Structure map of {partnership.name}",
        gap_priorities=gaps,
        hrefs={b.pk: b.get_absolute_url() for b in bodies},
    )
    return TemplateResponse(
        request,
        "structure/map.html",
        {
            "form": form,
            "filtered": bool(filters),
            "svg": svg if bodies else "",
            "tree": _tree(bodies),
            "count": len(bodies),
            "gap_names": [p.name for p in priorities if p.pk in gaps],
            "can_edit": access.is_admin(request),
        },
    )


def _tree(bodies):
    """Nested list nodes: a body under the body it reports to, where shown."""
    shown = {b.pk for b in bodies}
    children = {}
    for b in bodies:
        parent = b.reports_to_id if b.reports_to_id in shown else None
        children.setdefault(parent, []).append(b)

    def nodes(parent, seen):
        return [
            {"body": b, "children": nodes(b.pk, seen | {b.pk})}
            for b in children.get(parent, [])
            if b.pk not in seen
        ]

    return nodes(None, frozenset())


@partnership_required
def body_list(request):
    form, filters, bodies = _filtered(request)
    bodies = list(
        bodies.annotate(seat_count=Count("seats", filter=Q(seats__ended__isnull=True)))
    )
    if request.GET.get("format") == "csv":
        return csv_response("bodies.csv", exchange.bodies_rows(bodies))
    audit_restricted(request, bodies, "body list")
    return TemplateResponse(
        request,
        "structure/body_list.html",
        {"form": form, "bodies": bodies, "can_edit": access.is_admin(request)},
    )


@partnership_required
def body_detail(request, slug):
    body = access.body_for(request, slug)
    visible = access.bodies_for(request)
    seats = list(
        body.seats.select_related("person", "organisation", "person__user").order_by(
            "ended", "role", "person__name"
        )
    )
    return TemplateResponse(
        request,
        "structure/body_detail.html",
        {
            "body": body,
            "priorities": list(body.priorities.all()),
            "terms_versions": list(body.terms.select_related("created_by")),
            "seats": [s for s in seats if s.ended is None],
            "past_seats": [s for s in seats if s.ended is not None],
            "reporting": list(visible.filter(reports_to=body)),
            "changes": list(body.changes.select_related("merged_into")),
            "svg": _area_map(body),
            "can_edit": access.is_admin(request),
            "can_record_meeting": access.can_record_meeting(request, body),
            "met_form": MetForm(),
        },
    )


def _area_map(body):
    if body.ward_id:
        area, label = body.ward.boundary, f"{body.ward.name} ward"
    elif body.zone_id:
        area, label = body.zone.boundary, f"{body.zone.name} zone"
    else:
        borough = body.partnership.borough
        area, label = (borough.boundary if borough else None), "the borough"
    if not area:
        return ""
    shape = MapShape(area, label, fill="#b2df8a", stroke="#0b0c0c", show_label=False)
    return svg_map([shape], title=f"Map of {label}, where {body.name} works", width=400)


def _form_page(request, form, title, body=None, **extra):
    """A form under its title, with a link back to the body and an optional
    `hint` and `submit` label."""
    context = {"form": form, "title": title, "body": body, **extra}
    return TemplateResponse(request, "structure/form.html", context)


@partnership_required(roles=EDITORS)
def body_add(request):
    form = BodyForm(request.partnership, request.POST or None)
    done = form_flow(
        request,
        form,
        lambda **data: services.create_body(
            request.partnership, request.user, slug=slugify(data["name"])[:80], **data
        ),
        message=lambda body: f"{body.name} set up.",
    )
    return done or _form_page(request, form, "Set up a body")


@partnership_required(roles=EDITORS)
def body_edit(request, slug):
    body = access.body_for(request, slug)
    form = BodyForm(request.partnership, request.POST or None, instance=body)

    def save(**data):
        saved = Body.objects.get(pk=body.pk)  # the form wrote onto `body`
        services.update_body(saved, request.user, **data)
        return saved

    done = form_flow(request, form, save, message=lambda body: f"{body.name} changed.")
    return done or _form_page(request, form, f"Change {body.name}", body)


@partnership_required(roles=EDITORS)
def terms_edit(request, slug):
    body = access.body_for(request, slug)
    form = TermsForm(request.POST or None, instance=body.current_terms)
    done = form_flow(
        request,
        form,
        lambda change_note, **data: services.revise_terms(
            body, request.user, data, change_note=change_note
        ),
        body,
        lambda terms: f"Terms of reference version {terms.version} kept.",
    )
    title = f"New terms of reference for {body.name}"
    hint = "The current version is kept; this becomes the next one."
    return done or _form_page(request, form, title, body, hint=hint)


@partnership_required(roles=EDITORS)
def seat_add(request, slug):
    body = access.body_for(request, slug)
    form = SeatForm(request.partnership, request.POST or None)
    save = partial(services.add_seat, body, request.user)
    done = form_flow(
        request, form, save, body, lambda s: f"{s.person} is now a member of {body}."
    )
    title = f"Add a member to {body.name}"
    return done or _form_page(request, form, title, body, submit="Add member")


@require_POST
@partnership_required(roles=EDITORS)
def seat_end(request, pk):
    seat = access.seat_for(request, pk)
    services.end_seat(seat, request.user)
    messages.success(request, f"{seat.person} is no longer a member of {seat.body}.")
    return redirect(seat.body)


@partnership_required(roles=EDITORS)
def body_change(request, slug):
    body = access.body_for(request, slug)
    items = services.open_work(body) if body.is_current() else []
    form = ChangeForm(body, request.POST or None, open_work=items)
    done = form_flow(
        request,
        form,
        lambda **_: services.change_status(body, request.user, **form.change()),
        body,
        lambda change: (
            f"{body.name}: {change.get_kind_display().lower()}."
            + (
                f" {change.handed_over} open items handed over or closed."
                if change.handed_over
                else ""
            )
        ),
    )
    hint = f"It is {body.get_status_display().lower()} now." + (
        f" It holds {len(items)} open items: merging or discontinuing it"
        " hands each to the body you choose."
        if items
        else ""
    )
    title = f"Record a change to {body.name}"
    return done or _form_page(request, form, title, body, hint=hint)


@require_POST
@partnership_required
def body_met(request, slug):
    body = access.body_for(request, slug)
    if not access.can_record_meeting(request, body):
        return HttpResponse(
            "Only its chair, secretariat or an administrator", status=403
        )
    form = MetForm(request.POST)
    if form.is_valid():
        services.record_meeting(body, request.user, form.cleaned_data["on"])
        messages.success(request, f"Recorded that {body.name} met.")
    else:
        messages.error(request, "Date it met: " + " ".join(form.errors["on"]))
    return redirect(body)


def _visible_ids(request):
    return set(access.bodies_for(request).values_list("pk", flat=True))


@partnership_required
def review(request):
    partnership = request.partnership
    result = services.review_structure(partnership)
    visible = _visible_ids(request)
    shown = [f for f in result.findings if all(b.pk in visible for b in f.bodies)]
    if request.GET.get("format") == "json":
        data = result.as_json()
        data["findings"] = [f.as_json() for f in shown]
        return JsonResponse(data, json_dumps_params={"indent": 1})
    if request.GET.get("format") == "csv":
        return csv_response("structure-review.csv", _finding_rows(shown))
    return TemplateResponse(
        request,
        "structure/review.html",
        {
            "result": result,
            "groups": _grouped(shown),
            "hidden": len(result.findings) - len(shown),
            "saving": sum(f.saving_hours_per_year for f in shown),
            "reviews": partnership.reviews.annotate(count=Count("findings"))[:20],
            "form": RecordReviewForm(),
            "can_edit": access.is_admin(request),
            "thresholds": checks,
        },
    )


def _grouped(findings):
    groups = {kind: [] for kind in checks.KINDS}
    for f in findings:
        groups[f.kind].append(f)
    return [(kind, checks.KIND_LABELS[kind], groups[kind]) for kind in checks.KINDS]


def _finding_rows(findings):
    yield ["kind", "bodies", "people", "detail", "saving_hours_per_year", "state"]
    for f in findings:
        bodies = f.bodies.all() if hasattr(f.bodies, "all") else f.bodies
        yield [
            f.kind,
            "; ".join(b.name for b in bodies),
            "; ".join(f.people),
            f.detail,
            round(f.saving_hours_per_year, 1),
            getattr(f, "state", "open"),
        ]


@require_POST
@partnership_required(roles=EDITORS)
def review_record(request):
    form = RecordReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    saved = services.record_review(request.partnership, request.user, note=note)
    messages.success(request, f"{saved} kept with {saved.findings.count()} findings.")
    return redirect(saved)


@partnership_required
def review_detail(request, pk):
    saved = get_object_or_404(StructureReview, pk=pk, partnership=request.partnership)
    visible = _visible_ids(request)
    findings = [
        f
        for f in saved.findings.prefetch_related("bodies").select_related("decided_by")
        if all(b.pk in visible for b in f.bodies.all())
    ]
    if request.GET.get("format") == "csv":
        return csv_response(f"structure-review-{saved.on}.csv", _finding_rows(findings))
    previous = (
        request.partnership.reviews.filter(on__lte=saved.on, pk__lt=saved.pk)
        .order_by("-on", "-pk")
        .first()
    )
    return TemplateResponse(
        request,
        "structure/review_detail.html",
        {
            "review": saved,
            "groups": _grouped(findings),
            "previous": previous,
            "comparison": _compare(saved, previous),
            "can_edit": access.is_admin(request),
            "decide_form": DecideForm(),
        },
    )


def _compare(saved, previous):
    """[(kind label, count then, count now)] and what is new and gone."""
    if previous is None:
        return None
    now = dict(saved.findings.values_list("key", "kind"))
    then = dict(previous.findings.values_list("key", "kind"))
    rows = [
        (
            checks.KIND_LABELS[k],
            sum(1 for v in then.values() if v == k),
            sum(1 for v in now.values() if v == k),
        )
        for k in checks.KINDS
    ]
    return {
        "rows": rows,
        "new": len(set(now) - set(then)),
        "gone": len(set(then) - set(now)),
    }


@require_POST
@partnership_required(roles=EDITORS)
def finding_decide(request, pk):
    finding = access.finding_for(request, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        services.decide_finding(finding, request.user, **form.cleaned_data)
        messages.success(request, f"Finding {finding.get_state_display().lower()}.")
    else:
        problems = [
            f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items()
        ]
        messages.error(request, f"Finding not decided. {'; '.join(problems)}")
    return redirect(reverse("structure:review-detail", args=[finding.review_id]))


@partnership_required
def change_list(request):
    visible = access.bodies_for(request)
    changes = BodyChange.objects.filter(body__in=visible).select_related(
        "body", "merged_into"
    )
    kind = request.GET.get("kind", "")
    if kind in BodyChange.Kind.values:
        changes = changes.filter(kind=kind)
    if request.GET.get("format") == "csv":
        return csv_response("structure-changes.csv", _change_rows(changes))
    return TemplateResponse(
        request,
        "structure/change_list.html",
        {"changes": changes[:300], "kinds": BodyChange.Kind.choices, "kind": kind},
    )


def _change_rows(changes):
    yield ["date", "body", "change", "by", "reason", "authorised by", "merged into"]
    for c in changes:
        yield [
            c.on.isoformat(),
            c.body.name,
            c.get_kind_display(),
            c.by_name,
            c.reason,
            c.authorised_by,
            c.merged_into.name if c.merged_into else "",
        ]


@partnership_required(roles=EDITORS)
def import_csv(request):
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        load = {"bodies": exchange.import_bodies, "seats": exchange.import_seats}
        name = form.cleaned_data["file"].name
        try:
            text = exchange.decode(form.cleaned_data["file"].read())
            rows, added = load[form.cleaned_data["what"]](
                request.partnership, text, request.user
            )
        except exchange.ImportError_ as e:
            for error in e.errors[:50]:
                form.add_error("file", f"{name}: {error}")
        else:
            messages.success(request, f"{name}: {rows} rows read, {added} added.")
            return redirect("structure:body-list")
    return TemplateResponse(
        request,
        "structure/import.html",
        {
            "form": form,
            "body_columns": exchange.BODY_COLUMNS,
            "seat_columns": exchange.SEAT_COLUMNS,
        },
    )


@partnership_required
def export_seats(request):
    bodies = access.bodies_for(request)
    seats = services.current_seats(request.partnership, bodies).select_related(
        "body", "person__user"
    )
    return csv_response("seats.csv", exchange.seats_rows(seats))


@partnership_required
def export_popolo(request):
    bodies = list(access.bodies_for(request))
    seats = list(
        services.current_seats(request.partnership, bodies).select_related("body")
    )
    response = HttpResponse(
        json.dumps(exchange.popolo(request.partnership, bodies, seats), indent=1),
        content_type="application/json",
    )
    response["Content-Disposition"] = 'attachment; filename="structure-popolo.json"'
    return response

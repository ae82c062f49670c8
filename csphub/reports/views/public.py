"""The resident's pages: the report form, one question a page, working
without JavaScript; the private page that follows a report."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from csphub.accounts.access import submitted
from csphub.accounts.models import Partnership
from csphub.accounts.services import client_ip

from .. import access, gazetteer, services, trigger
from ..forms import (
    AreaForm,
    ContactForm,
    DescribeForm,
    InvolvedForm,
    NowForm,
    ReopenForm,
    SatisfactionForm,
    WhatForm,
    WhenForm,
    WhereForm,
)
from ..models import Category, Report

DRAFT = "report_draft"
# slug -> (form, question shown as the page's heading)
STEPS = {
    "where": (WhereForm, "Where is it happening?"),
    "what": (WhatForm, "What is happening?"),
    "nearby": (None, "Is it one of these reports?"),
    "now": (NowForm, "Is it happening now?"),
    "when": (WhenForm, "When did it happen?"),
    "involved": (InvolvedForm, "Is alcohol or hate involved?"),
    "describe": (DescribeForm, "Describe what is happening"),
    "contact": (ContactForm, "Your contact details"),
    "check": (None, "Check your answers before sending your report"),
}
ORDER = list(STEPS)


def _partnerships():
    return Partnership.objects.exclude(borough=None).select_related("borough")


def _draft(request):
    return request.session.get(DRAFT) or {}


def _save(request, draft):
    request.session[DRAFT] = draft


def _next(slug):
    return reverse("reports:step", args=[ORDER[ORDER.index(slug) + 1]])


def start(request):
    """The start page: which borough (skipped when there is one)."""
    partnerships = list(_partnerships())
    form = AreaForm(partnerships, request.POST or None)
    if submitted(request, form):
        chosen = next(
            p for p in partnerships if p.slug == form.cleaned_data["partnership"]
        )
        _save(request, {"partnership": chosen.pk})
        return redirect("reports:step", "where")
    return TemplateResponse(request, "reports/start.html", {"form": form})


def step(request, slug):
    if slug not in STEPS:
        raise Http404("No such question.")
    draft = _draft(request)
    partnership = Partnership.objects.filter(pk=draft.get("partnership")).first()
    if partnership is None:
        return redirect("reports:start")
    missing = _first_missing(draft, slug)
    if missing:
        return redirect("reports:step", missing)
    if slug == "nearby":
        return _nearby(request, draft, partnership)
    if slug == "check":
        return _check(request, draft, partnership)
    form = _form(slug, request, draft, partnership)
    if submitted(request, form):
        _store(slug, form, draft)
        _save(request, draft)
        return redirect(_next(slug))
    return _page(request, slug, form, draft)


REQUIRED_BEFORE = {"what": "where", "nearby": "what", "now": "what", "check": "contact"}


def _first_missing(draft, slug):
    """The earliest question not yet answered that this page depends on."""
    for needed in ("where", "what"):
        if ORDER.index(slug) > ORDER.index(needed) and needed not in draft.get(
            "done", []
        ):
            return needed
    if slug == "check":
        for needed in ("now", "when", "describe", "contact"):
            if needed not in draft.get("done", []):
                return needed
    return None


def _form(slug, request, draft, partnership):
    form_class = STEPS[slug][0]
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    initial = draft.get("answers", {}).get(slug, {})
    if slug == "where":
        return WhereForm(
            partnership, data, initial=initial, with_postcode=gazetteer.has_postcodes()
        )
    if slug == "describe":
        return DescribeForm(data, files, initial=initial)
    return form_class(data, initial=initial)


def _store(slug, form, draft):
    data = dict(form.cleaned_data)
    if slug == "where":
        placed = form.placement
        data.pop("choice", None)
        draft["point"] = [placed.latitude, placed.longitude]
        draft["place"] = placed.place
        draft["street"] = placed.street.pk if placed.street else None
        draft.pop("join", None)
    if slug == "what":
        data["category"] = data["category"].code
        draft.pop("join", None)
    if slug == "when":
        data["incident_date"] = data["incident_date"].isoformat()
    if slug == "describe":
        photo = data.pop("photo", None)
        if photo is not None:
            content, content_type = photo
            name = default_storage.save(f"reports/pending/{content.name}", content)
            draft["photo"] = [name, content_type]
    if slug == "contact":
        data.pop("website", None)
        if form.cleaned_data.get("website"):
            draft["honeypot"] = True
    draft.setdefault("answers", {})[slug] = data
    draft["done"] = sorted(set(draft.get("done", [])) | {slug})


def _page(request, slug, form, draft):
    now = draft.get("answers", {}).get("now", {}).get("happening_now") == "yes"
    return TemplateResponse(
        request,
        "reports/step.html",
        {
            "form": form,
            "question": STEPS[slug][1],
            "slug": slug,
            "call_999": now and slug != "now",
            "back": _back(slug),
            "multipart": slug == "describe",
            "borough_outline": _outline(draft) if slug == "where" else None,
        },
    )


def _outline(draft):
    """The borough's boundary, for the map that enhances the "where" page."""
    partnership = Partnership.objects.select_related("borough").get(
        pk=draft["partnership"]
    )
    boundary = partnership.borough.boundary if partnership.borough else None
    return (
        {"type": "Feature", "geometry": boundary, "properties": {}}
        if boundary
        else None
    )


def _back(slug):
    index = ORDER.index(slug)
    if index == 0:
        return reverse("reports:start")
    return reverse("reports:step", args=[ORDER[index - 1]])


def _category(draft):
    return Category.objects.get(code=draft["answers"]["what"]["category"])


def _nearby(request, draft, partnership):
    """Open reports of the same kind nearby: join one, or carry on."""
    category = _category(draft)
    lat, lon = draft["point"]
    nearby = services.nearby_open(partnership, category, lat, lon)
    if request.method == "POST":
        choice = request.POST.get("join", "")
        if choice and choice not in {r.reference for r in nearby}:
            messages.error(
                request, "That report is no longer open: make yours a new one."
            )
            return redirect("reports:step", "nearby")
        draft["join"] = choice or None
        draft["done"] = sorted(set(draft.get("done", [])) | {"nearby"})
        _save(request, draft)
        return redirect("reports:step", "now")
    if not nearby:
        draft["join"] = None
        _save(request, draft)
        return redirect("reports:step", "now")
    return TemplateResponse(
        request,
        "reports/nearby.html",
        {
            "nearby": nearby,
            "category": category,
            "metres": services.match_metres(),
            "back": _back("nearby"),
            "chosen": draft.get("join"),
        },
    )


def _details(draft):
    answers = draft["answers"]
    contact = answers["contact"]
    photos = []
    if draft.get("photo"):
        name, content_type = draft["photo"]
        if default_storage.exists(name):
            with default_storage.open(name) as handle:
                photos.append(
                    (
                        ContentFile(handle.read(), name=name.rsplit("/", 1)[-1]),
                        content_type,
                    )
                )
    return services.Details(
        description=answers["describe"]["description"],
        incident_date=date.fromisoformat(answers["when"]["incident_date"]),
        frequency=answers["when"]["frequency"],
        happening_now=answers["now"]["happening_now"] == "yes",
        alcohol=answers.get("involved", {}).get("alcohol", False),
        hate=answers.get("involved", {}).get("hate", False),
        name=contact["name"],
        email=contact["email"],
        phone=contact["phone"],
        anonymous=contact["anonymous"],
        photos=photos,
    )


def _check(request, draft, partnership):
    category = _category(draft)
    joining = (
        Report.objects.filter(
            partnership=partnership, reference=draft.get("join")
        ).first()
        if draft.get("join")
        else None
    )
    if request.method == "POST":
        return _send(request, draft, partnership, category, joining)
    return TemplateResponse(
        request,
        "reports/check.html",
        {
            "draft": draft,
            "answers": draft["answers"],
            "category": category,
            "joining": joining,
            "back": _back("check"),
            "partnership": partnership,
            "call_999": draft["answers"]["now"]["happening_now"] == "yes",
        },
    )


def _send(request, draft, partnership, category, joining):
    address = client_ip(request)
    if draft.get("honeypot") or services.rate_limited(address):
        messages.error(
            request,
            "Too many reports have come from this connection: please try again"
            " later, or call 101.",
        )
        return redirect("reports:step", "check")
    details = _details(draft)
    try:
        if joining is not None:
            reporter = services.join_report(joining, details, address=address)
        else:
            lat, lon = draft["point"]
            placement = gazetteer.place_point(
                partnership,
                lat,
                lon,
                place=draft.get("place", ""),
                street=gazetteer.Street.objects.filter(pk=draft.get("street")).first(),
            )
            reporter = services.submit_report(
                partnership, category, placement, details, address=address
            )
    except (ValidationError, gazetteer.OutsideArea) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("reports:step", "where")
    if draft.get("photo"):
        default_storage.delete(draft["photo"][0])
    request.session.pop(DRAFT, None)
    messages.success(
        request,
        f"Your report has been sent. Your reference is {reporter.report.reference}."
        " Keep the address of this page: it is your private link to follow it.",
    )
    return redirect("reports:follow", reporter.token)


def follow(request, token):
    """The resident's private page: status, who has it, public updates."""
    reporter = access.reporter_for_token(token)
    report = reporter.report
    return TemplateResponse(
        request,
        "reports/follow.html",
        {
            "reporter": reporter,
            "report": report,
            "events": report.events.filter(public=True).select_related("organisation"),
            "can_reopen": services.can_reopen(report),
            "reopen_form": ReopenForm(),
            "satisfaction_form": SatisfactionForm(),
            "trigger": trigger.status_for(reporter),
        },
    )


@require_POST
def follow_reopen(request, token):
    reporter = access.reporter_for_token(token)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(reporter, form.cleaned_data["note"])
            messages.success(request, "Your report has been reopened.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, "Say what is still happening.")
    return redirect("reports:follow", token)


@require_POST
def follow_satisfaction(request, token):
    reporter = access.reporter_for_token(token)
    form = SatisfactionForm(request.POST)
    if form.is_valid() and reporter.report.status == Report.Status.CLOSED:
        services.record_satisfaction(reporter, form.cleaned_data["satisfied"] == "yes")
        messages.success(request, "Thank you for telling us.")
    return redirect("reports:follow", token)

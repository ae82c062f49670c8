"""Open311 GeoReport v2: services, posting a request, and reading requests,
in JSON or XML. A posted request is the same report as one made on the form,
placed, routed and matched the same way. A reporter's identity never leaves:
requests are shown with the public place (rounded for reports about people)
and without the resident's own words."""

import json
from datetime import datetime, timedelta
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from csphub.accounts.models import Partnership
from csphub.accounts.services import client_ip

from .. import gazetteer, intake, services, tasks
from ..models import Category, Report, Reporter

FORMATS = {"json", "xml"}
MAX_DESCRIPTION = 4000


class Open311Error(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def _respond(data, fmt, root, item, status=200):
    if fmt == "xml":
        top = ElementTree.Element(root)
        for row in data:
            element = ElementTree.SubElement(top, item)
            for key, value in row.items():
                child = ElementTree.SubElement(element, key)
                child.text = (
                    ""
                    if value is None
                    else str(value).lower()
                    if isinstance(value, bool)
                    else str(value)
                )
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(top)
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(
        json.dumps(data), status=status, content_type="application/json"
    )


def _error(error, fmt):
    fmt = fmt if fmt in FORMATS else "json"
    return _respond(
        [{"code": error.status, "description": str(error)}],
        fmt,
        "errors",
        "error",
        status=error.status,
    )


def _handled(view):
    def wrapped(request, *args, fmt="json", **kwargs):
        if fmt not in FORMATS:
            return _error(Open311Error("Ask for .json or .xml", 404), "json")
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return _error(error, fmt)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@_handled
def services_list(request, fmt):
    """GET services: every kind of ASB a resident can report."""
    rows = [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.description
            or f"{c.name} ({c.get_asb_type_display()} ASB)",
            "metadata": False,
            "type": "realtime",
            "keywords": c.asb_type,
            "group": c.get_asb_type_display(),
        }
        for c in Category.objects.all()
    ]
    return _respond(rows, fmt, "services", "service")


def _param(request, name, limit=200):
    value = request.POST.get(name, "")
    if not isinstance(value, str):
        raise Open311Error(f"{name} must be text")
    value = value.strip()
    if len(value) > limit:
        raise Open311Error(f"{name} is longer than {limit} characters")
    return value


def _jurisdiction(request, lat, lon):
    slug = _param(request, "jurisdiction_id", 60) or request.GET.get(
        "jurisdiction_id", ""
    )
    known = intake.known.fresh()
    if slug:
        found = known.partnerships.get(slug)
        if found is None:
            raise Open311Error(f"jurisdiction_id {slug!r} is not served here", 404)
        return found
    if lat is not None:
        found = known.borough_at(lat, lon)
        if found:
            return found
    address = _param(request, "address_string", 200)
    partnerships = Partnership.objects.exclude(borough=None)
    boroughs = partnerships.select_related("borough").defer("borough__boundary")
    having = [p for p in boroughs if gazetteer.streets_named(p.borough, address, 1)]
    if lat is None and len(having) == 1:
        return having[0]
    if len(known.partnerships) == 1:
        return next(iter(known.partnerships.values()))
    raise Open311Error(
        "jurisdiction_id is required: the place is in no area served here"
    )


def _coordinates(request):
    lat, lon = _param(request, "lat", 30), _param(request, "long", 30)
    if not lat and not lon:
        return None, None
    try:
        return float(lat), float(lon)
    except ValueError:
        raise Open311Error("lat and long must both be decimal degrees") from None


def _placement(request, partnership, lat, lon):
    try:
        if lat is not None:
            return intake.place_point(partnership, lat, lon)
        address = _param(request, "address_string", 200)
        if not address:
            raise Open311Error("Give lat and long, or address_string")
        postcode = gazetteer.normalise_postcode(address)
        if postcode:
            return intake.Placed.of(gazetteer.place_postcode(partnership, postcode))
        streets = gazetteer.streets_named(partnership.borough, address, limit=2)
        if not streets:
            raise Open311Error(
                f"address_string {address!r} is not a street in this area"
            )
        return intake.Placed.of(gazetteer.place_street(partnership, streets[0]))
    except gazetteer.OutsideArea as error:
        raise Open311Error(str(error)) from None
    except ValueError as error:
        raise Open311Error(str(error)) from None


def _details(request):
    email = _param(request, "email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error("email is not an email address") from None
    name = " ".join(
        filter(
            None,
            [_param(request, "first_name", 100), _param(request, "last_name", 100)],
        )
    )
    description = _param(request, "description", MAX_DESCRIPTION)
    if not description:
        raise Open311Error("description is required")
    return services.Details(
        description=description,
        name=name,
        email=email,
        phone=_param(request, "phone", 30),
    )


def _trusted(request):
    key = request.POST.get("api_key", "")
    return bool(key) and key in getattr(settings, "CSPHUB_OPEN311_KEYS", ())


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_handled
def requests(request, fmt):
    """POST a new request, or GET requests (by id, service, dates, status)."""
    if request.method == "GET":
        return _requests_list(request, fmt)
    if request.content_type == "application/json":
        raise Open311Error("Post the fields form-encoded, as GeoReport v2 defines")
    code = _param(request, "service_code", 40)
    category = intake.known.fresh().categories.get(code)
    if category is None:
        raise Open311Error(
            f"service_code {code!r} is not a service; see services.{fmt}"
        )
    lat, lon = _coordinates(request)
    if lat is None and not _param(request, "address_string", 200):
        raise Open311Error("Give lat and long, or address_string")
    partnership = _jurisdiction(request, lat, lon)
    placement = _placement(request, partnership, lat, lon)
    details = _details(request)
    address = client_ip(request)
    if not _trusted(request) and services.rate_limited(address):
        raise Open311Error("Too many requests from this address: try later", 429)
    # Written now, routed and matched just after (intake.py).
    try:
        reporter, duplicate = tasks.take_report_and_triage(
            partnership,
            category,
            placement,
            details,
            channel=Reporter.Channel.OPEN311,
            address=address,
        )
    except IntegrityError:
        # A category, partnership or area this process still kept was removed
        # (intake.Known): nothing was written; read them again.
        intake.known.forget()
        raise Open311Error(
            "The services or areas changed while this was sent: send it again", 409
        ) from None
    notice = (
        f"An open report of this kind nearby ({duplicate})"
        " may be the same problem; the partners may join them."
        if duplicate
        else ""
    )
    row = {
        "service_request_id": reporter.report.reference,
        "token": reporter.token,
        "service_notice": notice,
        "account_id": None,
    }
    return _respond([row], fmt, "service_requests", "request", status=201)


def _row(report):
    lat, lon = report.public_point()
    updated = report.closed_at or report.first_response_at or report.created_at
    return {
        "service_request_id": report.reference,
        "status": "open" if report.is_open() else "closed",
        "status_notes": report.outcome or report.get_status_display(),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": f"{report.category.name}, {report.public_place()}",
        "agency_responsible": report.organisation.name
        if report.organisation_id
        else "",
        "service_notice": "",
        "requested_datetime": report.created_at.isoformat(),
        "updated_datetime": updated.isoformat(),
        "expected_datetime": report.first_response_due.isoformat()
        if report.first_response_due
        else "",
        "address": report.public_place(),
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lon,
        "media_url": "",
    }


def _date(value, name):
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(
            f"{name} must be a W3C date-time, like 2026-11-01T00:00:00Z"
        ) from None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _requests_list(request, fmt):
    reports = Report.objects.exclude(status=Report.Status.MERGED).select_related(
        "category", "organisation", "lsoa"
    )
    q = request.GET
    if q.get("jurisdiction_id"):
        reports = reports.filter(partnership__slug=q["jurisdiction_id"])
    if q.get("service_request_id"):
        ids = [i.strip().upper() for i in q["service_request_id"].split(",")][:100]
        return _respond(
            [_row(r) for r in reports.filter(reference__in=ids)],
            fmt,
            "service_requests",
            "request",
        )
    if q.get("service_code"):
        reports = reports.filter(category__code__in=q["service_code"].split(","))
    end = _date(q["end_date"], "end_date") if q.get("end_date") else timezone.now()
    start = (
        _date(q["start_date"], "start_date")
        if q.get("start_date")
        else end - timedelta(days=90)
    )
    reports = reports.filter(created_at__gte=start, created_at__lte=end)
    status = q.get("status", "")
    if status not in ("", "open", "closed"):
        raise Open311Error("status must be open or closed")
    if status == "open":
        reports = reports.open()
    elif status == "closed":
        reports = reports.filter(status=Report.Status.CLOSED)
    rows = [_row(r) for r in reports.order_by("-created_at")[:1000]]
    return _respond(rows, fmt, "service_requests", "request")


@require_GET
@_handled
def request_detail(request, reference, fmt):
    report = (
        Report.objects.select_related("category", "organisation", "lsoa")
        .filter(reference=reference.upper())
        .first()
    )
    if report is None:
        raise Open311Error(f"No request {reference!r}", 404)
    return _respond([_row(report)], fmt, "service_requests", "request")

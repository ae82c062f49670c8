"""What the search box can find, kind by kind: how each app's records become
SearchEntry rows, and which of them a person may see.

Access is asked of the records' own querysets at search time (the same rules
as their pages), never stored in the index. The index follows saves and
deletes through post_save/post_delete (the apps below web may not call it);
bulk loads that skip signals are caught up by `rebuild_search_index`.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from csphub.accounts.models import Role
from csphub.casework.models import Action, Issue, member_bodies
from csphub.meetings.models import AgendaItem, Decision, Meeting
from csphub.offenders.models import Nominal
from csphub.performance.models import Indicator
from csphub.places.models import Area, Zone
from csphub.reports.models import Report
from csphub.structure.models import Body, Person, Seat

from .models import SearchEntry

WORD = re.compile(r"[^\W_]+")


def words_of(*texts):
    """Lower-case words, split on anything not a letter or digit. Both
    databases index these, joined by spaces, so they tokenise them alike."""
    return [w for t in texts if t for w in WORD.findall(str(t).lower())]


@dataclass(frozen=True)
class Doc:
    partnership_id: int
    object_id: int
    title: str
    summary: str
    url: str
    texts: tuple
    restricted: bool = False


@dataclass(frozen=True)
class Source:
    """One kind of findable record."""

    kind: str
    group: str  # the filter it shows under (?kind=)
    model: type
    rows: object  # () -> queryset of the model, with what docs reads
    docs: object  # (rows) -> iterable of Doc
    visible: object  # (partnership, user, roles) -> Q over SearchEntry
    fields: frozenset = frozenset()  # fields that change the entry
    # (instance) -> False while the record is not findable yet: its save then
    # costs no query here (a report posted through Open311 waits for triage).
    findable: object = None


# Documents -------------------------------------------------------------------


def _issue_docs(rows):
    for i in rows:
        where = i.ward.name if i.ward_id else (i.zone.name if i.zone_id else "")
        yield Doc(
            i.partnership_id,
            i.pk,
            i.title,
            f"Issue on {i.body.name}'s action log: {i.get_status_display().lower()}",
            i.get_absolute_url(),
            (i.title, i.description, i.location, i.body.name, where,
             i.get_theme_display()),
            i.restricted,
        )  # fmt: skip


def _action_docs(rows):
    for a in rows:
        yield Doc(
            a.issue.partnership_id,
            a.pk,
            a.title,
            f"Action on {a.issue.title}, for {a.owner.name}, due {a.due:%-d %B %Y}",
            a.issue.get_absolute_url(),
            (a.title, a.owner.name, a.organisation.name),
            a.issue.restricted,
        )


def _body_docs(rows):
    for b in rows:
        yield Doc(
            b.partnership_id, b.pk, b.name, b.get_kind_display(),
            b.get_absolute_url(), (b.name, b.short_name, b.get_kind_display()),
        )  # fmt: skip


def _person_docs(rows):
    for p in rows:
        bodies = [
            s.body for s in p.seats.all() if s.ended is None and not s.body.restricted
        ]
        if not bodies:
            continue  # a person is found through the bodies they sit on
        org = p.organisation.name if p.organisation_id else ""
        sits = ", ".join(b.name for b in bodies[:3])
        yield Doc(
            p.partnership_id, p.pk, p.name,
            (f"{org}. " if org else "") + f"Sits on {sits}",
            bodies[0].get_absolute_url(), (p.name, org),
        )  # fmt: skip


def _meeting_docs(rows):
    for m in rows:
        yield Doc(
            m.partnership_id, m.pk, m.name,
            f"Meeting on {m.date:%-d %B %Y}: {m.get_status_display().lower()}",
            m.get_absolute_url(), (m.body.name, m.body.short_name, m.title, m.place),
        )  # fmt: skip


def _item_docs(rows):
    for i in rows:
        yield Doc(
            i.meeting.partnership_id, i.pk, i.title, f"Agenda item at {i.meeting}",
            i.get_absolute_url(), (i.title, i.sought, i.lead), i.restricted,
        )  # fmt: skip


def _decision_docs(rows):
    for d in rows:
        meeting = d.item.meeting
        yield Doc(
            meeting.partnership_id, d.pk, d.text[:200], f"Decision of {meeting}",
            d.get_absolute_url(), (d.text, d.proposed_by, d.item.title),
            d.item.restricted,
        )  # fmt: skip


def _report_docs(rows):
    # Never the residents behind a report: their identities stay with the
    # partner it is routed to.
    for r in rows:
        to = r.organisation.name if r.organisation_id else "not routed yet"
        ward = r.ward.name if r.ward_id else ""
        yield Doc(
            r.partnership_id, r.pk, str(r),
            f"Resident's report: {r.get_status_display().lower()}, with {to}",
            r.get_absolute_url(),
            (r.reference, r.category.name, r.place, ward, r.outcome, r.team, to),
        )  # fmt: skip


def _indicator_docs(rows):
    for k in rows:
        yield Doc(
            k.partnership_id, k.pk, k.name, f"Indicator: {k.theme}".rstrip(": "),
            k.get_absolute_url(), (k.name, k.theme, k.description),
        )  # fmt: skip


def _zone_docs(rows):
    for z in rows:
        yield Doc(
            z.partnership_id, z.pk, f"{z.name} zone", "Zone",
            reverse("web:zone-detail", args=[z.slug]), (z.name, "zone"),
        )  # fmt: skip


def _area_rows():
    return Area.objects.filter(
        kind__in=[Area.Kind.BOROUGH, Area.Kind.WARD]
    ).select_related("parent")


def _area_docs(rows):
    from csphub.accounts.models import Partnership

    boroughs = dict(
        Partnership.objects.exclude(borough=None).values_list("borough_id", "pk")
    )
    for a in rows:
        partnership_id = boroughs.get(a.pk) or boroughs.get(a.parent_id)
        if partnership_id:
            kind = a.get_kind_display()
            yield Doc(
                partnership_id, a.pk, a.name, kind,
                reverse("web:area-detail", args=[a.code]), (a.name, a.code, kind),
            )  # fmt: skip


def _nominal_docs(rows):
    for n in rows:
        stream = n.get_stream_display()
        yield Doc(
            n.partnership_id, n.pk, n.code, f"IOM cohort: {stream.lower()}",
            n.get_absolute_url(), (n.code, stream, n.risk_tier), True,
        )  # fmt: skip


# Who may see what ------------------------------------------------------------


def _is_admin(roles):
    return Role.ADMIN in roles


def _visible_issues(partnership, user):
    return Issue.objects.filter(partnership=partnership).visible_to(user)


def _visible_meetings(partnership, user, roles):
    meetings = Meeting.objects.filter(partnership=partnership)
    if _is_admin(roles):
        return meetings
    return meetings.filter(Q(body__restricted=False) | Q(body__in=member_bodies(user)))


def _visible_items(partnership, user, roles):
    """Exempt items only for those who run the meeting: members of its body
    or of the Executive that plans it (meetings.services.runner_body_ids)."""
    items = AgendaItem.objects.filter(
        meeting__in=_visible_meetings(partnership, user, roles)
    )
    if _is_admin(roles):
        return items
    seats = member_bodies(user)
    planner = Body.objects.filter(
        reports_to=OuterRef("meeting__body"), kind=Body.Kind.EXECUTIVE, pk__in=seats
    ).exclude(status=Body.Status.DISCONTINUED)
    return items.filter(
        Q(restricted=False) | Q(meeting__body__in=seats) | Q(Exists(planner))
    )


def _ids(kind, queryset):
    return Q(kind=kind, object_id__in=queryset.values("pk"))


def _everyone(kind):
    return lambda partnership, user, roles: Q(kind=kind)


SOURCES = [
    Source(
        "issue", "issues", Issue,
        lambda: Issue.objects.select_related("body", "ward", "zone"),
        _issue_docs,
        lambda p, u, r: _ids("issue", _visible_issues(p, u)),
        frozenset({"title", "description", "location", "body", "ward", "zone",
                   "theme", "status", "restricted"}),
    ),
    Source(
        "action", "actions", Action,
        lambda: Action.objects.select_related("issue", "owner", "organisation"),
        _action_docs,
        lambda p, u, r: _ids(
            "action", Action.objects.filter(issue__in=_visible_issues(p, u))
        ),
        frozenset({"title", "owner", "organisation", "due", "issue"}),
    ),
    Source(
        "body", "bodies", Body, lambda: Body.objects.all(), _body_docs,
        lambda p, u, r: _ids(
            "body",
            Body.objects.filter(partnership=p).visible_to(u, is_admin=_is_admin(r)),
        ),
        frozenset({"name", "short_name", "kind", "slug"}),
    ),
    Source(
        "person", "people", Person,
        lambda: Person.objects.select_related("organisation").prefetch_related(
            "seats__body"
        ),
        _person_docs, _everyone("person"), frozenset({"name", "organisation"}),
    ),
    Source(
        "meeting", "meetings", Meeting,
        lambda: Meeting.objects.select_related("body"), _meeting_docs,
        lambda p, u, r: _ids("meeting", _visible_meetings(p, u, r)),
        frozenset({"title", "date", "place", "status", "body"}),
    ),
    Source(
        "item", "meetings", AgendaItem,
        lambda: AgendaItem.objects.select_related("meeting__body"), _item_docs,
        lambda p, u, r: _ids("item", _visible_items(p, u, r)),
        frozenset({"title", "sought", "lead", "restricted"}),
    ),
    Source(
        "decision", "decisions", Decision,
        lambda: Decision.objects.select_related("item__meeting__body"),
        _decision_docs,
        lambda p, u, r: _ids(
            "decision", Decision.objects.filter(item__in=_visible_items(p, u, r))
        ),
        frozenset({"text", "proposed_by"}),
    ),
    Source(
        "report", "reports", Report,
        lambda: Report.objects.filter(awaiting_triage=False).select_related(
            "category", "organisation", "ward"
        ),
        _report_docs, _everyone("report"),
        frozenset({"status", "outcome", "team", "organisation", "place",
                   "category", "awaiting_triage"}),
        lambda report: not report.awaiting_triage,
    ),
    Source(
        "indicator", "indicators", Indicator, lambda: Indicator.objects.all(),
        _indicator_docs, _everyone("indicator"),
        frozenset({"name", "theme", "description", "slug"}),
    ),
    Source(
        "zone", "areas", Zone, lambda: Zone.objects.defer("boundary"), _zone_docs,
        _everyone("zone"), frozenset({"name", "slug"}),
    ),
    Source(
        "area", "areas", Area, lambda: _area_rows().defer("boundary"), _area_docs,
        _everyone("area"), frozenset({"name", "code"}),
    ),
    Source(
        "nominal", "iom", Nominal, lambda: Nominal.objects.all(), _nominal_docs,
        lambda p, u, r: Q(kind="nominal") if Role.IOM in r else Q(pk__in=[]),
        frozenset({"code", "stream", "risk_tier"}),
    ),
]  # fmt: skip
BY_KIND = {s.kind: s for s in SOURCES}
BY_MODEL = {s.model: s for s in SOURCES}


def entries(source, rows):
    return [
        SearchEntry(
            partnership_id=d.partnership_id,
            kind=source.kind,
            object_id=d.object_id,
            title=d.title[:300],
            summary=d.summary[:300],
            url=d.url[:300],
            words=" ".join(words_of(*d.texts)),
            restricted=d.restricted,
        )
        for d in source.docs(rows)
    ]


@transaction.atomic
def rebuild_index(partnership=None):
    """Index every findable record again (of one partnership, or all);
    returns {kind: rows indexed}."""
    counts = {}
    for source in SOURCES:
        stale = SearchEntry.objects.filter(kind=source.kind)
        if partnership is not None:
            stale = stale.filter(partnership=partnership)
        stale.delete()
        made = [
            e
            for e in entries(source, source.rows().iterator(chunk_size=2000))
            if partnership is None or e.partnership_id == partnership.pk
        ]
        SearchEntry.objects.bulk_create(made, batch_size=1000)
        counts[source.kind] = len(made)
    return counts


def index_record(source, pk):
    """Bring one record's entry up to date (or drop it if it is gone)."""
    made = entries(source, source.rows().filter(pk=pk))
    SearchEntry.objects.filter(kind=source.kind, object_id=pk).delete()
    if made:
        SearchEntry.objects.bulk_create(made)


def _saved(sender, instance, raw=False, update_fields=None, **kwargs):
    source = BY_MODEL[sender]
    if raw or (update_fields is not None and not set(update_fields) & source.fields):
        return
    if source.findable is not None and not source.findable(instance):
        return
    index_record(source, instance.pk)


def _deleted(sender, instance, **kwargs):
    SearchEntry.objects.filter(
        kind=BY_MODEL[sender].kind, object_id=instance.pk
    ).delete()


def _seat_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_record(BY_KIND["person"], instance.person_id)


def connect():
    """Follow saves and deletes of every indexed model (from WebConfig.ready)."""
    for source in SOURCES:
        uid = f"web.search.{source.kind}"
        post_save.connect(_saved, sender=source.model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=source.model, dispatch_uid=uid)
    post_save.connect(_seat_saved, sender=Seat, dispatch_uid="web.search.seat")
    post_delete.connect(_seat_saved, sender=Seat, dispatch_uid="web.search.seat")

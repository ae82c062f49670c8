"""Sections that apps above intelligence add to a briefing.

A briefing shows what other parts of the partnership know about its area
(open problem-solving projects, residents' reports), but intelligence may not
import the apps above it. Those apps register a provider here from their
AppConfig.ready(); the briefing page and PDF ask every provider at render
time, for the person reading, so restricted records stay with those who may
see them.

A provider is `provider(partnership, area, month, user) -> BriefingSection or
None`, where `area` is a places Area (borough or ward) or Zone and `month` the
first day of the briefing's month. Return None when there is nothing to say.
"""

from dataclasses import dataclass, field

_providers = []  # functions, registered once at start-up; holds no data


@dataclass(frozen=True)
class BriefingSection:
    """One section of a briefing contributed by another app."""

    title: str
    template: str  # renders `section` (this object)
    rows: list = field(default_factory=list)
    summary: str = ""  # one plain-English sentence for the briefing's summary
    order: int = 100


def provide_briefing_section(provider):
    """Register a provider (idempotent, so a reloaded app registers once)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def briefing_sections(partnership, area, month, user):
    """Every registered provider's section for this area and month, in order."""
    sections = [provider(partnership, area, month, user) for provider in _providers]
    return sorted((s for s in sections if s is not None), key=lambda s: s.order)


# Incident sources that apps above intelligence offer to the analysis (issue
# 19): residents' reports live in `reports`, which intelligence may not
# import, so reports registers a source here and a briefing can count its
# trends and hotspots beside police.uk and the partner data sets.

_sources = []  # IncidentSource objects, registered once at start-up


@dataclass(frozen=True)
class IncidentSource:
    """Counts another app offers to briefings, by ward or LSOA, category and month.

    `key` is unique and holds a colon (data set slugs cannot); `months(partnership)`
    is the set of months (first days) its data covers; `counts(partnership,
    ward_ids, months)` gives (ward id, category, month, n) rows and
    `lsoa_counts(partnership, months)` (lsoa id, category, n) rows, each one
    grouped query. No row names a person.
    """

    key: str
    name: str
    organisation: str
    months: object
    counts: object
    lsoa_counts: object


def provide_incident_source(source):
    """Register an incident source (idempotent by key)."""
    if all(s.key != source.key for s in _sources):
        _sources.append(source)
    return source


def incident_sources():
    """The registered incident sources, in registration order."""
    return list(_sources)

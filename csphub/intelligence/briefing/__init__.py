"""Intelligence briefings: what an analyst would put before a zonal meeting.

Inputs -> compute -> store: `inputs.read_inputs` reads what a briefing needs
from the database in a handful of grouped queries; `compute.compute` turns
those inputs into the stored results with no database access (so the
London-size benchmark can feed it the same inputs from memory); `build` here
runs both for a Briefing row and records progress. The page, PDF and JSON
are rendered from the stored results by `presentation` and `briefing_text`.

Methods (../shared/reference/METHODS.md): emerging trends per ward and zone x
category through `csphub.analytics.trend` (section 4); Getis-Ord Gi* over the
borough's LSOAs with binary queen contiguity from the boundaries, star=True,
and over a grid of points, significant by the two-sided normal p-value of the
z-score with FDR at 5% over all areas of the run (section 2.3, revised), the
999-permutation p_sim with a recorded seed beside it as a check; local Moran's
I (permutation p-values, FDR) where asked.
"""

import time

from ..models import Briefing
from .compute import compute
from .inputs import (
    DEFAULTS,
    SEED,
    BriefingError,
    BriefingInputs,
    Unit,
    check_month,
    chosen_sources,
    incidents_url,
    place_code,
    place_kind,
    place_name,
    read_inputs,
    resolve_area,
    window,
)

__all__ = [
    "DEFAULTS",
    "SEED",
    "BriefingError",
    "BriefingInputs",
    "Unit",
    "build",
    "check_month",
    "chosen_sources",
    "compute",
    "incidents_url",
    "parameters_with_defaults",
    "place_code",
    "place_kind",
    "place_name",
    "read_inputs",
    "resolve_area",
    "window",
]


def build(briefing, *, progress=None):
    """Compute and store a briefing's results, recording progress on the row."""
    started = time.perf_counter()
    place = briefing.place()

    def report(percent, step):
        Briefing.objects.filter(pk=briefing.pk).update(progress=percent, step=step)
        if progress:
            progress(percent, step)

    Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.RUNNING)
    try:
        report(2, "Reading the incidents")
        inputs = read_inputs(
            briefing.partnership, place, briefing.month, briefing.parameters
        )
        results = compute(inputs, briefing.parameters, briefing.seed, report)
    except BriefingError as e:
        briefing.status, briefing.message = Briefing.Status.FAILED, str(e)
        briefing.save(update_fields=["status", "message"])
        raise
    briefing.results = results
    briefing.data_months = results["data_months"]
    briefing.status, briefing.progress, briefing.step = Briefing.Status.DONE, 100, ""
    briefing.seconds = round(time.perf_counter() - started, 3)
    briefing.save(
        update_fields=[
            "results",
            "data_months",
            "status",
            "progress",
            "step",
            "seconds",
        ]
    )
    return briefing


def parameters_with_defaults(**given):
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise BriefingError(f"unknown briefing options: {', '.join(sorted(unknown))}")
    parameters = {**DEFAULTS, **{k: v for k, v in given.items() if v is not None}}
    for name in ("sources", "hotspot_sources", "hotspot_categories"):
        parameters[name] = list(dict.fromkeys(parameters[name]))
    if not 50 <= float(parameters["cell_size"]) <= 2000:
        raise BriefingError("the grid cell size must be from 50 to 2000 metres")
    return parameters

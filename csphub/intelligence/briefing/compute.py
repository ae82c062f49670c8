"""A briefing's results from its inputs, with no database access: totals,
trends, hotspots (LSOA and grid), local Moran's I, near repeats and repeat
victims, each naming its source."""

import numpy as np
from shapely.geometry import shape

from csphub.analytics import hotspot

from .. import briefing_text, sources as data_sources
from .inputs import recent_months


def compute(inputs, parameters, seed, progress=None):
    """The briefing's results, a JSON-ready dict, from its inputs."""
    progress = progress or (lambda percent, step: None)
    results = {
        "area": {
            "code": inputs.area.code,
            "name": inputs.area.name,
            "kind": inputs.area.kind,
        },
        "month": f"{inputs.month:%Y-%m}",
        "months": [f"{m:%Y-%m}" for m in inputs.months],
        "data_months": [
            f"{m:%Y-%m}"
            for m, h in zip(inputs.months, inputs.has_data, strict=True)
            if h
        ],
        "no_data_months": [
            f"{m:%Y-%m}"
            for m, h in zip(inputs.months, inputs.has_data, strict=True)
            if not h
        ],
        "hotspot_months": [
            f"{m:%Y-%m}"
            for m in recent_months(
                inputs.months, inputs.has_data, parameters["hotspot_months"]
            )
        ],
        "seed": seed,
        "permutations": parameters["permutations"],
        **_sources_used(inputs, parameters),
    }
    progress(10, "Counting incidents by category and month")
    area_counts = _sum_wards(inputs, inputs.area.ward_ids)
    results["counts"], results["total"] = _headlines(inputs, area_counts)
    results.update(_source_totals(inputs, area_counts, results["sources"]))
    primary = results["sources"][0]["key"]
    results["series"] = {
        "months": results["months"],
        "total": _masked(
            _plain_rows(inputs, area_counts, primary).sum(axis=0),
            _source_has_data(inputs, primary),
        ),
    }
    progress(25, "Testing for emerging and worrying trends")
    results.update(_trends(inputs, parameters))
    progress(50, "Finding hotspots (Gi* over LSOAs, 999 permutations)")
    results.update(_lsoa_hotspots(inputs, parameters, seed))
    progress(70, "Finding hotspots on a grid")
    results["grid"] = _grid_hotspots(inputs, parameters, seed)
    if parameters["local_moran"]:
        progress(80, "Local Moran's I")
        results["local_moran"] = _local_moran(inputs, parameters, seed)
    progress(90, "Drawing the map and writing the summary")
    results["repeat_locations"] = inputs.repeats
    results["repeat_total"] = inputs.repeat_total
    results["near_repeat"] = _near_repeats(inputs, parameters)
    results["near_repeat_note"] = _near_repeat_note(results["near_repeat"], parameters)
    results["repeat_victims"] = _repeat_victims(inputs)
    results["map_svg"] = briefing_text.hotspot_map(inputs, results)
    results["grid_svg"] = briefing_text.grid_map(inputs, results)
    results["summary"] = briefing_text.summary_sentences(results)
    results["summary"] += _partner_sentences(results)
    return results


def _row_source(inputs, i):
    return inputs.category_sources[i] if inputs.category_sources else "police_uk"


def _row_has_data(inputs, i):
    return inputs.row_has_data[i] if inputs.row_has_data else inputs.has_data


def _plain_rows(inputs, counts, source=None):
    """The counts without the flagged series (they count incidents again),
    of one source when given."""
    flagged = set(data_sources.FLAG_SERIES.values())
    keep = [
        i
        for i, c in enumerate(inputs.categories)
        if c not in flagged and source in (None, _row_source(inputs, i))
    ]
    return counts[keep] if len(keep) != len(inputs.categories) else counts


def _source_has_data(inputs, source):
    for i in range(len(inputs.categories)):
        if _row_source(inputs, i) == source:
            return _row_has_data(inputs, i)
    return inputs.has_data


def _source_totals(inputs, counts, sources):
    """The headline total is the first source's (police.uk when chosen): data
    sets can record the same incidents (a council ASB log and police.uk ASB),
    so they are totalled one by one, never added together."""
    totals = []
    for source in sources:
        count, last_year, mean = _headline(
            _plain_rows(inputs, counts, source["key"]).sum(axis=0),
            _source_has_data(inputs, source["key"]),
        )
        totals.append(
            {
                "source": source["key"],
                "name": source["name"],
                "count": count,
                "last_year": last_year,
                "mean_12m": mean,
            }
        )
    first = totals[0]
    return {
        "total": {k: first[k] for k in ("count", "last_year", "mean_12m")},
        "total_source": first["name"] if len(totals) > 1 else "",
        "source_totals": totals,
    }


def _sources_used(inputs, parameters):
    """The briefing's sources (key, name, organisation, kind, synthetic), the
    hotspot run's mix and categories, and its harm weights."""
    used = data_sources.briefing_sources({"sources": inputs.sources})
    hotspot_keys = inputs.hotspot_sources or [s["key"] for s in used]
    harm = None
    if inputs.harm is not None:
        from csphub.analytics.harm import harm_values

        _, missing = harm_values(inputs.lsoa_category_counts, inputs.harm["weights"])
        harm = {**inputs.harm, "unweighted_categories": missing}
    return {
        "sources": used,
        "hotspot_sources": hotspot_keys,
        "hotspot_source": "+".join(hotspot_keys),
        "hotspot_categories": list(parameters.get("hotspot_categories") or []),
        "harm": harm,
    }


def _repeat_victims(inputs):
    """Repeat victimisation in the chosen data sets that carry a victim or
    household reference (as a keyed hash): counts only, never a hash."""
    from csphub.analytics.repeat_victims import repeat_victimisation

    if not inputs.victims:
        return None
    names = {s["key"]: s["name"] for s in inputs.sources}
    r = repeat_victimisation(
        (victim, day, inputs.ward_names.get(ward, ""))
        for _, victim, day, ward in inputs.victims
    )
    return {
        "sources": sorted({names.get(k, k) for k, *_ in inputs.victims}),
        "first": min(day for _, _, day, _ in inputs.victims).isoformat(),
        "last": max(day for _, _, day, _ in inputs.victims).isoformat(),
        "incidents": r.incidents,
        "victims": r.victims,
        "repeat_victims": r.repeat_victims,
        "repeat_incidents": r.repeat_incidents,
        "share": _round(r.share, 3),
        "median_days": _round(r.median_gap),
        "gap_bands": [{"label": label, "count": n} for label, n in r.gap_bands],
        "areas": [
            {"ward": a, "incidents": n, "victims": v} for a, n, v in r.areas[:20]
        ],
    }


def _partner_sentences(results):
    """Summary sentences about the partner data (issue 19)."""
    sentences = []
    partner = [t for t in results["trends"] if t["source"] != data_sources.POLICE_UK]
    if partner:
        t = partner[0]
        sentences.append(
            f"From partner data: {t['category'].lower()} in {t['area_name']}"
            f" ({t['source_name']}) is flagged, {t['observed']} against"
            f" {t['expected']} expected."
        )
    rv = results["repeat_victims"]
    if rv and rv["repeat_victims"]:
        sentences.append(
            f"{round(100 * rv['share'])}% of the incidents with a victim or"
            f" household reference were against {rv['repeat_victims']} repeat"
            f" victim{'s' if rv['repeat_victims'] != 1 else ''}."
        )
    return sentences


def _sum_wards(inputs, ward_ids):
    total = np.zeros((len(inputs.categories), len(inputs.months)), dtype=np.int64)
    for w in ward_ids:
        if w in inputs.ward_counts:
            total += inputs.ward_counts[w]
    return total


def _masked(values, has_data):
    return [int(v) if h else None for v, h in zip(values, has_data, strict=True)]


def _headline(values, has_data):
    """(count, last year, mean of the 12 months before) of one series."""
    series = _masked(values, has_data)
    last_year = series[-13] if len(series) >= 13 else None
    previous = [v for v in series[-13:-1] if v is not None]
    mean = round(sum(previous) / len(previous), 1) if previous else None
    return series[-1], last_year, mean


def _headlines(inputs, counts):
    rows = []
    for i, category in enumerate(inputs.categories):
        count, last_year, mean = _headline(counts[i], _row_has_data(inputs, i))
        rows.append(
            {
                "category": category,
                "source": _row_source(inputs, i),
                "count": count,
                "last_year": last_year,
                "mean_12m": mean,
            }
        )
    rows.sort(key=lambda r: (-(r["count"] or 0), r["category"], r["source"]))
    count, last_year, mean = _headline(
        _plain_rows(inputs, counts).sum(axis=0), inputs.has_data
    )
    return rows, {"count": count, "last_year": last_year, "mean_12m": mean}


def _trends(inputs, parameters):
    """Emerging and worrying trends (METHODS.md section 4) for every unit x
    category, ranked by excess count; the flagged ones with their series."""
    from csphub.analytics.trend import TrendSeries, emerging_trends

    series, by_key = [], {}
    for unit in inputs.units:
        counts = _sum_wards(inputs, unit.ward_ids)
        for i, category in enumerate(inputs.categories):
            if not counts[i].any():
                continue  # never recorded here: nothing to test
            key = (unit.code, category, _row_source(inputs, i))
            values = _masked(counts[i], _row_has_data(inputs, i))
            series.append(TrendSeries(key, list(inputs.months), values))
            by_key[key] = (unit, values)
    tested = emerging_trends(series, alpha=parameters["alpha"]) if series else []
    flagged = sorted((r for r in tested if r.flagged), key=lambda r: -(r.excess or 0))
    names = {s["key"]: s["name"] for s in inputs.sources}
    trends = []
    for r in flagged:
        unit, values = by_key[r.key]
        trends.append(
            {
                "area": unit.code,
                "area_name": unit.name,
                "area_kind": unit.kind,
                "category": r.key[1],
                "source": r.key[2],
                "source_name": names.get(r.key[2], data_sources.POLICE_UK_NAME),
                "observed": r.observed,
                "expected": _round(r.expected),
                "excess": _round(r.excess),
                "signal": None if r.signal is None else str(r.signal),
                "q_value": _round(r.q_value, 4),
                "p_value": _round(r.p_value, 4),
                "spc_signal": bool(r.spc_signal),
                "seasonal_signal": bool(r.seasonal_signal),
                "note": r.note or "",
                "counts": values,
            }
        )
    return {"trends": trends, "trend_tests": len(tested)}


def _round(value, digits=1):
    if value is None:
        return None
    value = float(value)
    return None if not np.isfinite(value) else round(value, digits)


def _lsoa_hotspots(inputs, parameters, seed):
    """Gi* over every LSOA of the borough; the briefing area's LSOAs reported."""
    areas = [(code, shape(geometry)) for code, _, _, geometry in inputs.lsoas]
    counts = {code: inputs.lsoa_counts.get(code, 0) for code, *_ in inputs.lsoas}
    harm = _harm_by_lsoa(inputs)
    values = counts if harm is None else {c: harm.get(c, 0.0) for c in counts}
    empty = {"hotspots": [], "hotspot_fdr_cutoff": None, "hotspot_areas_tested": 0}
    if len(areas) < 3:
        return {
            **empty,
            "hotspot_note": "The borough's LSOA boundaries are not loaded,"
            " so there is no hotspot map.",
        }
    if len(set(values.values())) < 2:
        return {
            **empty,
            "hotspot_note": "Every LSOA has the same count in these months,"
            " so there are no hotspots to find.",
        }
    result = hotspot.gi_star_areas(
        areas,
        values,
        seed=seed,
        permutations=parameters["permutations"],
        alpha=parameters["alpha"],
        keep_simulations=False,
    )
    names = {code: (name, ward) for code, name, ward, _ in inputs.lsoas}
    wards = set(inputs.area.ward_ids)
    rows = [
        {
            "lsoa": a.id,
            "name": names[a.id][0],
            "ward": inputs.ward_names.get(names[a.id][1], ""),
            "count": int(counts[a.id]),
            **({} if harm is None else {"harm": _round(harm.get(a.id, 0.0))}),
            "source": "+".join(inputs.hotspot_sources) or "police_uk",
            **_significance(a),
        }
        for a in result.areas
        if names[a.id][1] in wards
    ]
    rows.sort(key=lambda r: -(r["z"] if r["z"] is not None else -99))
    return {
        "hotspots": rows,
        "hotspot_p_value": result.p_value,
        "hotspot_fdr_cutoff": result.fdr_cutoff,
        "hotspot_areas_tested": sum(not a.island for a in result.areas),
        "hotspot_note": "",
    }


def _harm_by_lsoa(inputs):
    """{LSOA code: harm} when the run is weighted by the harm index, else None."""
    if inputs.harm is None:
        return None
    from csphub.analytics.harm import harm_values

    values, _ = harm_values(inputs.lsoa_category_counts, inputs.harm["weights"])
    return values


def _significance(area):
    """The Gi* figures of one LSOA or cell (METHODS.md 2.3, revised): z, the
    two-sided normal p the FDR correction used, the permutation check."""
    return {
        "z": _round(area.zs, 3),
        "p": _figures(area.p),
        "p_sim": _round(area.p_sim, 4),
        "significant": area.classification != hotspot.NOT_SIGNIFICANT,
        "p_sim_exceeds_alpha": area.p_sim_exceeds_alpha,
        "classification": area.classification,
        "gi_bin": area.gi_bin,
    }


def _figures(value, digits=3):
    """A p-value to `digits` significant figures (they run to 1e-10 and below)."""
    if value is None or not np.isfinite(value):
        return None
    return float(f"{float(value):.{digits}g}")


def _grid_hotspots(inputs, parameters, seed):
    """Gi* of the area's incident points on square cells of `cell_size` metres."""
    points = inputs.points
    if len(points) < 10:
        return None
    origin = (float(points[:, 0].mean()), float(points[:, 1].mean()))
    x, y = hotspot.project_lonlat(points[:, 0], points[:, 1], origin=origin)
    kx, ky = (
        v[0]
        for v in hotspot.project_lonlat([origin[0] + 1], [origin[1] + 1], origin=origin)
    )
    try:
        result = hotspot.gi_star_points(
            x,
            y,
            float(parameters["cell_size"]),
            seed=seed,
            permutations=parameters["permutations"],
            alpha=parameters["alpha"],
            keep_simulations=False,
        )
    except ValueError:  # all cells equal, or too many cells for the size
        return None
    grid = result.grid
    cells = []
    for a in result.areas:
        # Only hot cells: the grid covers the points' bounding box, and its
        # empty cells beyond the area's edge would all come out cold.
        if a.classification != hotspot.HOT:
            continue
        x0, y0, x1, y1 = grid.cell_bounds(a.id)
        bounds = [
            origin[0] + x0 / kx,
            origin[1] + y0 / ky,
            origin[0] + x1 / kx,
            origin[1] + y1 / ky,
        ]
        cells.append(
            {
                "bounds": [round(b, 6) for b in bounds],
                "count": int(a.count),
                **_significance(a),
            }
        )
    cells.sort(key=lambda c: -c["z"])
    return {
        "cell_size": parameters["cell_size"],
        "cells_tested": grid.n_cols * grid.n_rows,
        "hot": cells,
        "fdr_cutoff": result.fdr_cutoff,
    }


def _local_moran(inputs, parameters, seed):
    areas = [(code, shape(geometry)) for code, _, _, geometry in inputs.lsoas]
    if len(areas) < 3:
        return []
    counts = [inputs.lsoa_counts.get(code, 0) for code, *_ in inputs.lsoas]
    if len(set(counts)) < 2:
        return []
    result = hotspot.local_moran_areas(
        areas,
        counts,
        seed=seed,
        permutations=parameters["permutations"],
        keep_simulations=False,
    )
    names = {code: (name, ward) for code, name, ward, _ in inputs.lsoas}
    wards = set(inputs.area.ward_ids)
    return [
        {
            "lsoa": a.id,
            "name": names[a.id][0],
            "count": int(a.value),
            "cluster": a.cluster,
            "i": _round(a.i, 3),
            "p_sim": _round(a.p_sim, 4),
        }
        for a in result.areas
        if a.cluster != hotspot.NOT_SIGNIFICANT and names[a.id][1] in wards
    ]


def _near_repeats(inputs, parameters):
    """Near-repeat chains of the dated incidents, per data set and category;
    None when no incident here has a day (police.uk has months only)."""
    from csphub.analytics.near_repeat import near_repeat_chains

    if not inputs.dated:
        return None
    groups = {}
    for row in inputs.dated:
        groups.setdefault((row[1] or "police.uk", row[2]), []).append(row)
    lon = np.array([r[3] for r in inputs.dated])
    lat = np.array([r[4] for r in inputs.dated])
    origin = (float(lon.mean()), float(lat.mean()))
    chains = []
    for (source, category), rows in sorted(groups.items()):
        x, y = hotspot.project_lonlat(
            [r[3] for r in rows], [r[4] for r in rows], origin=origin
        )
        found = near_repeat_chains(
            list(zip(x.tolist(), y.tolist(), [r[5] for r in rows], strict=True)),
            distance=parameters["chain_metres"],
            days=parameters["chain_days"],
            ids=[r[0] for r in rows],
            min_size=parameters["chain_min_size"],
        )
        for chain in found.chains:
            members = [rows[i] for i in chain.events]
            chains.append({
                "source": source,
                "category": category,
                "size": chain.size,
                "first": chain.first.isoformat(),
                "last": chain.last.isoformat(),
                "span_days": chain.span_days,
                "span_metres": round(chain.span_metres),
                "latitude": round(sum(m[4] for m in members) / len(members), 6),
                "longitude": round(sum(m[3] for m in members) / len(members), 6),
                "incidents": [m[0] for m in members],
            })  # fmt: skip
    chains.sort(key=lambda c: (-c["size"], c["first"], c["source"], c["category"]))
    return {
        "distance_metres": parameters["chain_metres"],
        "days": parameters["chain_days"],
        "min_size": parameters["chain_min_size"],
        "dated_incidents": len(inputs.dated),
        "chain_count": len(chains),
        "chains": chains[:20],
    }


def _near_repeat_note(near_repeat, parameters):
    police = (
        "police.uk data gives only the month of each incident, so it has no"
        " near-repeat analysis."
    )
    if near_repeat is None:
        return (
            "Near-repeat analysis needs the day of each incident. " + police
            + " No partner data set with dates covers this area and period."
        )  # fmt: skip
    n = near_repeat["chain_count"]
    return (
        f"{police} Partner data with dates: {near_repeat['dated_incidents']}"
        f" incidents here, in {n} near-repeat chain{'s' if n != 1 else ''} of"
        f" {parameters['chain_min_size']} or more (each incident less than"
        f" {parameters['chain_metres']} m and {parameters['chain_days']} days"
        " from another in its chain)."
    )


# Running a briefing

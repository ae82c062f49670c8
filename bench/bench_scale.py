"""From one borough to the nation (issue 17), measured on PostgreSQL.

Runs only when DATABASE_URL is PostgreSQL (`make bench` starts one on loopback
when it is unset); creates and drops its own database on that server. Data:
bench/synthetic_policeuk.py, imported through `import_data` as police.uk
files. CSPHUB_BENCH_SCALE (default 1) scales the London set's incidents down
on a busy machine; CSPHUB_BENCH_PARTS (london,national) runs a part. Wall
times on a shared machine count other people's work too, so CPU seconds (this
process and its PostgreSQL backend; the task workers') are recorded beside.

* `scale.briefing_london_db_s`: a borough briefing of one London-size set
  (4,835 LSOAs, 538 wards, 5 zones, 36 monthly files, ~3 million incidents)
  from PostgreSQL, every read included (`build_briefing`). Baselines: the
  bare esda Gi* on the 4,835 LSOAs (`scale.gi_star_london_s`), the read alone
  (`scale.briefing_london_read_s`).
* `scale.import_copy_ratio`: `import_data` (parse, place, COPY) of the
  first 3 London files over a bare COPY of the same parsed, placed rows into
  the same table, in the same run (`scale.import_rows_per_s`,
  `scale.copy_rows_per_s`).
* `scale.brief_all_wards_per_min_1w` / `_2w`: ward briefings queued as
  `brief_all` queues them and prepared by 1, then 2, `db_worker` processes,
  over a borough of national shape (153 LSOAs, 17 wards, 10 years of files)
  in the same database as the London set; the rate is wards over the span from
  the first task started to the last finished. Baseline: one ward briefing
  inline (`scale.ward_briefing_inline_s`).
* `scale.national_nightly_h`: 8,000 wards / the 2-worker rate (README, "Model");
  `scale.national_nightly_cpu_h`: 8,000 x the CPU a ward / 2 cores.
"""

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
import synthetic_policeuk as synth  # noqa: E402

NATIONAL_WARDS = 8000
LONDON_MONTHS = 36
LONDON_PER_YEAR = 1_000_000
BOROUGH_LSOAS, BOROUGH_MONTHS = 153, 120
FIRST = date(2015, 7, 1)
COPY_FILES = 3


def log(message):
    print(message, file=sys.stderr, flush=True)


def add_months(d, n):
    return date(d.year + (d.month - 1 + n) // 12, (d.month - 1 + n) % 12 + 1, 1)


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(url, sql):
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def make_places(area, slug, name, zones):
    """Borough, wards, LSOAs (with boundaries), a partnership and its zones."""
    from csphub.accounts.models import Partnership
    from csphub.places.models import Area, Zone

    borough = Area.objects.create(
        code=f"E09{area.prefix}00000", name=name, kind=Area.Kind.BOROUGH
    )
    ward_ids = sorted({area.ward_of(k) for k in range(area.n)})
    wards = Area.objects.bulk_create(
        Area(code=area.ward_code(w), name=f"{name} ward {w}", kind=Area.Kind.WARD,
             parent=borough)
        for w in ward_ids
    )  # fmt: skip
    ward_pk = {w: a.pk for w, a in zip(ward_ids, wards, strict=True)}
    Area.objects.bulk_create(
        (
            Area(code=area.lsoa_code(k), name=f"{name} {k:04d}", kind=Area.Kind.LSOA,
                 parent_id=ward_pk[area.ward_of(k)], boundary=area.boundary(k))
            for k in range(area.n)
        ),
        batch_size=2000,
    )  # fmt: skip
    partnership = Partnership.objects.create(name=name, slug=slug, borough=borough)
    for z, part in enumerate(np.array_split(np.array(wards), zones)):
        zone = Zone.objects.create(partnership=partnership, name=f"Z{z}", slug=f"z{z}")
        zone.wards.set(list(part))
    return partnership, borough


def import_months(partnership, area, months, per_month, rng, timed=()):
    """Import `months` synthetic files; returns (seconds, rows) of those in
    `timed` and their raw bytes."""
    from csphub.intelligence.importing import Placer
    from csphub.intelligence.loading import import_data

    placer = Placer(partnership)
    seconds, rows, raws = 0.0, 0, []
    for k in range(months):
        month = add_months(FIRST, k)
        raw = synth.month_csv(rng, area, month, synth.seasonal(k, per_month))
        name = f"{month:%Y-%m}-synthetic-street.csv"
        start = time.perf_counter()
        result = import_data(partnership, raw, name, placer=placer)
        if k in timed:
            seconds += time.perf_counter() - start
            rows += result.rows_loaded
            raws.append((name, raw))
        if k % 12 == 11:
            log(f"  {partnership.slug}: {k + 1} of {months} months imported")
    return seconds, rows, raws


def bare_copy(partnership, raws):
    """A bare COPY of the same parsed, placed rows (the import's baseline)."""
    from django.db import connection, transaction

    from csphub.intelligence import loading
    from csphub.intelligence.importing import Placer, parse_police_uk
    from csphub.intelligence.models import Incident, SourceFile

    placer = Placer(partnership)
    values = []
    for name, raw in raws:
        parsed = parse_police_uk(raw, name)
        source = SourceFile.objects.get(partnership=partnership, month=parsed.month)
        for row in parsed.rows:
            status, lsoa, ward, zone = placer.place(row)
            if status == placer.PLACED:
                values.append(
                    (partnership.pk, source.pk, None, row.line, row.crime_id,
                     parsed.month, None, row.category, row.longitude, row.latitude,
                     row.location, row.outcome, lsoa, ward, zone, False, False,
                     False, "")
                )  # fmt: skip
    names = [name for name, _ in raws]
    Incident.objects.filter(source_file__name__in=names).delete()
    start = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(loading.copy_sql(loading.COLUMNS)) as copy,
    ):
        for row in values:
            copy.write_row(row)
    return time.perf_counter() - start, len(values)


def backend_cpu():
    """CPU seconds of this connection's PostgreSQL backend (a local server;
    parallel query workers not counted), or 0 where /proc cannot tell."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn, *args, **kwargs):
    """(result, wall seconds, CPU seconds of this process and its backend).

    The machine is shared: wall time counts other people's work too, so the
    CPU time is recorded beside it."""
    cpu, backend, start = time.process_time(), backend_cpu(), time.perf_counter()
    result = fn(*args, **kwargs)
    wall = time.perf_counter() - start
    used = time.process_time() - cpu + backend_cpu() - backend
    return result, wall, used


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE intelligence_incident")


def london(rng, scale):
    from bench_briefing import bare_gi_star
    from shapely.geometry import shape

    from csphub.intelligence.briefing import DEFAULTS, read_inputs
    from csphub.intelligence.models import Incident
    from csphub.intelligence.services import build_briefing

    area = synth.lattice(rng, prefix=1)
    partnership, borough = make_places(area, "london", "London (synthetic)", 5)
    per_month = int(LONDON_PER_YEAR * scale / 12)
    log(f"London set: {area.n} LSOAs, {LONDON_MONTHS} months of ~{per_month} rows")
    import_s, import_rows, raws = import_months(
        partnership, area, LONDON_MONTHS, per_month, rng, timed=range(COPY_FILES)
    )
    copy_s, copy_rows = bare_copy(partnership, raws)
    analyze()
    areas = [(area.lsoa_code(k), shape(area.boundary(k))) for k in range(area.n)]
    month = add_months(FIRST, LONDON_MONTHS - 1)
    inputs, read_s, read_cpu = timed(read_inputs, partnership, borough, month, DEFAULTS)
    baseline = bare_gi_star(areas, inputs.lsoa_counts)  # also warms esda
    log("London borough briefing from the database")
    briefing, seconds, cpu = timed(build_briefing, partnership, borough, month)
    assert len(briefing.results["hotspots"]) == area.n
    incidents = Incident.objects.filter(partnership=partnership).count()
    import_rate, copy_rate = import_rows / import_s, copy_rows / copy_s
    return {
        "scale.briefing_london_db_s": round(seconds, 3),
        "scale.briefing_london_db_cpu_s": round(cpu, 3),
        "scale.briefing_london_read_s": round(read_s, 3),
        "scale.briefing_london_read_cpu_s": round(read_cpu, 3),
        "scale.gi_star_london_s": round(baseline, 3),
        "scale.briefing_london_incidents": incidents,
        "scale.import_rows_per_s": round(import_rate),
        "scale.copy_rows_per_s": round(copy_rate),
        "scale.import_copy_ratio": round(import_rate / copy_rate, 3),
    }


def queue_wards(partnership, month, repeat):
    """Ward briefings queued as brief_all queues them, `repeat` times over."""
    from csphub.intelligence.models import Briefing
    from csphub.intelligence.tasks import queue_briefings

    ids = []
    for _ in range(repeat):
        queued, _ = queue_briefings(partnership, month, zones=False)
        ids += [b.pk for b in queued]
        # Held back from the next round's "already queued" check.
        Briefing.objects.filter(pk__in=ids).update(status=Briefing.Status.DONE)
    Briefing.objects.filter(pk__in=ids).update(status=Briefing.Status.QUEUED)
    return ids


def run_workers(n):
    """Run n db_workers until the queue is empty; returns their CPU seconds
    (the workers' own, from getrusage; their database backends' not)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ}
    env.pop("CSPHUB_TASKS", None)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
             "--no-startup-delay", "--worker-id", f"bench-{n}-{i}", "--verbosity", "0"],
            cwd=ROOT, env=env,
        )
        for i in range(n)
    ]  # fmt: skip
    for w in workers:
        if w.wait() != 0:
            raise SystemExit(f"db_worker exited with {w.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def wards_per_minute(partnership, month, workers, repeat):
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    from csphub.intelligence.models import Briefing

    DBTaskResult.objects.all().delete()
    ids = queue_wards(partnership, month, repeat)
    cpu = run_workers(workers)
    done = Briefing.objects.filter(pk__in=ids, status=Briefing.Status.DONE).count()
    assert done == len(ids), f"{done} of {len(ids)} briefings done"
    span = DBTaskResult.objects.aggregate(a=Min("started_at"), b=Max("finished_at"))
    assert all(
        len(r) == 1 for r in DBTaskResult.objects.values_list("worker_ids", flat=True)
    )
    return len(ids) / (span["b"] - span["a"]).total_seconds() * 60, cpu / len(ids)


def national(rng):
    from csphub.intelligence.services import build_briefing
    from csphub.places.models import Area

    area = synth.lattice(rng, prefix=2, n=BOROUGH_LSOAS, side=17, lon0=-1.9, lat0=52.4)
    partnership, borough = make_places(area, "borough", "Borough (synthetic)", 2)
    # The London set's rate an LSOA: ~207 incidents a year.
    per_month = int(LONDON_PER_YEAR / synth.LONDON_LSOAS * BOROUGH_LSOAS / 12)
    log(f"National-shape borough: {area.n} LSOAs, {BOROUGH_MONTHS} months")
    import_months(partnership, area, BOROUGH_MONTHS, per_month, rng)
    analyze()
    month = add_months(FIRST, BOROUGH_MONTHS - 1)
    ward = Area.objects.wards().filter(parent=borough).order_by("code").first()
    build_briefing(partnership, ward, month)  # warm
    backend = backend_cpu()
    _, inline, inline_cpu = timed(build_briefing, partnership, ward, month)
    backend_share = backend_cpu() - backend
    repeat = int(os.environ.get("CSPHUB_BENCH_WARD_ROUNDS", "3"))
    log("Ward briefings with 1 task worker, then 2")
    one, _ = wards_per_minute(partnership, month, 1, repeat)
    two, worker_cpu = wards_per_minute(partnership, month, 2, repeat)
    return {
        "scale.ward_briefing_inline_s": round(inline, 3),
        "scale.ward_briefing_inline_cpu_s": round(inline_cpu, 3),
        "scale.brief_all_wards_per_min_1w": round(one, 1),
        "scale.brief_all_wards_per_min_2w": round(two, 1),
        "scale.brief_all_2w_over_1w_ratio": round(two / one, 3),
        "scale.national_nightly_h": round(NATIONAL_WARDS / two / 60, 2),
        # What the wards cost in CPU, on 2 cores: the workers' CPU a ward
        # (start-up included) plus the database's share, from the inline run.
        "scale.ward_briefing_worker_cpu_s": round(worker_cpu, 3),
        "scale.national_nightly_cpu_h": round(
            NATIONAL_WARDS * (worker_cpu + backend_share) / 2 / 3600, 2
        ),
    }


def main():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        log("bench_scale: DATABASE_URL is not PostgreSQL; skipped")
        print(json.dumps({}))
        return
    scale = float(os.environ.get("CSPHUB_BENCH_SCALE", "1"))
    name = f"csphub_bench_scale_{os.getpid()}"
    admin(url, f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = with_database(url, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import django

        django.setup()
        rng = np.random.default_rng(2026)
        figures = {"scale.london_scale_ratio": scale}
        parts = os.environ.get("CSPHUB_BENCH_PARTS", "london,national")
        if "london" in parts:
            figures.update(london(rng, scale))
        if "national" in parts:
            figures.update(national(rng))
    finally:
        from django.db import connections

        connections.close_all()
        admin(url, f"DROP DATABASE IF EXISTS {name}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

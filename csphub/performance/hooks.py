"""Counted KPIs that apps above performance feed.

Crime KPIs are counted by intelligence; response times by casework. Those
apps may import performance, but performance may not import them, so each
registers a counter here from its AppConfig.ready(), and
performance.services.count_computed_kpis asks every one (when a month's
review is first opened, so the performance group rates the latest counts).

A counter is `counter(partnership, by) -> int`: the values it wrote (new or
changed), recorded through performance.services.record_measurement.
"""

_counters = []  # functions, registered once at start-up; holds no data


def provide_kpi_counter(counter):
    """Register a counter (idempotent, so a reloaded app registers once)."""
    if counter not in _counters:
        _counters.append(counter)
    return counter


def kpi_counters():
    return list(_counters)

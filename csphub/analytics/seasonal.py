"""Seasonal expectation of the latest period, in the manner of Farrington flexible.

The expected count of the latest month of a monthly series and its upper
bound follow ``surveillance::farringtonFlexible`` (Noufaily et al. 2013) with
its documented defaults, as METHODS.md section 4 describes: ``b = 5`` years
back, windows of ``w = 3`` months either side of the same month in each past
year, a quasi-Poisson GLM (log link) with a time trend kept only when it is
significant (``p < 0.05``), the fit covers at least 3 years and the prediction
does not exceed the largest baseline count; past outbreaks down-weighted once
(Anscombe residuals above 2.58); the upper bound and the exceedance p-value on
the 2/3-power scale ("delta" threshold method) at ``alpha = 0.05``; and no
alarm unless at least 5 incidents were counted in the last 4 months
(``limit54``).

Differences from farringtonFlexible, documented in ``analytics/README.md``:
with less history than ``b`` years (police.uk publishes about 3 years) the
windows that exist are used, partial ones included, and the result says so
(R stops); missing months are left out of the fit and of the ``limit54`` sum
(R propagates NA); a baseline with no incidents at all gives no expectation
(R's GLM does not converge); the GLM is fitted by iteratively reweighted least
squares in numpy, vectorised over many series that share their months.

``seasonal_batch`` does the work for a matrix of series (rows) over the same
months; ``seasonal_expectation`` is the one-series convenience.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

MAX_ITERATIONS = 25  # R glm.control(maxit = 25)
CONVERGENCE = 1e-8  # R glm.control(epsilon = 1e-8)


@dataclass(frozen=True)
class SeasonalOptions:
    """farringtonFlexible control values (defaults as in R)."""

    b: int = 5
    w: int = 3
    alpha: float = 0.05
    reweight: bool = True
    weights_threshold: float = 2.58
    p_threshold_trend: float = 0.05
    trend: bool = True
    limit54: tuple[int, int] = (5, 4)
    period: int = 12

    def __post_init__(self):
        for name in ("b", "w", "period"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1")
        if self.w * 2 + 1 > self.period:
            raise ValueError("the window (2w + 1 periods) must fit in a year")
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {self.alpha!r}")
        cases, periods = self.limit54
        if cases < 0 or periods < 1:
            raise ValueError("limit54 must be (cases >= 0, periods >= 1)")

    @property
    def min_reference_points(self) -> int:
        """Observed baseline months needed for a fit: one full window."""
        return 2 * self.w + 1


@dataclass(frozen=True)
class SeasonalExpectation:
    """Expectation of the latest period of one series.

    ``expected`` (the GLM prediction), ``upper`` (the bound at ``1 - alpha``)
    and ``p_value`` (probability, on the 2/3-power normal approximation, of a
    count at least as high as ``observed``) are ``None`` when no expectation
    could be made; ``note`` then says why. ``alarm`` is True when ``observed``
    exceeds ``upper`` and ``recent_count`` (the last ``limit54[1]`` observed
    months, the latest included) reaches ``limit54[0]``. ``years_used`` counts
    the past years that contribute baseline months, ``reference_points`` the
    observed baseline months, and ``trend_used`` whether the time trend was
    kept.
    """

    observed: float | None
    expected: float | None
    upper: float | None
    p_value: float | None
    alarm: bool
    recent_count: int
    enough_cases: bool
    trend_used: bool
    dispersion: float | None
    years_used: int
    reference_points: int
    note: str


@dataclass(frozen=True)
class _Fit:
    """A batch of quasi-Poisson GLM fits (one row per series)."""

    beta: np.ndarray  # S x p
    mu: np.ndarray  # S x R
    inverse: np.ndarray  # S x p x p, (X' W X)^-1
    dispersion: np.ndarray  # S, Pearson chi-square / residual df (unfloored)
    converged: np.ndarray  # S


def reference_indexes(n: int, options: SeasonalOptions) -> tuple[np.ndarray, int]:
    """Baseline period indexes for the latest of ``n`` periods, and years used.

    For each past year ``y = 1..b`` the periods ``t0 - y*period - w`` to
    ``t0 - y*period + w`` that exist; the last ``w + 1`` periods are never used
    (farringtonFlexible's ``pastWeeksNotIncluded = w``). Years counts the
    windows with at least one period; ``full_years`` those complete.
    """
    indexes, years, _ = _windows(n, options)
    return indexes, years


def full_years(n: int, options: SeasonalOptions) -> int:
    """Number of complete past-year windows for the latest of ``n`` periods."""
    return _windows(n, options)[2]


def _windows(n: int, options: SeasonalOptions) -> tuple[np.ndarray, int, int]:
    t0 = n - 1
    indexes: list[int] = []
    years = complete = 0
    for year in range(1, options.b + 1):
        centre = t0 - year * options.period
        window = [
            i
            for i in range(centre - options.w, centre + options.w + 1)
            if 0 <= i < t0 - options.w
        ]
        if window:
            years += 1
            indexes.extend(window)
        if len(window) == 2 * options.w + 1:
            complete += 1
    return np.array(sorted(indexes), dtype=int), years, complete


def _solve(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched inverse of 1x1 or 2x2 matrices and the solution ``a^-1 b``."""
    if a.shape[-1] == 1:
        inverse = 1.0 / a
    else:
        det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            inverse = (
                np.stack(
                    [
                        np.stack([a[:, 1, 1], -a[:, 0, 1]], axis=-1),
                        np.stack([-a[:, 1, 0], a[:, 0, 0]], axis=-1),
                    ],
                    axis=-2,
                )
                / det[:, None, None]
            )
    return inverse, np.einsum("sij,sj->si", inverse, b)


def _deviance(y: np.ndarray, mu: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Poisson deviance of each row (prior weights 0 drop a point)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
    return 2 * np.sum(prior * term, axis=1)


def fit_quasi_poisson(
    y: np.ndarray, prior: np.ndarray, design: np.ndarray, n_obs: np.ndarray
) -> _Fit:
    """Quasi-Poisson GLM with log link, as R's glm.fit.

    ``y`` and ``prior`` are S x R (missing points have prior weight 0 and any
    finite y); ``design`` is R x p. The intercept-only model has its closed
    form (the weighted mean). Otherwise IRLS starts from ``mu = y + 0.1`` and
    a series stops when its relative change in deviance is below 1e-8, at most
    25 iterations; a stopped series is no longer updated, so its result does
    not depend on the other series of the batch.
    """
    if design.shape[1] == 1:
        total = prior.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = (prior * y).sum(axis=1) / total
            beta = np.log(mean)[:, None]
        mu = np.repeat(mean[:, None], y.shape[1], axis=1)
        converged = np.isfinite(beta[:, 0])
    else:
        beta, mu, converged = _irls(y, prior, design)
    weight = prior * mu
    a = np.einsum("sr,ri,rj->sij", weight, design, design)
    inverse, _ = _solve(a, np.zeros((y.shape[0], design.shape[1])))
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.sum(prior * (y - mu) ** 2 / mu, axis=1)
        dispersion = pearson / (n_obs - design.shape[1])
    converged &= np.isfinite(beta).all(axis=1) & np.isfinite(dispersion)
    return _Fit(beta, mu, inverse, dispersion, converged)


def _irls(y, prior, design):
    """Iteratively reweighted least squares for the log-linear Poisson GLM."""
    mu = y + 0.1
    eta = np.log(mu)
    deviance = _deviance(y, mu, prior)
    beta = np.zeros((y.shape[0], design.shape[1]))
    converged = np.zeros(y.shape[0], dtype=bool)
    for _ in range(MAX_ITERATIONS):
        active = ~converged
        z = eta[active] + (y[active] - mu[active]) / mu[active]
        weight = prior[active] * mu[active]
        a = np.einsum("sr,ri,rj->sij", weight, design, design)
        rhs = np.einsum("sr,ri,sr->si", weight, design, z)
        _, beta[active] = _solve(a, rhs)
        eta[active] = np.clip(beta[active] @ design.T, -700, 700)
        mu[active] = np.exp(eta[active])
        new_deviance = _deviance(y[active], mu[active], prior[active])
        converged[active] = (
            np.abs(new_deviance - deviance[active]) / (np.abs(new_deviance) + 0.1)
            < CONVERGENCE
        )
        deviance[active] = new_deviance
        if converged.all():
            break
    return beta, mu, converged


def _anscombe_weights(
    y: np.ndarray,
    fit: _Fit,
    observed: np.ndarray,
    design: np.ndarray,
    threshold: float,
) -> np.ndarray:
    """farringtonFlexible's weights from standardised Anscombe residuals."""
    phi = np.maximum(fit.dispersion, 1.0)
    leverage = (
        np.einsum("ri,sij,rj->sr", design, fit.inverse, design) * fit.mu * observed
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        residual = (
            1.5
            * (y ** (2 / 3) * fit.mu ** (-1 / 6) - fit.mu**0.5)
            / np.sqrt(phi[:, None] * np.clip(1 - leverage, 1e-12, None))
        )
        raw = np.where(residual > threshold, residual**-2.0, 1.0) * observed
        gamma = observed.sum(axis=1) / raw.sum(axis=1)
    return raw * gamma[:, None]


def _fit_reweighted(y, observed, design, n_obs, options):
    """Fit, then refit once with outbreak weights (when ``reweight``)."""
    fit = fit_quasi_poisson(y, observed, design, n_obs)
    if options.reweight:
        weights = _anscombe_weights(y, fit, observed, design, options.weights_threshold)
        weights = np.where(np.isfinite(weights), weights, observed)
        fit = fit_quasi_poisson(y, weights, design, n_obs)
    return fit


def _choose_trend(y, observed, times, n_obs, years, options):
    """Fit with and without trend; keep the trend where Farrington would.

    ``years`` is the number of complete past-year windows: as R's ``b >= 3``,
    a trend is only tried over at least 3 years. Returns the final fit of
    every row and a boolean array: trend kept.
    """
    flat = _fit_reweighted(y, observed, np.ones((times.size, 1)), n_obs, options)
    keep = np.zeros(y.shape[0], dtype=bool)
    if not options.trend or years < 3:
        return flat, keep
    design = np.column_stack([np.ones(times.size), times])
    sloped = _fit_reweighted(y, observed, design, n_obs, options)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_slope = np.sqrt(sloped.dispersion * sloped.inverse[:, 1, 1])
        t_value = sloped.beta[:, 1] / se_slope
        p_slope = 2 * stats.t.sf(np.abs(t_value), np.maximum(n_obs - 2, 1))
        highest = np.max(np.where(observed > 0, y, -np.inf), axis=1)
        prediction = np.exp(sloped.beta[:, 0])  # time is 0 at the latest period
    keep = (
        sloped.converged
        & (p_slope < options.p_threshold_trend)
        & (prediction <= highest)
        & (n_obs > 2)
    )
    beta = np.where(keep[:, None], sloped.beta, np.column_stack([flat.beta, 0 * n_obs]))
    inverse = np.zeros((y.shape[0], 2, 2))
    inverse[:, 0, 0] = flat.inverse[:, 0, 0]
    inverse = np.where(keep[:, None, None], sloped.inverse, inverse)
    fit = _Fit(
        beta=beta,
        mu=np.where(keep[:, None], sloped.mu, flat.mu),
        inverse=inverse,
        dispersion=np.where(keep, sloped.dispersion, flat.dispersion),
        converged=np.where(keep, sloped.converged, flat.converged),
    )
    return fit, keep


def _threshold(mu0, var_eta, dispersion, observed, alpha):
    """Upper bound and p-value on the 2/3-power scale (Farrington's delta)."""
    phi = np.maximum(dispersion, 1.0)
    se_mu = mu0 * np.sqrt(var_eta)  # predict.glm(type = "response")$se.fit
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = phi + se_mu**2 / mu0
        se = np.sqrt(4 / 9 * mu0 ** (1 / 3) * tau)
        upper = (mu0 ** (2 / 3) + stats.norm.ppf(1 - alpha) * se) ** 1.5
        p_value = stats.norm.sf(observed ** (2 / 3), loc=mu0 ** (2 / 3), scale=se)
    return upper, p_value


def seasonal_batch(values: np.ndarray, options: SeasonalOptions | None = None) -> dict:
    """Seasonal expectations of the latest period of many series at once.

    ``values`` is S x n (floats, NaN for a missing month), all series over the
    same n consecutive periods, the latest last. Returns a dict of arrays of
    length S: ``expected``, ``upper``, ``p_value`` (NaN where not computable),
    ``alarm``, ``enough_cases``, ``recent_count``, ``trend_used``,
    ``dispersion``, ``reference_points``, ``status`` (``"ok"``, ``"short"``,
    ``"latest_missing"``, ``"zero_baseline"`` or ``"no_fit"``), plus the scalars
    ``years_used`` and ``full_years`` (past-year windows with any / all months).
    """
    options = options or SeasonalOptions()
    values = np.atleast_2d(np.asarray(values, dtype=float))
    s, n = values.shape
    indexes, years = reference_indexes(n, options)
    reference = values[:, indexes] if indexes.size else np.zeros((s, 0))
    observed = np.isfinite(reference).astype(float)
    n_obs = observed.sum(axis=1)
    y = np.where(observed > 0, reference, 0.0)
    latest = values[:, -1]
    cases, span = options.limit54
    recent = np.nansum(values[:, -span:], axis=1)
    status = np.full(s, "ok", dtype=object)
    status[n_obs < options.min_reference_points] = "short"
    status[(status == "ok") & (y.sum(axis=1) == 0)] = "zero_baseline"
    status[np.isnan(latest)] = "latest_missing"
    result = {
        "expected": np.full(s, np.nan),
        "upper": np.full(s, np.nan),
        "p_value": np.full(s, np.nan),
        "dispersion": np.full(s, np.nan),
        "trend_used": np.zeros(s, dtype=bool),
        "reference_points": n_obs.astype(int),
        "recent_count": recent.astype(int),
        "enough_cases": recent >= cases,
        "years_used": years,
        "full_years": full_years(n, options),
        "status": status,
    }
    rows = np.nonzero(status == "ok")[0]
    if rows.size:
        times = (indexes - (n - 1)).astype(float)
        fit, trend = _choose_trend(
            y[rows], observed[rows], times, n_obs[rows], full_years(n, options), options
        )
        mu0 = np.exp(fit.beta[:, 0])
        var_eta = np.maximum(fit.dispersion, 0) * fit.inverse[:, 0, 0]
        upper, p_value = _threshold(
            mu0, var_eta, fit.dispersion, latest[rows], options.alpha
        )
        good = fit.converged & np.isfinite(upper) & np.isfinite(p_value)
        status[rows[~good]] = "no_fit"
        kept = rows[good]
        result["expected"][kept] = mu0[good]
        result["upper"][kept] = upper[good]
        result["p_value"][kept] = p_value[good]
        result["dispersion"][kept] = np.maximum(fit.dispersion[good], 1.0)
        result["trend_used"][kept] = trend[good]
    with np.errstate(invalid="ignore"):
        result["alarm"] = (
            (status == "ok")
            & result["enough_cases"]
            & (latest > result["upper"])
            & (latest > 0)
        )
    return result


STATUS_NOTES = {
    "short": "too little history for a seasonal expectation "
    "(needs {need} observed months around the same month of past years, has {have})",
    "latest_missing": "no data for the latest month",
    "zero_baseline": "no incidents in the seasonal baseline months",
    "no_fit": "the seasonal model could not be fitted",
}


def history_note(years: int, complete: int, options: SeasonalOptions) -> str:
    """Say when fewer past years than ``b`` were available."""
    if complete >= options.b:
        return ""
    partial = years - complete
    detail = f", {partial} of them partial" if partial else ""
    trend = "" if complete >= 3 else "; no trend term (needs 3 full years)"
    return (
        f"seasonal baseline from {years} of {options.b} years{detail} "
        f"(all that exist){trend}"
    )


def status_note(status: str, have: int, options: SeasonalOptions) -> str:
    """Plain-English reason for a series without a seasonal expectation."""
    if status == "ok":
        return ""
    return STATUS_NOTES[status].format(need=options.min_reference_points, have=have)


def _none_if_nan(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def seasonal_expectation(
    counts: Sequence[int | None], options: SeasonalOptions | None = None, **kwargs
) -> SeasonalExpectation:
    """Seasonal expectation of the latest of ``counts`` (monthly, oldest first).

    ``None`` is a month with no data (never 0). Options are those of
    ``SeasonalOptions`` (``b``, ``w``, ``alpha``, ``limit54``, ...), given as
    keywords or as an instance.
    """
    options = options or SeasonalOptions(**kwargs)
    if not counts:
        raise ValueError("counts is empty: give at least one month")
    values = np.array(
        [[math.nan if count is None else float(count) for count in counts]]
    )
    known = values[np.isfinite(values)]
    if np.any(known < 0) or np.any(known != np.floor(known)):
        raise ValueError("counts must be whole numbers of at least 0 (or None)")
    batch = seasonal_batch(values, options)
    status = batch["status"][0]
    notes = [
        status_note(status, int(batch["reference_points"][0]), options),
        history_note(batch["years_used"], batch["full_years"], options),
    ]
    return SeasonalExpectation(
        observed=_none_if_nan(values[0, -1]),
        expected=_none_if_nan(batch["expected"][0]),
        upper=_none_if_nan(batch["upper"][0]),
        p_value=_none_if_nan(batch["p_value"][0]),
        alarm=bool(batch["alarm"][0]),
        recent_count=int(batch["recent_count"][0]),
        enough_cases=bool(batch["enough_cases"][0]),
        trend_used=bool(batch["trend_used"][0]),
        dispersion=_none_if_nan(batch["dispersion"][0]),
        years_used=int(batch["years_used"]),
        reference_points=int(batch["reference_points"][0]),
        note="; ".join(note for note in notes if note),
    )

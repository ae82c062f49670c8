from .budgets import allocation_add, pilot_add, pilot_detail, pilot_list, spend_add
from .cohort import (
    cohort,
    cohort_export,
    intervention_add,
    intervention_progress,
    measures,
    needs_assess,
    nominal_detail,
    pathways,
    reason,
    referral_add,
    referral_response,
)

__all__ = [
    "allocation_add",
    "cohort",
    "cohort_export",
    "intervention_add",
    "intervention_progress",
    "measures",
    "needs_assess",
    "nominal_detail",
    "pathways",
    "pilot_add",
    "pilot_detail",
    "pilot_list",
    "reason",
    "referral_add",
    "referral_response",
    "spend_add",
]

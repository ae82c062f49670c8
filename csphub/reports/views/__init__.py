"""The reports app's pages, by audience."""

from .public import follow, follow_reopen, follow_satisfaction, start, step
from .staff import (
    staff_detail,
    staff_enter,
    staff_list,
    staff_merge,
    staff_raise,
    staff_reroute,
    staff_status,
)
from .trigger import (
    applicant,
    applicant_pcc,
    apply,
    figures,
    figures_csv,
    review_detail,
    review_list,
    review_step,
    review_submit,
)

__all__ = [
    "applicant",
    "applicant_pcc",
    "apply",
    "figures",
    "figures_csv",
    "follow",
    "follow_reopen",
    "follow_satisfaction",
    "review_detail",
    "review_list",
    "review_step",
    "review_submit",
    "staff_detail",
    "staff_enter",
    "staff_list",
    "staff_merge",
    "staff_raise",
    "staff_reroute",
    "staff_status",
    "start",
    "step",
]

"""Nothing of the IOM cohort is registered with the Django admin on purpose:
the admin would bypass the IOM-officer-only gate and the audit log of
`access.py`. Administrators reach the cohort only by holding the IOM role."""

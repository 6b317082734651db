"""Audit trail: one mechanism recording who changed what and when, for every model that opts in."""

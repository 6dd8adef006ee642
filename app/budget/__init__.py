"""A project's budget: its lines with roll-ups, adding and editing lines, and the estimator."""

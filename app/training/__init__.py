"""Training pages: job roles, training requirements and the starter set, sessions with their attendees
and effectiveness checks."""

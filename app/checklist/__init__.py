"""The documented-information checklist of a project: its mandatory documents and records."""

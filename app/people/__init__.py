"""The people of a project's site: the staff list, a person's form, leaving, and the staff list's import
(with a preview) and export as CSV."""

"""The charts area of a project: one page of every chart, each over a table of its numbers."""

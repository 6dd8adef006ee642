"""The training matrix of a project: its site's people against the project's training requirements."""

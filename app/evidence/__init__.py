"""Evidence pages: files, links and notes for a project's requirements and tasks, reviewed and versioned."""

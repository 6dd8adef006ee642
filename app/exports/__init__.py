"""Excel and CSV exports of a project's tables and of the portfolio, and the gap analysis's import."""

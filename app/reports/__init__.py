"""PDF reports: a project's readiness report (``/projects/<id>/report.pdf``) and the consultant's portfolio
(``/portfolio.pdf``), rendered from templates/reports by WeasyPrint (:mod:`app.services.pdf`)."""

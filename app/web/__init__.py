"""How a request is handled, for the pages and the API alike: the one commit point (:class:`ReadinessApp`),
the per-view permission declaration (:mod:`app.web.access`) and the HTML error pages (:mod:`app.web.errors`).
"""

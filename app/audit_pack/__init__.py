"""The audit pack: a project's approved documents and accepted evidence in one ZIP for the certification
body (the page and the API answer it alike, :mod:`app.audit_pack.download`)."""

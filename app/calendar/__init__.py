"""The calendar feed (``/calendar/<token>.ics``, no log-in) and the account page's calendar and reminder
settings (:mod:`app.calendar.routes`)."""

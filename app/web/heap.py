"""A served worker's long-lived objects kept out of the garbage collector's full passes.

Once warm, a worker holds some 365,000 long-lived objects: the imported libraries, the app, its compiled
templates, SQLAlchemy's statement cache, the catalogs. CPython's full collection walks every one of them
(240 ms, measured in a worker of the 200-client benchmark) and runs every few hundred requests, inside
whichever request happens to allocate at that moment: it was most of the p99 of the project and charts pages.

After its first ``GC_FREEZE_AFTER_REQUESTS`` requests, when those caches are built, the worker collects once
(after that request's response has gone out) and freezes what survives (:func:`gc.freeze`): those objects
move to a permanent generation that no collection walks, and a full pass then takes about a millisecond.
What requests allocate later is collected as before. On by default in production (100 requests); 0 turns it
off, as in development and the tests.
"""

from __future__ import annotations

import gc
import itertools

from flask import Flask, Response


def freeze_heap() -> None:
    """Collect what is garbage now, then keep every surviving object out of later collections."""
    gc.collect()
    gc.freeze()


def register(app: Flask) -> None:
    after = app.config["GC_FREEZE_AFTER_REQUESTS"]
    if not after:
        return
    served = itertools.count(1)  # atomic under the GIL: each request takes its own number

    @app.after_request
    def freeze_once_warm(response: Response) -> Response:
        if next(served) == after:
            response.call_on_close(freeze_heap)
        return response

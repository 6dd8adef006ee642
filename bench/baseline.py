"""The bare page every page is compared with: plain Flask rendering 200 rows of one SQLite query in a Jinja
template, with no extension, no session and no log-in (as in the performance review's baseline)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from flask import Flask, render_template
from jinja2 import DictLoader

PATH = "/db"
ROWS = 200
TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ rows|length }} rows</title></head>
<body><h1>Rows</h1>
<table>
<thead><tr><th>Id</th><th>Code</th><th>Title</th><th>Owner</th><th>Review due</th></tr></thead>
<tbody>
{% for row in rows %}<tr><td>{{ row[0] }}</td><td>{{ row[1] }}</td><td>{{ row[2] }}</td><td>{{ row[3] }}</td>
<td>{{ row[4] }}</td></tr>
{% endfor %}</tbody>
</table></body></html>
"""


def create_rows(path: Path, count: int = 1000) -> None:
    """A table of ``count`` rows for the bare page to read 200 of."""
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT, title TEXT, owner TEXT, due TEXT)"
        )
        conn.executemany(
            "INSERT INTO items (code, title, owner, due) VALUES (?, ?, ?, ?)",
            [
                (f"QP-{n:03d}", f"Control of documented information, part {n} & its records", "Quality lead",
                 f"2027-{n % 12 + 1:02d}-{n % 28 + 1:02d}")
                for n in range(1, count + 1)
            ],
        )  # fmt: skip


def create_baseline(path: Path) -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"rows.html": TEMPLATE})

    @app.get(PATH)
    def rows() -> str:
        with closing(sqlite3.connect(path)) as conn:
            found = conn.execute(
                "SELECT id, code, title, owner, due FROM items ORDER BY id LIMIT ?", (ROWS,)
            ).fetchall()
        return render_template("rows.html", rows=found)

    return app

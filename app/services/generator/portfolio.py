"""A generated consultancy portfolio, to measure the app at a consultant's scale (``generate-portfolio``).

One consultancy workspace, owned by one consultant, with N client factories, each with a site (in one of
twelve countries) and a certification project (ISO 9001, or ISO 13485 for one project in ten). Every project
has its stages and tasks at varied points and every requirement assessed (:mod:`.progress`), about
four evidence items per requirement (:mod:`.evidence`), ten budget lines and 90 days of readiness
history (:mod:`.history`); two projects in five (every ISO 13485 one among them) also keep their
registers: documents, people and training, internal audits and findings, and the running registers
(:mod:`.registers`).

How it is written, for speed (200 clients well under a minute): the projects through :func:`setup_project`
(their stages, verdicts and tasks get their values before they are first written, so no row is updated),
the bulk rows (evidence, budget, history, registers) as multi-row INSERTs. The same seed gives the same
portfolio (names, verdicts, counts, dates from today); only the random names of stored files differ.

Run twice on one database, it adds a second consultancy with its own consultant (consultant-2@...): the
portfolios never share a row, and each run prints its own log-in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, text

from app.domain.pathway import StandardFamily
from app.extensions import db
from app.models import Base, Client, Site, Standard
from app.services.accounts import create_account, find_user
from app.services.generator.history import add_budget, add_history
from app.services.generator.progress import Catalog, Planned, plan_project
from app.services.generator.registers import add_registers
from app.services.generator.rows import Batch, insert_returning
from app.services.standards import load_bundled_standards

PASSWORD = "generated-portfolio-password"  # noqa: S105 (printed by the command, which production refuses)
EMAIL_DOMAIN = "portfolio.example"
MEDICAL_EVERY = 10  # ISO 13485 for the project of index 1, 11, 21...: one in ten
REGISTERS_EVERY = 5  # registers for the projects of index 0 and 1 modulo 5 (two in five, every ISO 13485)
FLUSH_EVERY = 50  # projects whose bulk rows are written together (then the session forgets their objects)

# Country, currency, towns, the company name's pattern.
COUNTRIES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("VN", "VND", ("Binh Duong", "Dong Nai", "Hai Phong", "Bac Ninh", "Long An"), "{} Co., Ltd."),
    ("TH", "THB", ("Samut Prakan", "Chonburi", "Rayong", "Ayutthaya", "Pathum Thani"), "{} Co., Ltd."),
    ("MY", "MYR", ("Penang", "Johor Bahru", "Shah Alam", "Melaka", "Kulim"), "{} Sdn Bhd"),
    ("ID", "IDR", ("Bekasi", "Karawang", "Batam", "Surabaya", "Semarang"), "PT {}"),
    ("PH", "PHP", ("Laguna", "Cavite", "Cebu", "Batangas", "Pampanga"), "{} Inc."),
    ("SG", "SGD", ("Jurong", "Tuas", "Woodlands", "Changi", "Ang Mo Kio"), "{} Pte Ltd"),
    ("KH", "USD", ("Phnom Penh", "Sihanoukville", "Kampot", "Bavet", "Siem Reap"), "{} Co., Ltd."),
    ("IN", "INR", ("Chennai", "Pune", "Ahmedabad", "Noida", "Coimbatore"), "{} Pvt Ltd"),
    ("BD", "BDT", ("Gazipur", "Chattogram", "Narayanganj", "Savar", "Ashulia"), "{} Ltd."),
    ("LK", "LKR", ("Katunayake", "Biyagama", "Horana", "Koggala", "Kandy"), "{} (Pvt) Ltd"),
    ("CN", "CNY", ("Dongguan", "Ningbo", "Suzhou", "Foshan", "Xiamen"), "{} Co., Ltd."),
    ("TW", "TWD", ("Taichung", "Tainan", "Taoyuan", "Kaohsiung", "Hsinchu"), "{} Co., Ltd."),
)  # fmt: skip
PRODUCTS = ("Rubber Gloves", "Cork Stoppers", "Sachets", "Garments", "Furniture", "Ceramics", "Cables",
            "Plastic Moulding", "Printed Circuits", "Seafood", "Coffee", "Spices", "Footwear", "Packaging",
            "Auto Parts", "Fasteners", "Textiles", "Paper Cups", "Paints", "Bicycles")  # fmt: skip
DEVICES = ("Syringes", "Catheters", "Infusion Sets", "Surgical Gloves", "Face Masks", "Wound Dressings",
           "Blood Bags", "Orthopaedic Screws", "Test Strips", "Sutures")  # fmt: skip
NAME_WORDS = ("Golden", "Delta", "Pacific", "Lotus", "Evergreen", "Summit", "Harbour", "Jade", "Orchid",
              "Meridian", "Sunrise", "Crescent", "Pioneer", "Coral", "Monsoon", "Bamboo")  # fmt: skip
CONTACTS = ("Nguyen Thi Lan", "Somchai Prasert", "Tan Wei Ming", "Siti Rahmawati", "Maria Santos",
            "Rajesh Kumar", "Li Na", "Chen Yi-Ting", "Farhana Akter", "Nimal Perera", "Sok Dara")  # fmt: skip


@dataclass
class Generated:
    """What a run made: the consultant's log-in, and the rows written per table."""

    email: str
    password: str
    workspace_id: int
    project_ids: list[int]
    rows: dict[str, int] = field(default_factory=dict)


def next_portfolio() -> int:
    """1 for a database's first portfolio, 2 for its second (whose consultant is consultant-2@...), ..."""
    number = 1
    while find_user(consultant_email(number)) is not None:
        number += 1
    return number


def consultant_email(number: int) -> str:
    return f"consultant@{EMAIL_DOMAIN}" if number == 1 else f"consultant-{number}@{EMAIL_DOMAIN}"


def workspace_name(number: int) -> str:
    return "Portfolio Consulting" + ("" if number == 1 else f" {number}") + " (generated)"


def generate_portfolio(
    clients: int, seed: int, today: date | None = None, report: Callable[[str], None] = lambda _: None
) -> Generated:
    """Write the portfolio (see the module docstring); ``report`` gets a line after each step. The caller
    commits (its evidence files are removed again if it does not)."""
    today = today or date.today()
    load_bundled_standards()
    number = next_portfolio()
    email, name = consultant_email(number), workspace_name(number)
    membership = create_account(email, "Generated Consultant", PASSWORD, name, "consultancy")
    workspace_id, user_id = membership.workspace_id, membership.user_id
    site_ids = _clients_and_sites(workspace_id, clients, seed)
    report(f"{clients} clients, each with a site, in the workspace “{name}”.")
    catalogs = {family: Catalog.of(_latest(family.value)) for family in StandardFamily}
    planned: list[Planned] = []
    batch = Batch()
    for index, (client_id, site_id, country) in enumerate(site_ids):
        family = StandardFamily.ISO_13485 if index % MEDICAL_EVERY == 1 else StandardFamily.ISO_9001
        key = f"{seed}:{index}"  # each project's own generator: projects do not shift when N changes
        currency = next(c[1] for c in COUNTRIES if c[0] == country)
        where = (workspace_id, client_id, site_id, currency)
        planned.append(plan_project(where, catalogs[family], key, today, user_id, batch))
        add_budget(planned[-1], batch)
        if len(planned) % FLUSH_EVERY == 0:
            batch.write()
            _clear_session()
            report(f"{len(planned)} of {clients} projects set up, assessed and given their evidence.")
    batch.write()
    _clear_session()
    result = Generated(email, PASSWORD, workspace_id, [p.project_id for p in planned])
    add_history(planned, today)
    report(f"{clients} projects with their budget and 90 days of readiness history.")
    with_registers = [p for n, p in enumerate(planned) if n % REGISTERS_EVERY in (0, 1)]
    add_registers(with_registers, user_id, today)
    _clear_session()
    report(f"Registers kept by {len(with_registers)} of the {clients} projects.")
    return result


def refresh_statistics() -> None:
    """On PostgreSQL, VACUUM and ANALYZE the app's tables now (after the commit) rather than when autovacuum
    gets to them: until then the planner plans for the tables as they were before, nearly empty (the client
    list of 1,000 generated clients took 440 ms before, 27 ms after), and no page of a table is marked all
    visible, so an index holding every column a count needs is read with the table anyway. SQLite keeps no
    statistics unless asked, as in a real deployment, so it is left alone."""
    bind = db.session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with bind.connect().execution_options(
        isolation_level="AUTOCOMMIT"
    ) as connection:  # outside a transaction
        connection.execute(text(f"VACUUM (ANALYZE) {tables}"))


def _latest(code: str) -> Standard:
    stmt = select(Standard).where(Standard.code == code).order_by(Standard.id.desc()).limit(1)
    return db.session.execute(stmt).scalar_one()


def _clear_session() -> None:
    """Write what is pending and forget the written objects: only ids go from one step to the next."""
    db.session.flush()
    db.session.expunge_all()


def _clients_and_sites(workspace_id: int, count: int, seed: int) -> list[tuple[int, int, str]]:
    """``count`` clients of varied countries and trades, each with one site; (client id, site id, country)."""
    rng = random.Random(f"{seed}:clients")
    clients: list[dict[str, Any]] = []
    sites: list[dict[str, Any]] = []
    taken: set[str] = set()
    for index in range(count):
        country, _, towns, pattern = rng.choice(COUNTRIES)
        trade = rng.choice(DEVICES if index % MEDICAL_EVERY == 1 else PRODUCTS)
        base = pattern.format(f"{rng.choice(NAME_WORDS)} {trade}")
        name, copy = base, 1
        while name in taken:  # one client per name in a workspace
            copy += 1
            name = f"{base} ({copy})"
        taken.add(name)
        town = rng.choice(towns)
        contact = rng.choice(CONTACTS)
        clients.append(
            {
                "workspace_id": workspace_id,
                "name": name,
                "country": country,
                "contact_name": contact,
                "contact_email": f"{contact.split()[0].lower()}.{index + 1}@client.example",
                "notes": "",
            }
        )
        sites.append(
            {
                "workspace_id": workspace_id,
                "name": f"{town} plant",
                "address": f"Lot {rng.randint(1, 120)}, {town} Industrial Park",
                "country": country,
                "employee_count": rng.choice((12, 25, 40, 60, 85, 120, 180, 250, 400)),
                "products": trade,
                "scope_statement": f"Manufacture of {trade.lower()}",
            }
        )
    client_ids = insert_returning(Client, clients)
    for site, client_id in zip(sites, client_ids, strict=True):
        site["client_id"] = client_id
    site_ids = insert_returning(Site, sites)
    return [(c, s, row["country"]) for c, s, row in zip(client_ids, site_ids, clients, strict=True)]

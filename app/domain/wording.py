"""Words that depend on the kind of workspace (app.models.tenancy.WORKSPACE_KINDS).

A consultancy gets companies certified for others, so it speaks of clients; an exporter gets its own company
certified, so the same pages speak of "your company" and "your sites". Templates take every such text from
here rather than testing the kind themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

EXPORTER = "exporter"


@dataclass(frozen=True)
class Wording:
    clients: str  # the nav entry, the list's title and breadcrumb
    add_client: str  # the button and the new-client page's title
    edit_client: str
    save_client: str
    search_clients: str
    no_match: str  # followed by the search text
    empty_title: str
    empty_text: str  # followed by a link to add one, when the reader may
    empty_link: str
    empty_after: str
    client_added: str  # a format string with {name}
    client_saved: str
    name_taken: str
    sites: str  # the heading of a company's sites


CONSULTANCY = Wording(
    clients="Clients",
    add_client="Add a client",
    edit_client="Edit client",
    save_client="Save client",
    search_clients="Search clients",
    no_match="No client matches",
    empty_title="No clients yet",
    empty_text="Add the company you are getting certified",
    empty_link="add a client",
    empty_after="Each client has one or more factory sites, and each site a certification project.",
    client_added="Client “{name}” added. Now add its factory site.",
    client_saved="Client saved.",
    name_taken="This workspace already has a client with that name.",
    sites="Sites",
)

COMPANY = Wording(
    clients="Your company",
    add_client="Add your company",
    edit_client="Edit your company",
    save_client="Save company",
    search_clients="Search companies",
    no_match="No company matches",
    empty_title="Set up your company",
    empty_text="Start with your company's name and country",
    empty_link="set up your company",
    empty_after="Then add your factory sites, and for each site the certification project under way.",
    client_added="Your company “{name}” is set up. Now add its factory site.",
    client_saved="Company saved.",
    name_taken="This workspace already has a company with that name.",
    sites="Your sites",
)


def wording(kind: str | None) -> Wording:
    """The texts for a workspace of ``kind``; a consultancy's when the kind is unknown."""
    return COMPANY if kind == EXPORTER else CONSULTANCY


def who_accepts(kind: str | None, members: int) -> str:
    """Who accepts submitted evidence, said to the person submitting it (the four-eyes rule,
    app.domain.permissions.four_eyes: alone in the workspace, you accept your own, recorded as such)."""
    if members <= 1:
        return (
            "You then accept it yourself, or fix it: with nobody else in the workspace, "
            "it is recorded as self-accepted."
        )
    if kind == EXPORTER:
        return "Someone else in your company then accepts it, or says what to fix."
    return "A consultant or client manager then accepts it, or says what to fix."

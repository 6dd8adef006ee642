"""Words that depend on the kind of workspace (app.models.tenancy.WORKSPACE_KINDS).

A consultancy gets companies certified for others, so it speaks of clients; an exporter gets its own company
certified, so the same pages speak of "your company" and "your sites". Templates take every such text from
here rather than testing the kind themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.text import _, _l

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
    client_added: str  # a format string with {name}: str(words.client_added).format(name=...) translates it
    client_saved: str
    name_taken: str
    sites: str  # the heading of a company's sites


CONSULTANCY = Wording(
    clients=_l("Clients"),
    add_client=_l("Add a client"),
    edit_client=_l("Edit client"),
    save_client=_l("Save client"),
    search_clients=_l("Search clients"),
    no_match=_l("No client matches"),
    empty_title=_l("No clients yet"),
    empty_text=_l("Add the company you are getting certified"),
    empty_link=_l("add a client"),
    empty_after=_l("Each client has one or more factory sites, and each site a certification project."),
    client_added=_l("Client “{name}” added. Now add its factory site."),
    client_saved=_l("Client saved."),
    name_taken=_l("This workspace already has a client with that name."),
    sites=_l("Sites"),
)

COMPANY = Wording(
    clients=_l("Your company"),
    add_client=_l("Add your company"),
    edit_client=_l("Edit your company"),
    save_client=_l("Save company"),
    search_clients=_l("Search companies"),
    no_match=_l("No company matches"),
    empty_title=_l("Set up your company"),
    empty_text=_l("Start with your company's name and country"),
    empty_link=_l("set up your company"),
    empty_after=_l("Then add your factory sites, and for each site the certification project under way."),
    client_added=_l("Your company “{name}” is set up. Now add its factory site."),
    client_saved=_l("Company saved."),
    name_taken=_l("This workspace already has a company with that name."),
    sites=_l("Your sites"),
)


def wording(kind: str | None) -> Wording:
    """The texts for a workspace of ``kind``; a consultancy's when the kind is unknown."""
    return COMPANY if kind == EXPORTER else CONSULTANCY


def who_accepts(kind: str | None, members: int) -> str:
    """Who accepts submitted evidence, said to the person submitting it (the four-eyes rule,
    app.domain.permissions.four_eyes: alone in the workspace, you accept your own, recorded as such)."""
    if members <= 1:
        return _(
            "You then accept it yourself, or fix it: with nobody else in the workspace, "
            "it is recorded as self-accepted."
        )
    if kind == EXPORTER:
        return _("Someone else in your company then accepts it, or says what to fix.")
    return _("A consultant or client manager then accepts it, or says what to fix.")

"""The OpenAPI operations of the certification bodies and a project's quotes (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import body_schemas as b
from app.api.openapi import IF_MATCH, PROJECT, Operation, Schema

BODIES = "/certification-bodies"
BODY = f"{BODIES}/{{body_id}}"
QUOTES = f"{PROJECT}/quotes"
WRITE = ("400", "403", "404", "415", "422")

REFUSALS = {
    "403": "The token's role does not allow this: viewers and contributors change no body and accept no "
    "quote (contributors may record quotes); a client manager changes no body that projects of other "
    "clients use.",
    "404": "No such project, certification body or quote in the token's workspace (a body used only by "
    "projects of clients a client manager does not manage is not found either).",
    "409": "Another quote of the project is already accepted (decline it first), or someone else saved the "
    "same record at the same moment.",
    "422": "A field is invalid (a name another body has, sector codes outside 1 to 39, a website that is "
    "not http(s), days or amounts out of range or with more decimals than the currency has, a body of "
    "another workspace...); `fields` says which.",
}

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", BODIES, "listCertificationBodies",
              "The workspace's certification bodies, by name, each with its accreditation warning when its "
              "accreditation body is missing or not on the IAF MLA list.",
              b.CertificationBodyList, "Every body the token reads.", (), notes=REFUSALS),
    Operation("post", BODIES, "createCertificationBody",
              "Add a certification body to the workspace, for its projects to choose and quote.",
              b.CertificationBodyItem, "The body as saved.", WRITE, body=b.BodyCreate, status=201,
              etag=True, notes=REFUSALS),
    Operation("get", BODY, "getCertificationBody",
              "One certification body with its accreditation warning.",
              b.CertificationBodyItem, "The body.", ("404",), etag=True, notes=REFUSALS),
    Operation("patch", BODY, "updateCertificationBody",
              "Change a certification body; what is left out keeps its value. Send the ETag you read in "
              "If-Match so that a change saved meanwhile by someone else is never overwritten.",
              b.CertificationBodyItem, "The body as saved.", (*WRITE, "409", "412"), (IF_MATCH,),
              body=b.BodyPatch, etag=True, notes=REFUSALS),
    Operation("get", QUOTES, "listQuotes",
              "The project's quotes, the latest received first, each with its total and its audit days "
              "against the IAF MD 5 / MD 9 figure for the site.",
              b.QuoteList, "Every quote.", ("404",), notes=REFUSALS),
    Operation("post", QUOTES, "createQuote",
              "Record a certification body's quote for the project.",
              b.QuoteItem, "The quote as recorded, with its check.", WRITE, body=b.QuoteCreate, status=201,
              notes=REFUSALS),
    Operation("post", f"{QUOTES}/{{quote_id}}/accept", "acceptQuote",
              "Accept a quote: the project's certification body becomes the quote's, and the quote becomes "
              "budget lines of the external audit (initial audit, fees, travel, and the surveillance audits "
              "when it gives their days). Accepting it again adds nothing.",
              b.QuoteAcceptance, "The quote, accepted, and the lines added.", ("403", "404", "409"),
              notes=REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {
    "body_id": {"schema": {"type": "integer"}},
    "quote_id": {"schema": {"type": "integer"}},
}

"""The OpenAPI operations of the external audits and certificates (merged into the document by
:mod:`app.api.openapi`)."""

from __future__ import annotations

from app.api import certification_schemas as c
from app.api.openapi import IF_MATCH, PROJECT, Operation, Schema

AUDITS = f"{PROJECT}/external-audits"
AUDIT = f"{AUDITS}/{{external_audit_id}}"
CERTIFICATES = "/certificates"
CERTIFICATE = f"{CERTIFICATES}/{{certificate_id}}"
WRITE = ("400", "403", "404", "415", "422")

AUDIT_REFUSALS = {
    "403": "The token's role does not allow this (viewers).",
    "404": "No such project or external audit in the token's workspace (another project's ids are not found "
    "either).",
    "422": "A field is invalid (an unknown kind, the last day before the first, an audit held that ends "
    "after today, a decision before stage 2 ended or for another kind, a body of another workspace...); "
    "`fields` says which. Scheduling stage 1 or 2 on NO-GO and a surveillance audit outside its window "
    "are not refused: the answer's `warnings` say so.",
}
CERTIFICATE_REFUSALS = {
    "403": "The token's role does not allow this: recording and editing a certificate takes the owner, "
    "consultant or client manager role.",
    "404": "No such certificate in the token's workspace (another workspace's or an unnamed client's ids are "
    "not found either).",
    "422": "A field is invalid (a site or project of another client, a number the body already gave another "
    "certificate, an expiry before issue or more than three years after the decision, sector codes outside "
    "1 to 39, an unknown client...); `fields` says which.",
}

OPERATIONS: tuple[Operation, ...] = (
    Operation("get", AUDITS, "listExternalAudits",
              "The project's audits by the certification body (stage 1, stage 2, surveillance, "
              "recertification), earliest first, with their warnings.",
              c.ExternalAuditList, "Every external audit.", ("404",), notes=AUDIT_REFUSALS),
    Operation("post", AUDITS, "createExternalAudit",
              "Record an external audit, held or scheduled. Stage 1 or 2 scheduled while the stage 2 go / "
              "no-go says NO-GO is saved, recorded and warned; a surveillance or recertification audit "
              "outside its window of the project's certificate is saved and warned with the rule.",
              c.ExternalAuditItem, "The audit as saved, with its warnings.", WRITE,
              body=c.ExternalAuditCreate, status=201, etag=True, notes=AUDIT_REFUSALS),
    Operation("get", AUDIT, "getExternalAudit", "One external audit.",
              c.ExternalAuditItem, "The audit.", ("404",), etag=True, notes=AUDIT_REFUSALS),
    Operation("patch", AUDIT, "updateExternalAudit",
              "Change an external audit; what is left out keeps its value. Send the ETag you read in "
              "If-Match so that a change saved meanwhile by someone else is never overwritten.",
              c.ExternalAuditItem, "The audit as saved, with its warnings.", (*WRITE, "409", "412"),
              (IF_MATCH,), body=c.ExternalAuditPatch, etag=True, notes=AUDIT_REFUSALS),
    Operation("get", CERTIFICATES, "listCertificates",
              "The certificates of the clients the token sees, with their status (valid, suspended, "
              "withdrawn, expired) and, once a new edition is announced, the date by which they must move.",
              c.CertificateList, "Every certificate.", notes=CERTIFICATE_REFUSALS),
    Operation("post", CERTIFICATES, "createCertificate",
              "Record a certificate of a client for one or more of its sites; the expiry is the day before "
              "the decision's third anniversary unless given.",
              c.CertificateDetail, "The certificate as saved, with its cycle.", ("400", "403", "415", "422"),
              body=c.CertificateCreate, status=201, etag=True, notes=CERTIFICATE_REFUSALS),
    Operation("get", CERTIFICATE, "getCertificate",
              "One certificate with its cycle: the surveillance and recertification windows, the audits "
              "held (each warned when outside its window), the next one due and the last surveillance.",
              c.CertificateDetail, "The certificate.", ("404",), etag=True, notes=CERTIFICATE_REFUSALS),
    Operation("patch", CERTIFICATE, "updateCertificate",
              "Change a certificate (its client stays); what is left out keeps its value. Send the ETag "
              "you read in If-Match.",
              c.CertificateDetail, "The certificate as saved.", (*WRITE, "409", "412"), (IF_MATCH,),
              body=c.CertificatePatch, etag=True, notes=CERTIFICATE_REFUSALS),
)  # fmt: skip
PATH_PARAMETERS: dict[str, Schema] = {
    "external_audit_id": {"schema": {"type": "integer"}},
    "certificate_id": {"schema": {"type": "integer"}},
}

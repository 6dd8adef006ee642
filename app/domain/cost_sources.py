"""Where the estimator's figures come from, in words a factory manager can read.

Each :class:`CostSource` is one entry of the in-app Sources page; its ``key`` is the page anchor that an
estimated line's ``source`` points to. Texts, dates and credibility follow the research notes the estimator
was built from (cost ranges with their sources and the list of sources with their dates); those notes are
not shipped with the app, so everything a user needs is written out here.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.text import _l


@dataclass(frozen=True)
class CostSource:
    key: str  # anchor on the Sources page
    title: str
    dated: str  # when the source was published or applies from, as it states it
    summary: str
    references: tuple[str, ...]  # publications behind the figure, each with its date and where to find it
    assumption: bool = False  # True where no published figure exists and Readiness chose one


COST_SOURCES: tuple[CostSource, ...] = (
    CostSource(
        key="iaf-md5",
        title=_l("ISO 9001 audit days: IAF MD 5, table QMS 1"),
        dated=_l("IAF MD 5:2019, Issue 4 version 2, applied from 7 May 2020"),
        summary=_l(
            "The International Accreditation Forum's mandatory document MD 5 sets how many days a "
            "certification body spends on the initial ISO 9001 audit (stage 1 and stage 2 together), by "
            "number of effective staff: 1.5 days for 1 to 5 people, 4 days for 26 to 45, 22 days for 8,501 "
            "to 10,700. Above the table it says to follow the progression; Readiness adds one day per band "
            "and says so. The certification body may reduce the time by at most 30 per cent for a simple "
            "organisation, results are rounded to the half day, and the body makes the final calculation."
        ),
        references=(
            "IAF MD 5:2019 Issue 4 version 2, applied from 7 May 2020 (iaf.nu)",
            "European co-operation for Accreditation, FAQ 38.2 (1 to 5 staff = 1.5 days; rounding to the "
            "half day) and FAQ 37.23 (55 staff = 5 days; at most 30% reduction)",
        ),
    ),
    CostSource(
        key="iaf-md9",
        title=_l("ISO 13485 audit days: IAF MD 9"),
        dated=_l("IAF MD 9:2011, as reproduced by RAPS; newer editions exist"),
        summary=_l(
            "IAF MD 9 sets the audit days for ISO 13485 (medical devices), about twice the ISO 9001 days for "
            "small firms: 3 days for 1 to 5 people, 6 days for 26 to 45. The copy Readiness uses has no row "
            "for 426 to 625 people; there Readiness takes the middle of the rows either side and says so. "
            "Check the current edition with your certification body before relying on these values."
        ),
        references=(
            "IAF MD 9:2011 table, reproduced in the RAPS library (library.raps.org)",
            "Current edition: iaf.nu",
        ),
    ),
    CostSource(
        key="audit-cycle",
        title=_l("Surveillance and recertification audits"),
        dated=_l("Whittington Associates, May 2009; ISO/IEC 17021-1"),
        summary=_l(
            "After certification the body audits once a year (surveillance, years 1 and 2) and renews the "
            "certificate in year 3. A surveillance audit takes about a third of the initial audit days and "
            "a recertification about two thirds, rounded to the half day. Readiness splits the initial audit "
            "about one third for stage 1 and the rest for stage 2 (4 days: 1.5 + 2.5); the certification "
            "body plans the actual split."
        ),
        references=(
            "Whittington Associates, 'QMS/EMS audit days', May 2009 (whittingtonassociates.com)",
            "ISO/IEC 17021-1, section 9.1.3: first surveillance within 12 months, then at least yearly",
        ),
    ),
    CostSource(
        key="nc-follow-up",
        title=_l("Follow-up visit after a major nonconformity"),
        dated=_l("Parkinson Howe, undated"),
        summary=_l(
            "If the stage 2 audit finds a major nonconformity, the certification body usually returns to "
            "check the correction: half a day to one day. Readiness plans half a day as a contingency."
        ),
        references=("Parkinson Howe, blog on nonconformities after stage 2 (parkinsonhowe.co.uk)",),
    ),
    CostSource(
        key="consultant-days",
        title=_l("Consultant days"),
        dated=_l("certarch and 2SB, undated; UK consultant price survey, about 2024"),
        summary=_l(
            "A gap analysis by a consultant takes 1 to 3 days. Implementation support takes about 5 to 10 "
            "days for light support and 15 to 30 days for full implementation. Readiness uses 2 and 7.5 "
            "days for light support and 3 and 22.5 days for full implementation. These ranges are for "
            "ISO 9001-sized projects; ISO 13485 needs more."
        ),
        references=(
            "certarch.com, 'How long does ISO 9001 take' (gap analysis), undated",
            "2SB (2sb.co.uk), about £4,000 for consultant-led implementation in a small business, undated",
            "UK consultant price survey (widblog), £2,000 to £10,000 for a small firm, about 2024 "
            "(low credibility: a sanity check only)",
        ),
    ),
    CostSource(
        key="auditor-course",
        title=_l("Internal-auditor course fees"),
        dated=_l("Indonesian government tariff 2021; UK prices about 2024"),
        summary=_l(
            "At least two people should be trained as internal auditors. Example course fees: Rp 3.2 million "
            "per course in Indonesia (government tariff), £200 to £1,000 per person in the UK. Enter a "
            "local quote: with none, the estimate shows 0."
        ),
        references=(
            "Kemenperin (Indonesian Ministry of Industry) tariff under Government Regulation PP 54/2021",
            "UK consultant price survey (widblog), about 2024 (low credibility: a sanity check only)",
        ),
    ),
    CostSource(
        key="internal-time",
        title=_l("Your staff's time: Readiness's assumptions"),
        dated=_l("No published figure; Readiness's own assumptions"),
        summary=_l(
            "Staff time is the largest hidden cost of certification, but no trustworthy published figure "
            "exists. Readiness assumes the middle of these ranges; replace them with your own hours. "
            "Quality lead: 30 to 50 per cent of a full-time job over a 6 to 9 month project "
            "(Readiness: 40 per cent over 7.5 months, a full-time year being 2,080 hours). Process owners, "
            "one per 10 staff: 2 to 4 hours "
            "a week during 8 to 10 weeks of documentation, then about 1 hour a week (Readiness: 3 hours a "
            "week for 9 weeks, then 1 hour a week for 10 weeks). Awareness training: 2 to 4 hours per person "
            "(Readiness: 3). Internal auditors: at least 2, trained for 2 to 3 days each (Readiness: 2.5), "
            "and one auditor-day per 10 to 15 staff for each round of internal audits (Readiness: 12.5). "
            "Management review: half a day to a day of top-management time, at least one before stage 1 "
            "(Readiness: three quarters of a day). A working day is 8 hours."
        ),
        references=("No published source found; every cost survey calls staff time the largest hidden cost",),
        assumption=True,
    ),
)

SOURCES_BY_KEY = {source.key: source for source in COST_SOURCES}

"""The demo factories' people and their training, as plain data that :mod:`app.services.demo_training`
writes: each factory's staff list (one person who has left), its job roles and what each requires, and
the sessions held so far with their effectiveness checks.

Every day is counted back from the demo's ``today``, so the matrix reads the same whenever the demo is
seeded: in Vietnam the hygiene refresher has lapsed for some operators; in Thailand the policy is still a
draft and one quiz failed; in Malaysia the contamination control procedure was revised ten days ago
(demo_documents), so the operators trained on revision 1 are outdated, and one auditor failed the exam.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    """A training requirement; a document requirement is named after its document (``document``: its
    code in the factory's register)."""

    key: str
    name: str = ""
    clause: str | None = None
    refresher_months: int | None = None
    everyone: bool = False
    auditor: bool = False
    document: str | None = None


@dataclass(frozen=True)
class Staff:
    key: str
    name: str
    department: str
    role: str
    started_days_ago: int
    left_days_ago: int | None = None


@dataclass(frozen=True)
class Session:
    """A session on ``need`` held ``days_ago``; a document session is on the revision in force that day.
    ``attendees`` are staff keys separated by spaces. With a ``check``, everyone passed except the
    ``pending`` and ``failed`` keys; without one, every result is pending."""

    need: str
    days_ago: int
    trainer: str
    method: str
    minutes: int
    attendees: str
    check: str = ""
    checked_after_days: int = 3
    pending: str = ""
    failed: str = ""
    evidence: str = ""  # the title of the attendance sheet or certificate kept as evidence


@dataclass(frozen=True)
class Training:
    needs: tuple[Need, ...]
    roles: Mapping[str, str]  # job role -> keys of what it requires, besides everyone's needs
    staff: tuple[Staff, ...]
    sessions: tuple[Session, ...]
    competence_clause: str  # where an attendance sheet is filed when its requirement names no clause


AWARENESS_9001 = "Quality policy and objectives awareness"

# Saigon Cork Co., Binh Duong (ISO 9001): documentation under way; production staff trained on the
# production procedure a year ago, awareness given after the policy was approved, the yearly hygiene
# refresher lapsed for three people.
CORK = Training(
    needs=(
        Need("aware", AWARENESS_9001, "7.3", everyone=True),
        Need("audit", "Internal auditor course (ISO 9001 and ISO 19011)", "9.2.2", auditor=True),
        Need("production", document="SCC-QP-02"),
        Need("inspect", "Cork inspection: moisture, TCA and visual grading", "8.6"),
        Need("hygiene", "Food-contact hygiene (GMP)", "7.1.4", refresher_months=12),
        Need("forklift", "Forklift licence", "7.2", refresher_months=36),
        Need("lockout", "Lockout and machine safety", "7.1.4", refresher_months=12),
    ),
    roles={
        "Plant manager": "",
        "QA supervisor": "audit production",
        "QC inspector": "production inspect",
        "Production supervisor": "audit production hygiene",
        "Punching operator": "production hygiene",
        "Sorting operator": "production hygiene",
        "Finishing operator": "production hygiene",
        "Warehouse keeper": "forklift",
        "Maintenance technician": "hygiene lockout",
        "HR and admin officer": "",
    },
    staff=(
        Staff("hung", "Tran Van Hung", "Management", "Plant manager", 4000),
        Staff("lan", "Nguyen Thi Lan", "Quality", "QA supervisor", 3400),
        Staff("mai", "Le Thi Mai", "Quality", "QC inspector", 1500),
        Staff("quang", "Duong Van Quang", "Quality", "QC inspector", 400),
        Staff("tuan", "Pham Minh Tuan", "Production", "Production supervisor", 2900),
        Staff("hoa", "Vo Thi Hoa", "Production", "Punching operator", 1200),
        Staff("dung", "Dang Van Dung", "Production", "Punching operator", 800),
        Staff("duc", "Pham Van Duc", "Production", "Punching operator", 2000, left_days_ago=60),
        Staff("thao", "Bui Thi Thao", "Production", "Sorting operator", 2100),
        Staff("ngoc", "Huynh Thi Ngoc", "Production", "Sorting operator", 600),
        Staff("hanh", "Cao Thi Hanh", "Production", "Sorting operator", 900),
        Staff("phuc", "Do Van Phuc", "Production", "Finishing operator", 1000),
        Staff("linh", "Ngo Thi Linh", "Production", "Finishing operator", 45),
        Staff("khoa", "Truong Van Khoa", "Warehouse", "Warehouse keeper", 1800),
        Staff("binh", "Mai Van Binh", "Warehouse", "Warehouse keeper", 150),
        Staff("son", "Phan Thanh Son", "Maintenance", "Maintenance technician", 2500),
        Staff("yen", "Ly Thi Yen", "Administration", "HR and admin officer", 1300),
    ),
    sessions=(
        Session("production", 380, "Nguyen Thi Lan", "classroom", 90,
                "tuan hoa dung duc thao ngoc phuc mai quang", "Observation on the line", 14),
        Session("production", 300, "Pham Minh Tuan", "reading", 30, "lan hanh", "Supervisor sign-off", 2),
        Session("hygiene", 400, "Nguyen Thi Lan", "classroom", 60, "tuan hoa dung duc thao phuc",
                "Written quiz", 1),
        Session("hygiene", 40, "Nguyen Thi Lan", "classroom", 60, "thao ngoc hanh phuc son",
                "Written quiz", 1, evidence="Attendance sheet, food-contact hygiene refresher"),
        Session("inspect", 500, "Nguyen Thi Lan", "on_the_job", 240, "mai",
                "Supervised grading of 3 lots", 10),
        Session("audit", 200, "Example Training Centre, Ho Chi Minh City", "external_course", 960, "lan tuan",
                "Course exam", 14, evidence="Internal auditor course certificates"),
        Session("forklift", 700, "Example Training Centre, Ho Chi Minh City", "external_course", 480, "khoa",
                "Practical test", 0),
        Session("aware", 12, "Nguyen Thi Lan", "classroom", 120,
                "hung lan mai quang tuan hoa dung thao phuc khoa yen", "Short quiz", 2, pending="khoa yen",
                evidence="Attendance sheet, quality policy and objectives briefing"),
    ),
    competence_clause="7.2",
)  # fmt: skip

# Chao Phraya Sachets, Samut Prakan (ISO 9001): gap analysis just started; the awareness briefing given to
# the managers at the kick-off, the yearly GMP refresher half done (one quiz failed), the policy to train
# on still a draft, the two auditors waiting for their exam results.
SACHET = Training(
    needs=(
        Need("aware", AWARENESS_9001, "7.3", everyone=True),
        Need("audit", "Internal auditor course (ISO 9001)", "9.2.2", auditor=True),
        Need("policy", document="CPS-POL-01"),
        Need("gmp", "GMP and food hygiene", "7.1.4", refresher_months=12),
        Need("metal", "Metal detector checks (CCP)", "8.5.1"),
        Need("forklift", "Forklift licence", "7.2", refresher_months=36),
    ),
    roles={
        "Plant manager": "policy",
        "QA manager": "audit policy",
        "QA officer": "audit gmp",
        "Shift supervisor": "policy gmp metal",
        "Filling machine operator": "gmp metal",
        "Packing operator": "gmp",
        "Forklift driver": "forklift",
        "Maintenance technician": "gmp",
        "HR officer": "",
    },
    staff=(
        Staff("wichai", "Wichai Thongdee", "Management", "Plant manager", 5000),
        Staff("somchai", "Somchai Prasert", "Quality", "QA manager", 3000),
        Staff("siriporn", "Siriporn Chaiyaporn", "Quality", "QA officer", 1200),
        Staff("duangjai", "Duangjai Phanthong", "Quality", "QA officer", 600),
        Staff("nattapong", "Nattapong Srisuk", "Production", "Shift supervisor", 2600),
        Staff("kanokwan", "Kanokwan Boonmee", "Production", "Shift supervisor", 1900),
        Staff("apinya", "Apinya Rattanakorn", "Production", "Filling machine operator", 1400),
        Staff("prasit", "Prasit Wongsawat", "Production", "Filling machine operator", 700),
        Staff("chanida", "Chanida Kaewmanee", "Production", "Filling machine operator", 300),
        Staff("malee", "Malee Suksan", "Production", "Packing operator", 2200),
        Staff("thanawat", "Thanawat Phromma", "Production", "Packing operator", 1000),
        Staff("sompong", "Sompong Jaidee", "Production", "Packing operator", 500),
        Staff("pornthip", "Pornthip Saelim", "Production", "Packing operator", 90),
        Staff("ratana", "Ratana Srisawat", "Production", "Packing operator", 1500, left_days_ago=30),
        Staff("anan", "Anan Charoenrat", "Warehouse", "Forklift driver", 1600),
        Staff("kittisak", "Kittisak Nakprasert", "Warehouse", "Forklift driver", 250),
        Staff("boonsong", "Boonsong Meesuk", "Maintenance", "Maintenance technician", 1700),
        Staff("jiraporn", "Jiraporn Intharasuk", "Human resources", "HR officer", 2000),
    ),
    sessions=(
        Session("gmp", 420, "Siriporn Chaiyaporn", "classroom", 90,
                "apinya malee thanawat nattapong kanokwan siriporn prasit ratana boonsong",
                "Written quiz", 1),
        Session("gmp", 50, "Siriporn Chaiyaporn", "classroom", 90,
                "apinya malee thanawat nattapong siriporn sompong chanida duangjai", "Written quiz", 5,
                failed="chanida", evidence="Attendance sheet, GMP refresher"),
        Session("forklift", 800, "Example Forklift School, Bangkok", "external_course", 960, "anan",
                "Practical test", 0),
        Session("forklift", 200, "Example Forklift School, Bangkok", "external_course", 960, "kittisak",
                "Practical test", 0),
        Session("metal", 20, "Siriporn Chaiyaporn", "on_the_job", 60, "apinya prasit nattapong kanokwan"),
        Session("audit", 9, "Example Training Institute, Bangkok", "external_course", 1440,
                "somchai siriporn", evidence="Internal auditor course attendance"),
        Session("aware", 7, "Somchai Prasert", "classroom", 120,
                "wichai somchai siriporn nattapong kanokwan jiraporn duangjai",
                "Questions at the workshop", 0),
    ),
    competence_clause="7.2",
)  # fmt: skip

# Penang MedTech, Bayan Lepas (ISO 13485): documentation done, training nearly so; two new starters, and
# the contamination control procedure revised ten days ago: three operators retrained on revision 2, the
# rest still on revision 1. Three qualified internal auditors; one failed the course exam.
INFUSION = Training(
    needs=(
        Need("aware", "Quality policy and regulatory awareness", "6.2", everyone=True),
        Need("audit", "Internal auditor course (ISO 13485 and ISO 19011)", "8.2.4", auditor=True),
        Need("manual", document="PMT-QM-01"),
        Need("contamination", document="PMT-QP-13"),
        Need("gdp", "Good documentation practice", "4.2.5", refresher_months=24),
        Need("sealing", "Pouch sealing and seal-strength testing", "7.5.6"),
        Need("complaints", "Complaint handling and vigilance reporting", "8.2.2"),
    ),
    roles={
        "General manager": "manual",
        "QA manager": "audit manual",
        "QA engineer": "audit manual gdp complaints",
        "Regulatory affairs officer": "manual complaints",
        "Production supervisor": "contamination gdp",
        "Process engineer": "audit sealing",
        "Clean-room operator": "contamination gdp",
        "Sealing operator": "contamination gdp sealing",
        "Store keeper": "",
    },
    staff=(
        Staff("rajesh", "Rajesh a/l Krishnan", "Management", "General manager", 4500),
        Staff("weiming", "Tan Wei Ming", "Quality", "QA manager", 3000),
        Staff("aisyah", "Nur Aisyah binti Ahmad", "Quality", "QA engineer", 1500),
        Staff("suresh", "Suresh a/l Maniam", "Quality", "QA engineer", 350),
        Staff("meiling", "Lim Mei Ling", "Regulatory affairs", "Regulatory affairs officer", 1100),
        Staff("faizal", "Mohd Faizal bin Ismail", "Production", "Production supervisor", 2400),
        Staff("yap", "Yap Kok Leong", "Production", "Production supervisor", 1000),
        Staff("kavitha", "Kavitha a/p Subramaniam", "Engineering", "Process engineer", 1300),
        Staff("lee", "Lee Chun Hao", "Engineering", "Process engineer", 600),
        Staff("ong", "Ong Kah Hui", "Clean room", "Clean-room operator", 1900),
        Staff("siti", "Siti Nurhaliza binti Yusof", "Clean room", "Clean-room operator", 1600),
        Staff("chong", "Chong Wai Kit", "Clean room", "Clean-room operator", 900),
        Staff("farah", "Farah binti Abdullah", "Clean room", "Clean-room operator", 700),
        Staff("hafiz", "Muhammad Hafiz bin Rahman", "Clean room", "Clean-room operator", 500),
        Staff("priya", "Priya a/p Muthu", "Clean room", "Clean-room operator", 400),
        Staff("wong", "Wong Li Ying", "Clean room", "Clean-room operator", 12),
        Staff("zul", "Zulkifli bin Hamzah", "Clean room", "Clean-room operator", 1400, left_days_ago=70),
        Staff("teoh", "Teoh Chee Keong", "Clean room", "Sealing operator", 1200),
        Staff("nadia", "Nadia binti Hassan", "Clean room", "Sealing operator", 800),
        Staff("goh", "Goh Siew Lan", "Clean room", "Sealing operator", 14),
        Staff("azman", "Azman bin Osman", "Warehouse", "Store keeper", 2000),
    ),
    sessions=(
        Session("aware", 100, "Tan Wei Ming", "classroom", 120,
                "rajesh weiming aisyah suresh meiling faizal yap kavitha lee ong siti chong farah hafiz "
                "priya zul teoh nadia azman", "Quiz", 1, evidence="Attendance sheet, policy briefing"),
        Session("audit", 150, "Example Training Academy, Penang", "external_course", 1440,
                "weiming aisyah kavitha lee", "Course exam", 14, failed="lee",
                evidence="Internal auditor course certificates"),
        Session("manual", 55, "Tan Wei Ming", "reading", 45, "rajesh weiming aisyah suresh meiling",
                "Read-and-understood sign-off", 0),
        Session("contamination", 56, "Tan Wei Ming", "classroom", 90,
                "faizal yap ong siti chong farah hafiz priya teoh nadia",
                "Gowning observed at the airlock", 3),
        Session("contamination", 4, "Nur Aisyah binti Ahmad", "classroom", 60, "faizal ong siti",
                evidence="Attendance sheet, contamination control revision 2"),
        Session("gdp", 300, "Tan Wei Ming", "classroom", 60, "faizal ong siti chong farah teoh zul aisyah",
                "Batch record review by QA", 30),
        Session("gdp", 30, "Nur Aisyah binti Ahmad", "classroom", 60, "hafiz priya nadia yap suresh",
                "Batch record review by QA", 20, pending="yap"),
        Session("sealing", 200, "Supplier's application engineer", "on_the_job", 240,
                "kavitha lee teoh nadia", "Seal-strength test of 10 sample pouches", 1),
        Session("complaints", 90, "Tan Wei Ming", "classroom", 90, "meiling aisyah suresh",
                "Case exercise", 0),
    ),
    competence_clause="6.2",
)  # fmt: skip

TRAINING = {"VN": CORK, "TH": SACHET, "MY": INFUSION}

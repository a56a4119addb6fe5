"""Every fact a party or a flow can carry, as the Model page's forms show it: label, kind, section, when it applies.

One catalogue serves the forms (which widget, which bounds), the Validation page
(a finding's location in words, and which form holds the field) and the tests
(every schema property of a flow and a party has a form field). Bounds and help
come from ``schemas/dsa-model.schema.json`` at run time, so the forms follow the
schema as it changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

from .. import labels


class _DraftingLabels(Mapping):
    """The drafts' words for the Article 6 and 9 bases, loaded on first use (the drafting package is heavy)."""

    def __init__(self, name: str):
        self._name = name

    def _table(self) -> Mapping[str, str]:
        from ..drafting import filters
        return getattr(filters, self._name)

    def __getitem__(self, key):
        return self._table()[key]

    def __iter__(self):
        return iter(self._table())

    def __len__(self):
        return len(self._table())


ARTICLE_6 = _DraftingLabels("ARTICLE_6")
ARTICLE_9 = _DraftingLabels("ARTICLE_9")
from ..validation.schema import SCHEMA_PATH

SCHEDULE_1_ARTICLES = {"9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"}
ART28_TERMS = {
    "a": "(a) only on documented instructions", "b": "(b) confidentiality of staff",
    "c": "(c) security (Article 32)", "d": "(d) sub-processors only with authority",
    "e": "(e) help with data subjects' rights", "f": "(f) help with security, breaches and DPIAs",
    "g": "(g) deletion or return at the end", "h": "(h) information and audits",
}


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]
    label: str
    kind: str                   # text, long, date, bool, choice, int, number, money, list, terms, party
    section: str
    options: Mapping[str, str] | None = None   # value → label, for kind "choice"
    applies: Callable[[Mapping[str, Any], Mapping[str, Any]], bool] | None = None  # (item, doc) → shown?
    required: bool = False

    @property
    def key(self) -> str:
        return ".".join(self.path)


def _special(flow, doc) -> bool:
    return bool((flow.get("data") or {}).get("special_category"))


def _schedule_1(flow, doc) -> bool:
    return _special(flow, doc) and (flow.get("legal_basis") or {}).get("article_9") in SCHEDULE_1_ARTICLES


def _party_type(doc, party_id):
    return next((p.get("type") for p in doc.get("parties", []) if isinstance(p, dict) and p.get("id") == party_id),
                None)


def _processor(flow, doc) -> bool:
    return flow.get("relationship") == "controller_to_processor"


def _joint(flow, doc) -> bool:
    return flow.get("relationship") == "joint_controllers"


FLOW_SECTIONS = {"basics": "Who shares with whom, and why", "data": "The data", "legal": "Legal basis and opt-outs",
                 "transfer": "Transfer, retention and breaches", "governance": "DPIA, contracts and approvals"}
PARTY_SECTIONS = {"basics": "Who the party is", "cover": "Insurance", "contacts": "Contacts and privacy notice"}

FLOW_FIELDS: tuple[Field, ...] = (
    Field(("name",), "Name of the flow", "text", "basics", required=True),
    Field(("from",), "Shared by", "party", "basics", required=True),
    Field(("to",), "Shared with", "party", "basics", required=True),
    Field(("purpose",), "Purpose", "choice", "basics", labels.PURPOSE, required=True),
    Field(("relationship",), "Roles under UK GDPR", "choice", "basics", labels.RELATIONSHIP, required=True),
    Field(("compatibility_assessment",), "Compatibility assessment (when a purpose was added to an existing flow)",
          "long", "basics"),
    Field(("data", "identifiability"), "How identifiable the data is", "choice", "data", labels.IDENTIFIABILITY,
          required=True),
    Field(("data", "special_category"), "Special category (health) data", "bool", "data", required=True),
    Field(("data", "records"), "Number of people whose records are shared", "int", "data", required=True),
    Field(("data", "categories"), "Categories of data (one per line, e.g. diagnoses)", "list", "data"),
    Field(("data", "subject_categories"), "Whose data (one per line, e.g. patients)", "list", "data"),
    Field(("data", "criminal_offence"), "Criminal offence data", "bool", "data"),
    Field(("data", "linked"), "Linked or matched with other data", "bool", "data"),
    Field(("data", "document_store"), "Held in a document store", "bool", "data"),
    Field(("data", "free_text"), "Includes free text", "bool", "data"),
    Field(("data", "justification"), "Why each category is needed (data minimisation)", "long", "data"),
    Field(("data", "record_type"), "Record type (Records Management Code class)", "text", "data"),
    Field(("legal_basis", "article_6"), "Article 6 lawful basis", "choice", "legal", ARTICLE_6),
    Field(("legal_basis", "article_9"), "Article 9 condition", "choice", "legal", ARTICLE_9, applies=_special),
    Field(("legal_basis", "schedule_1_condition"), "Schedule 1 condition (Part and paragraph)", "text", "legal",
          applies=_schedule_1),
    Field(("appropriate_policy_document",), "An appropriate policy document is in place", "bool", "legal",
          applies=_schedule_1),
    Field(("art89_safeguards",), "Article 89 safeguards (research)", "long", "legal",
          applies=lambda f, d: (f.get("legal_basis") or {}).get("article_9") == "9(2)(j)"
          or f.get("purpose") == "research"),
    Field(("legal_basis", "legal_power"), "Legal power to share (the statute)", "text", "legal"),
    Field(("legal_basis", "common_law"), "Common-law duty of confidentiality", "choice", "legal", labels.COMMON_LAW),
    Field(("national_data_opt_out",), "National data opt-out", "choice", "legal", labels.OPT_OUT),
    Field(("national_data_opt_out_exemption",), "Why the national data opt-out is not applied", "long", "legal",
          applies=lambda f, d: f.get("national_data_opt_out") == "not_applied"),
    Field(("type1_opt_out",), "Type 1 opt-out (GP data)", "choice", "legal", labels.OPT_OUT,
          applies=lambda f, d: _party_type(d, f.get("from")) == "gp_practice"),
    Field(("s251", "cag_reference"), "Section 251: CAG reference", "text", "legal",
          applies=lambda f, d: (f.get("legal_basis") or {}).get("common_law") == "s251"),
    Field(("s251", "expires"), "Section 251 support expires", "date", "legal",
          applies=lambda f, d: (f.get("legal_basis") or {}).get("common_law") == "s251"),
    Field(("transfer", "method"), "How it is sent", "choice", "transfer", labels.TRANSFER_METHOD, required=True),
    Field(("transfer", "frequency"), "How often", "choice", "transfer", labels.FREQUENCY, required=True),
    Field(("transfer", "encrypted"), "Encrypted in transit", "bool", "transfer", required=True),
    Field(("retention_months",), "Retention (months)", "int", "transfer"),
    Field(("breach_notification_hours",), "Hours within which the processor tells the controller of a breach",
          "number", "transfer", applies=_processor),
    Field(("international_transfer", "country"), "International transfer: country", "text", "transfer"),
    Field(("international_transfer", "mechanism"), "International transfer: safeguard (e.g. adequacy, IDTA)",
          "text", "transfer"),
    Field(("privacy_notice_updated",), "The controllers' privacy notices cover this flow", "bool", "governance"),
    Field(("dpia", "reference"), "DPIA reference", "text", "governance"),
    Field(("dpia", "date"), "DPIA date", "date", "governance"),
    Field(("dpia", "dpo_advice"), "DPO's advice on the DPIA (or where it is recorded)", "long", "governance"),
    Field(("processing_contract", "reference"), "Processing contract (Article 28) reference", "text", "governance",
          applies=_processor),
    Field(("processing_contract", "date"), "Processing contract signed on", "date", "governance", applies=_processor),
    Field(("processing_contract", "expires"), "Processing contract expires", "date", "governance", applies=_processor),
    Field(("processing_contract", "terms"), "Article 28(3) terms the contract covers", "terms", "governance",
          ART28_TERMS, applies=_processor),
    Field(("processing_contract", "sub_processors"), "Authorised sub-processors (one per line)", "list",
          "governance", applies=_processor),
    Field(("joint_arrangement", "reference"), "Joint controller arrangement: reference", "text", "governance",
          applies=_joint),
    Field(("joint_arrangement", "contact_point"), "Joint arrangement: contact point for people", "text",
          "governance", applies=_joint),
    Field(("joint_arrangement", "responsibilities"), "Joint arrangement: who does what", "long", "governance",
          applies=_joint),
    Field(("joint_arrangement", "essence_published"), "The essence of the arrangement is published", "bool",
          "governance", applies=_joint),
)

PARTY_FIELDS: tuple[Field, ...] = (
    Field(("name",), "Legal name", "text", "basics", required=True),
    Field(("type",), "Type of organisation", "choice", "basics", labels.PARTY_TYPE, required=True),
    Field(("legal_form",), "Legal form", "choice", "basics", labels.LEGAL_FORM, required=True),
    Field(("partners",), "Number of partners", "int", "basics",
          applies=lambda p, d: p.get("legal_form") == "partnership"),
    Field(("partner_names",), "Partners' names (one per line)", "list", "basics",
          applies=lambda p, d: p.get("legal_form") in ("partnership", "sole_trader")),
    Field(("ods_code",), "ODS code", "text", "basics"),
    Field(("address",), "Registered address", "long", "basics"),
    Field(("dspt_status",), "Data Security and Protection Toolkit status", "choice", "basics", labels.DSPT_STATUS),
    Field(("annual_turnover_gbp",), "Annual turnover (£)", "money", "basics"),
    Field(("ico_registration",), "ICO registration number", "text", "basics"),
    Field(("insurance", "cyber_limit_gbp"), "Cyber insurance limit (£)", "money", "cover"),
    Field(("insurance", "excess_gbp"), "Insurance excess (£)", "money", "cover"),
    Field(("contacts", "dpo"), "Data Protection Officer", "text", "contacts"),
    Field(("contacts", "siro"), "Senior Information Risk Owner (SIRO)", "text", "contacts"),
    Field(("contacts", "caldicott_guardian"), "Caldicott Guardian", "text", "contacts"),
    Field(("contacts", "public"), "Contact for the public", "text", "contacts"),
    Field(("privacy_notice_url",), "Privacy notice address (web page)", "text", "contacts"),
)

FIELDS = {"flows": FLOW_FIELDS, "parties": PARTY_FIELDS}
SECTIONS = {"flows": FLOW_SECTIONS, "parties": PARTY_SECTIONS}
# Names of the objects that group fields, for locations ("Flow 3 'x' › DPIA › Date").
GROUPS = {"data": "Data", "legal_basis": "Legal basis", "transfer": "Transfer", "dpia": "DPIA",
          "s251": "Section 251 support", "processing_contract": "Processing contract",
          "joint_arrangement": "Joint arrangement", "international_transfer": "International transfer",
          "insurance": "Insurance", "contacts": "Contacts", "risk": "Risk overrides",
          "joint_controllers": "Joint controllers", "applies_to": "Applies to", "condition": "Condition",
          "approval": "Approval", "members": "Members", "beneficiaries": "Beneficiaries"}
SHORT = {("legal_basis", "article_6"): "Article 6", ("legal_basis", "article_9"): "Article 9",
         ("legal_basis", "common_law"): "Common law", ("legal_basis", "schedule_1_condition"): "Schedule 1 condition",
         ("legal_basis", "legal_power"): "Legal power"}


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_node(kind: str, path: tuple[str, ...]) -> dict:
    """The schema of one field of a ``party`` or ``flow`` (``{}`` when the schema does not have it)."""
    defs = schema()["$defs"]
    node: Mapping[str, Any] = defs[kind]
    for key in path:
        node = node.get("properties", {}).get(key, {})
        if "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return dict(node)


def bounds(kind: str, path: tuple[str, ...]) -> tuple[float | None, float | None]:
    """The schema's ``minimum`` and ``maximum`` of a number (exclusive bounds read as inclusive)."""
    node = schema_node(kind, path)
    low = node.get("minimum", node.get("exclusiveMinimum"))
    high = node.get("maximum", node.get("exclusiveMaximum"))
    return low, high


def help_text(kind: str, path: tuple[str, ...]) -> str | None:
    return schema_node(kind, path).get("description") or None


def field_at(section: str, path: tuple) -> Field | None:
    """The form field holding ``path`` (inside one item), or the field whose group it is in."""
    for f in FIELDS.get(section, ()):
        if tuple(path[:len(f.path)]) == f.path:
            return f
    for f in FIELDS.get(section, ()):
        if path and f.path[0] == path[0]:
            return f
    return None


def item_title(doc: Mapping, section: str, index: int) -> str:
    items = doc.get(section) or []
    item = items[index] if 0 <= index < len(items) and isinstance(items[index], Mapping) else {}
    kind = {"parties": "Party", "flows": "Flow", "clauses": "Clause", "scenarios": "Scenario"}[section]
    name = item.get("name")
    return f"{kind} {index + 1} '{name}'" if name else f"{kind} {index + 1}"


def location(doc: Mapping, path: tuple) -> str:
    """Where a finding is, in words: ``Flow 28 'Weekly PHM extract — Riverside' › Legal basis › Article 9``."""
    if not path:
        return "The whole model"
    head, rest = path[0], tuple(path[1:])
    if head in ("parties", "flows", "clauses", "scenarios") and rest and isinstance(rest[0], int):
        parts = [item_title(doc, head, rest[0])]
        inner = tuple(p for p in rest[1:] if not isinstance(p, int))
        field = field_at(head, inner) if inner else None
        if field is not None and field.path == inner[:len(field.path)]:
            if len(field.path) > 1:
                parts.append(GROUPS.get(field.path[0], field.path[0]))
            parts.append(SHORT.get(field.path, _short(field)))
        else:
            parts += [GROUPS.get(str(p), str(p).replace("_", " ").capitalize()) for p in inner]
        return " › ".join(parts)
    if head == "partnership":
        return " › ".join(["The partnership", *[str(p).replace("_", " ").capitalize() for p in rest]])
    if head == "assumptions":
        return "Assumptions"
    return " › ".join(str(p).replace("_", " ").capitalize() for p in path)


def _short(field: Field) -> str:
    label = field.label
    for prefix in ("Processing contract (Article 28) ", "Processing contract ", "Section 251: ", "Section 251 support ",
                   "Joint controller arrangement: ", "Joint arrangement: ", "International transfer: "):
        if label.startswith(prefix):
            label = label[len(prefix):]
            return label[:1].upper() + label[1:]
    return label


def fix_target(path: tuple) -> tuple[str, int | None, str | None]:
    """Which form holds the field at ``path``: (section of the model, item position, form section)."""
    if not path:
        return "partnership", None, None
    head = path[0]
    if head in ("parties", "flows") and len(path) >= 2 and isinstance(path[1], int):
        field = field_at(head, tuple(p for p in path[2:] if not isinstance(p, int)))
        return head, path[1], field.section if field else "basics"
    if head in ("clauses", "scenarios") and len(path) >= 2 and isinstance(path[1], int):
        return head, path[1], None
    return ("assumptions" if head == "assumptions" else "partnership"), None, None

"""Read-only typed views of a partnership model (format ``dsa-model/1``).

Built from a document that has passed schema validation; :meth:`Model.to_document`
gives the document back, equal to the one it was built from (keys the views do
not type, such as ``x-`` annotations and optional governance facts, are kept
verbatim in ``extra``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from .collector import collector_paused
from .errors import ModelError

FORMAT = "dsa-model/1"

PARTY_TYPES = (
    "gp_practice", "nhs_trust", "icb", "local_authority", "vcse",
    "commissioning_support_unit", "supplier", "other",
    # second release (arrangements.md §1): the whole primary care offer and its delivery vehicles
    "dental_practice", "optometry_practice", "community_pharmacy", "gp_federation", "neighbourhood_provider",
)
# Independent contractors whose owners may carry losses personally (arrangements.md §1).
PRIMARY_CARE_TYPES = ("gp_practice", "dental_practice", "optometry_practice", "community_pharmacy")
DRAFTING_ALTERNATIVES = ("capped", "uncapped", "fault_based", "no_fault", "defence_costs_only")
LEGAL_FORMS = (
    "partnership", "sole_trader", "limited_company", "nhs_body", "local_authority",
    "charity", "community_interest_company", "other",
)
DSPT_STATUSES = (
    "standards_exceeded", "standards_met", "approaching_standards",
    "standards_not_met", "not_published",
)
PURPOSES = (
    "direct_care", "population_health_management", "risk_stratification", "planning",
    "commissioning", "invoice_validation", "research", "public_health", "safeguarding", "other",
)
RELATIONSHIPS = ("independent_controllers", "joint_controllers", "controller_to_processor")
IDENTIFIABILITY = ("identifiable", "pseudonymised", "anonymised", "aggregate")
TRANSFER_METHODS = (
    "secure_api", "nhs_mail", "sftp", "direct_system_access", "physical_media",
    "unsecured_email", "other",
)
FREQUENCIES = ("one_off", "real_time", "daily", "weekly", "monthly", "quarterly", "annually")
COMPONENTS = ("compensation", "response_costs", "fines")
DEFAULT_COVERS = ("compensation", "response_costs")
PERSONAL_LEGAL_FORMS = ("partnership", "sole_trader")
PUBLIC_LEGAL_FORMS = ("nhs_body", "local_authority")


# Values freeze() returns as they are: scalars, and the mapping proxies and tuples it makes.
_FROZEN = frozenset({str, int, float, bool, type(None), MappingProxyType, tuple})


def freeze(value: Any) -> Any:
    """A deep read-only copy of a JSON value (dicts become mapping proxies, lists tuples)."""
    # Exact type checks, and no call for a value already frozen: a national model has millions of values,
    # and isinstance against the typing ABCs costs several times the copy itself.
    # Mapping proxies and tuples are taken to be frozen already (this function makes them), so views built
    # from a frozen document share its values instead of copying them again.
    kind = type(value)
    if kind in _FROZEN:
        return value
    if kind is dict:
        return MappingProxyType({k: v if type(v) in _FROZEN else freeze(v) for k, v in value.items()})
    if kind is list:
        return tuple([v if type(v) in _FROZEN else freeze(v) for v in value])
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def freeze_taken(value: Any) -> Any:
    """:func:`freeze` for a value nobody else will use: its dicts are frozen in place (their values replaced by
    frozen ones) and wrapped, not copied — a national document's frozen copy would be 75 MB more."""
    kind = type(value)
    if kind is dict:
        for k, v in value.items():
            if type(v) not in _FROZEN:
                value[k] = freeze_taken(v)
        return MappingProxyType(value)
    if kind is list:
        return tuple([v if type(v) in _FROZEN else freeze_taken(v) for v in value])
    return freeze(value)


def thaw(value: Any) -> Any:
    """The inverse of :func:`freeze`: plain dicts and lists again."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return EMPTY


def _split(doc: Mapping[str, Any], typed: frozenset[str]) -> Mapping[str, Any]:
    """The members of ``doc`` a view does not type, frozen (shared with ``doc`` when it is frozen already)."""
    return MappingProxyType({k: v if type(v) in _FROZEN else freeze(v) for k, v in doc.items() if k not in typed})


def _put(out: dict, key: str, value: Any) -> None:
    if value is not None:
        out[key] = thaw(value)


# --------------------------------------------------------------------------- parties


@dataclass(frozen=True, slots=True)
class Insurance:
    cyber_limit_gbp: float | None = None
    excess_gbp: float = 0.0


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    type: str
    legal_form: str
    partners: int | None = None
    ods_code: str | None = None
    dspt_status: str | None = None
    annual_turnover_gbp: float | None = None
    insurance: Insurance | None = None
    contacts: Mapping[str, Any] = field(default_factory=_empty)
    extra: Mapping[str, Any] = field(default_factory=_empty)  # ico_registration, privacy_notice_url, x- keys …
    _raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)

    _TYPED = frozenset(("id", "name", "type", "legal_form", "partners", "ods_code", "dspt_status",
                        "annual_turnover_gbp", "insurance", "contacts"))

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "Party":
        ins = doc.get("insurance")
        return cls(
            id=doc["id"], name=doc["name"], type=doc["type"], legal_form=doc["legal_form"],
            partners=doc.get("partners"), ods_code=doc.get("ods_code"),
            dspt_status=doc.get("dspt_status"),
            annual_turnover_gbp=doc.get("annual_turnover_gbp"),
            insurance=None if ins is None else Insurance(
                cyber_limit_gbp=ins.get("cyber_limit_gbp"), excess_gbp=ins.get("excess_gbp", 0.0) or 0.0),
            contacts=freeze(doc.get("contacts", {})),
            extra=_split(doc, cls._TYPED), _raw=freeze(doc),
        )

    def to_document(self) -> dict:
        return thaw(self._raw)

    @property
    def effective_dspt_status(self) -> str:
        """The DSPT status the loss model uses: a missing status counts as not published."""
        return self.dspt_status or "not_published"

    @property
    def is_public_body(self) -> bool:
        return self.legal_form in PUBLIC_LEGAL_FORMS

    @property
    def partner_names(self) -> tuple[str, ...]:
        """The partners' names as the agreement names them (empty when the model does not record them)."""
        return tuple(self.extra.get("partner_names") or ())

    @property
    def address(self) -> str | None:
        """The address for notices under the agreement."""
        return self.extra.get("address")

    @property
    def has_personal_exposure(self) -> bool:
        """Partners of a partnership and a sole trader carry losses personally."""
        return self.legal_form in PERSONAL_LEGAL_FORMS

    @property
    def partner_count(self) -> int:
        """How many people share a personal loss (1 for a sole trader)."""
        if self.legal_form == "sole_trader":
            return 1
        return int(self.partners or 1)

    @property
    def ico_registration(self) -> str | None:
        return self.extra.get("ico_registration")

    @property
    def privacy_notice_url(self) -> str | None:
        return self.extra.get("privacy_notice_url")


# --------------------------------------------------------------------------- flows


@dataclass(frozen=True, slots=True)
class Share:
    party: str
    share: float


@dataclass(frozen=True, slots=True)
class FlowData:
    identifiability: str
    special_category: bool
    records: int
    categories: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=_empty)  # subject_categories, criminal_offence, linked, free_text …

    _TYPED = frozenset(("identifiability", "special_category", "records", "categories"))

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "FlowData":
        return cls(
            identifiability=doc["identifiability"], special_category=bool(doc["special_category"]),
            records=int(doc["records"]), categories=tuple(doc.get("categories", ())),
            extra=_split(doc, cls._TYPED),
        )

    @property
    def is_personal(self) -> bool:
        """Identifiable or pseudonymised data is personal data (and confidential patient information)."""
        return self.identifiability in ("identifiable", "pseudonymised")


@dataclass(frozen=True, slots=True)
class LegalBasis:
    article_6: str | None = None
    article_9: str | None = None
    schedule_1_condition: str | None = None
    legal_power: str | None = None
    common_law: str | None = None

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "LegalBasis":
        get = doc.get
        return cls(get("article_6"), get("article_9"), get("schedule_1_condition"), get("legal_power"),
                   get("common_law"))


@dataclass(frozen=True, slots=True)
class Transfer:
    method: str
    frequency: str
    encrypted: bool


@dataclass(frozen=True, slots=True)
class Flow:
    id: str
    name: str
    source: str        # the document's ``from``: the discloser
    recipient: str     # the document's ``to``
    purpose: str
    relationship: str
    data: FlowData
    transfer: Transfer
    legal_basis: LegalBasis | None = None
    national_data_opt_out: str | None = None
    retention_months: int | None = None
    declared_joint_controllers: tuple[Share, ...] | None = None
    risk: Mapping[str, Any] = field(default_factory=_empty)
    extra: Mapping[str, Any] = field(default_factory=_empty)  # dpia, s251, processing_contract, x- keys …
    _raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)

    _TYPED = frozenset(("id", "name", "from", "to", "purpose", "relationship", "data", "transfer",
                        "legal_basis", "national_data_opt_out", "retention_months", "joint_controllers", "risk"))

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "Flow":
        t = doc["transfer"]
        jc = doc.get("joint_controllers")
        lb = doc.get("legal_basis")
        return cls(
            id=doc["id"], name=doc["name"], source=doc["from"], recipient=doc["to"],
            purpose=doc["purpose"], relationship=doc["relationship"],
            data=FlowData.from_document(doc["data"]),
            transfer=Transfer(t["method"], t["frequency"], bool(t["encrypted"])),
            legal_basis=None if lb is None else LegalBasis.from_document(lb),
            national_data_opt_out=doc.get("national_data_opt_out"),
            retention_months=doc.get("retention_months"),
            declared_joint_controllers=None if jc is None else tuple(Share(s["party"], float(s["share"])) for s in jc),
            risk=freeze(doc["risk"]) if "risk" in doc else EMPTY,
            extra=_split(doc, cls._TYPED), _raw=freeze(doc),
        )

    def to_document(self) -> dict:
        return thaw(self._raw)

    @property
    def controller_shares(self) -> tuple[Share, ...]:
        """Joint controllers and their shares; ``from`` and ``to`` at 0.5 each by default."""
        if self.relationship != "joint_controllers":
            return ()
        if self.declared_joint_controllers:
            return self.declared_joint_controllers
        return (Share(self.source, 0.5), Share(self.recipient, 0.5))

    @property
    def controller(self) -> str:
        """The controller of a controller-to-processor flow is the discloser."""
        return self.source

    @property
    def processor(self) -> str | None:
        return self.recipient if self.relationship == "controller_to_processor" else None

    @property
    def parties(self) -> tuple[str, ...]:
        """Every party that takes part in the flow, discloser first, without repeats."""
        ids = [self.source, self.recipient] + [s.party for s in self.controller_shares]
        return tuple(dict.fromkeys(ids))

    def governance(self, key: str, default: Any = None) -> Any:
        """An optional governance fact (``dpia``, ``s251``, ``processing_contract`` …)."""
        return self.extra.get(key, default)


# --------------------------------------------------------------------------- clauses


@dataclass(frozen=True, slots=True)
class Scope:
    """Which flows a clause applies to; ``None`` means no restriction on that axis."""

    purposes: tuple[str, ...] | None = None
    flows: tuple[str, ...] | None = None

    @classmethod
    def from_document(cls, doc: Mapping[str, Any] | None) -> "Scope":
        doc = doc or {}
        p, f = doc.get("purposes"), doc.get("flows")
        return cls(None if p is None else tuple(p), None if f is None else tuple(f))

    def matches(self, flow: Flow) -> bool:
        # Both axes must match when both are given (liability-model.md section 5).
        if self.purposes is not None and flow.purpose not in self.purposes:
            return False
        if self.flows is not None and flow.id not in self.flows:
            return False
        return True


@dataclass(frozen=True, slots=True)
class Condition:
    description: str | None = None
    probability: float | None = None
    tests: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Indemnity:
    id: str
    name: str
    indemnifier: str
    beneficiary_ids: tuple[str, ...] | None  # None when given by party type
    beneficiary_type: str | None
    share: float
    applies_to: Scope = Scope()
    covers: tuple[str, ...] = DEFAULT_COVERS
    condition: Condition | None = None
    excess_gbp: float = 0.0
    cap_per_incident_gbp: float | None = None
    cap_annual_gbp: float | None = None
    approval: Mapping[str, Any] | None = None
    _raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)

    type = "indemnity"

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "Indemnity":
        b = doc["beneficiaries"]
        cond = doc.get("condition")
        return cls(
            id=doc["id"], name=doc["name"], indemnifier=doc["indemnifier"],
            beneficiary_ids=tuple(b) if isinstance(b, (list, tuple)) else None,
            beneficiary_type=b.get("party_type") if isinstance(b, Mapping) else None,
            share=float(doc["share"]), applies_to=Scope.from_document(doc.get("applies_to")),
            covers=tuple(doc.get("covers", DEFAULT_COVERS)),
            condition=None if cond is None else Condition(
                cond.get("description"), cond.get("probability"), tuple(cond.get("tests", ()))),
            excess_gbp=float(doc.get("excess_gbp", 0.0) or 0.0),
            cap_per_incident_gbp=doc.get("cap_per_incident_gbp"),
            cap_annual_gbp=doc.get("cap_annual_gbp"),
            approval=freeze(doc["approval"]) if "approval" in doc else None,
            _raw=freeze(doc),
        )

    def to_document(self) -> dict:
        return thaw(self._raw)

    @property
    def is_conditional(self) -> bool:
        return self.condition is not None


@dataclass(frozen=True, slots=True)
class RiskPool:
    id: str
    name: str
    members: tuple[Share, ...]
    applies_to: Scope = Scope()
    covers: tuple[str, ...] = DEFAULT_COVERS
    _raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)

    type = "risk_pool"

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "RiskPool":
        return cls(
            id=doc["id"], name=doc["name"],
            members=tuple(Share(m["party"], float(m["share"])) for m in doc["members"]),
            applies_to=Scope.from_document(doc.get("applies_to")),
            covers=tuple(doc.get("covers", DEFAULT_COVERS)), _raw=freeze(doc),
        )

    def to_document(self) -> dict:
        return thaw(self._raw)


Clause = Indemnity | RiskPool


def clause_from_document(doc: Mapping[str, Any]) -> Clause:
    if doc.get("type") == "indemnity":
        return Indemnity.from_document(doc)
    if doc.get("type") == "risk_pool":
        return RiskPool.from_document(doc)
    raise ModelError(f"clause {doc.get('id')!r} has unknown type {doc.get('type')!r}")


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    name: str
    clauses: tuple[str, ...]
    description: str | None = None
    _raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "Scenario":
        return cls(doc["id"], doc["name"], tuple(doc.get("clauses", ())), doc.get("description"), freeze(doc))

    def to_document(self) -> dict:
        return thaw(self._raw)


BASELINE = Scenario("baseline", "Baseline (no risk-sharing clauses)", (), "The legal default: no clause applies.")


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class Partnership:
    name: str
    description: str | None = None
    effective_date: str | None = None
    review_date: str | None = None
    lead_party: str | None = None
    breach_reporting_hours: float | None = None
    exit_terms: str | None = None
    version_note: str | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty)

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> "Partnership":
        typed = tuple(f for f in cls.__dataclass_fields__ if f != "extra")
        return cls(**{k: doc.get(k) for k in typed}, extra=_split(doc, frozenset(typed)))


@dataclass(frozen=True, slots=True)
class Model:
    partnership: Partnership
    parties: tuple[Party, ...]
    flows: tuple[Flow, ...]
    clauses: tuple[Clause, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    assumptions: Mapping[str, Any] = field(default_factory=_empty)
    _raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)
    _party_index: Mapping[str, int] = field(default_factory=_empty, repr=False, compare=False)

    @classmethod
    def from_document(cls, doc: Mapping[str, Any], *, take: bool = False) -> "Model":
        """Typed views of a schema-valid document; raises ModelError if it is not readable.

        ``take``: the model takes the document (the caller will not use it again), freezing it in place
        instead of copying it.
        """
        with collector_paused():  # millions of new objects on a national model, none in a cycle
            try:
                doc = freeze_taken(doc) if take else freeze(doc)  # once: the views below share its frozen values
                parties = tuple(Party.from_document(p) for p in doc["parties"])
                return cls(
                    partnership=Partnership.from_document(doc["partnership"]),
                    parties=parties,
                    flows=tuple(Flow.from_document(f) for f in doc["flows"]),
                    clauses=tuple(clause_from_document(c) for c in doc.get("clauses", ())),
                    scenarios=tuple(Scenario.from_document(s) for s in doc.get("scenarios", ())),
                    assumptions=freeze(doc.get("assumptions", {})),
                    _raw=doc,  # frozen above: a copy unless taken, so the caller's document stays its own
                    _party_index=MappingProxyType({p.id: i for i, p in enumerate(parties)}),
                )
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                raise ModelError(f"the model is not valid enough to read: {exc!r}; run `dsa validate`") from exc

    def to_document(self) -> dict:
        """The document this model was built from, as plain dicts and lists."""
        return thaw(self._raw)

    # lookups -----------------------------------------------------------------

    def party(self, party_id: str) -> Party:
        try:
            return self.parties[self._party_index[party_id]]
        except KeyError:
            raise ModelError(f"no party with id {party_id!r}") from None

    def party_position(self, party_id: str) -> int:
        """The party's index in file order (the engine's column for it)."""
        return self._party_index[party_id]

    @property
    def parties_by_id(self) -> Mapping[str, Party]:
        return MappingProxyType({p.id: p for p in self.parties})

    def flow(self, flow_id: str) -> Flow:
        for f in self.flows:
            if f.id == flow_id:
                return f
        raise ModelError(f"no flow with id {flow_id!r}")

    def flows_for_purpose(self, purpose: str) -> tuple[Flow, ...]:
        return tuple(f for f in self.flows if f.purpose == purpose)

    def flows_of_party(self, party_id: str) -> tuple[Flow, ...]:
        return tuple(f for f in self.flows if party_id in f.parties)

    def clause(self, clause_id: str) -> Clause:
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise ModelError(f"no clause with id {clause_id!r}")

    def scenario(self, scenario_id: str) -> Scenario:
        if scenario_id == "baseline":
            return BASELINE
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise ModelError(f"no scenario with id {scenario_id!r}")

    def scenario_clauses(self, scenario_id: str) -> tuple[Clause, ...]:
        return tuple(self.clause(c) for c in self.scenario(scenario_id).clauses)

    def beneficiaries(self, clause: Indemnity) -> tuple[str, ...]:
        """Beneficiary ids: as listed, or every party of the type in party file order."""
        if clause.beneficiary_ids is not None:
            return clause.beneficiary_ids
        return tuple(p.id for p in self.parties if p.type == clause.beneficiary_type)

    def iter_partnership_parties(self) -> Iterator[Party]:
        """Parties whose partners carry losses personally (partnerships and sole traders)."""
        return (p for p in self.parties if p.has_personal_exposure)

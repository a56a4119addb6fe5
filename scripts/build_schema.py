"""Writes schemas/dsa-model.schema.json (run: python3 scripts/build_schema.py).

The schema is the single source of truth for the model file's shape; it is kept
as generated JSON in the repository and this script is how it is maintained,
so every property gets a description and the enums come from one place.
"""

from __future__ import annotations

import json
from pathlib import Path

import sys
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dsa import model as m  # noqa: E402

# Patterns end with (?![\s\S]) ("nothing follows"), not $: in Python's re, which both validators use, $ also
# matches before a final newline, so "icb\n" would pass; the look-ahead means the same in ECMA-262.
END = r"(?![\s\S])"
ID_PATTERN = "^[a-z0-9][a-z0-9_-]{0,63}" + END
# A real calendar date (29 February only in a leap year; no year 0000), so every command can read it. [0-9], not
# \d: in Python's re, \d also matches other scripts' digits (Thai ๐), which no date parser reads.
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
DATE_PATTERN = (r"^(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
                r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|" + _LEAP_YEAR + r"-02-29)" + END)
DATE = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
# A name is one line of text: no control characters (XML and XLSX cannot hold most of them, and a line break in a
# name spills table rows), no Unicode line or paragraph separators (Word reads U+2028 as a new line), and no
# U+FFFE/U+FFFF (not characters). Free text may hold them; every output neutralises them (dsa/text.py).
NAME_PATTERN = r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029\uFFFE\uFFFF]*" + END
X = {"^x-": {"description": "Your own annotation; kept as it is."}}

# Bounds: far beyond any real partnership, near enough that no figure overflows a float or a simulation.
MAX_RECORDS = 100_000_000
MAX_GBP = 1_000_000_000_000
MAX_PARTNERS = 1_000
MAX_HOURS = 8_760
MAX_MONTHS = 1_200
MAX_RATE = 1_000
MAX_FACTOR = 10
MAX_SIGMA = 5
MAX_MULTIPLIER = 100
MAX_BETA = 1_000


def obj(description, properties, required=(), **extra):
    out = {"type": "object", "description": description, "properties": properties,
           "patternProperties": X, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    out.update(extra)
    return out


def s(description, **kw):
    return {"type": "string", "description": description, **kw}


def enum(description, values):
    return {"type": "string", "description": description, "enum": list(values)}


def num(description, **kw):
    return {"type": "number", "description": description, **kw}


def integer(description, **kw):
    return {"type": "integer", "description": description, **kw}


def boolean(description):
    return {"type": "boolean", "description": description}


def date(description):
    return {**DATE, "description": description}


def strings(description, **kw):
    return {"type": "array", "description": description, "items": {"type": "string", "minLength": 1}, **kw}


def name(description, **kw):
    """A name shown in documents and tables: one line of printable text, 1–200 characters."""
    return s(description + " One line of text, 1–200 characters, without control characters or line breaks.",
             minLength=1, maxLength=200, pattern=NAME_PATTERN, **kw)


def names(description, **kw):
    return {"type": "array", "description": description,
            "items": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NAME_PATTERN}, **kw}


def money(description, maximum=MAX_GBP):
    return num(f"{description} In pounds, from 0 to £{maximum:,} (more than any NHS body's annual budget; a "
               "larger figure is a typing error and would overflow the loss model).", minimum=0, maximum=maximum)


def probability(description):
    return num(f"{description} A probability from 0 to 1.", minimum=0, maximum=1)


def table(description, keys, value):
    """A partial table of numbers keyed by an enum (merged over the defaults); other keys are findings."""
    return obj(description + " Give only the entries you change; the rest keep their defaults.",
               {k: value for k in keys})


SHARE = num("A proportion from 0 to 1 (0.5 = half).", minimum=0, maximum=1)
PARTY_REF = s("The id of a party in this model.", pattern=ID_PATTERN)
COMPONENTS = {"type": "array", "description": "Which kinds of loss the clause covers: compensation to data subjects, "
              "response costs (investigation, notification, legal), and regulatory fines. Default: compensation and "
              "response costs (fines are generally not indemnifiable).",
              "items": {"enum": list(m.COMPONENTS)}, "uniqueItems": True, "minItems": 1}
APPLIES_TO = obj("Which flows the clause applies to. With both purposes and flows, a flow must match both; "
                 "absent means every flow.", {
                     "purposes": {"type": "array", "description": "Flow purposes in scope.",
                                  "items": {"enum": list(m.PURPOSES)}, "uniqueItems": True},
                     "flows": {"type": "array", "description": "Flow ids in scope.",
                               "items": {"type": "string", "pattern": ID_PATTERN}, "uniqueItems": True},
                 })
SHARES = {"type": "array", "description": "Parties and their shares, which must add up to 1.",
          "minItems": 1,
          "items": obj("A party and its share.", {"party": PARTY_REF, "share": SHARE}, ("party", "share"))}

party = obj("An organisation in the partnership.", {
    "id": s("A short stable key used by flows and clauses (lower case letters, digits, - and _), e.g. 'icb' or "
            "'m81001'.", pattern=ID_PATTERN),
    "name": name("The organisation's legal name."),
    "type": enum("What kind of organisation it is.", m.PARTY_TYPES),
    "ods_code": s("NHS ODS code (GP practices look like M81001, trusts like RLQ; branch sites are longer).",
                  pattern="^[A-Z0-9]{3,9}" + END),
    "legal_form": enum("Its legal form, which decides whether people carry losses personally "
                       "(partners of a partnership, a sole trader).", m.LEGAL_FORMS),
    "partners": integer("Number of partners (required for a partnership; 1 for a sole trader). Losses of a "
                        f"partnership fall on its partners personally. At most {MAX_PARTNERS:,}: the largest GP "
                        "partnerships have a few dozen partners.", minimum=1, maximum=MAX_PARTNERS),
    "dspt_status": enum("Data Security and Protection Toolkit status (absent = not published).", m.DSPT_STATUSES),
    "annual_turnover_gbp": money("Annual turnover; the statutory fine maximum is the higher of £17.5m and "
                                 "4% of it."),
    "insurance": obj("Cyber insurance that pays compensation and response costs (never fines).", {
        "cyber_limit_gbp": money("The most the policy pays in a year."),
        "excess_gbp": money("What the party pays itself each year before the policy pays."),
    }),
    "ico_registration": s("The party's registration number with the Information Commissioner's Office."),
    "contacts": obj("Named people or roles; drafts use them, else show a placeholder.", {
        "dpo": s("Data Protection Officer."), "siro": s("Senior Information Risk Owner."),
        "caldicott_guardian": s("Caldicott Guardian."), "public": s("Contact point for the public."),
    }),
    "privacy_notice_url": s("Where the party's privacy notice is published."),
    "partner_names": names("The partners' names (a partnership or sole trader), so the agreement names the "
                           "parties as a lawyer would; absent = a placeholder in the drafts.", maxItems=MAX_PARTNERS),
    "address": s("The party's address for notices under the agreement.", maxLength=1000),
}, ("id", "name", "type", "legal_form"), allOf=[
    {"if": {"properties": {"legal_form": {"const": "partnership"}}, "required": ["legal_form"]},
     "then": {"required": ["partners"]}},
    {"if": {"properties": {"legal_form": {"const": "sole_trader"}}, "required": ["legal_form"]},
     "then": {"properties": {"partners": {"const": 1}}}},
])

flow = obj("One data flow: who discloses what to whom, why, and on what basis.", {
    "id": s("A short stable key for the flow.", pattern=ID_PATTERN),
    "name": name("A name people recognise, e.g. 'Weekly PHM extract'."),
    "from": s("The party that discloses the data (its id).", pattern=ID_PATTERN),
    "to": s("The party that receives the data (its id).", pattern=ID_PATTERN),
    "purpose": enum("Why the data flows.", m.PURPOSES),
    "relationship": enum("The UK GDPR roles on this flow: independent controllers, joint controllers (Art 26) or "
                         "controller to processor (Art 28).", m.RELATIONSHIPS),
    "joint_controllers": {**SHARES, "description": "Only for joint controllers: each controller and its share of "
                          "responsibility (shares add up to 1). Default: the two parties at 0.5 each."},
    "data": obj("What data flows.", {
        "identifiability": enum("How identifiable the data is; pseudonymised data is still personal data.",
                                m.IDENTIFIABILITY),
        "special_category": boolean("Whether it includes health or other special category data (Art 9)."),
        "categories": strings("Kinds of data, e.g. demographics, diagnoses, medications, test_results."),
        "records": integer(f"How many people (data subjects) the flow covers, from 0 to {MAX_RECORDS:,} (more "
                           "than the population of the UK; a larger figure is a typing error).",
                           minimum=0, maximum=MAX_RECORDS),
        "subject_categories": strings("Whose data it is, e.g. patients, carers, staff."),
        "criminal_offence": boolean("Whether it includes criminal offence data (Art 10)."),
        "linked": boolean("Whether the data is linked or matched with other data sets."),
        "document_store": boolean("Whether whole document stores (e.g. letters) are shared."),
        "free_text": boolean("Whether free-text fields are shared."),
        "justification": s("Why each category of data is needed (data minimisation, Caldicott principle 3)."),
        "record_type": s("The Records Management Code class of the records."),
    }, ("identifiability", "special_category", "records")),
    "legal_basis": obj("The legal bases for the flow.", {
        "article_6": enum("UK GDPR Article 6 lawful basis.", ["6(1)(a)", "6(1)(b)", "6(1)(c)", "6(1)(d)", "6(1)(e)",
                                                               "6(1)(ea)", "6(1)(f)"]),
        "article_9": {"description": "UK GDPR Article 9(2) condition for special category data (null if none).",
                      "enum": [f"9(2)({c})" for c in "abcdefghij"] + [None]},
        "schedule_1_condition": s("The DPA 2018 Schedule 1 condition, naming Part and paragraph "
                                  "(e.g. 'Schedule 1 Part 1 paragraph 2')."),
        "legal_power": s("The statute that lets a public body share (e.g. 'NHS Act 2006 s.14Z25')."),
        "common_law": enum("The basis under the common law duty of confidentiality.",
                           ["implied_consent", "explicit_consent", "s251", "legal_requirement",
                            "overriding_public_interest", "not_confidential"]),
    }),
    "national_data_opt_out": enum("Whether the national data opt-out is applied to this flow.",
                                  ["applied", "not_applied", "not_applicable"]),
    "national_data_opt_out_exemption": s("Why the national data opt-out is not applied."),
    "type1_opt_out": enum("How Type 1 opt-outs (recorded in the GP record) are handled.",
                          ["applied", "not_applied", "not_applicable"]),
    "transfer": obj("How the data moves.", {
        "method": enum("How the data is sent.", m.TRANSFER_METHODS),
        "frequency": enum("How often it is sent.", m.FREQUENCIES),
        "encrypted": boolean("Whether it is encrypted in transit."),
    }, ("method", "frequency", "encrypted")),
    "retention_months": integer(f"How long the recipient keeps the data, in months, from 0 to {MAX_MONTHS:,} "
                                "(100 years, beyond the longest retention in the Records Management Code).",
                                minimum=0, maximum=MAX_MONTHS),
    "risk": {"$ref": "#/$defs/flow_risk"},
    "dpia": obj("The data protection impact assessment.", {
        "reference": s("DPIA reference."), "date": date("Date of the DPIA."),
        "dpo_advice": s("The DPO's advice, or where it is recorded."),
    }),
    "s251": obj("Section 251 support (Confidentiality Advisory Group).", {
        "cag_reference": s("CAG reference, e.g. 22/CAG/0001."), "expires": date("When the support expires."),
    }),
    "appropriate_policy_document": boolean("Whether an appropriate policy document is in place (DPA 2018 Sch 1 "
                                           "Part 4)."),
    "art89_safeguards": s("Article 89(1) safeguards, for research under 9(2)(j)."),
    "international_transfer": obj("A transfer outside the UK.", {
        "country": s("Destination country."),
        "mechanism": s("The UK GDPR Chapter V mechanism (adequacy regulations, IDTA, addendum …)."),
    }),
    "processing_contract": obj("The Article 28 processing contract.", {
        "reference": s("Contract reference."), "date": date("Date signed."), "expires": date("Expiry date."),
        "terms": {"type": "array", "description": "The Art 28(3) terms (a)–(h) the contract covers.",
                  "items": {"enum": list("abcdefgh")}, "uniqueItems": True},
        "sub_processors": strings("Sub-processors authorised under the contract."),
    }),
    "joint_arrangement": obj("The Article 26 joint controller arrangement.", {
        "reference": s("Arrangement reference."), "contact_point": s("The contact point for data subjects."),
        "responsibilities": s("How compliance responsibilities are allocated."),
        "essence_published": boolean("Whether the essence of the arrangement is available to data subjects."),
    }),
    "breach_notification_hours": num("Hours within which the processor tells the controller of a breach, from 0 "
                                     f"to {MAX_HOURS:,} (a year; the usual term is 24 to 48).",
                                     minimum=0, maximum=MAX_HOURS),
    "privacy_notice_updated": boolean("Whether each controller's privacy notice covers this flow."),
    "compatibility_assessment": s("Assessment of a purpose added to an existing flow (Art 6(4))."),
}, ("id", "name", "from", "to", "purpose", "relationship", "data", "transfer"), allOf=[
    {"if": {"not": {"properties": {"relationship": {"const": "joint_controllers"}}, "required": ["relationship"]}},
     "then": {"not": {"required": ["joint_controllers"]}}},
])

condition = obj("The condition the beneficiary must meet for the indemnity to apply.", {
    "description": s("The condition in words, e.g. 'Practice adhered to established best practice'."),
    "probability": probability("The chance the beneficiary meets it; absent = derived from its DSPT status."),
    "tests": strings("The objective tests that decide it, e.g. 'DSPT Standards Met at the incident date'."),
})

indemnity = obj("One party takes over part of other parties' losses (e.g. the Herefordshire ICB indemnity).", {
    "id": s("A short stable key for the clause.", pattern=ID_PATTERN),
    "type": {"const": "indemnity", "description": "indemnity"},
    "name": name("A name for the clause."),
    "indemnifier": {**PARTY_REF, "description": "The party that takes over the losses."},
    "beneficiaries": {"description": "Who is indemnified: a list of party ids, or {\"party_type\": …} for every "
                      "party of a type.",
                      "oneOf": [{"type": "array", "items": {"type": "string", "pattern": ID_PATTERN},
                                 "minItems": 1, "uniqueItems": True},
                                obj("Every party of a type.", {"party_type": enum("The party type.", m.PARTY_TYPES)},
                                    ("party_type",))]},
    "applies_to": APPLIES_TO,
    "covers": COMPONENTS,
    "share": {**SHARE, "description": "The proportion of covered loss (after the excess) the indemnifier takes."},
    "condition": condition,
    "excess_gbp": money("What each beneficiary bears itself per incident before the indemnity applies."),
    "cap_per_incident_gbp": money("The most transferred per beneficiary per incident."),
    "cap_annual_gbp": money("The most the clause transfers in a year, across all beneficiaries."),
    "approval": obj("The indemnifier's approval (an NHS body needs board / Managing Public Money approval).", {
        "body": s("Who approved it, e.g. 'ICB board'."), "reference": s("Minute or decision reference."),
        "date": date("Date of approval."),
    }),
    "drafting": obj("How the drafts word this clause.", {
        "alternative": enum("The drafting alternative chosen for the clause: capped, uncapped, fault-based, "
                            "no-fault, or defence costs only.", m.DRAFTING_ALTERNATIVES),
    }),
}, ("id", "type", "name", "indemnifier", "beneficiaries", "share"))

risk_pool = obj("Members pool their losses on the flows in scope and share them in agreed proportions.", {
    "id": s("A short stable key for the clause.", pattern=ID_PATTERN),
    "type": {"const": "risk_pool", "description": "risk_pool"},
    "name": name("A name for the clause."),
    "members": {**SHARES, "description": "The pool's members and their shares (adding up to 1)."},
    "applies_to": APPLIES_TO,
    "covers": COMPONENTS,
    "drafting": obj("How the drafts word this clause.", {
        "alternative": enum("The drafting alternative chosen for the clause: capped, uncapped, fault-based, "
                            "no-fault, or defence costs only.", m.DRAFTING_ALTERNATIVES),
    }),
}, ("id", "type", "name", "members"))

# ------------------------------------------------------------------ the loss model's assumptions
# One definition per key, shared by the model's `assumptions` and a flow's `risk` (liability-model.md).
STAGES = ("source", "transit", "recipient")
SEVERITY = {
    "stage": {**table("Where an incident happens: the relative chance of each stage (normalised to add up to "
                      "1; when all three are given, at least one must be above 0).", STAGES,
                      num("The relative chance of this stage, from 0 to 1.", minimum=0, maximum=1)),
              "anyOf": [{"not": {"required": list(STAGES)}}]
              + [{"required": [k], "properties": {k: {"description": f"The {k} stage above 0.", "exclusiveMinimum": 0}}}
                 for k in STAGES]},
    "fraction_beta": {
        "description": "The share of a flow's records an incident affects: [a, b] of a Beta distribution (each "
                       f"above 0 and at most {MAX_BETA:,}; the default [0.5, 4.5] has mean 0.10), or a single "
                       "number from 0 to 1 for a fixed share.",
        "oneOf": [
            {"type": "array", "description": "[a, b] of a Beta distribution.", "minItems": 2, "maxItems": 2,
             "items": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_BETA}},
            {"type": "number", "description": "A fixed share of the records.", "minimum": 0, "maximum": 1},
        ]},
    "harm": table("The harm factor by how identifiable the data is (identifiable 1.0 by default).",
                  m.IDENTIFIABILITY, num(f"A harm factor from 0 to {MAX_FACTOR}.", minimum=0, maximum=MAX_FACTOR)),
    "response_fixed_gbp": money("The fixed cost of investigating and reporting any incident."),
    "response_per_record_gbp": money("The response cost per affected person (notification, support).",
                                     maximum=100_000),
    "claim_rate": probability("The share of affected people who claim compensation."),
    "award_median_gbp": money("The median award or settlement per claimant."),
    "award_sigma": num(f"The log-normal spread of awards, from 0 (a fixed award) to {MAX_SIGMA} (already ten "
                       "orders of magnitude between small and large awards).", minimum=0, maximum=MAX_SIGMA),
    "special_category_multiplier": num("How much higher awards are for special category data, from 0 to "
                                       f"{MAX_MULTIPLIER}.", minimum=0, maximum=MAX_MULTIPLIER),
    "fine_probability": table("The chance the responsible party is fined, for public bodies and others.",
                              ("public", "other"), probability("The chance of a fine.")),
    "fine_median_gbp": money("The median regulatory fine."),
    "fine_sigma": num(f"The log-normal spread of fines, from 0 (a fixed fine) to {MAX_SIGMA}.",
                      minimum=0, maximum=MAX_SIGMA),
    "fine_cap_gbp": money("The statutory maximum fine (DPA 2018 s.157: £17.5m)."),
    "fine_cap_turnover_share": probability("The share of turnover that can set a higher maximum fine (4%)."),
    "processor_fault_share": probability("The processor's share of fault on an incident at the processor."),
    "recovery_probability": probability("The chance the controller recovers the processor's share."),
}
RATE = num(f"Expected incidents a year, from 0 to {MAX_RATE:,} (the defaults give 0.002 to 0.45; a flow with "
           "more incidents than that needs fixing, not modelling).", minimum=0, maximum=MAX_RATE)
ASSUMPTIONS = obj("Overrides of the loss model's defaults (see the liability model); partial tables are merged "
                  "over the defaults. Unknown keys are findings.", {
    "base_rate": table("Incidents per flow-year by transfer method.", m.TRANSFER_METHODS,
                       num(f"Incidents per flow-year, from 0 to {MAX_FACTOR}.", minimum=0, maximum=MAX_FACTOR)),
    "dspt_factor": table("How the recipient's DSPT status scales the incident rate.", m.DSPT_STATUSES,
                         num(f"A factor from 0 to {MAX_FACTOR}.", minimum=0, maximum=MAX_FACTOR)),
    "frequency_factor": table("How the transfer frequency scales the incident rate.", m.FREQUENCIES,
                              num(f"A factor from 0 to {MAX_FACTOR}.", minimum=0, maximum=MAX_FACTOR)),
    **SEVERITY,
    "condition_probability": table("The chance a beneficiary meets an indemnity's condition, by DSPT status.",
                                   m.DSPT_STATUSES, probability("The chance the condition is met.")),
    "threshold_gbp": money("The threshold for the probability that a year's loss exceeds it (default £100,000)."),
    "partner_threshold_gbp": money("The loss per GP partner a year above which a partner is counted as exposed "
                                   "(default £10,000)."),
})
FLOW_RISK = obj("Overrides of the loss model for this flow alone (see the liability model): the incident rate "
                "and any severity assumption. Unknown keys are findings.",
                {"annual_incident_rate": {**RATE, "description": "Expected incidents a year on this flow. "
                                          + RATE["description"].split(", ", 1)[1][0].upper()
                                          + RATE["description"].split(", ", 1)[1][1:]},
                 **SEVERITY})

scenario = obj("A named set of clauses to compare with the baseline (no clauses).", {
    "id": s("A short stable key ('baseline' is reserved).", pattern=ID_PATTERN),
    "name": name("A name for the scenario."),
    "clauses": {"type": "array", "description": "Clause ids, applied in this order.",
                "items": {"type": "string", "pattern": ID_PATTERN}},
    "description": s("What the scenario represents."),
}, ("id", "name", "clauses"))

schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://dsa.local/schemas/dsa-model.schema.json",
    "title": "dsa partnership model (dsa-model/1)",
    "description": "One data-sharing partnership: its parties, data flows, risk-sharing clauses and scenarios.",
    "type": "object",
    "properties": {
        "format": {"const": "dsa-model/1", "description": "The file format and its version: 'dsa-model/1'."},
        "partnership": obj("The partnership as a whole.", {
            "name": name("The partnership's name."),
            "description": s("What the partnership is for."),
            "effective_date": date("When the agreement takes effect."),
            "review_date": date("When the agreement is next reviewed (within 12 months)."),
            "lead_party": {**PARTY_REF, "description": "The lead party, usually the ICB."},
            "breach_reporting_hours": num("Hours within which a controller reports a breach to the ICO "
                                          "(at most 72).", minimum=0, maximum=72),
            "exit_terms": s("Data return and deletion on termination."),
            "version_note": s("A note about this version of the model."),
        }, ("name",)),
        "parties": {"type": "array", "description": "The organisations in the partnership.", "minItems": 1,
                    "items": {"$ref": "#/$defs/party"}},
        "flows": {"type": "array", "description": "The data flows (may be empty in a draft).",
                  "items": {"$ref": "#/$defs/flow"}},
        "clauses": {"type": "array", "description": "Risk-sharing clauses: indemnities and risk pools.",
                    "items": {"$ref": "#/$defs/clause"}},
        "scenarios": {"type": "array", "description": "Named sets of clauses to compare with the baseline.",
                      "items": {"$ref": "#/$defs/scenario"}},
        "assumptions": {"$ref": "#/$defs/assumptions"},
    },
    "patternProperties": X,
    "additionalProperties": False,
    "required": ["format", "partnership", "parties", "flows"],
    "$defs": {
        "party": party, "flow": flow, "flow_risk": FLOW_RISK, "assumptions": ASSUMPTIONS, "indemnity": indemnity,
        "risk_pool": risk_pool, "scenario": scenario,
        "clause": {
            "description": "A risk-sharing clause: an indemnity or a risk pool, told apart by 'type'.",
            "type": "object", "required": ["type"],
            "properties": {"type": {"enum": ["indemnity", "risk_pool"],
                                    "description": "indemnity or risk_pool"}},
            "if": {"properties": {"type": {"const": "indemnity"}}},
            "then": {"$ref": "#/$defs/indemnity"},
            "else": {"$ref": "#/$defs/risk_pool"},
        },
    },
}

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "schemas" / "dsa-model.schema.json"
    out.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")

"""Small models built in code for the arrangement tests, and the bundled vehicle examples."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VEHICLES = ROOT / "examples" / "vehicles"
VEHICLE_NAMES = ("primary-care-led", "trust-led", "joint-venture")
DATA = Path(__file__).parent / "data"


def vehicle(name: str) -> dict:
    return json.loads((VEHICLES / f"{name}.json").read_text(encoding="utf-8"))


TRUST = {"id": "trust", "name": "Vale Community NHS Trust", "type": "nhs_trust", "ods_code": "RYV",
         "legal_form": "nhs_body", "dspt_status": "standards_met", "annual_turnover_gbp": 200_000_000}


def contractor(pid: str, kind: str, legal_form: str, partners: int | None = None, **extra) -> dict:
    party = {"id": pid, "name": f"{kind.replace('_', ' ').title()} {pid}", "type": kind, "legal_form": legal_form,
             "dspt_status": "standards_met", "annual_turnover_gbp": 1_000_000, **extra}
    if partners is not None:
        party["partners"] = partners
    return party


def care_flow(fid: str, src: str, dst: str, records: int = 5_000, **extra) -> dict:
    """Identifiable direct-care sharing with every governance fact the IG rules look for."""
    flow = {
        "id": fid, "name": f"Care record {fid}", "from": src, "to": dst, "purpose": "direct_care",
        "relationship": "independent_controllers",
        "data": {"identifiability": "identifiable", "special_category": True, "categories": ["medications"],
                 "records": records, "justification": "Needed to treat the patient safely."},
        "legal_basis": {"article_6": "6(1)(e)", "article_9": "9(2)(h)",
                        "schedule_1_condition": "Schedule 1 Part 1 paragraph 2", "common_law": "implied_consent"},
        "national_data_opt_out": "not_applicable", "privacy_notice_updated": True,
        "dpia": {"reference": "DPIA-1", "date": "2026-10-01", "dpo_advice": "Approved"},
        "transfer": {"method": "secure_api", "frequency": "daily", "encrypted": True}, "retention_months": 96,
    }
    flow.update(extra)
    return flow


def model_doc(parties: list[dict], flows: list[dict], name: str = "Test partnership") -> dict:
    return {"format": "dsa-model/1",
            "partnership": {"name": name, "effective_date": "2026-11-01", "review_date": "2027-10-31",
                            "breach_reporting_hours": 72, "exit_terms": "Delete within 30 days."},
            "parties": copy.deepcopy(parties), "flows": copy.deepcopy(flows)}


@pytest.fixture
def vehicles() -> dict[str, dict]:
    return {name: vehicle(name) for name in VEHICLE_NAMES}

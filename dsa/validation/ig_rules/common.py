"""Small readings shared by the IG rules: who is a public authority, names, dates."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from ..access import get_str

PUBLIC_LEGAL_FORMS = {"nhs_body", "local_authority"}
PUBLIC_TYPES = {"gp_practice", "nhs_trust", "icb", "local_authority", "commissioning_support_unit"}
# Dental, ophthalmic and pharmaceutical contractors: public authorities (FOIA 2000 Sch 1 Part III; DPA 2018
# s.7) only in respect of the NHS services they provide.
NHS_SERVICE_CONTRACTOR_TYPES = {"dental_practice", "optometry_practice", "community_pharmacy"}
# A purpose that is not evidently an NHS service (it may be a contractor's private work).
NOT_NHS_SERVICE_PURPOSES = {"other"}


def label(item: Any, kind: str = "Flow") -> str:
    name = get_str(item, "name") or get_str(item, "id")
    return f"{kind} '{name}'" if name else kind


def party_name(ctx, party_id: Any) -> str:
    party = ctx.parties.get(party_id) if isinstance(party_id, str) else None
    return get_str(party, "name") or str(party_id)


def is_public_authority(party: Mapping[str, Any] | None) -> bool:
    """NHS bodies, councils and GP practices count as public authorities (DPA 2018 s.7)."""
    if not isinstance(party, dict):
        return False
    return party.get("legal_form") in PUBLIC_LEGAL_FORMS or party.get("type") in PUBLIC_TYPES


def is_public_for_flow(party: Mapping[str, Any] | None, purpose: str | None) -> bool:
    """A public authority on a flow with ``purpose``: always (NHS bodies, councils, GP practices), or, for
    dental, optometry and pharmacy contractors, when the flow serves an NHS purpose."""
    if is_public_authority(party):
        return True
    return (isinstance(party, dict) and party.get("type") in NHS_SERVICE_CONTRACTOR_TYPES
            and purpose not in NOT_NHS_SERVICE_PURPOSES)


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError("unreachable")

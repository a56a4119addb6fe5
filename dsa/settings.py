"""Settings that callers may change: input limits and validation thresholds."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """What a model file may be: a national model of 50,000 flows is about 27 MB."""

    max_bytes: int = 64 * MB
    max_depth: int = 64


@dataclass(frozen=True, slots=True)
class ValidationSettings:
    """Thresholds of the IG rules (domain brief, section 7); ``today`` is injectable so tests do not age."""

    dpia_scale_records: int = 10_000
    processor_notice_hours: float = 24
    controller_report_hours: float = 72
    review_window_months: int = 12
    today: _dt.date = field(default_factory=_dt.date.today)


@dataclass(frozen=True, slots=True)
class SimulationSettings:
    """Bounds on what one simulation may cost, checked before any year is simulated.

    ``max_expected_incidents``: the national benchmark model (50,000 flows) at 100,000 years expects about
    123 million incidents, so 250 million lets every realistic run through, while a rate typed orders of
    magnitude too high (which would keep a command busy for hours) is refused before anything runs.
    ``max_kept_bytes``: what a ``Simulation`` (incidents kept in memory for the clause solver) may hold.
    """

    max_expected_incidents: int = 250_000_000
    max_kept_bytes: int = 1536 * MB

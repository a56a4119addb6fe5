"""Validate (schema + every rule) the ICB-scale and national-scale models; target < 2 s national.

Run: python3 benchmarks/bench_validate.py
"""

from __future__ import annotations

import json

from _common import best_of, report

from dsa.loading import parse_bytes
from dsa.validation import validate
from dsa.validation.schema import is_schema_valid
from generate import icb_model, national_model


def main() -> None:
    for label, make, target in (("ICB (100 practices, 500 flows)", icb_model, 0.5),
                                ("national (6,500 practices, 50,000 flows)", national_model, 2.0)):
        doc = make()
        raw = json.dumps(doc).encode()
        assert not validate(doc), "the synthetic model should validate clean"
        assert is_schema_valid(doc)
        print(f"{label}: {len(raw) / 1e6:.1f} MB of JSON")
        report(f"  validate {label}", best_of(lambda: validate(doc)), target)
        print(f"  (load: parse and check limits: {best_of(lambda: parse_bytes(raw)):.3f} s, not part of the target)")


if __name__ == "__main__":
    main()

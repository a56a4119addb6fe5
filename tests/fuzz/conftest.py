"""How many inputs the property tests draw: enough for CI in under a minute; DSA_FUZZ_EXAMPLES raises it."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: Examples per property; the slow command test runs a quarter of it (each example drafts a pack).
EXAMPLES = int(os.environ.get("DSA_FUZZ_EXAMPLES", "120"))

settings.register_profile("fuzz", deadline=None, derandomize=not os.environ.get("DSA_FUZZ_EXAMPLES"),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.filter_too_much, HealthCheck.large_base_example],
                          print_blob=True)

"""dsa: data-sharing agreement and liability risk calculator for NHS partnerships in England.

A modelling aid for negotiation, not legal advice.
"""

from .errors import DsaError, InputError, ModelError
from .findings import Finding, Severity, has_errors, sort_findings
from .loading import load_document

__all__ = [
    "DsaError", "InputError", "ModelError",
    "Finding", "Severity", "has_errors", "sort_findings",
    "load_document", "Model",
]


def __getattr__(name: str):
    # The typed model views are imported when first asked for: `dsa validate` never needs them.
    if name == "Model":
        from .model import Model
        return Model
    raise AttributeError(f"module 'dsa' has no attribute {name!r}")

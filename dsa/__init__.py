"""dsa: data-sharing agreement and liability risk calculator for NHS partnerships in England.

A modelling aid for negotiation, not legal advice.
"""

from .errors import DsaError, InputError, ModelError
from .findings import Finding, Severity, has_errors, sort_findings
from .loading import load_document
from .model import Model

__all__ = [
    "DsaError", "InputError", "ModelError",
    "Finding", "Severity", "has_errors", "sort_findings",
    "load_document", "Model",
]

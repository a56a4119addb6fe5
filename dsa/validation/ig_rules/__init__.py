"""Information-governance rules IG001–IG032 (domain brief, section 7).

Importing this package registers every rule; each theme is a module.
"""

from . import confidentiality, contracts, gateways, lawful_basis, lifecycle, risk_clauses, safeguards  # noqa: F401

"""Information-governance rules IG001–IG030 (domain brief, section 7).

Importing this package registers every rule; each theme is a module.
"""

from . import confidentiality, contracts, lawful_basis, lifecycle, risk_clauses, safeguards  # noqa: F401

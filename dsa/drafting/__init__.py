"""Agreement drafting: the pack of documents a partnership signs, for legal review.

``build_pack(document, assessment=...)`` renders every document (templates in
``templates/``), checks each has its required clauses (``clauses.REQUIRED``),
and gives Markdown and Word files plus ``drafting-notes.md``.
"""

from .pack import FORMATS, Draft, Pack, build_pack, pack_date

__all__ = ["FORMATS", "Draft", "Pack", "build_pack", "pack_date"]

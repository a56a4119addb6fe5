"""The agreement pack: every document a model needs, in Markdown and Word, plus the drafting notes.

    pack = build_pack(document, assessment=assessment.to_json())
    pack.write(Path("pack"), formats=("docx", "md"))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..canonical import model_version
from ..errors import ModelError
from ..findings import has_errors
from ..model import Model
from ..validation import validate
from ..text import neutralised_notes
from ..zipfiles import zip_entries
from .clauses import RSS
from .context import Notes, base_context
from .docx import markdown_to_docx
from .documents import BUILDERS, plan, rss_context
from .filters import long_date, md
from .render import render_document

FORMATS = ("docx", "md")


@dataclass(frozen=True)
class Draft:
    name: str
    doc_type: str
    title: str
    markdown: str
    header: str
    date: str

    def docx(self) -> bytes:
        return markdown_to_docx(self.markdown, title=self.title, header=self.header, date=self.date)


@dataclass
class Pack:
    drafts: list[Draft]
    notes: list[dict]
    date: str
    version: str
    _docx: dict[str, bytes] = field(default_factory=dict, repr=False)

    def draft(self, name: str) -> Draft:
        return next(d for d in self.drafts if d.name == name)

    def docx(self, name: str) -> bytes:
        if name not in self._docx:
            self._docx[name] = self.draft(name).docx()
        return self._docx[name]

    def notes_markdown(self) -> str:
        lines = ["# Drafting notes", "",
                 f"Model version {self.version}, drafts dated {long_date(self.date)}.", ""]
        if not self.notes:
            lines.append("Every fact the drafts need was in the model: there is no placeholder to complete.")
        else:
            lines += [f"{len(self.notes)} placeholder(s) to complete before the drafts go for signature. Each "
                      "appears in the draft as a highlighted [TO BE COMPLETED: …].", "",
                      "| Document | Clause | To complete |", "|---|---|---|"]
            lines += [f"| {n['document']} | {n['clause']} | {md(n['what'])} |" for n in self.notes]
        return "\n".join(lines) + "\n"

    def files(self, formats: Sequence[str] = FORMATS, progress: Callable[[float], None] | None = None
              ) -> dict[str, bytes]:
        """File name → bytes, in pack order, ending with drafting-notes.md."""
        unknown = set(formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"unknown format(s) {sorted(unknown)}; choose from {FORMATS}")
        out: dict[str, bytes] = {}
        for i, d in enumerate(self.drafts):
            if "docx" in formats:
                out[f"{d.name}.docx"] = self.docx(d.name)
            if "md" in formats:
                out[f"{d.name}.md"] = d.markdown.encode("utf-8")
            if progress:
                progress((i + 1) / len(self.drafts))
        out["drafting-notes.md"] = self.notes_markdown().encode("utf-8")
        return out

    def write(self, directory: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in self.files(formats).items():
            path = directory / name
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)  # a reader never sees half a file
            written.append(path)
        return written

    def zip_bytes(self, formats: Sequence[str] = FORMATS) -> bytes:
        return zip_entries(self.files(formats).items())


def pack_date(model: Model, date: str | None = None) -> str:
    """The header date (cli.md): the partnership's effective date, else ``date``, else today."""
    chosen = model.partnership.effective_date or date or dt.date.today().isoformat()
    dt.date.fromisoformat(chosen)
    return chosen


def _placeholders_used(notes: Notes, name: str, markdown: str) -> list[dict]:
    """The notes of one document whose placeholder is in its text, each once."""
    seen, kept = set(), []
    for n in notes.items:
        key = (n["clause"], n["what"])
        if n["document"] == name and key not in seen and f"[TO BE COMPLETED: {md(n['what'])}]" in markdown:
            seen.add(key)
            kept.append(n)
    return kept


def build_pack(document: dict, *, assessment: dict, date: str | None = None,
               scenarios: Iterable[str] | None = None, templates: Path | None = None) -> Pack:
    """Render every document of ``document``'s pack.

    ``assessment`` is ``Assessment.to_json()`` (or ``dsa assess --json``) for the
    baseline and the scenarios the schedule should show; ``scenarios`` narrows it.
    ``templates`` replaces the bundled template folder (for organisations' own
    wording). Raises ModelError for a model with validation errors,
    DraftingError for a template problem.
    """
    findings = validate(document)
    if has_errors(findings):
        raise ModelError(f"the model has {sum(f.severity.value == 'error' for f in findings)} validation "
                         "error(s); fix them before drafting (run `dsa validate`)")
    model = Model.from_document(document)
    version = model_version(document)
    when = pack_date(model, date)
    if scenarios is not None:
        wanted = {"baseline", *scenarios}
        missing = wanted - set(assessment["scenarios"])
        if missing:
            raise ModelError(f"the assessment has no results for scenario(s) {sorted(missing)}")
        assessment = {**assessment, "scenarios": {k: v for k, v in assessment["scenarios"].items() if k in wanted}}
    header = f"DRAFT — for legal review · {long_date(when)} · model version {version}"
    drafts, used = [], []
    for item in plan(model):
        notes = Notes()
        base = base_context(model, notes, item.name, when, version, md(item.title))
        context = (rss_context(model, item, notes, base, assessment) if item.doc_type == RSS
                   else BUILDERS[item.doc_type](model, item, notes, base))
        markdown = render_document(item.doc_type, context, f"{item.name}.md", templates)
        used += _placeholders_used(notes, item.name, markdown)
        drafts.append(Draft(item.name, item.doc_type, item.title, markdown, header, when))
    # Free text the documents had to neutralise (dsa.text): said in the notes, so nothing changes unseen.
    used += [{"document": "every document", "clause": "text", "what": what} for what in neutralised_notes(document)]
    return Pack(drafts, used, when, version)


__all__ = ["Draft", "Pack", "build_pack", "pack_date", "FORMATS"]

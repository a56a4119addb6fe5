"""The agreement pack: every document a model needs, in Markdown and Word, plus the drafting notes.

    pack = build_pack(document, assessment=assessment.to_json())
    pack.write(Path("pack"), formats=("docx", "md"))
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..canonical import model_version, version_label
from ..errors import ModelError
from ..findings import blocking, governance_errors, sort_findings
from ..model import Model
from ..validation import validate
from ..text import neutralised_notes
from ..zipfiles import zip_entries
from .clauses import RSS
from .context import Notes, base_context
from .docx import Comment, markdown_to_docx, plain_text, redline_docx
from .documents import BUILDERS, plan
from .risk import rss_context
from .filters import long_date, md
from .placing import Placed, place_all
from .render import public_markdown, render_document

FORMATS = ("docx", "md")


@dataclass(frozen=True)
class Draft:
    name: str
    doc_type: str
    title: str
    source: str        # Markdown with the private tokens the Word writer understands (render.public_markdown)
    header: str
    date: str
    comments: tuple[Comment, ...] = ()

    @cached_property
    def markdown(self) -> str:
        return public_markdown(self.source)

    @cached_property
    def headings(self) -> dict[str, str]:
        """Each anchored clause's numbered heading, as a reader sees it: clause id → "14. Personal data breaches"."""
        return {m.group(2): plain_text(m.group(1)) for m in _ANCHORED_HEADING.finditer(self.source)}

    def docx(self) -> bytes:
        return markdown_to_docx(self.source, title=self.title, header=self.header, date=self.date,
                                comments=self.comments)


_ANCHORED_HEADING = re.compile(r"^#{2,3} (.*?) ⟦a:([a-z0-9_-]+)⟧$", re.MULTILINE)
NOT_FOR_SIGNATURE = "NOT FOR SIGNATURE — {n} unresolved information-governance error{s}"


@dataclass
class Pack:
    drafts: list[Draft]
    notes: list[dict]
    date: str
    version: str
    label: str = ""
    findings: list[Placed] = field(default_factory=list)
    ig_errors: int = 0
    negotiation: list[dict] = field(default_factory=list)
    _docx: dict[str, bytes] = field(default_factory=dict, repr=False)

    def draft(self, name: str) -> Draft:
        return next(d for d in self.drafts if d.name == name)

    def docx(self, name: str) -> bytes:
        if name not in self._docx:
            self._docx[name] = self.draft(name).docx()
        return self._docx[name]

    def notes_markdown(self) -> str:
        titles = {d.name: d.title for d in self.drafts}
        lines = ["# Drafting notes", "", f"{md(self.label or self.version)}, drafts dated {long_date(self.date)}.", ""]
        if self.ig_errors:
            lines += [f"**{NOT_FOR_SIGNATURE.format(n=self.ig_errors, s='' if self.ig_errors == 1 else 's')}.** "
                      "Every document says so in its header until they are resolved.", ""]
        lines += ["## Open validator findings", ""]
        if not self.findings:
            lines.append("The validator found nothing open in the model.")
        else:
            lines += [f"{len(self.findings)} finding(s), each also a comment in the Word document at the clause "
                      "it concerns:", "", "| Document | Clause | Finding |", "|---|---|---|"]
            lines += [f"| {md(titles.get(p.document, p.document))} | {md(self._clause_title(p.document, p.clause))} "
                      f"| {md(p.text)} |" for p in self.findings]
        lines += ["", "## Placeholders to complete", ""]
        if not self.notes:
            lines.append("Every fact the drafts need was in the model: there is no placeholder to complete.")
        else:
            lines += [f"{len(self.notes)} placeholder(s) to complete before the drafts go for signature. Each "
                      "appears in the draft as a highlighted [TO BE COMPLETED: …].", "",
                      "| Document | Clause | To complete |", "|---|---|---|"]
            lines += [f"| {md(titles.get(n['document'], n['document']))} | "
                      f"{md(self._clause_title(n['document'], n['clause']))} | {md(n['what'])} |" for n in self.notes]
        if self.negotiation:
            lines += ["", "## Clause alternatives and each side's usual position", ""]
            for n in self.negotiation:
                lines += [f"### {md(n['clause'])}", "", f"Drafted as: {md(n['chosen'])}.", ""]
                lines += [f"- **{md(a['label'])}**{' (drafted)' if a['chosen'] else ''}: {md(a['text'])} "
                          f"*{a['giver_label']}:* {md(a['giver'])} *{a['beneficiary_label']}:* {md(a['beneficiary'])}"
                          for a in n["alternatives"]]
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def _clause_title(self, document: str, clause: str) -> str:
        """The numbered heading of ``clause`` in ``document``, else the clause id in words."""
        draft = next((d for d in self.drafts if d.name == document), None)
        title = draft.headings.get(clause) if draft is not None else None
        return title or clause.replace("_", " ")

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
        return write_files(directory, self.files(formats))

    def zip_bytes(self, formats: Sequence[str] = FORMATS) -> bytes:
        return zip_entries(self.files(formats).items())


def write_files(directory: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file into ``directory`` (created), atomically, in order."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = directory / name
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # a reader never sees half a file
        written.append(path)
    return written


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
               scenarios: Iterable[str] | None = None, templates: Path | None = None,
               name: str | None = None, number: int | None = None) -> Pack:
    """Render every document of ``document``'s pack.

    ``assessment`` is ``Assessment.to_json()`` (or ``dsa assess --json``) for the
    baseline and the scenarios the schedule should show; ``scenarios`` narrows it.
    ``templates`` replaces the bundled template folder (for organisations' own
    wording). ``name`` and ``number`` are the saved model's name and version
    number, for the version label (``canonical.version_label``). Raises
    ModelError for a model with blocking (schema or reference) errors,
    DraftingError for a template problem. A model whose only errors are IG rules
    is drafted "NOT FOR SIGNATURE" (deployment.md, "Findings that block").
    """
    findings = sort_findings(validate(document))
    stop = blocking(findings)
    if stop:
        raise ModelError(f"the model has {len(stop)} schema or reference error(s), so it cannot be read well enough "
                         "to draft; fix them first (run `dsa validate`)")
    model = Model.from_document(document)
    version = model_version(document)
    label = version_label(name or model.partnership.name, number, version)
    when = pack_date(model, date)
    ig_errors = len(governance_errors(findings))
    if scenarios is not None:
        wanted = {"baseline", *scenarios}
        missing = wanted - set(assessment["scenarios"])
        if missing:
            raise ModelError(f"the assessment has no results for scenario(s) {sorted(missing)}")
        assessment = {**assessment, "scenarios": {k: v for k, v in assessment["scenarios"].items() if k in wanted}}
    warning = NOT_FOR_SIGNATURE.format(n=ig_errors, s="" if ig_errors == 1 else "s") if ig_errors else ""
    header = (f"{warning} · " if warning else "") + f"DRAFT — for legal review · {long_date(when)} · {label}"
    planned = plan(model)
    placed = place_all(model, planned, findings)
    drafts, used, negotiation = [], [], []
    for item in planned:
        notes = Notes()
        base = base_context(model, notes, item.name, when, label, md(item.title), warning)
        context = (rss_context(model, item, notes, base, assessment) if item.doc_type == RSS
                   else BUILDERS[item.doc_type](model, item, notes, base))
        if item.doc_type == RSS:
            negotiation = context.get("negotiation", [])
        source = render_document(item.doc_type, context, f"{item.name}.md", templates)
        used += _placeholders_used(notes, item.name, source)
        comments = tuple(Comment(p.clause, p.text) for p in placed if p.document == item.name)
        drafts.append(Draft(item.name, item.doc_type, item.title, source, header, when, comments))
    # Free text the documents had to neutralise (dsa.text): said in the notes, so nothing changes unseen.
    used += [{"document": "every document", "clause": "text", "what": what} for what in neutralised_notes(document)]
    return Pack(drafts, used, when, version, label, placed, ig_errors, negotiation)


def redline_files(old: Pack, new: Pack, formats: Sequence[str] = FORMATS, author: str = "dsa"
                  ) -> dict[str, bytes]:
    """Each document of ``new`` as tracked changes from ``old`` (``<name>.redline.docx``) and a Markdown diff
    (``<name>.diff.md``). A document only one pack has is wholly inserted or deleted."""
    import difflib

    out: dict[str, bytes] = {}
    olds = {d.name: d for d in old.drafts}
    names = [d.name for d in new.drafts] + [n for n in olds if n not in {d.name for d in new.drafts}]
    news = {d.name: d for d in new.drafts}
    for name in names:
        o, n = olds.get(name), news.get(name)
        shown = n or o
        if "docx" in formats:
            out[f"{name}.redline.docx"] = redline_docx(
                o.source if o else "", n.source if n else "", title=f"Changes: {shown.title}",
                header=f"CHANGES from {old.label} to {new.label} · {shown.header}", date=new.date, author=author,
                comments=n.comments if n else ())
        if "md" in formats:
            diff = difflib.unified_diff((o.markdown if o else "").splitlines(), (n.markdown if n else "").splitlines(),
                                        fromfile=f"{name} ({old.label})", tofile=f"{name} ({new.label})", lineterm="")
            body = "\n".join(diff)
            out[f"{name}.diff.md"] = (f"# Changes to {md(shown.title)}\n\nFrom {md(old.label)} to {md(new.label)}.\n\n"
                                      + (f"```diff\n{body}\n```\n" if body else "No change.\n")).encode("utf-8")
    return out


__all__ = ["Draft", "Pack", "build_pack", "pack_date", "redline_files", "FORMATS", "NOT_FOR_SIGNATURE"]

"""Templates to Markdown: sandboxed, strict, coverage-checked, with numbered clauses.

Templates live in ``templates/`` as ``<document>.md.j2``. They are rendered in
Jinja's SandboxedEnvironment with StrictUndefined, so a fact missing from the
context is an error rather than a silent blank; user text only reaches them as
values already escaped by ``context``/``filters``, never as template source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import DraftingError
from .clauses import check_coverage, strip_markers
from .filters import FILTERS

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

_HEADING = re.compile(r"^(#{2,3}) (.*)$", re.MULTILINE)


@lru_cache(maxsize=4)
def environment(directory: str = str(TEMPLATES_DIR)) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(directory), undefined=StrictUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.globals.update(ref=lambda clause_id: f"⟦r:{clause_id}⟧", anchor=lambda clause_id: f" ⟦a:{clause_id}⟧")
    return env


def number_headings(markdown: str) -> str:
    """``## Roles`` → ``## 3. Roles`` and ``### Article 6`` → ``### 3.1 Article 6``: clause numbers lawyers cite."""
    major, minor = 0, 0

    def number(match: re.Match) -> str:
        nonlocal major, minor
        if match.group(1) == "##":
            major, minor = major + 1, 0
            return f"## {major}. {match.group(2)}"
        minor += 1
        return f"### {major}.{minor} {match.group(2)}"

    return _HEADING.sub(number, markdown)


_MARKED_HEADING = re.compile(r"<!-- clause: ([a-z0-9_]+) -->\s*\n(#{2,3} [^\n]*)")
_ANCHORED = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? .*⟦a:([a-z0-9_-]+)⟧$", re.MULTILINE)
_REF = re.compile(r"⟦r:([a-z0-9_-]+)⟧")


def anchor_headings(markdown: str) -> str:
    """``<!-- clause: id -->`` then a heading → the heading ending ``⟦a:id⟧`` (a Word bookmark, a comment's place)."""
    return _MARKED_HEADING.sub(lambda m: f"{m.group(2)} ⟦a:{m.group(1)}⟧", markdown)


def resolve_references(markdown: str, filename: str) -> str:
    """``⟦r:id⟧`` → ``⟦r:id:14⟧``: the live number of the clause it points to (DraftingError if none)."""
    numbers = {m.group(2): m.group(1) for m in _ANCHORED.finditer(markdown)}

    def number(m: re.Match) -> str:
        if m.group(1) not in numbers:
            raise DraftingError(f"{filename}: a cross-reference points to clause '{m.group(1)}', "
                                "which the document does not have")
        return f"⟦r:{m.group(1)}:{numbers[m.group(1)]}⟧"

    return _REF.sub(number, markdown)


_PRIVATE = re.compile(r" ?⟦a:[a-z0-9_-]+⟧|⟦r:[a-z0-9_-]+:([^⟧]*)⟧|^⟦(?:landscape|portrait)⟧\n\n?", re.MULTILINE)


def public_markdown(source: str) -> str:
    """The Markdown a person reads: anchors and section breaks dropped, references as their numbers."""
    return _PRIVATE.sub(lambda m: m.group(1) or "", source)


def _tidy(markdown: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", markdown)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_document(doc_type: str, context: dict, filename: str, directory: Path | None = None) -> str:
    """The finished source Markdown of one document (with the private tokens ``docx`` understands; see
    ``public_markdown``); DraftingError when a template, a required clause or a referenced clause is missing."""
    env = environment(str(directory or TEMPLATES_DIR))
    try:
        template = env.get_template(f"{doc_type}.md.j2")
    except TemplateNotFound as exc:
        raise DraftingError(f"the template for {doc_type} ({exc.name}) is missing from {env.loader.searchpath[0]}") from None
    try:
        text = template.render(**context)
    except UndefinedError as exc:
        raise DraftingError(f"{filename}: the template uses a fact the drafting context lacks ({exc.message})") from None
    check_coverage(doc_type, text, filename)
    return resolve_references(number_headings(_tidy(strip_markers(anchor_headings(text)))), filename)

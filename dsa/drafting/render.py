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


def _tidy(markdown: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", markdown)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_document(doc_type: str, context: dict, filename: str, directory: Path | None = None) -> str:
    """The finished Markdown of one document; DraftingError when a template or a required clause is missing."""
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
    return number_headings(_tidy(strip_markers(text)))

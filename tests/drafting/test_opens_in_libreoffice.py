"""The Word files open in a real word processor with their headings (LibreOffice, which scripts/test installs)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile

import pytest


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (scripts/test installs it)")
def test_libreoffice_opens_the_drafts_with_their_heading_outline(tmp_path, herefordshire_pack):
    names = ["data-sharing-agreement", "risk-sharing-schedule", "processing-contract-m81001-csu"]
    for name in names:
        (tmp_path / f"{name}.docx").write_bytes(herefordshire_pack.docx(name))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "odt", "--outdir", str(tmp_path / "odt"), *[str(tmp_path / f"{n}.docx") for n in names]],
                   check=True, capture_output=True, timeout=240)
    for name in names:
        with zipfile.ZipFile(tmp_path / "odt" / f"{name}.odt") as odt:
            content = odt.read("content.xml").decode("utf-8")
        level1 = [html.unescape(re.sub(r"<[^>]+>", "", h)) for h in
                  re.findall(r'<text:h[^>]*text:outline-level="1"[^>]*>(.*?)</text:h>', content)]
        markdown_headings = [re.sub(r"\\(.)", r"\1", ln[3:].split(" ", 1)[1])
                             for ln in herefordshire_pack.draft(name).markdown.splitlines() if ln.startswith("## ")]
        assert level1 == markdown_headings, name
        assert "<table:table " in content

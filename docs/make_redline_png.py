"""Make docs/redline.png: page 1 of the bundled 28 → 20 redline, as LibreOffice prints it.

    python docs/make_redline_png.py

Writes the redline of drafts/28-point.txt → drafts/20-point.txt with the sample positions (the
same as `plancmp redline … --positions drafts/positions.toml --date 2025-12-24`), has LibreOffice
(headless, with a profile of its own in a temporary folder) print it to PDF with the comments in
the margin, and turns page 1 into a PNG with pdftoppm. Needs soffice and pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# LibreOffice takes PDF export options as JSON (7.4+): comments printed in the page margin where it
# can (7.5+), as note icons where it cannot.
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"}}'


def main() -> None:
    """Write docs/redline.png."""
    from plancmp.compare import CompareOptions, compare
    from plancmp.parse import load_document
    from plancmp.parse.from_toml import load_positions
    from plancmp.render.to_docx import RedlineOptions, render_redline_docx

    for program in ("soffice", "pdftoppm"):
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is not installed (apt-get install libreoffice-writer poppler-utils)")
    drafts = ROOT / "drafts"
    compared = compare(
        load_document(drafts / "28-point.txt"),
        load_document(drafts / "20-point.txt"),
        CompareOptions(positions=load_positions(drafts / "positions.toml")),
    )
    data = render_redline_docx(compared, RedlineOptions(date="2025-12-24"))
    with tempfile.TemporaryDirectory(prefix="plancmp-redline-png-") as tmp:
        folder = Path(tmp)
        docx = folder / "redline.docx"
        docx.write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
             "--convert-to", PDF_FILTER, "--outdir", str(folder), str(docx)],
            check=True, capture_output=True, timeout=300,
        )
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(folder / "redline.pdf"),
             str(folder / "page")],
            check=True, capture_output=True,
        )
        target = ROOT / "docs" / "redline.png"
        shutil.copyfile(folder / "page.png", target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

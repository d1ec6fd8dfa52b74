"""The documentation site builds with --strict (a broken link, a page left out of the navigation or a
missing snippet fails it), and the README's links to it lead somewhere."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_site_builds_strictly(tmp_path):
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))  # its notice of MkDocs 2
    assert done.returncode == 0, done.stdout + done.stderr
    assert "x-plus-6" in (tmp_path / "site" / "reference" / "questions" / "index.html").read_text()
    assert "Unreleased" in (tmp_path / "site" / "changelog" / "index.html").read_text()  # CHANGELOG.md, included


def test_the_readmes_links_lead_to_files_that_exist():
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", (ROOT / "README.md").read_text())
    assert links and [link for link in links if not (ROOT / link).exists()] == []


def test_the_readme_stays_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 160, "move the detail to a page of docs/"

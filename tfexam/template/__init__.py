"""`tfexam export-template DIR`: a repository for students, ready to be a class's template.

It holds the stubs, the checks and the grader, a GitHub Actions workflow, a README for learners,
the calibrated pins as requirements.txt and the grading-file manifest, and nothing that reveals a
reference answer: no solutions/, no fixtures/ (exam-era fixtures are working solutions), no
harness tests, no calibration notes. Everything comes from the installed package, so a pip
install exports the same template as a checkout.
"""
import shutil
from pathlib import Path

import tfexam
from tfexam.grading import integrity
from tfexam.questions import CATEGORIES

PACKAGE = Path(tfexam.__file__).resolve().parent
FILES = Path(__file__).resolve().parent / "files"
PINS = PACKAGE / "pins.txt"
WRITTEN = {  # template file -> where it goes in the student repository
    "README.md": "README.md",
    "conftest.py": "conftest.py",
    "pytest.ini": "pytest.ini",
    ".gitignore": ".gitignore",
    "tfexam.yml": ".github/workflows/tfexam.yml",
    "test_integrity.py": integrity.INTEGRITY_TEST,
}


class ExportError(Exception):
    """The export cannot go ahead; the message says why and what to do."""


def category_tests(category: str) -> str:
    """assessments/<category>/test_<category>.py: the checks every category runs, for one category."""
    return (f'"""Grades assessments/{category}/solution.py: pytest assessments/{category} (see tfexam/checks.py)."""\n'
            "from tfexam.checks import *  # noqa: F401,F403  the checks every category runs\n\n"
            f'CATEGORY = "{category}"\n')


def export_template(destination: Path) -> list[str]:
    """Write the student repository into `destination` (new or empty); return its files."""
    if destination.exists() and any(destination.iterdir()):
        raise ExportError(f"{destination} is not empty: export into a new folder, so nothing there is overwritten")
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PINS, destination / "requirements.txt")
    shutil.copytree(PACKAGE, destination / "tfexam",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "template", "*.egg-info"))
    for category, question in CATEGORIES.items():
        folder = destination / "assessments" / category
        folder.mkdir(parents=True)
        shutil.copyfile(question.stub, folder / "solution.py")
        (folder / f"test_{category}.py").write_text(category_tests(category))
    for source, target in WRITTEN.items():
        (destination / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FILES / source, destination / target)
    integrity.write_manifest(destination)
    return sorted(p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file())

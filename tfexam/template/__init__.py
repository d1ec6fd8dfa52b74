"""`python -m tfexam export-template DIR`: a repository for students, ready to be a Classroom template.

It holds the stubs, the checks and the grader, the Classroom workflow, a README for learners and
the grading-file manifest, and nothing that reveals a reference answer: no solutions/, no
fixtures/ (exam-era fixtures are working solutions), no harness tests, no calibration notes.
"""
import shutil
from pathlib import Path

from tfexam import integrity
from tfexam.questions import CATEGORIES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FILES = Path(__file__).resolve().parent / "files"
COPIED = ("conftest.py", "requirements.txt", ".gitignore")
WRITTEN = {  # template file -> where it goes in the student repository
    "README.md": "README.md",
    "classroom.yml": ".github/workflows/classroom.yml",
    "test_integrity.py": integrity.INTEGRITY_TEST,
}


class ExportError(Exception):
    """The export cannot go ahead; the message says why and what to do."""


def export_template(destination: Path) -> list[str]:
    """Write the student repository into `destination` (new or empty); return its files."""
    if destination.exists() and any(destination.iterdir()):
        raise ExportError(f"{destination} is not empty: export into a new folder, so nothing there is overwritten")
    destination.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(PROJECT_ROOT / name, destination / name)
    (destination / "pytest.ini").write_text(_student_pytest_ini())
    shutil.copytree(PROJECT_ROOT / "tfexam", destination / "tfexam",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "template"))
    for category in CATEGORIES:
        folder = destination / "assessments" / category
        folder.mkdir(parents=True)
        for name in ("solution.py", f"test_{category}.py"):
            shutil.copyfile(PROJECT_ROOT / "assessments" / category / name, folder / name)
    for source, target in WRITTEN.items():
        (destination / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FILES / source, destination / target)
    integrity.write_manifest(destination)
    return sorted(p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file())


def _student_pytest_ini() -> str:
    """The project's pytest.ini, but a bare `pytest` grades the assessments (there is no tests/)."""
    text = (PROJECT_ROOT / "pytest.ini").read_text()
    return text.replace("testpaths = tests", "testpaths = assessments")

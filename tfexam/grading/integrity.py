"""Grading-file integrity: a manifest of the grading files' sha256, and the check that reads it.

A student template (python -m tfexam export-template) ships grading-files.sha256, in the format
of `sha256sum`, so `sha256sum -c grading-files.sha256` checks it too. The check is a tripwire for
edits, not a defence: whoever can edit the grader can edit the check. Grade from your own copy
of the grader where it matters (the Gradescope example does).
"""
import hashlib
import os
from pathlib import Path

import pytest

MANIFEST = "grading-files.sha256"
INTEGRITY_TEST = "assessments/test_integrity.py"
GRADING_FOLDERS = ("tfexam", "assessments", ".github")  # and, at the top, conftest.py, pytest.ini, requirements.txt


def is_grading_file(name: str) -> bool:
    """A file that decides a grade, by its path relative to the repository: conftest.py, pytest.ini,
    requirements.txt, tfexam/**/*.py, assessments/**/test_*.py and conftest.py, .github/workflows/*.yml."""
    parts = name.split("/")
    if parts[0] == "tfexam":
        return name.endswith(".py") and "__pycache__" not in parts
    if parts[0] == "assessments" and len(parts) > 1:
        return parts[-1] == "conftest.py" or (parts[-1].startswith("test_") and parts[-1].endswith(".py"))
    if parts[:2] == [".github", "workflows"]:
        return len(parts) == 3 and name.endswith(".yml")
    return name in ("conftest.py", "pytest.ini", "requirements.txt")


def walk(root: Path, folders: tuple[str, ...] | None = None) -> tuple[list[str], list[str]]:
    """The regular files and the symbolic links under root, as sorted relative paths, never following a
    link (a link to / costs nothing); within `folders` of the top only, where given, and never in .git."""
    files, links = [], []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        here = Path(folder).relative_to(root)
        if here == Path("."):
            subfolders[:] = [name for name in subfolders if name != ".git" and (folders is None or name in folders)]
        for name in [*subfolders, *names]:
            path, relative = Path(folder) / name, (here / name).as_posix()
            if path.is_symlink():
                links.append(relative)
            elif path.is_file():
                files.append(relative)
    return sorted(files), sorted(links)


def grading_files(root: Path) -> list[str]:
    """The files that decide a grade, as sorted paths relative to root (links are not followed)."""
    return [name for name in walk(root, GRADING_FOLDERS)[0] if is_grading_file(name)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(root: Path) -> Path:
    manifest = root / MANIFEST
    manifest.write_text("".join(f"{sha256(root / name)}  {name}\n" for name in grading_files(root)))
    return manifest


def read_manifest(root: Path) -> dict[str, str]:
    lines = (root / MANIFEST).read_text().splitlines()
    return {name: digest for digest, name in (line.split(None, 1) for line in lines if line.strip())}


def changes(root: Path) -> list[str]:
    """What differs from the manifest: 'changed: PATH', 'missing: PATH', 'added: PATH'."""
    expected = read_manifest(root)
    present = grading_files(root)
    found = [f"changed: {name}" for name in present if name in expected and sha256(root / name) != expected[name]]
    found += [f"missing: {name}" for name in expected if not (root / name).is_file()]
    found += [f"added: {name}" for name in present if name not in expected]
    return found


def test_grading_files_are_unchanged(request):
    """The grading files are the ones your instructor gave you (grading-files.sha256)."""
    root = request.config.rootpath
    if not (root / MANIFEST).is_file():
        pytest.fail(f"{MANIFEST} is missing: restore it from the template repository", pytrace=False)
    if found := changes(root):
        pytest.fail(f"grading files differ from {MANIFEST} ({'; '.join(found)}): only edit "
                    "assessments/<category>/solution.py, and restore the others from the template "
                    "repository", pytrace=False)

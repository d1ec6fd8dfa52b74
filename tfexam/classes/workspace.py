"""A grading workspace from the instructor's tfexam, holding of a student's checkout only what is graded.

A class grades a checkout the student controls: its `tfexam/`, `conftest.py`, `pytest.ini`,
digest list and any `sitecustomize.py` or `.pth` file are the student's to rewrite. So the checkout
is read, never run: the workspace is a fresh student template written by the grader that is running
(the instructor's installed tfexam), and the checkout gives it only each category's `solution.py`
and the local modules that file imports, which run inside the sandbox like the solution. What else
in the checkout differs from that template is named, so an instructor sees tampering, and ignored.
"""
import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tfexam.grading import integrity
from tfexam.sandbox.isolation import local_modules
from tfexam.template import export_template

# Names a solution's "local module" may not take: they would stand in for the grader or its start-up
NOT_A_LOCAL_MODULE = ("tfexam", "conftest", "sitecustomize", "usercustomize", "solution")
START_UP_NAMES = ("sitecustomize.py", "usercustomize.py")  # with *.pth, what Python runs before any grader code
NEVER_COPIED = (*START_UP_NAMES, "conftest.py", "__pycache__")
MAX_SOLUTION_BYTES = 1024 ** 2  # a solution is a few KiB; a huge one would only slow its reading down


@dataclass(frozen=True)
class Workspace:
    """Where the checkout is graded, what it gave the grader, and what it holds that the grader ignored."""
    root: Path
    taken: list[str] = field(default_factory=list)  # paths relative to the checkout
    ignored: list[str] = field(default_factory=list)  # 'changed: PATH', 'added: PATH', ...

    def tampering(self) -> str:
        """'' when the checkout's grading files are the template's, else what differs, for the result's row."""
        if not self.ignored:
            return ""
        return ("graded with the instructor's grader, so these were ignored; the checkout differs from "
                f"its template: {'; '.join(self.ignored)}")


def build(checkout: Path, root: Path, categories: list[str]) -> Workspace:
    """Write the instructor's template into `root` (new or empty) and copy in the checkout's graded files."""
    export_template(root)
    ignored = differences(checkout, root)  # against the template alone, before any student file is in it
    taken, refused = [], []
    for folder in categories:
        taken_here, refused_here = _take_category(checkout, root, folder)
        taken += taken_here
        refused += refused_here
    return Workspace(root, taken, refused + ignored)


def grader_arguments(categories: list[str]) -> list[str]:
    """pytest's targets in a workspace: each category's test file, never its folder, so nothing a student
    put beside a solution is collected; and the importlib import mode, so no category folder is put on
    the grader's own import path, where a student's module could stand in for one the grader imports."""
    return ["--import-mode=importlib", *(f"assessments/{folder}/test_{folder}.py" for folder in categories)]


def _take_category(checkout: Path, root: Path, folder: str) -> tuple[list[str], list[str]]:
    solution = checkout / "assessments" / folder / "solution.py"
    relative = solution.relative_to(checkout).as_posix()
    if solution.is_symlink():
        return [], [f"not graded (a symbolic link, not a file): {relative}"]
    if not solution.is_file():
        return [], []  # graded from the stub: 'not implemented yet'
    if solution.stat().st_size > MAX_SOLUTION_BYTES:
        return [], [f"not graded (larger than {MAX_SOLUTION_BYTES // 1024} KiB): {relative}"]
    files, refused = graded_files(solution)
    copy_into(root / "assessments" / folder, files)
    return [path.relative_to(checkout).as_posix() for path in files.values()], \
        [f"not taken ({why}): {path.relative_to(checkout).as_posix()}" for path, why in refused]


def graded_files(solution: Path) -> tuple[dict[str, Path], list[tuple[Path, str]]]:
    """What a category grades of a solution file: {name in the category's folder: file or package},
    solution.py first, then its local modules; and the modules refused, with why."""
    files, refused = {"solution.py": solution}, []
    for module in local_modules(solution):
        if why := _refusal(module):
            refused.append((module, why))
        elif module.is_dir() or module.suffix == ".py":
            files[module.name] = module
    return files, refused


def copy_into(folder: Path, files: dict[str, Path]) -> None:
    """Copy graded files into a category's folder: packages without their links, caches and start-up files."""
    for name, source in files.items():
        if source.is_dir():
            shutil.copytree(source, folder / name, symlinks=False, ignore=_not_source)
        else:
            shutil.copyfile(source, folder / name)


def _refusal(module: Path) -> str:
    """Why a local module is not copied into the workspace, or ''.

    pytest puts a category's folder on the grader's own import path (to import its test file), so
    a module there named like the grader or an installed module would run in the grader, unsandboxed.
    """
    if module.is_symlink():
        return "a symbolic link"
    if module.stem in NOT_A_LOCAL_MODULE or module.name.startswith("test_"):
        return "its name is the grader's"
    if module.stem in sys.stdlib_module_names or importlib.util.find_spec(module.stem) is not None:
        return f"it would stand in for the installed module {module.stem}"
    return ""


def _not_source(folder: str, names: list[str]) -> list[str]:
    """What a local package's copy leaves out, at every depth: links, caches, start-up files and anything
    pytest would collect or load (test files, conftest.py)."""
    return [name for name in names if (Path(folder) / name).is_symlink() or name in NEVER_COPIED
            or name.endswith(".pth") or (name.startswith("test_") and name.endswith(".py"))]


def differences(checkout: Path, template: Path) -> list[str]:
    """What in the checkout's grading files differs from the template's, and what it adds that Python
    or pytest would run at start-up: 'changed: PATH', 'missing: PATH', 'added: PATH', 'a symbolic link:
    PATH'. The checkout is walked without following a link, so a link to / costs nothing."""
    expected = {name: integrity.sha256(template / name)
                for name in [*integrity.grading_files(template), integrity.MANIFEST]}
    files, links = _walk(checkout)
    present = {name for name in files if _is_grading_file(name)}
    found = [f"a symbolic link: {link}" for link in links
             if _is_grading_file(link) or (_holds_grading_files(link) and (checkout / link).is_dir())]
    found += [f"changed: {name}" for name in sorted(present & set(expected))
              if integrity.sha256(checkout / name) != expected[name]]
    found += [f"missing: {name}" for name in sorted(set(expected) - present)
              if not any(name == link or name.startswith(f"{link}/") for link in links)]
    found += [f"added: {name}" for name in sorted(present - set(expected))]
    found += [f"added: {name}" for name in files if _runs_at_start_up(name) and name not in present]
    return found


def _walk(root: Path) -> tuple[list[str], list[str]]:
    """The regular files and the symbolic links under root (not in .git), as sorted relative paths."""
    files, links = [], []
    for folder, folders, names in os.walk(root, followlinks=False):
        here = Path(folder).relative_to(root)
        folders[:] = [name for name in folders if name != ".git" or here != Path(".")]
        for name in [*folders, *names]:
            path = Path(folder) / name
            relative = (here / name).as_posix()
            if path.is_symlink():
                links.append(relative)
            elif path.is_file():
                files.append(relative)
    return sorted(files), sorted(links)


def _is_grading_file(name: str) -> bool:
    """integrity.GRADING_FILES, read as names: the files that decide a grade."""
    parts = name.split("/")
    if name in ("conftest.py", "pytest.ini", "requirements.txt", integrity.MANIFEST):
        return True
    if parts[0] == "tfexam":
        return name.endswith(".py") and "__pycache__" not in parts
    if parts[0] == "assessments" and len(parts) > 1:
        return parts[-1] == "conftest.py" or (parts[-1].startswith("test_") and parts[-1].endswith(".py"))
    return parts[:2] == [".github", "workflows"] and len(parts) == 3 and name.endswith(".yml")


def _holds_grading_files(name: str) -> bool:
    return name in ("tfexam", "assessments", ".github", ".github/workflows") or name.startswith(("tfexam/",
                                                                                                  "assessments/"))


def _runs_at_start_up(name: str) -> bool:
    leaf = name.rsplit("/", 1)[-1]
    return leaf in START_UP_NAMES or leaf.endswith(".pth")

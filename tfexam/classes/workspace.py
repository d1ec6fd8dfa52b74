"""A grading workspace from the instructor's tfexam, holding of a student's checkout only what is graded.

A class grades a checkout the student controls: its `tfexam/`, `conftest.py`, `pytest.ini`,
digest list and any `sitecustomize.py` or `.pth` file are the student's to rewrite. So the checkout
is read, never run: the workspace is a fresh student template written by the grader that is running
(the instructor's installed tfexam), and the checkout gives it only each category's `solution.py`
and the local modules that file imports, which run inside the sandbox like the solution. What else
in the checkout differs from that template is named, so an instructor sees tampering, and ignored.
"""
import importlib.util
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tfexam.grading import integrity
from tfexam.sandbox.isolation import local_modules
from tfexam.template import export_template

# Names a solution's "local module" may not take: they would stand in for the grader or its start-up
NOT_A_LOCAL_MODULE = ("tfexam", "conftest", "sitecustomize", "usercustomize", "solution")
RUN_AT_START_UP = ("sitecustomize.py", "usercustomize.py", "*.pth")  # Python runs these before any grader code


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
    taken, refused = [], []
    for folder in categories:
        taken_here, refused_here = _take_category(checkout, root, folder)
        taken += taken_here
        refused += refused_here
    return Workspace(root, taken, refused + differences(checkout, root))


def _take_category(checkout: Path, root: Path, folder: str) -> tuple[list[str], list[str]]:
    solution = checkout / "assessments" / folder / "solution.py"
    relative = solution.relative_to(checkout).as_posix()
    if solution.is_symlink():
        return [], [f"not graded (a symbolic link, not a file): {relative}"]
    if not solution.is_file():
        return [], []  # graded from the stub: 'not implemented yet'
    target = root / "assessments" / folder
    shutil.copyfile(solution, target / "solution.py")
    taken, refused = [relative], []
    for module in local_modules(solution):
        name = module.relative_to(checkout).as_posix()
        if why := _refusal(module):
            refused.append(f"not taken ({why}): {name}")
        elif module.is_dir():
            shutil.copytree(module, target / module.name, symlinks=False, ignore=_not_source)
            taken.append(name)
        elif module.suffix == ".py":
            shutil.copyfile(module, target / module.name)
            taken.append(name)
    return taken, refused


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
    """What a local package's copy leaves out: links, caches and start-up files."""
    return [name for name in names if (Path(folder) / name).is_symlink() or name == "__pycache__"
            or name.endswith(".pth") or name in ("sitecustomize.py", "usercustomize.py", "conftest.py")]


def differences(checkout: Path, template: Path) -> list[str]:
    """What in the checkout's grading files differs from the template's, and what it adds that Python
    or pytest would run at start-up: 'changed: PATH', 'missing: PATH', 'added: PATH'."""
    expected = {name: integrity.sha256(template / name)
                for name in [*integrity.grading_files(template), integrity.MANIFEST]}
    present = set(integrity.grading_files(checkout)) | ({integrity.MANIFEST} & _files(checkout))
    found = [f"changed: {name}" for name in sorted(present & set(expected))
             if _is_changed(checkout / name, expected[name])]
    found += [f"missing: {name}" for name in sorted(set(expected) - present)]
    found += [f"added: {name}" for name in sorted(present - set(expected))]
    found += [f"added: {name}" for name in _start_up_files(checkout) if name not in present]
    return found


def _is_changed(path: Path, digest: str) -> bool:
    return path.is_symlink() or integrity.sha256(path) != digest


def _files(root: Path) -> set[str]:
    return {path.name for path in root.iterdir() if path.is_file()}


def _start_up_files(checkout: Path) -> list[str]:
    found = {path.relative_to(checkout).as_posix() for pattern in RUN_AT_START_UP
             for path in checkout.rglob(pattern) if ".git" not in path.relative_to(checkout).parts}
    return sorted(found)


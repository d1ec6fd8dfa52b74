"""A grading workspace from the instructor's tfexam, holding of a student's checkout only what is graded.

A class grades a checkout the student controls: its `tfexam/`, `conftest.py`, `pytest.ini`,
digest list and any `sitecustomize.py` or `.pth` file are the student's to rewrite. So the checkout
is read, never run: the workspace is a fresh student template written by the grader that is running
(the instructor's installed tfexam), and the checkout gives it only each category's `solution.py`
and the local modules that file imports, which run inside the sandbox like the solution. What else
in the checkout differs from that template is named, so an instructor sees tampering, and ignored.
"""
import importlib.util
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


def grader_arguments(categories: list[str], workers: int = 1) -> list[str]:
    """pytest's targets in a workspace: each category's test file, never its folder, so nothing a student
    put beside a solution is collected; and the importlib import mode, so no category folder is put on
    the grader's own import path, where a student's module could stand in for one the grader imports.
    Categories are graded `workers` at once (pytest-xdist) where there are several."""
    arguments = ["--import-mode=importlib", *(f"assessments/{folder}/test_{folder}.py" for folder in categories)]
    if workers > 1 and len(categories) > 1:
        arguments += ["-n", str(min(workers, len(categories)))]
    return arguments


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
    write_into(root / "assessments" / folder, contents(files))
    return [path.relative_to(checkout).as_posix() for path in files.values()], not_taken(refused, checkout)


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


def not_taken(refused: list[tuple[Path, str]], base: Path) -> list[str]:
    return [f"not taken ({why}): {path.relative_to(base).as_posix()}" for path, why in refused]


def contents(files: dict[str, Path]) -> dict[str, bytes]:
    """The graded files' bytes, by their path in the category's folder: a package's files at every depth,
    without its links, caches, start-up files and anything pytest would collect or load."""
    found = {}
    for name, source in files.items():
        if source.is_dir():
            inside, _ = integrity.walk(source)
            found.update({f"{name}/{relative}": (source / relative).read_bytes() for relative in inside
                          if not any(_left_out(part) for part in relative.split("/"))})
        else:
            found[name] = source.read_bytes()
    return found


def write_into(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def _refusal(module: Path) -> str:
    """Why a local module is not copied into the workspace, or ''.

    pytest's default import mode puts a category's folder on the grader's own import path (to import
    its test file), where a module named like the grader or an installed one would run in the grader,
    unsandboxed; the workspace's runs use the importlib mode (grader_arguments), and this refuses them too.
    """
    if module.is_symlink():
        return "a symbolic link"
    if module.stem in NOT_A_LOCAL_MODULE or module.name.startswith("test_"):
        return "its name is the grader's"
    if module.stem in sys.stdlib_module_names or importlib.util.find_spec(module.stem) is not None:
        return f"it would stand in for the installed module {module.stem}"
    return ""


def _left_out(name: str) -> bool:
    return name in NEVER_COPIED or name.endswith(".pth") or (name.startswith("test_") and name.endswith(".py"))


def differences(checkout: Path, template: Path) -> list[str]:
    """What in the checkout's grading files differs from the template's, and what it adds that Python
    or pytest would run at start-up: 'changed: PATH', 'missing: PATH', 'added: PATH', 'a symbolic link:
    PATH'. The checkout is walked without following a link, so a link to / costs nothing."""
    expected = {name: integrity.sha256(template / name)
                for name in [*integrity.grading_files(template), integrity.MANIFEST]}
    files, links = integrity.walk(checkout)
    present = {name for name in files if integrity.is_grading_file(name) or name == integrity.MANIFEST}
    found = [f"a symbolic link: {link}" for link in links
             if integrity.is_grading_file(link) or (_holds_grading_files(link) and (checkout / link).is_dir())]
    found += [f"changed: {name}" for name in sorted(present & set(expected))
              if integrity.sha256(checkout / name) != expected[name]]
    found += [f"missing: {name}" for name in sorted(set(expected) - present)
              if not any(name == link or name.startswith(f"{link}/") for link in links)]
    found += [f"added: {name}" for name in sorted(present - set(expected))]
    found += [f"added: {name}" for name in files if _runs_at_start_up(name) and name not in present]
    return found


def _holds_grading_files(name: str) -> bool:
    return name in ("tfexam", "assessments", ".github", ".github/workflows") or name.startswith(("tfexam/",
                                                                                                  "assessments/"))


def _runs_at_start_up(name: str) -> bool:
    leaf = name.rsplit("/", 1)[-1]
    return leaf in START_UP_NAMES or leaf.endswith(".pth")

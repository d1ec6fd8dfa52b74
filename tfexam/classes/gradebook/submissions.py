"""A class's submissions: one entry per student, read into the file each category grades.

An entry is a checkout laid out like the student template (assessments/<category>/solution.py), a
folder of exam-era files (each file's category recognised from what it loads), or a zip of either,
as `gh` clones or an LMS download give them. Nothing is run here; a zip is opened with limits, and
an entry that cannot be read is a student with the reason, not an error.
"""
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tfexam.questions import CATEGORIES
from tfexam.questions.recognise import recognise

MAX_ZIP_BYTES = 500 * 1024 ** 2  # unpacked: a submission of solution files is kilobytes
MAX_ZIP_MEMBERS = 5000
SOLUTION_FUNCTION = re.compile(r"^def solution_", re.M)  # solution_model(), Dicoding's solution_A1() ...


@dataclass(frozen=True)
class Student:
    """A student's submission: the file each category grades, and why there is none where there is none."""
    name: str
    files: dict[str, Path] = field(default_factory=dict)  # category folder -> the file graded for it
    problem: str = ""  # why the entry could not be read at all
    notes: tuple[str, ...] = ()  # files that look like solutions but were not graded, and why


class UnreadableZip(Exception):
    """A zip the class command will not unpack; the message says why."""


def discover(submissions: Path, scratch: Path) -> list[Student]:
    """Every student in `submissions`, in name order; zips are unpacked into `scratch`."""
    students = []
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith("."):
            continue
        name = entry.name.removesuffix(".zip") if entry.suffix == ".zip" else entry.name
        students.append(_read_entry(name, entry, scratch))
    return students


def _read_entry(name: str, entry: Path, scratch: Path) -> Student:
    if entry.is_symlink():
        return Student(name, problem=f"{entry.name} is a symbolic link: give the folder or zip itself")
    if entry.is_dir():
        return _student(name, entry)
    if entry.suffix == ".zip":
        try:
            folder = unpack(entry, scratch / name)
        except UnreadableZip as error:
            return Student(name, problem=str(error))
        return _student(name, folder)
    return Student(name, problem=f"{entry.name} is neither a folder nor a .zip: give each student a folder "
                                 "(a checkout or exam-era files) or a zip of one")


def _student(name: str, folder: Path) -> Student:
    files, notes = files_of(folder)
    return Student(name, files, notes=notes)


def files_of(folder: Path) -> tuple[dict[str, Path], tuple[str, ...]]:
    """The file each category grades (the template's solution.py, else exam-era files by what they
    load), and the solution-like files it did not grade, with why."""
    folder = _single_folder_inside(folder)
    if (folder / "assessments").is_dir():
        laid_out = {category: folder / "assessments" / category / "solution.py" for category in CATEGORIES}
        return {category: path for category, path in laid_out.items()
                if path.is_file() and not path.is_symlink()}, ()
    found: dict[str, Path] = {}
    notes = []
    for path in sorted(p for p in folder.rglob("*.py") if p.is_file() and not p.is_symlink()):
        question, name = recognise(path), path.relative_to(folder).as_posix()
        if question is None:
            if SOLUTION_FUNCTION.search(path.read_text(errors="replace")):
                notes.append(f"not graded: {name} (it loads no dataset a question uses; grade it with "
                             "--submission and --question ID)")
        elif question.slot.folder in found:
            notes.append(f"not graded: {name} (a second file for category {question.slot.number}; "
                         f"{found[question.slot.folder].relative_to(folder).as_posix()} was graded)")
        else:
            found[question.slot.folder] = path
    return found, tuple(notes)


def _single_folder_inside(folder: Path) -> Path:
    """A zip or clone that holds one folder and nothing else: that folder."""
    entries = [e for e in folder.iterdir() if not e.name.startswith(".") and e.name != "__MACOSX"]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() else folder


def unpack(archive: Path, destination: Path) -> Path:
    """Unpack `archive` into `destination`: regular files only, inside it, within the size limits."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = [m for m in opened.infolist() if not m.is_dir()]
            _check_limits(archive, members)
            if destination.exists():
                shutil.rmtree(destination)
            destination.mkdir(parents=True)
            for member in members:
                target = (destination / member.filename).resolve()
                if not target.is_relative_to(destination.resolve()) or _is_link(member):
                    continue  # outside the folder (../, an absolute path) or a symbolic link: never written
                target.parent.mkdir(parents=True, exist_ok=True)
                with opened.open(member) as source, open(target, "wb") as written:
                    shutil.copyfileobj(source, written)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise UnreadableZip(f"{archive.name} is not a zip tfexam can read ({error}): ask the student to "
                            "submit again") from None
    return destination


def _check_limits(archive: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableZip(f"{archive.name} holds {len(members)} files, more than {MAX_ZIP_MEMBERS}: "
                            "a submission is its solution files")
    if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
        raise UnreadableZip(f"{archive.name} unpacks to more than {MAX_ZIP_BYTES // 1024 ** 2} MB: "
                            "a submission is its solution files")


def _is_link(member: zipfile.ZipInfo) -> bool:
    return (member.external_attr >> 16) & 0o170000 == 0o120000

"""`tfexam class grade`: discover the class, skip what is graded, grade the rest, write the gradebook.

Lossless and resumable: each unit's result is written to DIR/units/KEY.json the moment it is
graded, KEY its content (units.Unit.key), so a rerun after Ctrl-C, a crash or a reboot grades only
what is missing or changed, and identical submissions are graded once. A unit the grader could not
grade (a killed worker, say) is not kept: the next run tries it again.
"""
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tfexam.classes.gradebook import book, submissions, units

UNITS_FOLDER = "units"


@dataclass(frozen=True)
class Plan:
    """The class's students, each (student, category) with its unit's key, and the units to grade."""
    students: list[submissions.Student]
    keys: dict[tuple[str, str], str]  # (student, category) -> unit key
    units: dict[str, units.Unit]  # key -> unit, one per distinct content
    done: set[str]  # keys already graded by an earlier run


def plan(students: list[submissions.Student], categories: list[str], settings: units.Settings, out: Path) -> Plan:
    keys: dict[tuple[str, str], str] = {}
    distinct: dict[str, units.Unit] = {}
    for student in students:
        for category in categories:
            if category in student.files:
                unit = units.unit_of(category, student.files[category], settings)
                keys[(student.name, category)] = unit.key
                distinct.setdefault(unit.key, unit)
    done = {key for key in distinct if (out / UNITS_FOLDER / f"{key}.json").is_file()}
    return Plan(students, keys, distinct, done)


def say(line: str) -> None:
    print(line, flush=True)


def grade_class(submissions_dir: Path, out: Path, engine, categories: list[str], settings: units.Settings) -> int:
    """Grade every student's categories into `out`; 0 once the gradebook is written, 130 if interrupted."""
    with tempfile.TemporaryDirectory(prefix="tfexam-class-") as scratch:
        class_plan = plan(submissions.discover(submissions_dir, Path(scratch)), categories, settings, out)
        todo = [key for key in class_plan.units if key not in class_plan.done]
        say(f"tfexam class: {len(class_plan.students)} students, {len(class_plan.keys)} gradings of "
             f"{len(class_plan.units)} distinct submissions: {len(class_plan.done)} graded already, "
             f"{len(todo)} to grade on {engine.describe()}")
        try:
            problems = _grade(engine, class_plan, todo, out)
        except KeyboardInterrupt:
            say(f"tfexam class: interrupted; what was graded is kept in {out / UNITS_FOLDER}: run the same "
                 "command again to grade the rest")
            return 130
        finally:
            engine.close()
        grades = gradebook(class_plan, categories, out, problems)
        book.write(out, grades, categories)
    say(f"tfexam class: wrote {out / 'gradebook.csv'}, {out / 'gradebook.json'}, {out / 'class.html'} "
         f"and each student's results in {out / 'students'}")
    return 0


def _grade(engine, class_plan: Plan, todo: list[str], out: Path) -> dict[str, str]:
    """Grade the units `todo`, keeping each as it finishes; the problems of those not graded, by key."""
    futures = {engine.submit(class_plan.units[key]): key for key in todo}
    problems: dict[str, str] = {}
    progress = Progress(len(todo))
    for future in engine.finished(futures):
        key = futures[future]
        try:
            outcome = future.result()
        except Exception as error:  # a worker lost, a cluster gone: that unit's reason, the others go on
            outcome = {"result": None, "problem": f"not graded: {type(error).__name__}: {error}"}
        if outcome["result"] is None:
            problems[key] = outcome["problem"]
        else:
            book.write_atomically(out / UNITS_FOLDER / f"{key}.json", json.dumps(outcome) + "\n")
        progress.step(f"{class_plan.units[key].category} {_owner(class_plan, key)}: "
                      f"{_points(outcome)}")
    progress.close()
    return problems


def _owner(class_plan: Plan, key: str) -> str:
    return ", ".join(student for (student, _), k in class_plan.keys.items() if k == key)


def _points(outcome: dict) -> str:
    graded = outcome["result"]
    return f"{graded['points']}/{graded['max_points']}" if graded else outcome["problem"][:120]


def gradebook(class_plan: Plan, categories: list[str], out: Path, problems: dict[str, str]) -> list[book.StudentGrade]:
    grades = []
    for student in class_plan.students:
        grade = book.StudentGrade(student.name, problem=student.problem, notes=list(student.notes))
        if not student.problem:
            for category in categories:
                key = class_plan.keys.get((student.name, category))
                graded, reason, sandbox = _outcome(out, key, problems)
                grade.add(category, graded, reason)
                if sandbox and sandbox != "namespaces":
                    grade.notes.append(f"{category}: trained in the {sandbox} sandbox, not namespaces")
                grade.notes += [f"{category}: {note}" for note in class_plan.units[key].refused] if key else []
                same = sorted(other for (other, c), k in class_plan.keys.items()
                              if key and k == key and c == category and other != student.name)
                if same:
                    grade.identical_to[category] = same
        grades.append(grade)
    return grades


def _outcome(out: Path, key: str | None, problems: dict[str, str]) -> tuple[dict | None, str, str]:
    """A unit's results record or why there is none, and the sandbox it trained in."""
    if key is None:
        return None, book.NO_FILE, ""
    path = out / UNITS_FOLDER / f"{key}.json"
    if path.is_file():
        kept = json.loads(path.read_text())
        return kept["result"], "", kept.get("sandbox", "")
    return None, problems.get(key, "not graded"), ""


class Progress:
    """A bar with an ETA in a terminal (tqdm); a line per graded unit elsewhere, as CI logs want."""

    def __init__(self, total: int):
        self.total, self.count, self.started = total, 0, time.monotonic()
        self.bar = None
        if sys.stderr.isatty() and not os.environ.get("CI"):
            from tqdm import tqdm  # type: ignore[import-untyped]  # no stubs; the bar is all it does
            self.bar = tqdm(total=total, unit="grading", desc="tfexam class")

    def step(self, line: str) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.set_postfix_str(line[:60])
            self.bar.update()
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / self.count * (self.total - self.count)
        say(f"tfexam class: [{self.count}/{self.total}, about {left:.0f} s left] {line}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

"""The gradebook a class's grading writes: one row per student, each student's results and report,
and a page about the class. Every file is written whole, then moved into place."""
import csv
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tfexam import rules
from tfexam.questions import CATEGORIES
from tfexam.results.board import CategoryResult, ScoreBoard
from tfexam.results.summary import one_line

NO_FILE = "no file for this category in the submission: it scores 0"


@dataclass
class StudentGrade:
    """A student's categories as graded (or why not), and the students whose files were the same."""
    student: str
    board: ScoreBoard = field(default_factory=ScoreBoard)
    problem: str = ""  # the submission could not be read at all
    identical_to: dict[str, list[str]] = field(default_factory=dict)  # category -> other students
    notes: list[str] = field(default_factory=list)  # local modules not taken, and other warnings

    def add(self, category: str, graded: dict | None, reason: str) -> None:
        """A category's results record, or a 0 with `reason` where it was not graded."""
        self.board.results[category] = (CategoryResult.from_record(graded) if graded is not None
                                         else CategoryResult.not_graded(CATEGORIES[category].id, reason))

    def row(self, categories: list[str]) -> dict:
        results = self.board.as_json()
        row: dict = {"student": self.student}
        for folder in categories:
            graded = results["categories"].get(folder, {})
            row[f"{folder}_question"] = graded.get("question", "")
            row[f"{folder}_points"] = graded.get("points", 0)
            row[f"{folder}_reason"] = one_line(graded.get("message") or "", 300)
        row.update(total=results["total"], max_total=results["max_total"], exam_score=results["exam_score"],
                   passed=results["passed"] if results["exam_score"] is not None else None,
                   problem=self.problem,
                   identical_to="; ".join(f"{folder}: {', '.join(names)}"
                                          for folder, names in sorted(self.identical_to.items())),
                   notes="; ".join(self.notes))
        return row


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def write(out: Path, grades: list[StudentGrade], categories: list[str]) -> None:
    """gradebook.csv and gradebook.json, then each student's results.json and report.html, then class.html."""
    rows = [grade.row(categories) for grade in grades]
    write_atomically(out / "gradebook.json", json.dumps({"categories": categories, "students": rows}, indent=2) + "\n")
    write_atomically(out / "gradebook.csv", _csv(rows))
    from tfexam.results import html_report  # matplotlib: only once the grading is done
    for grade in grades:
        if grade.board.results:
            folder = out / "students" / grade.student
            write_atomically(folder / "results.json", json.dumps(grade.board.as_json(), indent=2) + "\n")
            write_atomically(folder / "report.html", html_report.render(grade.board))
    write_atomically(out / "class.html", class_page(grades, categories))


def _csv(rows: list[dict]) -> str:
    text = io.StringIO()
    if rows:
        writer = csv.DictWriter(text, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return text.getvalue()


def class_page(grades: list[StudentGrade], categories: list[str]) -> str:
    """The class at a glance: each category's points as a bar chart, and the commonest reasons for lost points."""
    from tfexam.results.html_report import bar_chart  # matplotlib: only here
    sections = []
    for folder in categories:
        points = [g.board.results[folder].points for g in grades if folder in g.board.results]
        counts = [points.count(p) for p in range(rules.POINTS_PER_CATEGORY + 1)]
        reasons = Counter(one_line(g.board.results[folder].message, 200) for g in grades
                          if folder in g.board.results and g.board.results[folder].message)
        items = "".join(f"<li>{count} x {_escape(reason)}</li>" for reason, count in reasons.most_common(5))
        chart = bar_chart(counts, f"points in {folder}", "students")
        sections.append(f"<h2>{CATEGORIES[folder].slot.number} {folder}</h2>"
                        f'<img alt="points in {folder}" src="{chart}">'
                        f"<p>The commonest reasons for lost points:</p><ul>{items or '<li>none</li>'}</ul>")
    graded = [g for g in grades if g.board.results]
    passed = sum(1 for g in graded if g.board.as_json()["passed"])
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tfexam: the class</title>"
            f"</head><body><h1>tfexam: {len(grades)} students</h1><p>{passed} of {len(graded)} passed "
            f"(pass mark {rules.PASS_MARK}, where all five categories were graded)</p>{''.join(sections)}"
            "</body></html>\n")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

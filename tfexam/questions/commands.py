"""`python -m tfexam questions` lists the pool; `python -m tfexam new ID` writes a question's stub."""
import json
from pathlib import Path

from tfexam.data.store import registered, where
from tfexam.questions import POOL, QUESTIONS, Question, is_default
from tfexam.questions.slots import SLOTS

CHANGED_STUB = ("{path} is not a stub tfexam wrote (it was edited, or is your solution): keep it by "
                "moving it first, or overwrite it with --force")


class CommandError(Exception):
    """The command cannot go ahead; the message says why and what to do."""


def describe(question: Question) -> dict:
    """What `questions --json` says of a question; the ids and keys are contracts."""
    sources = {name: where(name) for name in question.data_files}
    return {
        "id": question.id, "category": question.slot.number, "folder": question.slot.folder,
        "default": is_default(question), "title": question.title, "origin": question.origin,
        "data": sources, "available": all(source != "download" for source in sources.values()),
        "data_urls": {name: registered(name).url for name in question.data_files},
        "input": question.input_text, "output": question.output_text,
        "metric": question.ladder.metric, "higher_is_better": question.ladder.higher_is_better,
        "ladder": list(question.ladder.thresholds), "budget_seconds": question.budget_seconds,
    }


def list_questions(as_json: bool) -> str:
    described = [describe(q) for q in sorted(POOL, key=lambda q: q.slot.number)]
    if as_json:
        return json.dumps(described, indent=2)
    lines = []
    for d in described:
        default = ", the category's default" if d["default"] else ""
        data = ", ".join(f"{name} ({source}{' from ' + d['data_urls'][name] if source == 'download' else ''})"
                         for name, source in d["data"].items()) or "in the stub"
        ladder = f"{d['metric']} {'>=' if d['higher_is_better'] else '<='} {' '.join(f'{t:g}' for t in d['ladder'])}"
        lines += [f"{d['id']:<24} category {d['category']} ({d['folder']}{default}): {d['title']}",
                  f"{'':<24} from {d['origin']}; data: {data}",
                  f"{'':<24} input {d['input']}; output {d['output']}",
                  f"{'':<24} {ladder}; budget {d['budget_seconds']:g} s"]
    lines.append("Grade one: pytest assessments/<folder> --question ID; start one: python -m tfexam new ID")
    return "\n".join(lines)


def markdown_table() -> str:
    """The README's table of the pool: a category a row, its questions' ids (the default first) and budgets."""
    lines = ["| # | category | folder | questions (the default first), budget | metric |", "|---|---|---|---|---|"]
    for slot in SLOTS.values():
        questions = sorted((q for q in POOL if q.slot == slot), key=lambda q: not is_default(q))
        ids = ", ".join(f"`{q.id}` ({q.budget_seconds:g} s)" for q in questions)
        metrics = " or ".join(dict.fromkeys(q.ladder.metric for q in questions))
        lines.append(f"| {slot.number} | {slot.title} | `assessments/{slot.folder}` | {ids} | {metrics} |")
    return "\n".join(lines)


def write_stub(question_id: str, root: Path, force: bool = False) -> Path:
    """Write the question's stub into root/assessments/<folder>/solution.py; return its path."""
    question = QUESTIONS.get(question_id)
    if question is None:
        raise CommandError(f"no question {question_id!r}; python -m tfexam questions lists them "
                           f"({', '.join(QUESTIONS)})")
    target = root / "assessments" / question.slot.folder / "solution.py"
    if not target.parent.is_dir():
        raise CommandError(f"{target.parent} does not exist: run this in the grader's folder (the one holding "
                           "assessments/), or in a student repository")
    stubs = {q.stub.read_bytes() for q in POOL if q.stub.is_file()}
    if target.is_file() and target.read_bytes() not in stubs and not force:
        raise CommandError(CHANGED_STUB.format(path=target))
    target.write_bytes(question.stub.read_bytes())
    return target

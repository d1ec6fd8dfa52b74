"""The fast tier: the mock exam (python -m tfexam exam ...) without TensorFlow and without grading: the
draw, the state file, the clock, the result, the refusals, and the hook a pytest run in a workspace calls.
Grading is replaced by a function that returns an attempt."""
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import ROOT
from tfexam.exam import commands, grading, hook, result, state as exam_state
from tfexam.exam.draw import draw
from tfexam.exam.state import Attempt, ExamError, ExamState
from tfexam.questions import CATEGORIES, QUESTIONS

START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=timezone.utc)
FAST_DRAW = "x-plus-1,fashion-mnist,horses-or-humans,sarcasm,sunspots"


def attempt(category: str, points: int, minute: int = 1, question: str | None = None) -> Attempt:
    question = question or {"basic": "x-plus-1"}.get(category, CATEGORIES[category].id)
    reason = "" if points == 5 else f"{points} of 5 thresholds reached"
    return Attempt(category=category, question=question, time=(START + timedelta(minutes=minute)).isoformat(),
                   points=points, value=0.1 * (5 - points), reason=reason, source="assessments/x/solution.py")


def grading_returns(*points_in_turn: int):
    """A stand-in for grading.grade_attempt: each call scores the next points, and is remembered."""
    calls = []

    def grade(directory, folder, question_id, model, submitted):
        calls.append((folder, question_id, model))
        return Attempt(category=folder, question=question_id, time=submitted.isoformat(),
                       points=points_in_turn[len(calls) - 1], value=0.5, reason="", source="test")
    grade.calls = calls
    return grade


@pytest.fixture
def exam(tmp_path) -> Path:
    directory = tmp_path / "exam"
    commands.start(directory, seed=1, questions=FAST_DRAW, hours=2, at=START)
    return directory


# --- the draw -------------------------------------------------------------------------------------

def test_the_draw_is_seeded_reproducible_and_one_question_per_category():
    assert {f: q.id for f, q in draw(42).items()} == {f: q.id for f, q in draw(42).items()}
    for folder, question in draw(42).items():
        assert question.slot.folder == folder
    assert list(draw(42)) == list(CATEGORIES)
    assert len({tuple(q.id for q in draw(seed).values()) for seed in range(20)}) > 1  # seeds differ


def test_questions_choose_and_leave_the_other_categories_as_the_seed_draws_them():
    seeded, chosen = draw(5), draw(5, ["daily-min-temperatures", "iris"])
    assert chosen["timeseries"].id == "daily-min-temperatures" and chosen["fashion"].id == "iris"
    assert {f: q for f, q in chosen.items() if f not in ("timeseries", "fashion")} == \
           {f: q for f, q in seeded.items() if f not in ("timeseries", "fashion")}


def test_offline_the_draw_never_gives_a_question_whose_data_is_not_here_and_the_start_names_it(tmp_path, monkeypatch):
    from tfexam.data import store
    from tfexam.exam.draw import has_its_data, left_out
    folder = tmp_path / "data"  # the shared mirror's copies, but not rock-paper-scissors' zips
    folder.mkdir()
    for path in Path(os.environ[store.DATA_DIR_VAR].split(os.pathsep)[0]).iterdir():
        if not path.name.startswith("rps"):
            (folder / path.name).symlink_to(path)
    monkeypatch.setenv(store.DATA_DIR_VAR, str(folder))
    monkeypatch.setenv(store.CACHE_DIR_VAR, str(tmp_path / "empty-cache"))
    assert not has_its_data(QUESTIONS["rock-paper-scissors"]) and has_its_data(QUESTIONS["horses-or-humans"])
    not_here = {"rock-paper-scissors", "german-traffic-signs", "hurricane-damage", "cats-vs-dogs",
                "cats-vs-dogs-tfds", "beans", "imdb-reviews", "horses-inception"}
    assert {q.id for q in left_out()} == not_here
    drawn = {question.id for seed in range(300) for question in draw(seed).values()}
    assert not drawn & not_here and drawn == set(QUESTIONS) - not_here  # all the others, in 300 draws
    assert draw(0, ["rock-paper-scissors"])["images"].id == "rock-paper-scissors"  # chosen: drawn anyway
    lines = commands.start(tmp_path / "exam", seed=3, hours=2, at=START)
    assert any(line.startswith("not drawn, their data not here: ") and "rock-paper-scissors (rps.zip, "
               "rps-test-set.zip)" in line and "python -m tfexam fetch-data" in line for line in lines)
    everything_here = draw(7, here=lambda question: True)
    nothing_here = draw(7, here=lambda question: False)  # none here: all of a category's, downloaded when graded
    assert everything_here == nothing_here


@pytest.mark.parametrize("ids, expected", [(["nope"], "no question 'nope'"),
                                           (["x-plus-1", "5x-plus-1"], "two category 1 questions")])
def test_questions_that_cannot_be_drawn_are_refused(ids, expected):
    with pytest.raises(ExamError, match=expected):
        draw(0, ids)


# --- the state ------------------------------------------------------------------------------------

def test_the_state_round_trips(tmp_path):
    state = ExamState(seed=3, questions={"basic": "x-plus-1"}, started=START.isoformat(),
                      deadline=(START + timedelta(hours=5)).isoformat(),
                      attempts=(attempt("basic", 2), attempt("basic", 5, minute=9)))
    exam_state.save(tmp_path, state)
    assert exam_state.load(tmp_path) == state
    assert json.loads((tmp_path / exam_state.STATE_FILE).read_text())["attempts"][1]["points"] == 5


def test_the_state_is_written_atomically_a_failed_write_leaves_the_old_one(tmp_path, monkeypatch):
    old = ExamState(seed=1, questions={"basic": "x-plus-1"}, started=START.isoformat(), deadline=START.isoformat())
    exam_state.save(tmp_path, old)
    written = []
    monkeypatch.setattr(exam_state.os, "replace", lambda source, target: written.append(source) or 1 / 0)
    with pytest.raises(ZeroDivisionError):
        exam_state.save(tmp_path, old.with_attempt(attempt("basic", 5)))
    assert exam_state.load(tmp_path) == old
    assert written and Path(written[0]).parent == tmp_path  # a temporary file beside it, then replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == [exam_state.STATE_FILE]  # and no leftover


def test_an_edited_state_file_is_a_clear_error(exam):
    (exam / exam_state.STATE_FILE).write_text("{not json")
    with pytest.raises(ExamError, match="cannot be read.*start a new exam"):
        commands.status(exam)


# --- start ----------------------------------------------------------------------------------------

def test_start_writes_the_workspace_with_the_drawn_stubs_the_rules_and_the_clock(exam):
    state = exam_state.load(exam)
    assert state.questions == dict(zip(CATEGORIES, FAST_DRAW.split(",")))
    assert state.started == "2026-03-02T09:00:00+00:00" and state.deadline == "2026-03-02T11:00:00+00:00"
    for folder, question_id in state.questions.items():
        assert (exam / "assessments" / folder / "solution.py").read_bytes() == QUESTIONS[question_id].stub.read_bytes()
        assert (exam / "assessments" / folder / f"test_{folder}.py").is_file()
    assert (exam / "conftest.py").is_file() and (exam / "tfexam/plugin/__init__.py").is_file()  # pytest grades here
    readme = (exam / "README.md").read_text()
    for rule in ("Lambda", "shapes", 'model.save("mymodel.h5")', "2:00:00", "never submitted scores 0", "90"):
        assert rule in readme
    assert "x-plus-1" in readme


def test_start_refuses_a_started_workspace_and_says_how_to_resume(exam):
    with pytest.raises(ExamError, match=f"already holds a mock exam: to resume it.*exam submit {exam}"):
        commands.start(exam, seed=2)


def test_start_refuses_a_folder_with_files_and_a_zero_time_limit(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExamError, match="not empty"):
        commands.start(tmp_path)
    with pytest.raises(ExamError, match="--hours 0: give a positive number"):
        commands.start(tmp_path / "new", hours=0)


def test_start_without_a_seed_draws_one_and_says_it(tmp_path):
    lines = commands.start(tmp_path / "exam")
    seed = exam_state.load(tmp_path / "exam").seed
    assert f"--seed {seed} draws the same questions" in lines[0]


# --- submit and the clock -------------------------------------------------------------------------

def test_submit_grades_the_drawn_question_records_the_attempt_and_prints_best_and_time_left(exam):
    grade = grading_returns(3, 5, 4)
    for minute in (10, 20, 30):
        lines = commands.submit(exam, "basic", at=START + timedelta(minutes=minute), grade=grade)
    assert grade.calls == [("basic", "x-plus-1", None)] * 3
    assert lines[0].startswith("basic (x-plus-1), attempt 3: 4/5")
    assert lines[-1] == "best so far: 5/5; time left 1:30:00"
    assert [a.points for a in exam_state.load(exam).attempts] == [3, 5, 4]


def test_submit_takes_a_category_number_and_a_model(exam, tmp_path):
    model = tmp_path / "mymodel.h5"
    model.write_bytes(b"h5")
    grade = grading_returns(2)
    commands.submit(exam, "5", model=model, at=START, grade=grade)
    assert grade.calls == [("timeseries", "sunspots", model)]


@pytest.mark.parametrize("category, model, expected", [
    ("cnn", None, "no category 'cnn'"), ("sarcasm", None, "sarcasm is a question of category nlp"),
    ("basic", "missing.h5", "--model missing.h5: no such file")])
def test_submit_refuses_what_it_cannot_grade(exam, category, model, expected):
    with pytest.raises(ExamError, match=expected):
        commands.submit(exam, category, model=Path(model) if model else None, at=START, grade=grading_returns())


def test_a_submission_after_the_deadline_is_refused_and_the_result_is_final(exam):
    grade = grading_returns(5)
    with pytest.raises(ExamError, match="the time ran out at 2026-03-02 11:00:00 UTC: this submission is refused"):
        commands.submit(exam, "basic", at=START + timedelta(hours=2, seconds=1), grade=grade)
    assert grade.calls == []
    final = json.loads((exam / "result.json").read_text())
    assert final["finished"] == "2026-03-02T11:00:00+00:00" and final["total"] == 0
    with pytest.raises(ExamError, match="was finished at .*submissions are closed"):
        commands.submit(exam, "basic", at=START, grade=grade)


def test_the_clock_is_stored_in_the_workspace_so_a_moved_one_keeps_it(exam, tmp_path):
    commands.submit(exam, "basic", at=START + timedelta(minutes=5), grade=grading_returns(4))
    moved = Path(shutil.move(exam, tmp_path / "elsewhere"))
    lines = commands.status(moved, at=START + timedelta(minutes=45))
    assert "basic       x-plus-1                 best 4/5  attempts: 4" in "\n".join(lines)
    assert lines[-1] == "total so far 4/25; time left 1:15:00 (until 2026-03-02 11:00:00 UTC)"


def test_status_after_the_deadline_gives_the_final_result(exam):
    lines = commands.status(exam, at=START + timedelta(hours=3))
    assert any("exam score 0/100 FAIL" in line for line in lines)
    assert (exam / "result.json").is_file()


# --- the result -----------------------------------------------------------------------------------

def test_the_result_keeps_each_categorys_best_and_scores_a_never_submitted_one_0(exam):
    state = exam_state.load(exam)
    for a in (attempt("basic", 2, 1), attempt("basic", 5, 2), attempt("basic", 3, 3),
              attempt("nlp", 5), attempt("timeseries", 4), attempt("images", 5)):
        state = state.with_attempt(a)
    final = result.final_result(state)
    basic = final["categories"]["basic"]
    assert (basic["points"], basic["best_attempt"], len(basic["attempts"])) == (5, 2, 3)
    assert [a["points"] for a in basic["attempts"]] == [2, 5, 3]
    fashion = final["categories"]["fashion"]
    assert (fashion["points"], fashion["attempts"], fashion["question"]) == (0, [], "fashion-mnist")
    assert "never submitted" in fashion["reason"]
    assert (final["total"], final["max_total"], final["exam_score"], final["passed"]) == (19, 25, 76.0, False)


@pytest.mark.parametrize("points, score, passed", [((5, 5, 5, 4, 4), 92.0, True), ((5, 5, 5, 5, 2), 88.0, False),
                                                   ((5, 5, 5, 5, 5), 100.0, True)])
def test_the_exam_passes_at_90_of_100(exam, points, score, passed):
    state = exam_state.load(exam)
    for folder, p in zip(CATEGORIES, points):
        state = state.with_attempt(attempt(folder, p))
    final = result.final_result(state)
    assert (final["exam_score"], final["passed"]) == (score, passed)


def test_finish_writes_result_json_once_and_the_report(exam):
    commands.submit(exam, "basic", at=START + timedelta(minutes=1), grade=grading_returns(5))
    lines = commands.finish(exam, at=START + timedelta(minutes=30), report=False)
    assert lines[-1] == f"wrote {exam / 'result.json'}"
    final = json.loads((exam / "result.json").read_text())
    assert set(final) >= {"categories", "total", "max_total", "exam_score", "passed", "started", "finished"}
    assert final["started"] == "2026-03-02T09:00:00+00:00" and final["finished"] == "2026-03-02T09:30:00+00:00"
    assert set(final["categories"]["basic"]) >= {"question", "points", "attempts"}
    commands.finish(exam, at=START + timedelta(minutes=50), report=False)  # again: the same result
    assert json.loads((exam / "result.json").read_text())["finished"] == final["finished"]


def test_the_reports_scoreboard_holds_the_best_attempts_and_the_never_submitted(exam):
    graded = {"number": 1, "category": "basic", "title": "t", "source": "s", "metric": "MAE",
              "higher_is_better": False, "thresholds": [1, 0.5, 0.2, 0.1, 0.05], "budget_seconds": 60,
              "question": "x-plus-1", "points": 4, "value": 0.07, "checks": [], "status": "partial",
              "message": "MAE 0.07 does not reach <= 0.05", "training_runs": 1}
    state = exam_state.load(exam).with_attempt(Attempt("basic", "x-plus-1", START.isoformat(), 4, 0.07, "",
                                                       "s", graded))
    board = result.scoreboard(state)
    assert (board.results["basic"].points, board.results["basic"].value) == (4, 0.07)
    assert board.results["fashion"].message == result.NEVER_SUBMITTED and board.complete_exam
    assert board.total == 4


# --- grading and the hook -------------------------------------------------------------------------

def test_submit_runs_the_grader_in_the_workspace_on_the_drawn_question_and_reads_its_results(tmp_path, monkeypatch):
    arguments = grading.pytest_arguments("basic", "x-plus-1", Path("m.h5"))
    assert arguments[0] == "assessments/basic"
    assert arguments[arguments.index("--question") + 1] == "x-plus-1"
    assert arguments[arguments.index("--model") + 1] == str(Path("m.h5").resolve())
    monkeypatch.setenv("TFEXAM_DATA_DIR", "../shared/datasets")
    environment = grading.grader_environment()
    assert environment["TFEXAM_DATA_DIR"] == str(Path("../shared/datasets").resolve())
    assert environment[grading.SUBMIT_VARIABLE] == "1"  # the hook leaves the recording to submit
    entry = {"category": "basic", "question": "x-plus-1", "points": 3, "value": 0.3, "message": "MAE 0.3 ...",
             "source": "assessments/basic/solution.py"}
    recorded = grading.attempt_from(entry, START)
    assert (recorded.points, recorded.value, recorded.reason, recorded.time) == (3, 0.3, "MAE 0.3 ...",
                                                                                 "2026-03-02T09:00:00+00:00")


def results_of(**points_by_category) -> dict:
    return {"categories": {folder: {"category": folder, "question": question, "points": points, "value": 0.1,
                                    "message": "", "source": f"assessments/{folder}/solution.py"}
                           for folder, (question, points) in points_by_category.items()}}


def test_a_pytest_run_in_a_workspace_records_the_drawn_questions_attempts(tmp_path, monkeypatch):
    directory = tmp_path / "exam"
    commands.start(directory, seed=1, questions=FAST_DRAW, hours=2)  # the hook reads the real clock
    monkeypatch.delenv(grading.SUBMIT_VARIABLE, raising=False)
    lines = hook.record_run(directory, results_of(basic=("x-plus-1", 4), nlp=("bbc-news", 5)))
    assert [(a.category, a.points) for a in exam_state.load(directory).attempts] == [("basic", 4)]
    assert "mock exam: nlp not recorded: this run graded bbc-news, the exam drew sarcasm" in lines
    assert lines[0].startswith("mock exam: basic (x-plus-1), attempt 1: 4/5")
    monkeypatch.setenv(grading.SUBMIT_VARIABLE, "1")  # under exam submit, which records it itself
    assert hook.record_run(directory, results_of(basic=("x-plus-1", 5))) == []
    assert hook.record_run(tmp_path, results_of(basic=("x-plus-1", 5))) == []  # not a workspace


def test_a_pytest_run_after_the_deadline_is_not_recorded(exam, monkeypatch):
    monkeypatch.delenv(grading.SUBMIT_VARIABLE, raising=False)
    lines = hook.record_run(exam, results_of(basic=("x-plus-1", 5)))  # START was long ago
    assert "not recorded: the exam is over" in lines[0]
    assert exam_state.load(exam).attempts == ()


# --- the command line -----------------------------------------------------------------------------

def run_exam(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tfexam", "exam", *args], cwd=cwd, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}, timeout=60)


def test_the_commands_exit_2_with_the_cause_and_the_fix(tmp_path):
    started = run_exam("start", str(tmp_path / "exam"), "--seed", "11", "--hours", "1")
    assert started.returncode == 0 and "seed 11" in started.stdout
    for args, expected in [(("start", str(tmp_path / "exam")), "to resume it"),
                           (("submit", str(tmp_path / "exam"), "cnn"), "give one of basic, fashion")]:
        run = run_exam(*args)
        assert (run.returncode, run.stdout) == (2, ""), run.stderr
        assert run.stderr.startswith(f"python -m tfexam exam {args[0]}: ") and expected in run.stderr
    status = run_exam("status", str(tmp_path / "exam"))
    assert status.returncode == 0 and "time left 0:5" in status.stdout

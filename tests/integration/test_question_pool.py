"""The question pool: every question grades its exam-era file, recognised without --question;
its reference solution scores full marks; a stub chosen with `python -m tfexam new` is graded
as the question it names."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (FIXTURE_SOLUTIONS, HARNESS_TIME_BUDGET_SCALE, ROOT, clean_environment, needs_layout_copy,
                      run_grader)
from tfexam.data import store
from tfexam.data.registry import FILES, INCEPTION_V3_NOTOP
from tfexam.grading.grade import CategoryGrade, NotGraded, Source
from tfexam.questions import POOL, QUESTIONS
from tfexam.questions.recognise import recognise


EXAM_ERA = FIXTURE_SOLUTIONS / "exam_era"  # one file per question, as learners wrote them for it


def test_every_question_has_a_stub_a_reference_and_an_exam_era_file():
    for question in POOL:
        assert question.stub.is_file() and question.reference.is_file(), question.id
        assert (EXAM_ERA / f"{question.id}.py").is_file(), question.id


# One exam-era file per category goes through a whole grader run (pytest --submission, no --question), and
# one for each question graded on a layout copy of its data (whose files are served to the training process);
# the others are recognised and trained as that run does, in this process (a grader run's start is not tested again).
LAYOUT_COPY_QUESTIONS = ["horses-inception", "german-traffic-signs", "hurricane-damage", "cats-vs-dogs",
                         "cats-vs-dogs-tfds", "beans", "imdb-reviews"]
END_TO_END = ["dicoding-b1", "iris", "rock-paper-scissors", "sarcasm", "daily-min-temperatures",
              *LAYOUT_COPY_QUESTIONS]
IN_PROCESS = [q.id for q in POOL if q.id not in END_TO_END]


def test_every_category_and_every_question_on_a_layout_copy_has_an_exam_era_file_graded_end_to_end():
    assert {QUESTIONS[q].slot.folder for q in END_TO_END} == {q.slot.folder for q in POOL}
    assert {q.id for q in POOL if needs_layout_copy(q)} <= set(END_TO_END)


@pytest.mark.parametrize("question", END_TO_END)
def test_an_exam_era_file_is_graded_as_the_question_it_was_written_for(grade_question, question):
    folder = QUESTIONS[question].slot.folder
    fixture = EXAM_ERA / f"{question}.py"
    result = grade_question(question, "--submission", str(fixture)).category(folder)
    assert (result["question"], result["question_note"]) == (question, "")
    assert result["value"] is not None, result["message"]
    assert result["source"] == f"--submission {fixture}"


@pytest.mark.parametrize("question", IN_PROCESS)
def test_the_other_exam_era_files_are_recognised_trained_and_scored(request, monkeypatch, tmp_path, question):
    if needs_layout_copy(QUESTIONS[question]):
        for name, value in request.getfixturevalue("layout_copies").items():
            monkeypatch.setenv(name, value)
    fixture = EXAM_ERA / f"{question}.py"
    written_for = recognise(fixture)
    assert written_for is QUESTIONS[question]
    budget = written_for.budget_seconds * float(HARNESS_TIME_BUDGET_SCALE)
    grade = CategoryGrade(written_for, Source(fixture, False, fixture.name), tmp_path, budget,
                          reuse_cached=False)
    try:
        value = grade.scored().value
    except NotGraded as failure:
        pytest.fail(f"{fixture.name} was not graded: {failure}")
    assert value is not None and grade.training_runs >= 1


def test_a_file_that_names_no_question_is_graded_as_the_default_and_says_so(grade):
    several = FIXTURE_SOLUTIONS / "idioms" / "dicoding_several_functions.py"
    run = grade("assessments/basic", "--submission", str(several),
                "--function", "solution_B1")
    result = run.category("basic")
    assert result["question"] == "x-plus-6" and result["value"] is not None
    assert result["question_note"].startswith("no question recognised in dicoding_several_functions.py")
    assert "choose another with --question ID" in run.output


def new(cwd, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tfexam", "new", *args], cwd=cwd, env=clean_environment(),
                          capture_output=True, text=True, timeout=120)


def test_a_stub_chosen_with_new_is_graded_as_its_question_and_an_edited_one_is_kept(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "fixtures", "tests"))
    solution = project / "assessments" / "timeseries" / "solution.py"

    assert new(project, "daily-min-temperatures").returncode == 0
    assert solution.read_text() == QUESTIONS["daily-min-temperatures"].stub.read_text()
    run = run_grader(tmp_path, "assessments/timeseries", cwd=project)
    result = run.category("timeseries")
    assert (result["question"], result["points"]) == ("daily-min-temperatures", 0)
    assert "solution_model() is not implemented yet" in result["message"]
    assert list(result["thresholds"]) == list(QUESTIONS["daily-min-temperatures"].ladder.thresholds)

    solution.write_text(solution.read_text() + "\n# my work\n")
    refused = new(project, "sunspots")
    assert refused.returncode == 2 and "overwrite it with --force" in refused.stderr
    assert solution.read_text().endswith("# my work\n")
    assert new(project, "sunspots", "--force").returncode == 0
    assert solution.read_text() == QUESTIONS["sunspots"].stub.read_text()


@pytest.mark.parametrize("question", LAYOUT_COPY_QUESTIONS)
def test_offline_without_its_zip_a_question_scores_zero_before_training_naming_the_file(monkeypatch, tmp_path,
                                                                                       question):
    """What the grader run below shows for rock-paper-scissors, for each, as that run grades (in this process)."""
    unreachable = "http://127.0.0.1:9"
    for variable, value in (("TFEXAM_CACHE_DIR", str(tmp_path / "cache")), ("http_proxy", unreachable),
                            ("https_proxy", unreachable)):
        monkeypatch.setenv(variable, value)
    fixture = EXAM_ERA / f"{question}.py"
    grade = CategoryGrade(QUESTIONS[question], Source(fixture, False, fixture.name), tmp_path, 60)
    with pytest.raises(NotGraded) as refused:
        grade.scored()
    data_file = next(name for name in QUESTIONS[question].data_files if FILES[name].layout_copy_sha256)
    assert f"{data_file} is needed but no copy was found" in str(refused.value)
    assert "TFEXAM_DATA_DIR" in str(refused.value) and grade.training_runs == 0


def test_the_inception_stand_in_the_tests_generate_is_the_one_the_registry_knows(layout_copies):
    """Written on another machine, the same bytes: fixtures/make_inception_weights.py is deterministic."""
    folder = layout_copies["TFEXAM_DATA_DIR"].split(os.pathsep)[0]
    digest = store.sha256_of(Path(folder) / INCEPTION_V3_NOTOP)
    assert digest in FILES[INCEPTION_V3_NOTOP].layout_copy_sha256, \
        f"the stand-in changed (another h5py or Keras?): record its new sha256 {digest} in tfexam/data/registry.py"


def test_rock_paper_scissors_without_its_zips_scores_zero_at_once_saying_where_to_get_them(tmp_path):
    """CI's case: the shared mirror has no rps zips and nothing can be downloaded."""
    without_rps = [str(folder) for folder in store.mirror_dirs() if not (folder / "rps.zip").exists()]
    unreachable = "http://127.0.0.1:9"  # offline, even on a machine that is not
    run = run_grader(tmp_path, "assessments/images", "--question", "rock-paper-scissors", "--solutions",
                     env={"TFEXAM_DATA_DIR": os.pathsep.join(without_rps), "TFEXAM_CACHE_DIR": str(tmp_path / "cache"),
                          "http_proxy": unreachable, "https_proxy": unreachable})
    result = run.category("images")
    assert (result["points"], result["status"], result["training_runs"]) == (0, "error", 0), result
    assert "is needed but no copy was found" in result["message"] and "rps" in result["message"]
    assert "TFEXAM_DATA_DIR" in run.output

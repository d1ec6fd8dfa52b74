"""The adversarial corpus: solutions that hang, hog, crash, flood, linger or cheat.

Each must score 0 with its own readable reason, be stopped (or finish) in time, and leave nothing
running. One solution of each kind of outcome is graded end to end, serially and on two xdist
workers, with reduced limits. The others of its kind go through the same training runner in the
test's process, a model they return through the checks of `pytest --model`: the grader's steps
without the pytest run around them, and a budget only as long as the limit tested needs.
"""
import json
import shutil
import subprocess
import sys
import uuid

import pytest

import tfexam
from conftest import (ADVERSARIAL, FIXTURE_MODELS, ROOT, clean_environment, mark_processes, needs_namespaces,
                      run_grader)
from tfexam.sandbox import isolation, limits, runner
from tfexam.sandbox.spec import TrainingSpec


TIME_SCALE, MEMORY_SCALE = "0.25", "0.25"
SHORT_TIME_SCALE = "0.15"  # for a budget stop: 9 s covers TensorFlow's import (5-6 CPU s); a sleeper waits 27 s
BUDGET_SECONDS = 60 * 0.25  # category 1's budget, scaled
MEMORY_LIMIT_BYTES = int(runner.DEFAULT_MEMORY_LIMIT_BYTES * float(MEMORY_SCALE))  # 2 GiB
GRACE_SECONDS = 45  # pytest's start, TensorFlow's import, the kill, grading: not training
KILL_GRACE_SECONDS = 10  # in the test's process: the kill, and the runner reading what the training left
COMPUTED = "CPU seconds, its budget of {budget:.0f} s on"  # stopped at the budget's CPU time, whatever the threads
WAITED = ("time budget exceeded: training was stopped after waiting {clock:.0f} s on the clock, "
          "3x its {budget:.0f} s budget")
UNTRAINED = "does not reach <= 1"  # an untrained Dense(1) is far from y = x + 6

CORPUS = {  # the solution file -> the reason its category scores 0 (for a budget: reason())
    "sleeps_forever.py": WAITED,
    "busy_loop.py": COMPUTED,
    "custom_training_loop.py": COMPUTED,  # no fit() to stop: the budget stops the process, as for any other code
    "sleeps_at_import.py": WAITED,
    "memory_hog.py": "memory limit exceeded (2 GiB): training was stopped holding",
    "segfaults.py": "the training process was killed by SIGSEGV before it returned a model",
    "calls_os_exit.py": "the training process exited with code 3 before it returned a model",
    "calls_sys_exit.py": "solution_model() called sys.exit(2) instead of returning a model",
    "raises.py": "solution_model() raised ValueError: the learning rate went negative (raises.py, line 5)",
    "returns_none.py": "solution_model() returned NoneType, not a Keras model",
    "returns_ndarray.py": "solution_model() returned ndarray, not a Keras model",
    "wrong_input_shape.py": "input shape mismatch: the model's input is (None, 2)",
    "wrong_output_shape.py": "output shape mismatch: the model's output is (None, 2)",
    "nan_weights.py": "the model's predictions are not finite",
    "lambda_layer.py": "Lambda layers are not supported by the grading infrastructure",
    "output_flood.py": "solution_model() returned NoneType, not a Keras model",
    "lingering_process.py": UNTRAINED,
    "lingering_thread.py": UNTRAINED,
    "syntax_error.py": "syntax_error.py has a syntax error at line 4",
    "missing_import.py": "No module named 'tensorflow_addons'",
    "downloads_unregistered.py": "https://example.com/extra-training-data.csv is not a registered dataset URL",
    "memory_hog_in_own_session.py": "memory limit exceeded (2 GiB): training was stopped holding",
    "spawns_hundreds.py": "process limit exceeded: training was stopped running",
}
KINDS = {  # each kind of outcome: its first solution is graded end to end, the others in the test's process
    "stopped at its CPU budget": ["custom_training_loop.py", "busy_loop.py"],  # TensorFlow's threads; one thread
    "stopped on the clock": ["sleeps_forever.py", "sleeps_at_import.py"],
    "stopped at the memory limit": ["memory_hog_in_own_session.py", "memory_hog.py"],
    "stopped at the process limit": ["spawns_hundreds.py"],
    "ended by a signal or an exit": ["calls_os_exit.py", "segfaults.py"],
    "raised, exited or returned no model": ["raises.py", "calls_sys_exit.py", "returns_none.py",
                                            "returns_ndarray.py", "output_flood.py"],
    "could not be imported": ["syntax_error.py", "missing_import.py"],
    "downloaded an unregistered URL": ["downloads_unregistered.py"],
    "a shape mismatch": ["wrong_input_shape.py", "wrong_output_shape.py"],
    "predictions not finite": ["nan_weights.py"],
    "a Lambda layer": ["lambda_layer.py"],
    "trained, leaving a process or a thread": ["lingering_process.py", "lingering_thread.py"],
}
END_TO_END = [fixtures[0] for fixtures in KINDS.values()]
IN_PROCESS = [fixture for fixtures in KINDS.values() for fixture in fixtures[1:]]
# One run on two workers, a category each (test_five_adversaries_at_once...): category -> (its solution,
# the reason it scores 0); a y = x + 6 model fits no other question
AT_ONCE_ON_TWO_WORKERS = {
    "basic": ("memory_hog.py", CORPUS["memory_hog.py"]),
    "fashion": ("output_flood.py", CORPUS["output_flood.py"]),
    "images": ("lingering_process.py", "input shape mismatch: the model's input is (None, 1)"),
    "nlp": ("segfaults.py", CORPUS["segfaults.py"]),
    "timeseries": ("lingering_thread.py", "input shape mismatch: the model's input is (None, 1)"),
}
# Each kind goes end to end serially, and on two workers too where that run has none of its kind
ALSO_ON_TWO_WORKERS = [fixtures[0] for fixtures in KINDS.values()
                       if not {fixture for fixture, _ in AT_ONCE_ON_TWO_WORKERS.values()} & set(fixtures)]
# In the test's process, where the test waits for a time limit, the budget (seconds, threads) only as
# long as that limit needs, its CPU seconds above TensorFlow's import (5.3-5.8 here) so that the
# solution's own code is what is stopped: the busy loop at 10 CPU s on one thread, as on two workers
# (the clock at 30 s); sleeping at import on two threads, so that the clock stops it at 15 s.
SHORT_BUDGETS = {"busy_loop.py": (10, 1), "sleeps_at_import.py": (5, 2)}
ESCAPES = {"reaches_local_listener.py", "reads_planted_files.py", "writes_everywhere.py"}  # test_sandbox_escapes.py


def reason(fixture: str, budget: float = BUDGET_SECONDS) -> str:
    return CORPUS[fixture].format(budget=budget, clock=budget * runner.WALL_BACKSTOP)


def test_the_corpus_covers_every_fixture():
    tested_elsewhere = {"tampers_with_grading.py", "kills_its_grader.py"} | ESCAPES
    assert {p.name for p in ADVERSARIAL.glob("*.py")} == set(CORPUS) | tested_elsewhere
    assert sorted(END_TO_END + IN_PROCESS) == sorted(CORPUS)  # each checked, once


def grade_adversary(tmp_path, *args, cwd=ROOT, env=None, time_scale=TIME_SCALE):
    """Grade with the corpus's limits; every process the solution starts carries a marker, none may be left."""
    marker = uuid.uuid4().hex
    env = {"TFEXAM_CORPUS_RUN": marker, **(env or {})}
    env[isolation.PASS_ENV_VARIABLE] = ",".join(name for name in env if name.startswith("TFEXAM_CORPUS_"))
    run = run_grader(tmp_path, *args, "--time-budget-scale", time_scale, "--memory-limit-scale", MEMORY_SCALE,
                     env=env, cwd=cwd)
    assert limits.processes_with("TFEXAM_CORPUS_RUN", marker) == [], "left running after the grader finished"
    return run


def grade_in_process(tmp_path, monkeypatch, solution, budget=BUDGET_SECONDS, threads=1, sandbox="", env=None):
    """Train as the grader does, with the corpus's memory limit, and grade a model as `pytest --model` does.

    (points, the reason's first line as the results' message has it, the training); TensorFlow is
    imported in this process only to grade a model. As grade_adversary(), none of its processes may be left.
    """
    marker = mark_processes(monkeypatch, env)
    spec = TrainingSpec(memory_limit_bytes=MEMORY_LIMIT_BYTES, threads=threads,
                        sandbox=isolation.choose(sandbox, float(MEMORY_SCALE)))
    training = runner.train(solution, tmp_path / "grade", budget, spec)
    assert limits.processes_with("TFEXAM_CORPUS_RUN", marker) == [], "left running after the training ended"
    if not training.ok:
        return 0, training.reason.splitlines()[0], training
    graded = tfexam.grade(str(training.model_path), "x-plus-6")
    return graded.points, graded.message, training


@pytest.mark.parametrize("fixture, workers", [
    *[pytest.param(fixture, [], id=f"{fixture}-serial") for fixture in END_TO_END],
    *[pytest.param(fixture, ["-n", "2"], id=f"{fixture}-two-workers") for fixture in ALSO_ON_TWO_WORKERS]])
def test_one_adversary_of_each_kind_scores_zero_with_its_reason_in_time_leaving_nothing(tmp_path, fixture, workers):
    stopped_by_the_budget = KINDS["stopped on the clock"] + KINDS["stopped at its CPU budget"]
    time_scale = SHORT_TIME_SCALE if fixture in stopped_by_the_budget else TIME_SCALE
    budget = 60 * float(time_scale)
    run = grade_adversary(tmp_path, "assessments/basic", "--submission", str(ADVERSARIAL / fixture), *workers,
                          time_scale=time_scale)
    result = run.category("basic")
    assert result["points"] == 0, run.output[-3000:]
    assert reason(fixture, budget) in result["message"], result["message"]
    assert run.seconds < budget * runner.WALL_BACKSTOP + GRACE_SECONDS
    assert run.returncode == 1  # graded and failed, not crashed


@pytest.mark.parametrize("fixture", IN_PROCESS)
def test_the_others_in_process_score_zero_with_their_reason_in_time_leaving_nothing(tmp_path, monkeypatch, fixture):
    budget, threads = SHORT_BUDGETS.get(fixture, (BUDGET_SECONDS, 1))
    points, message, training = grade_in_process(tmp_path, monkeypatch, ADVERSARIAL / fixture, budget, threads)
    assert points == 0 and reason(fixture, budget) in message, message
    # Stopped at its limit: the clock's counts only its waiting (its import computed), the others all of it
    counted = training.waiting_seconds if fixture in KINDS["stopped on the clock"] else training.wall_seconds
    assert counted < budget * runner.WALL_BACKSTOP + KILL_GRACE_SECONDS


def test_a_corrupt_saved_model_scores_zero_with_its_reason(tmp_path):
    run = grade_adversary(tmp_path, "assessments/basic", "--model", str(FIXTURE_MODELS / "corrupt.keras"))
    assert (run.category("basic")["points"], run.returncode) == (0, 1)
    assert "corrupt.keras is not a readable Keras model file" in run.category("basic")["message"]


def test_five_adversaries_at_once_on_two_workers_cost_each_its_own_category_only(tmp_path):
    """Every category misbehaves differently; the run finishes, and every result is written."""
    project = tmp_path / "project"
    subprocess.run([sys.executable, "-m", "tfexam", "export-template", str(project)], cwd=ROOT, check=True,
                   env=clean_environment(), capture_output=True)
    cast = AT_ONCE_ON_TWO_WORKERS
    for category, (fixture, _) in cast.items():
        shutil.copyfile(ADVERSARIAL / fixture, project / "assessments" / category / "solution.py")
    classroom = tmp_path / "classroom.json"
    run = grade_adversary(tmp_path, "assessments", "-n", "2", "--classroom-json", str(classroom), cwd=project)
    assert run.results["total"] == 0 and set(run.results["categories"]) == set(cast), run.output[-3000:]
    for category, (_, reason) in cast.items():
        assert reason in run.category(category)["message"], (category, run.category(category)["message"])
    tests = json.loads(classroom.read_text())["tests"]
    assert len(tests) == 46 and {t["status"] for t in tests} <= {"fail", "pass"}  # 45 checks and the integrity one


def tampering_project(tmp_path):
    project = tmp_path / "project"
    subprocess.run([sys.executable, "-m", "tfexam", "export-template", str(project)], cwd=ROOT, check=True,
                   env=clean_environment(), capture_output=True)
    shutil.copyfile(ADVERSARIAL / "tampers_with_grading.py", project / "assessments/basic/solution.py")
    return project


@needs_namespaces
def test_in_namespaces_a_solution_cannot_rewrite_the_grader(tmp_path):
    project = tampering_project(tmp_path)
    before = (project / "tfexam/questions/basic.py").read_text()
    run = grade_adversary(tmp_path, "assessments/basic", "assessments/test_integrity.py", "--sandbox", "namespaces",
                          cwd=project)
    assert (project / "tfexam/questions/basic.py").read_text() == before
    assert "solution_model() raised OSError: [Errno 30] Read-only file system" in run.category("basic")["message"]


def test_without_namespaces_a_solution_that_rewrites_the_grader_does_not_change_its_grade_and_is_reported(tmp_path):
    project = tampering_project(tmp_path)
    run = grade_adversary(tmp_path, "assessments/basic", "assessments/test_integrity.py", "--sandbox", "process",
                          cwd=project)
    assert "truth = 0.0 * UNSEEN_X" in (project / "tfexam/questions/basic.py").read_text()  # it did rewrite it
    basic = run.category("basic")
    assert basic["points"] == 0 and basic["value"] > 1, basic  # graded against the real answers
    assert "changed: tfexam/questions/basic.py" in run.output


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two-workers"])
@needs_namespaces
def test_in_namespaces_a_solution_cannot_kill_its_grader(tmp_path, workers):
    classroom = tmp_path / "classroom.json"
    run = grade_adversary(tmp_path, "assessments/basic", *workers, "--sandbox", "namespaces", "--submission",
                          str(ADVERSARIAL / "kills_its_grader.py"), "--classroom-json", str(classroom))
    assert run.category("basic")["points"] == 0 and run.returncode == 1
    assert "solution_model() returned NoneType, not a Keras model" in run.category("basic")["message"]
    assert len(json.loads(classroom.read_text())["tests"]) == 9


def test_without_namespaces_a_solution_that_kills_its_xdist_worker_scores_zero_and_every_result_is_written(tmp_path):
    classroom = tmp_path / "classroom.json"
    run = grade_adversary(tmp_path, "assessments/basic", "-n", "2", "--sandbox", "process", "--submission",
                          str(ADVERSARIAL / "kills_its_grader.py"), "--classroom-json", str(classroom))
    basic = run.category("basic")
    assert basic["points"] == 0 and "the grading process died while this category trained" in basic["message"]
    tests = json.loads(classroom.read_text())["tests"]
    assert len(tests) == 9 and sum(t["score"] for t in tests) == 0

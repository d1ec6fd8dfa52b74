"""The pytest wiring: options, the question each category grades, the `graded` fixture, one
training per category, the score table.

Loaded by the project's conftest.py. A category's tests are kept on one xdist worker (the
xdist_group mark with --dist loadgroup), so the category trains once per run. Which question a
category grades is decided before collection, without running anything: --question, else the
question a stub names or a submission loads, else the category's default.
"""
import atexit
import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tfexam.questions import CATEGORIES, QUESTIONS, Question, is_default
from tfexam.questions.base import SOLUTIONS_VARIABLE, solutions_folder
from tfexam.questions.recognise import recognise
from tfexam.grading.grade import GRADER_DIED, CategoryGrade, Source
from tfexam.grading.models import MODEL_SUFFIXES
from tfexam.checks import status_of, title
from tfexam.results.exports import TestLedger, category_of, write_json
from tfexam.results import status
from tfexam.exam import hook as exam_hook  # inside a mock exam's workspace, a run's attempts are recorded
from tfexam.results.board import PROPERTY, ScoreBoard
from tfexam.sandbox import runner, spec
from tfexam.results import progress

TIMEOUT_GRACE_SECONDS = 300  # pytest-timeout is only a backstop above the training budget
BUDGET_SCALE_VARIABLE = "TFEXAM_TIME_BUDGET_SCALE"  # --time-budget-scale's default, e.g. for a slow CI runner
_grades = pytest.StashKey[dict]()
_work_root = pytest.StashKey[Path]()  # this process's own
_run_dir = pytest.StashKey[Path]()    # shared by the controller and its xdist workers
_spec = pytest.StashKey[spec.TrainingSpec]()  # how every category trains: resolved once from the options
_questions = pytest.StashKey[dict]()  # folder -> (Question, note): what each category grades
_grading = pytest.StashKey[bool]()  # this run grades categories (False: the plugin stays out of the way)
RUN_DIR_KEY = "tfexam_run_dir"


def _freeze_at_exit():
    # Python's last garbage collection at exit walks every object TensorFlow and Keras made, about
    # 1.5 s of a grading run; frozen objects are left out of it. Only at exit, when the process is ending.
    if "tensorflow" in sys.modules:
        gc.freeze()


atexit.register(_freeze_at_exit)


def pytest_addoption(parser):
    group = parser.getgroup("tfexam", "grading the TensorFlow Developer Certificate categories")
    group.addoption("--solutions", action="store_true",
                    help="grade the reference solutions in solutions/ instead of assessments/*/solution.py")
    group.addoption("--submission", metavar="PATH",
                    help="grade this Python file's solution_model() (one category)")
    group.addoption("--model", metavar="PATH",
                    help="grade a saved .keras or .h5 model without training (one category)")
    group.addoption("--time-budget-scale", metavar="F", type=float,
                    help=f"multiply every training budget by F (slower or faster machines); default from "
                         f"${BUDGET_SCALE_VARIABLE}, else 1")
    group.addoption("--retrain", action="store_true",
                    help="train even when an unchanged solution's trained model is in the cache "
                         "($TFEXAM_CACHE_DIR/models)")
    group.addoption("--question", metavar="ID",
                    help="grade against this question of the category's pool (python -m tfexam questions lists "
                         "them); default: the one the file names or loads, else the category's default")
    spec.add_options(group)  # the run settings a training follows: seed, limits, Keras, device, sandbox
    group.addoption("--results", metavar="PATH", help="write the scores as JSON to PATH")
    group.addoption("--classroom-json", metavar="PATH",
                    help="write the result for GitHub Classroom's autograding reporter to PATH")
    group.addoption("--gradescope-json", metavar="PATH", help="write Gradescope's results.json to PATH")
    group.addoption("--html-report", metavar="PATH",
                    help="write a self-contained HTML report (scores, training curves, hints) to PATH")


def pytest_configure(config):
    config.stash[_questions] = {}
    config.stash[_grading] = _is_grading(config)
    if not config.stash[_grading]:
        return  # installed with pip, the plugin loads into every pytest run: it acts only in grading runs
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _validate_options(config)
    _refuse_other_dist_modes(config)
    try:
        config.stash[_spec] = spec.from_options(config.option, runner.default_threads())
    except spec.SpecError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_grades] = {}
    config.stash[_work_root] = Path(tempfile.mkdtemp(prefix="tfexam-"))
    workerinput = getattr(config, "workerinput", None)
    config.stash[_run_dir] = Path(workerinput[RUN_DIR_KEY]) if workerinput else config.stash[_work_root]
    if workerinput is None:  # the controller, or a run without xdist
        config.pluginmanager.register(ScoreReporter(config), "tfexam-score")
        if config.option.html_report:
            import tfexam.results.html_report  # noqa: F401  now, before any solution runs and could rewrite it


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """On the controller: tell each xdist worker the folder the run's workers share."""
    if node.config.stash[_grading]:
        node.workerinput[RUN_DIR_KEY] = str(node.config.stash[_run_dir])


def _validate_options(config):
    opt = config.option
    given = [name for name, value in (("--solutions", opt.solutions), ("--submission", opt.submission),
                                      ("--model", opt.model)) if value]
    if len(given) > 1:
        raise pytest.UsageError(f"{' and '.join(given)} cannot be combined: choose what to grade")
    if opt.solutions and not solutions_folder().is_dir():
        raise pytest.UsageError(f"--solutions: no reference solutions at {solutions_folder()}: they are in the "
                                f"repository's solutions/, not in the pip package; grade them from a checkout, "
                                f"or set {SOLUTIONS_VARIABLE} to that folder")
    if opt.time_budget_scale is None:
        opt.time_budget_scale = _budget_scale_from_environment()
    if opt.time_budget_scale <= 0:
        raise pytest.UsageError("--time-budget-scale must be a positive number, e.g. 2 for a slower machine")
    if opt.function and opt.model:
        raise pytest.UsageError("--function and --model cannot be combined: a saved model is not trained")
    for option, path in (("--submission", opt.submission), ("--model", opt.model)):
        if path and not Path(path).is_file():
            raise pytest.UsageError(f"{option} {path}: no such file")
    if opt.submission and not opt.submission.endswith(".py"):
        raise pytest.UsageError(f"--submission {opt.submission}: expected a Python file defining solution_model()")
    if opt.model and not opt.model.endswith(MODEL_SUFFIXES):
        raise pytest.UsageError(f"--model {opt.model}: expected a .keras or .h5 file saved with model.save()")
    selected = _categories_selected(config)
    for option, value in (("--submission", opt.submission), ("--model", opt.model), ("--question", opt.question)):
        if value and len(selected) > 1:
            raise pytest.UsageError(f"{option} grades one category, but {len(selected)} were selected "
                                    f"({', '.join(sorted(selected))}): name its folder, e.g. "
                                    f"pytest assessments/timeseries {option} "
                                    f"{'ID' if option == '--question' else 'PATH'}")
    if opt.question:
        _check_question(opt.question, selected, config)
    elif opt.submission:
        written_for = recognise(Path(opt.submission))
        if written_for and selected and written_for.slot.folder not in selected:
            raise pytest.UsageError(
                f"this file is written for {written_for.id}, category {written_for.slot.number}: "
                f"pytest assessments/{written_for.slot.folder} --submission {opt.submission}")


def _is_grading(config) -> bool:
    """True when the command line selects a category's folder, or asks for what only grading does."""
    opt = config.option
    asked = opt.solutions or opt.submission or opt.model or opt.question or opt.results or opt.classroom_json \
        or opt.gradescope_json or opt.html_report
    return bool(asked or _categories_selected(config))


def _refuse_other_dist_modes(config) -> None:
    """On the controller of a grading run, before any training: only loadgroup keeps a category on one
    worker; another mode would train it on two, and the second would take the first for a dead grader."""
    if getattr(config, "workerinput", None) is None and _categories_selected(config):
        problem = dist_mode_problem(getattr(config.option, "dist", "no"), getattr(config.option, "tx", None))
        if problem:
            raise pytest.UsageError(problem)


def dist_mode_problem(dist: str, workers: list | None) -> str | None:
    """What is wrong with xdist's dist mode for grading (its options after xdist resolved -n), or None."""
    if not workers or dist in ("loadgroup", "no"):  # no workers (-n 0, or no -n): nothing is distributed
        return None
    return (f"tfexam grades each category on one xdist worker and needs --dist loadgroup (got --dist {dist}): "
            "leave out --dist, or pass --dist loadgroup")


def _budget_scale_from_environment() -> float:
    value = os.environ.get(BUDGET_SCALE_VARIABLE, "1")
    try:
        scale = float(value)
    except ValueError:
        scale = 0.0
    if not scale > 0:
        raise pytest.UsageError(f"{BUDGET_SCALE_VARIABLE}={value}: give a positive number, e.g. 2 for a slower "
                                "machine, or unset it")
    return scale


def _check_question(question_id: str, selected: set[str], config) -> None:
    question = QUESTIONS.get(question_id)
    if question is None:
        raise pytest.UsageError(f"--question {question_id}: no such question; `python -m tfexam questions` "
                                f"lists them ({', '.join(QUESTIONS)})")
    if selected and question.slot.folder not in selected:
        raise pytest.UsageError(f"--question {question_id} is a category {question.slot.number} question: "
                                f"pytest assessments/{question.slot.folder} --question {question_id}")
    if config.option.solutions and not question.reference.is_file():
        raise pytest.UsageError(f"--question {question_id} has no reference solution in solutions/")


def question_for(config, folder: str) -> tuple[Question, str]:
    """The question category `folder` grades in this run, and a note when it was assumed."""
    known = config.stash[_questions]
    if folder not in known:
        known[folder] = _choose_question(config, folder)
    return known[folder]


def _choose_question(config, folder: str) -> tuple[Question, str]:
    opt, default = config.option, CATEGORIES[folder]
    if opt.question:
        return QUESTIONS[opt.question], ""
    if opt.model or opt.solutions:
        return default, ""
    path = Path(opt.submission) if opt.submission else config.rootpath / "assessments" / folder / "solution.py"
    written_for = recognise(path)
    if written_for and written_for.slot.folder == folder:
        return written_for, ""
    if not opt.submission:
        return default, ""
    return default, (f"no question recognised in {path.name} (it loads no dataset a question of category "
                     f"{default.slot.number} uses): graded as {default.id}, the category's default; choose "
                     f"another with --question ID (python -m tfexam questions lists them)")


def _categories_selected(config) -> set[str]:
    """The categories whose folders (those that exist) the command line's paths name or contain."""
    folders = {name: config.rootpath / "assessments" / name for name in CATEGORIES
               if (config.rootpath / "assessments" / name).is_dir()}
    selected = set()
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        selected |= {name for name, folder in folders.items()
                     if folder.is_relative_to(path) or path.is_relative_to(folder)}
    return selected


def pytest_report_header(config):
    if not config.stash[_grading]:
        return []
    opt = config.option
    return [f"tfexam: keras {opt.keras}, training budgets x{opt.time_budget_scale:g}, "
            f"memory limits x{opt.memory_limit_scale:g}, seed {opt.seed}",
            f"tfexam {config.stash[_spec].sandbox.describe()}", f"tfexam {config.stash[_spec].device.describe()}"]


def _question_of(node) -> Question | None:
    """The question graded by a test module that names its category (CATEGORY = "..."), else None."""
    if not node.config.stash[_grading]:
        return None
    folder = getattr(getattr(node, "module", None), "CATEGORY", None)
    return question_for(node.config, folder)[0] if folder in CATEGORIES else None


def pytest_generate_tests(metafunc):
    question = _question_of(metafunc)
    if question and "threshold" in metafunc.fixturenames:
        ladder = question.ladder
        metafunc.parametrize("threshold", ladder.thresholds, ids=[ladder.label(t) for t in ladder.thresholds])


@pytest.hookimpl(tryfirst=True)  # before xdist turns xdist_group marks into scheduling groups
def pytest_collection_modifyitems(config, items):
    scale = config.option.time_budget_scale
    trainings = 2 if config.option.keras == "auto" else 1  # auto may train again on Keras 2
    for item in items:
        question = _question_of(item)
        if question:
            item.add_marker(pytest.mark.xdist_group(question.slot.folder))
            backstop = runner.Budget(question.budget_seconds * scale, 1).longest_seconds()  # the most a training lasts
            item.add_marker(pytest.mark.timeout(backstop * trainings + TIMEOUT_GRACE_SECONDS))


def _source(config, question: Question) -> Source:
    opt, folder = config.option, question.slot.folder
    if opt.model:
        return Source(Path(opt.model).resolve(), True, f"--model {opt.model}")
    if opt.submission:
        return Source(Path(opt.submission).resolve(), False, f"--submission {opt.submission}")
    if opt.solutions:
        return Source(question.reference, False, os.path.relpath(question.reference, config.rootpath))
    path = config.rootpath / "assessments" / folder / "solution.py"
    return Source(path, False, os.path.relpath(path, config.rootpath))


@pytest.fixture
def graded(request) -> CategoryGrade:
    """The grade of this test module's category, trained once per run and shared by its checks."""
    config = request.config
    question = _question_of(request.node)
    if question is None:
        pytest.fail("the graded fixture grades a category's test module (one that sets CATEGORY)", pytrace=False)
    folder, grades = question.slot.folder, config.stash[_grades]
    if folder not in grades:
        grades[folder] = CategoryGrade(
            question, _source(config, question), config.stash[_work_root] / folder,
            question.budget_seconds * config.option.time_budget_scale, config.stash[_spec],
            question_note=question_for(config, folder)[1], reuse_cached=not config.option.retrain,
            training_marker=config.stash[_run_dir] / f"{folder}.training",
            progress=progress.for_terminal(config, f"{folder} ({question.id})"))
    return grades[folder]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    question = _question_of(item)
    grade = item.config.stash[_grades].get(question.slot.folder) if question else None
    if grade is not None and (call.when == "call" or report.outcome != "passed"):
        report.user_properties.append((PROPERTY, _summary(item, call, grade)))
    return report


def _summary(item, call, grade: CategoryGrade) -> dict:
    question, scored = grade.question, grade.scored_if_done
    message = ""
    if call.excinfo is not None:
        message = str(getattr(call.excinfo.value, "msg", None) or call.excinfo.value).splitlines()[0]
    return {
        "category": question.slot.folder,
        "check": item.name,
        "title": title(item.name),
        "status": status_of(call.when, call.excinfo.value if call.excinfo else None),
        "threshold": item.callspec.params.get("threshold") if hasattr(item, "callspec") else None,
        "message": message,
        "value": scored.value if scored else None,
        "details": scored.details if scored else {},
        "history": grade.history,
        "train_seconds": grade.train_seconds,
        "cached": grade.cached,
        "peak_memory_gib": grade.peak_memory_gib,
        "grade_seconds": round(grade.grade_seconds, 3),
        "first_failure": grade.first_failure,
        "worker": getattr(item.config, "workerinput", {}).get("workerid", "main"),
        "training_runs": grade.training_runs,
        "keras": grade.keras_version,
        "keras_note": grade.keras_note,
        "device": grade.trained_on,
        **_budget_fields(grade.budget_stop),
        "about": _about(question, grade.source.label, grade.budget_seconds, grade.question_note),
    }


def _budget_fields(stop: runner.BudgetStop | None) -> dict:
    """The results' account of a fit() the budget stopped (None where it did not)."""
    if stop is None:
        return {"stopped_by_budget": False, "epochs_completed": None, "epochs_planned": None, "budget_note": ""}
    return {"stopped_by_budget": True, "epochs_completed": stop.epochs_completed, "epochs_planned": stop.epochs,
            "budget_note": stop.note}


def _about(question: Question, source_label: str, budget_seconds: float, question_note: str = "") -> dict:
    """What a category's result says of the question it graded."""
    return {"number": question.slot.number, "category": question.slot.folder, "title": question.title,
            "question": question.id, "default_question": is_default(question), "question_note": question_note,
            "source": source_label, "metric": question.ladder.metric,
            "higher_is_better": question.ladder.higher_is_better,
            "thresholds": list(question.ladder.thresholds), "budget_seconds": budget_seconds}


def _crash_summary(config, folder: str, nodeid: str) -> dict:
    """For a check whose worker died before it reported: 0, with the reason."""
    question, note = question_for(config, folder)
    source = _source(config, question)
    check = nodeid.split("::")[-1].split("@")[0]
    return {"category": folder, "check": check, "title": title(check), "status": status.ERROR, "threshold": None,
            "message": GRADER_DIED, "value": None, "details": {}, "history": None, "train_seconds": None,
            "cached": False, "peak_memory_gib": None, "grade_seconds": 0.0, "first_failure": GRADER_DIED,
            "worker": "crashed", "training_runs": 1, "keras": None, "keras_note": "",
            "about": _about(question, source.label, question.budget_seconds * config.option.time_budget_scale, note)}


class ScoreReporter:
    """On the controller: gathers every report into the scoreboard and the test ledger, prints
    the score table, writes the JSON files asked for."""

    def __init__(self, config):
        self.config = config
        self.board = ScoreBoard()
        self.ledger = TestLedger()
        self.started = time.monotonic()
        self.exam_notes: list[str] = []

    def pytest_collection_finish(self, session):
        self.ledger.collected(item.nodeid for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self.ledger.collected(ids)

    def pytest_runtest_logreport(self, report):
        folder = category_of(report.nodeid)
        if folder in CATEGORIES and report.failed and PROPERTY not in dict(report.user_properties):
            report.user_properties.append((PROPERTY, _crash_summary(self.config, folder, report.nodeid)))
        self.board.add(report)
        summary = dict(report.user_properties).get(PROPERTY, {})
        self.ledger.add(report, summary.get("message") or _first_line(report),
                        summary.get("about", {}).get("question", ""), summary.get("status"))

    def pytest_terminal_summary(self, terminalreporter):
        if self.board.results:
            terminalreporter.write_sep("=", "tfexam score")
            for line in self.board.table():
                terminalreporter.write_line(line)
        for line in self.exam_notes:
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self):
        option = self.config.option
        if option.results:
            write_json(Path(option.results), self.board.as_json())
        if option.classroom_json:
            write_json(Path(option.classroom_json), self.ledger.classroom())
        if option.gradescope_json:
            write_json(Path(option.gradescope_json), self.ledger.gradescope(time.monotonic() - self.started))
        if option.html_report:
            from tfexam.results import html_report  # imported at configure: matplotlib only when asked for
            html_report.write(self.board, Path(option.html_report))
        self.exam_notes = exam_hook.record_run(self.config.rootpath, self.board.as_json())


def _first_line(report) -> str:
    """A short reason for a report tfexam did not annotate (e.g. a worker that crashed)."""
    if report.passed:
        return ""
    return next((line.strip() for line in report.longreprtext.splitlines() if line.strip()), report.outcome)


def pytest_unconfigure(config):
    work_root = config.stash.get(_work_root, None)  # unset after a usage error
    if work_root:
        shutil.rmtree(work_root, ignore_errors=True)

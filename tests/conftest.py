"""Helpers for the harness's own tests: run the grader as a user would, read its JSON."""
import importlib.util
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tfexam.results import record
from tfexam.sandbox import isolation

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
FIXTURE_MODELS = ROOT / "fixtures" / "models"
FIXTURE_SOLUTIONS = ROOT / "fixtures" / "solutions"
ADVERSARIAL = ROOT / "fixtures" / "adversarial"  # the corpus of solutions that misbehave


# The tiers, by folder: the folder a test sits in is its marker, and every tier but unit is also `slow`
# (the fast tier of old, -m "not slow", is the unit tier).
TIERS = {
    "unit": "no TensorFlow start, no grader run, no training: the fast tier",
    "integration": "grader runs and trainings that test what the grader does",
    "calibration": "each question's reference at its budget, untrained and constant models (docs/maintainers)",
    "platforms": "where tfexam runs: the pip package, a notebook, the student template, Classroom 50, Gradescope",
}


def pytest_configure(config):
    for tier, what in TIERS.items():
        config.addinivalue_line("markers", f"{tier}: {what} (tests/{tier}/)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = _tier_of(Path(str(item.path)))
        item.add_marker(tier)
        if tier != "unit":
            item.add_marker("slow")


def _tier_of(path: Path) -> str:
    folder = path.resolve().relative_to(TESTS).parts[0]
    if folder not in TIERS:
        raise pytest.UsageError(f"{path} is in no tier: a test belongs in one of tests/{{{','.join(TIERS)}}}/")
    return folder


@dataclass
class GraderRun:
    returncode: int
    output: str
    results: dict
    seconds: float
    directory: Path  # where the run's result files were written

    def category(self, name: str) -> dict:
        return self.results["categories"][name]


# The budgets are calibrated for one exam on an idle machine (benchmarks/calibrate.py, docs/maintainers/calibration.md's
# table). The harness is not idle: two workers, each of which may grade with -n 2, put up to four
# trainings on two cores. Its runs test what is graded, not how fast, so their budgets stretch to
# match; a test of the budget itself passes --time-budget-scale, which overrides this.
HARNESS_TIME_BUDGET_SCALE = "4"


def clean_environment() -> dict:
    """The environment a user's shell would give: none of the outer pytest's worker variables."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTEST_XDIST"))}
    environment.setdefault("TFEXAM_TIME_BUDGET_SCALE", HARNESS_TIME_BUDGET_SCALE)
    return environment


def run_grader(results_dir: Path, *args: str, env: dict | None = None, cwd: Path = ROOT,
               retrain: bool = True) -> GraderRun:
    """Run `pytest ARGS --results FILE` from the project root (or cwd), as a user would.

    A test of what a training does retrains (--retrain, the default), whatever an earlier run cached;
    a test that needs a trained model, not a training, passes retrain=False and shares the grader's
    cache: in CI, the models the set-up command trained.
    """
    results = results_dir / f"results-{time.monotonic_ns()}.json"
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", *args, *(["--retrain"] if retrain else []), "--results", str(results)]
    process = subprocess.run(command, cwd=cwd, env=dict(clean_environment(), **(env or {})), capture_output=True,
                             text=True, timeout=1800)
    seconds = time.monotonic() - started
    data = record.read(results) if results.exists() else {}  # checked against the results schema
    return GraderRun(process.returncode, process.stdout + process.stderr, data, seconds, results_dir)


# Tests of what only namespaces enforce; a skip says why where this machine cannot make them
needs_namespaces = pytest.mark.skipif(bool(isolation.namespaces_problem()),
                                      reason=f"no namespaces here: {isolation.namespaces_problem()}")
SANDBOXES = ["process", pytest.param("namespaces", marks=needs_namespaces)]


def mark_processes(monkeypatch, env: dict | None = None) -> str:
    """A marker in the environment of every process a training starts, passed through the allow-list
    with the variables in `env`."""
    marker = uuid.uuid4().hex
    passed = {"TFEXAM_CORPUS_RUN": marker, **(env or {})}
    for name, value in passed.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(isolation.PASS_ENV_VARIABLE, ",".join(passed))
    return marker


def running(pid: int) -> bool:
    """True for a live process; a killed one not yet reaped by init is a zombie ('Z')."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


# Tests that share the whole exam's run stay on one xdist worker, so it is graded once.
USES_WHOLE_EXAM = pytest.mark.xdist_group("whole-exam")


@pytest.fixture(scope="session")
def whole_exam(tmp_path_factory) -> GraderRun:
    """The reference solutions of all five categories, graded on two workers, with an HTML report.

    From the grader's cache where it has them: in CI, the set-up command (the README's first) has
    just trained these same solutions. The tests that use it report how many came from there.
    """
    directory = tmp_path_factory.mktemp("exam")
    return run_grader(directory, "assessments", "--solutions", "-n", "2",
                      "--html-report", str(directory / "report.html"), retrain=False)


def report_cached_categories(record_property, run: GraderRun) -> None:
    """Say, in the terminal summary, which categories of `run` were graded from the cache."""
    cached = sorted(name for name, result in run.results["categories"].items() if result["cached"])
    record_property(CACHED_PROPERTY, f"{len(cached)} of {len(run.results['categories'])} categories "
                                     f"from the cache ({', '.join(cached) or 'none'}), not trained again")


CACHED_PROPERTY = "tfexam_cached_categories"


def pytest_terminal_summary(terminalreporter):
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for name, value in getattr(report, "user_properties", ()):
            if name == CACHED_PROPERTY and report.when == "call":
                terminalreporter.write_line(f"{report.nodeid}: {value}")


@pytest.fixture
def grade(tmp_path):
    """grade(*pytest_args) runs the grader and returns its exit code, output and JSON results."""
    return lambda *args: run_grader(tmp_path, *args)


LAYOUT_SCRIPTS = ("make_rps_layout.py", "make_image_folder_layouts.py", "make_imdb_layout.py",
                  "make_cats_vs_dogs_layout.py", "make_inception_weights.py")


@pytest.fixture(scope="session")
def layout_copies(tmp_path_factory) -> dict:
    """The environment that grades the questions whose data the shared mirror lacks (rock-paper-scissors,
    the zips of class folders, IMDB's and Kaggle's cats and dogs archives, InceptionV3's weights) on the
    small copies of their layout, or stand-ins, that fixtures/ generates."""
    folder = tmp_path_factory.mktemp("layout-copies")
    for script in LAYOUT_SCRIPTS:
        subprocess.run([sys.executable, str(ROOT / "fixtures" / script), str(folder)], check=True,
                       capture_output=True, timeout=300)
    mirrors = os.pathsep.join([str(folder), os.environ.get("TFEXAM_DATA_DIR", "")])
    return {"TFEXAM_DATA_DIR": mirrors, "TFEXAM_ACCEPT_LAYOUT_COPIES": "1"}


def fixture_script(name: str):
    """A script of fixtures/ (make_rps_layout.py, ...), imported as a module."""
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), ROOT / "fixtures" / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """An empty mirror folder and cache of this test's own, where the tests' layout copies do not count."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("TFEXAM_DATA_DIR", str(folder))
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TFEXAM_ACCEPT_LAYOUT_COPIES", raising=False)
    return folder


def needs_layout_copy(question) -> bool:
    from tfexam.data.registry import FILES
    return any(FILES[name].layout_copy_sha256 for name in question.data_files)


@pytest.fixture
def grade_question(request, tmp_path):
    """grade_question(id, *pytest_args): grade in its category, on a layout copy where the mirror lacks its data."""
    from tfexam.questions import QUESTIONS

    def grade(question: str, *args: str):
        env = request.getfixturevalue("layout_copies") if needs_layout_copy(QUESTIONS[question]) else None
        return run_grader(tmp_path, f"assessments/{QUESTIONS[question].slot.folder}", *args, env=env)
    return grade


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's headless Chromium, driven by Selenium, logging the page's console."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not found: the browser tests need Debian's chromium and "
                    "chromium-driver; install them with `bash tests/install-browser.sh`", pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield driver
    driver.quit()

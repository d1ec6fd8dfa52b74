"""tfexam as pip installs it: a fresh virtual environment, the package built from the checkout.

The environment reaches the harness's own site-packages through a .pth file, so TensorFlow and the
other dependencies are not downloaded again (`pip check` then proves the calibrated pins satisfy
the package's declared ranges); the package itself is built and installed for real, with its
entry points and package data.
"""
import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT, clean_environment
from tfexam.questions import QUESTIONS

pytestmark = pytest.mark.xdist_group("packaging")  # one worker builds the module's environments once


def _run(*command, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    process = subprocess.run([str(part) for part in command], cwd=cwd, env=clean_environment(),
                             capture_output=True, text=True, timeout=timeout)
    assert process.returncode == 0, f"{command}: {process.stdout[-3000:]}{process.stderr[-3000:]}"
    return process


def _checkout_copy(destination: Path) -> Path:
    """The checkout's files as a clone has them (building in place would leave build/ behind)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split("\n")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def _install(package: str, venv: Path, *, editable: bool = False) -> Path:
    """pip install `package` (-e: editable) into a fresh virtual environment at `venv`; return its bin folder."""
    _run(getattr(sys, "_base_executable", sys.executable), "-m", "venv", venv, cwd=venv.parent)
    site_packages = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site_packages / "zz-harness-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         *(["--editable"] if editable else []), package, cwd=venv.parent)
    return venv / "bin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with tfexam pip-installed from (a copy of) the checkout."""
    root = tmp_path_factory.mktemp("packaging")
    return _install(str(_checkout_copy(root / "checkout")), root / "venv")


def test_the_package_installs_its_command_and_data_but_no_reference_solution(installed):
    files = _run(installed / "python", "-m", "pip", "show", "-f", "tfexam", cwd=installed).stdout
    assert "tfexam/questions/stubs/x-plus-6.py" in files and "tfexam/template/files/tfexam.yml" in files
    assert "tfexam/pins.txt" in files
    assert "solutions/" not in files and "fixtures/" not in files
    assert "No broken requirements" in _run(installed / "python", "-m", "pip", "check", cwd=installed).stdout


def test_the_tfexam_command_lists_the_pool_from_anywhere(installed, tmp_path):
    listed = json.loads(_run(installed / "tfexam", "questions", "--json", cwd=tmp_path).stdout)
    assert [question["id"] for question in listed] == list(QUESTIONS)


def test_a_template_exported_by_the_installed_package_grades(installed, tmp_path):
    _run(installed / "tfexam", "export-template", "class", cwd=tmp_path)
    template = tmp_path / "class"
    shutil.copyfile(ROOT / "solutions" / "x-plus-6.py", template / "assessments" / "basic" / "solution.py")
    results = tmp_path / "results.json"
    run = _run(installed / "python", "-m", "pytest", "assessments/basic", "--results", results, cwd=template,
               timeout=900)
    assert "plugins: tfexam-" in run.stdout  # registered by the entry point, and once (no ValueError)
    assert json.loads(results.read_text())["categories"]["basic"]["points"] == 5


def test_the_checkout_with_the_package_installed_registers_the_plugin_once(installed):
    run = _run(installed / "python", "-m", "pytest", "--collect-only", "-q", "assessments/basic", cwd=ROOT)
    assert "9 tests collected" in run.stdout


def test_the_installed_command_refuses_solutions_it_does_not_have(installed, tmp_path):
    _run(installed / "tfexam", "export-template", "class", cwd=tmp_path)
    process = subprocess.run([installed / "python", "-m", "pytest", "assessments/basic", "--solutions"],
                             cwd=tmp_path / "class", env=clean_environment(), capture_output=True, text=True,
                             timeout=120)
    assert process.returncode == 4
    assert "not in the pip package" in process.stderr


def test_the_package_installs_from_a_git_url(tmp_path):
    """pip install git+URL: here a local repository holding the checkout's files."""
    repository = _checkout_copy(tmp_path / "repository")
    for command in (["git", "init", "-q"], ["git", "add", "-A"],
                    ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "copy"]):
        _run(*command, cwd=repository)
    bin_folder = _install(f"git+file://{repository}", tmp_path / "venv")
    assert "x-plus-6" in _run(bin_folder / "tfexam", "questions", cwd=tmp_path).stdout


def test_the_fast_tier_passes_with_tfexam_installed_editable(tmp_path):
    """The README's set-up for work on the grader: pip install -e . and the plugin comes from its entry point."""
    checkout = _checkout_copy(tmp_path / "checkout")
    bin_folder = _install(str(checkout), tmp_path / "venv", editable=True)
    run = subprocess.run([bin_folder / "python", "-m", "pytest", "tests/unit", "-n", "2", "-q"], cwd=checkout,
                         env=clean_environment(), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout and " failed" not in run.stdout, run.stdout[-3000:]
    registered = _run(bin_folder / "python", "-c", "import importlib.metadata as m, tfexam; "
                      "print([e.value for e in m.entry_points(group='pytest11')], tfexam.__file__)", cwd=tmp_path)
    assert "'tfexam.plugin'" in registered.stdout and str(checkout) in registered.stdout  # editable, with its plugin

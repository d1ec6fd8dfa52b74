"""The package's own consistency, without building it: what pip installs matches the checkout."""
import re
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement

from conftest import ROOT, clean_environment
from tfexam.questions import CATEGORIES
from tfexam.template import FILES, PINS, category_tests

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pins() -> dict[str, str]:
    lines = [line.strip() for line in PINS.read_text().splitlines()]
    return dict(line.split("==") for line in lines if line and not line.startswith("#"))


def test_every_calibrated_pin_is_inside_the_packages_declared_ranges():
    declared = [Requirement(text) for text in PYPROJECT["project"]["dependencies"]]
    declared += [Requirement(text) for extra in PYPROJECT["project"]["optional-dependencies"].values()
                 for text in extra]
    pins = {name.lower().replace("_", "-"): version for name, version in _pins().items()}
    for requirement in declared:
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is a dependency but tfexam/pins.txt does not pin it"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {requirement}"


def test_the_pytest_entry_point_is_named_after_its_module_so_the_checkout_does_not_register_it_twice():
    assert PYPROJECT["project"]["entry-points"]["pytest11"] == {"tfexam.plugin": "tfexam.plugin"}
    assert 'pytest_plugins = ["tfexam.plugin"]' in (ROOT / "conftest.py").read_text()


def test_the_files_read_at_run_time_are_package_data():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]
    needed = [*(ROOT / "tfexam/questions/stubs").glob("*.py"), *(p for p in FILES.iterdir() if p.is_file()), PINS]
    for path in needed:
        shipped = [pattern for package, globs in patterns.items() for pattern in globs
                   if path.is_relative_to(ROOT / package.replace(".", "/"))
                   and path.relative_to(ROOT / package.replace(".", "/")).match(pattern)]
        assert shipped, f"{path.relative_to(ROOT)} is read at run time but pyproject.toml does not ship it"


def test_the_checkouts_category_files_are_what_a_template_gets():
    """assessments/ in the checkout and in an exported template are made the same way."""
    assert (ROOT / "conftest.py").read_text() == (FILES / "conftest.py").read_text()
    for category, question in CATEGORIES.items():
        folder = ROOT / "assessments" / category
        assert (folder / f"test_{category}.py").read_text() == category_tests(category)
        assert (folder / "solution.py").read_bytes() == question.stub.read_bytes()


def test_in_a_pytest_run_that_grades_nothing_the_installed_plugin_stays_out_of_the_way(tmp_path):
    """Installed with pip, the plugin loads into every pytest run: it adds options and nothing else."""
    (tmp_path / "test_foreign.py").write_text('CATEGORY = "basic"\n\ndef test_foreign(threshold=1):\n    assert True\n')
    process = subprocess.run([sys.executable, "-m", "pytest", "-p", "tfexam.plugin", "-p", "no:cacheprovider"],
                             cwd=tmp_path, env=dict(clean_environment(), PYTHONPATH=str(ROOT)),
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "1 passed" in process.stdout
    assert not re.search(r"^tfexam", process.stdout, re.MULTILINE), process.stdout  # no header lines
    assert "tfexam score" not in process.stdout


@pytest.mark.parametrize("pinned", sorted(_pins()))
def test_each_pin_is_exact(pinned):
    assert re.fullmatch(r"\d+(\.\d+)*", _pins()[pinned]), f"{pinned} in tfexam/pins.txt is not an exact version"

"""The results file, `pytest --results PATH`: its schema, the one reader, and the one way to run the grader
for it.

The file is versioned (`"schema": "tfexam/results/v1"`) and described by a JSON Schema in the package
(schemas/results-v1.json, documented in docs/reference/results.md). Everything that reads a run's
results reads them through `read()`, which checks them against it: `tfexam summary`, Classroom 50's
autograder, the mock exam, the harness's own tests. A new field is added to the schema and the page.
"""
import functools
import json
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema

SCHEMA = "tfexam/results/v1"
SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "results-v1.json"


class NoResults(Exception):
    """The results file is missing, unreadable or not tfexam's; the message says why and what to do."""


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def problem(results) -> str | None:
    """Why `results` is not a valid results object (the first error and where it is), or None."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(results))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "the top level"
    return f"at {where}: {error.message}"


def read(path: Path) -> dict:
    """The results a run wrote to `path`, checked against the schema."""
    try:
        results = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise NoResults(f"{path} does not exist: the grading run stopped before writing it (read its log)") from None
    except (OSError, ValueError) as error:
        raise NoResults(f"{path} is not a results file of `pytest --results`: {error}") from None
    if isinstance(results, dict) and results.get("schema") != SCHEMA:
        raise NoResults(f"{path} is not a results file of this tfexam ({SCHEMA}): it says "
                        f"{results.get('schema') or 'no schema'}; grade again with this version's pytest --results")
    if (why := problem(results)) is not None:
        raise NoResults(f"{path} is not a valid results file of `pytest --results` ({SCHEMA}), {why}")
    return results


@dataclass(frozen=True)
class GraderRun:
    returncode: int
    output: str  # stdout and stderr, where captured
    results: dict | None  # None where the run wrote no valid results
    problem: str = ""  # why there are none
    interrupted: bool = False  # the time ran out, and pytest was interrupted


INTERRUPT_GRACE_SECONDS = 60  # for pytest to write what it graded after a Ctrl-C


def run_grader(arguments: list[str], results_file: Path, *, cwd: Path, env: dict | None = None,
               capture: bool = True, timeout: float | None = None) -> GraderRun:
    """Run `python -m pytest ARGUMENTS --results RESULTS_FILE` in `cwd` and read what it wrote.

    At `timeout` seconds pytest is interrupted (Ctrl-C), so it still writes what it graded.
    """
    command = [sys.executable, "-m", "pytest", *arguments, "--results", str(results_file)]
    process = subprocess.Popen(command, cwd=cwd, env=env, text=True, stdout=subprocess.PIPE if capture else None,
                               stderr=subprocess.STDOUT if capture else None)
    interrupted = False
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        interrupted = True
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=INTERRUPT_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    try:
        results, why = read(results_file), ""
    except NoResults as missing:
        results, why = None, str(missing)
    return GraderRun(process.returncode, output or "", results, why, interrupted)

"""Classroom 50 autograder for tfexam: CLASSROOM/autograders/ASSIGNMENT/autograder.py, beside requirements.txt.

Classroom 50 runs it in the student's checkout. The grader is yours, not the checkout's: this file
installs tfexam from this folder's requirements.txt into an environment of its own (once per job,
outside the checkout), and that tfexam grades the checkout's solution files in a fresh workspace,
writing ./result.json and ./release-body.md. Nothing else of the checkout is imported or run.
Exits 0 once they are written. See README.md in this folder.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# The categories this assignment grades: "" for all five, or folders or numbers, e.g. "images" or "1,2"
os.environ.setdefault("TFEXAM_CATEGORIES", "")
# namespaces: where the runner cannot make them, nothing is graded (0 of 0, the reason in the job's log),
# rather than solutions running as the runner's user, able to reach what the grader writes. "auto" falls
# back to the process sandbox instead, named on the result's "trainings in the namespaces sandbox" row.
os.environ.setdefault("TFEXAM_SANDBOX", "namespaces")

BUNDLE = Path(__file__).resolve().parent
GRADER_PYTHON = "TFEXAM_GRADER_PYTHON"  # a Python with the grader installed already (a Setup command's)


def grader_python() -> str:
    """The Python of the instructor's grader: $TFEXAM_GRADER_PYTHON, or a virtual environment made here."""
    if os.environ.get(GRADER_PYTHON):
        return os.environ[GRADER_PYTHON]
    environment = Path(os.environ.get("RUNNER_TEMP") or tempfile.gettempdir()) / "tfexam-grader"
    python = environment / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(environment)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(BUNDLE / "requirements.txt")],
                       check=True, cwd=BUNDLE)
    return str(python)


try:
    python = grader_python()
except (OSError, subprocess.CalledProcessError) as error:  # exits 1: Classroom 50 reports an infrastructure error
    sys.exit(f"tfexam autograder: cannot install the grader ({error}): check {BUNDLE / 'requirements.txt'}")

# On a GitHub-hosted runner, AppArmor keeps the namespaces sandbox off until the grader's unshare is granted
# user namespaces; then the runner's sudo is given up, before any student code runs. The results say
# which sandbox the trainings ran in, so a failure here only lowers the protection and is reported.
if os.environ.get("GITHUB_ACTIONS") == "true":
    if subprocess.call([python, "-m", "tfexam", "sandbox-setup", "--grant", "--give-up-sudo"], cwd=BUNDLE):
        print(f"tfexam autograder: the sandbox's set-up failed (above); grading goes on with "
              f"TFEXAM_SANDBOX={os.environ['TFEXAM_SANDBOX']}", flush=True)

# Run from this folder, not the checkout, so nothing of the checkout is on the grader's import path
sys.exit(subprocess.call([python, "-m", "tfexam.classes.classroom50", str(Path.cwd())], cwd=BUNDLE))

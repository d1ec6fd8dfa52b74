"""Classroom 50 autograder for tfexam: CLASSROOM/autograders/ASSIGNMENT/autograder.py.

Classroom 50 runs it in the student's checkout, after the assignment's Setup command has installed
the grader's requirements. It grades the categories below, writes ./result.json and
./release-body.md, and exits 0 once it has written them. See README.md in this folder.
"""
import os
import sys
from pathlib import Path

# The categories this assignment grades: "" for all five, or folders or numbers, e.g. "images" or "1,2"
os.environ.setdefault("TFEXAM_CATEGORIES", "")

# Only if your Setup command does not install the grader: install it here (it counts against the 15 minutes)
# import subprocess
# subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", "requirements.txt"], check=True)

sys.path.insert(0, str(Path.cwd()))  # the checkout holds tfexam; `python autograder.py` adds only this folder

try:
    from tfexam.classes.classroom50 import main
except ImportError as error:  # exits 1: Classroom 50 reports an infrastructure error, with this in the log
    sys.exit(f"tfexam autograder: cannot import the grader ({error}): the assignment's Setup command installs it: "
             "python3 -m pip install -r requirements.txt")

sys.exit(main())

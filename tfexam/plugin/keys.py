"""What one pytest run keeps in its config's stash, shared by the plugin's modules."""
from pathlib import Path

import pytest

from tfexam.sandbox import spec

GRADES = pytest.StashKey[dict]()  # folder -> its CategoryGrade, in this process
WORK_ROOT = pytest.StashKey[Path]()  # this process's own temporary folder
RUN_DIR = pytest.StashKey[Path]()  # shared by the controller and its xdist workers
SPEC = pytest.StashKey[spec.TrainingSpec]()  # how every category trains: resolved once from the options
QUESTIONS = pytest.StashKey[dict]()  # folder -> (Question, note): what each category grades
GRADING = pytest.StashKey[bool]()  # this run grades categories (False: the plugin stays out of the way)
RUN_DIR_KEY = "tfexam_run_dir"  # the run folder's name in an xdist worker's workerinput

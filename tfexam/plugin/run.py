"""A grading run's life: configured once (options checked, the TrainingSpec resolved, folders made),
its header, and its folders removed at the end. Outside a grading run the plugin only adds its options."""
import atexit
import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tfexam.plugin import keys, options
from tfexam.plugin.collection import ScoreReporter
from tfexam.sandbox import runner, spec


def _freeze_at_exit():
    # Python's last garbage collection at exit walks every object TensorFlow and Keras made, about
    # 1.5 s of a grading run; frozen objects are left out of it. Only at exit, when the process is ending.
    if "tensorflow" in sys.modules:
        gc.freeze()


atexit.register(_freeze_at_exit)


def pytest_configure(config):
    config.stash[keys.QUESTIONS] = {}
    config.stash[keys.GRADING] = options.is_grading(config)
    if not config.stash[keys.GRADING]:
        return  # installed with pip, the plugin loads into every pytest run: it acts only in grading runs
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    options.validate(config)
    options.refuse_other_dist_modes(config)
    try:
        config.stash[keys.SPEC] = spec.from_options(config.option, runner.default_threads())
    except spec.SpecError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[keys.GRADES] = {}
    config.stash[keys.WORK_ROOT] = Path(tempfile.mkdtemp(prefix="tfexam-"))
    workerinput = getattr(config, "workerinput", None)
    config.stash[keys.RUN_DIR] = Path(workerinput[keys.RUN_DIR_KEY]) if workerinput else config.stash[keys.WORK_ROOT]
    if workerinput is None:  # the controller, or a run without xdist
        config.pluginmanager.register(ScoreReporter(config), "tfexam-score")
        if config.option.html_report:
            import tfexam.results.html_report  # noqa: F401  now, before any solution runs and could rewrite it


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """On the controller: tell each xdist worker the folder the run's workers share."""
    if node.config.stash[keys.GRADING]:
        node.workerinput[keys.RUN_DIR_KEY] = str(node.config.stash[keys.RUN_DIR])


def pytest_report_header(config):
    if not config.stash[keys.GRADING]:
        return []
    opt, run_spec = config.option, config.stash[keys.SPEC]
    return [f"tfexam: keras {opt.keras}, training budgets x{opt.time_budget_scale:g}, "
            f"memory limits x{opt.memory_limit_scale:g}, seed {opt.seed}",
            f"tfexam {run_spec.sandbox.describe()}", f"tfexam {run_spec.device.describe()}"]


def pytest_unconfigure(config):
    work_root = config.stash.get(keys.WORK_ROOT, None)  # unset after a usage error
    if work_root:
        shutil.rmtree(work_root, ignore_errors=True)

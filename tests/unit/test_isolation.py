"""What a training may see: the sandbox's choice, its plan of read-only paths, and process trees."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfexam.data import store, tfds_offline
from tfexam.sandbox import isolation, limits


def test_an_unknown_sandbox_is_refused_with_the_choices():
    with pytest.raises(isolation.SandboxUnavailable, match="choose one of auto, namespaces, process"):
        isolation.choose("docker")


def test_the_process_sandbox_lists_every_protection_it_lacks():
    line = isolation.choose("process").describe()
    assert line.startswith("sandbox: process only (as asked); OFF: network namespace")
    for protection in isolation.ENFORCED_BY_NAMESPACES:
        assert protection in line


def test_namespaces_refused_where_they_cannot_run_say_why_and_what_to_use(monkeypatch):
    monkeypatch.setattr(isolation, "namespaces_problem", lambda: "util-linux's unshare is not installed")
    with pytest.raises(isolation.SandboxUnavailable, match="unshare is not installed; use --sandbox process"):
        isolation.choose("namespaces")
    fallback = isolation.choose("auto")
    assert (fallback.mode, fallback.why_process) == ("process", "util-linux's unshare is not installed")


def test_the_environment_variable_chooses_the_default(monkeypatch):
    monkeypatch.setenv(isolation.SANDBOX_VARIABLE, "process")
    assert isolation.choose().mode == "process"


def test_local_modules_are_those_imported_from_the_solutions_folder(tmp_path):
    (tmp_path / "solution.py").write_text("import helper\nimport numpy\nfrom pkg.sub import x\n")
    (tmp_path / "helper.py").write_text("from deeper import y\n")
    (tmp_path / "deeper.py").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "other_student.py").write_text("SECRET = 1\n")
    found = isolation.local_modules(tmp_path / "solution.py")
    assert set(found) == {tmp_path / "helper.py", tmp_path / "deeper.py", tmp_path / "pkg"}


def make_plan(tmp_path, monkeypatch):
    monkeypatch.setenv(store.CACHE_DIR_VAR, str(tmp_path / "cache"))
    (tmp_path / "cache" / "tensorflow_datasets" / "mnist").mkdir(parents=True)
    (tmp_path / "cache" / "models").mkdir()
    solution = tmp_path / "class" / "alice.py"
    solution.parent.mkdir()
    solution.write_text("def solution_model(): pass\n")
    (tmp_path / "class" / "bob.py").write_text("")
    layout = isolation.inside_layout(tmp_path / "tfexam-train-x")
    instructions = isolation.plan(isolation.Sandbox("namespaces"), solution, layout, tmp_path / "root",
                                  tmp_path / "out", ["python"], {}, ["result.json"])
    return instructions, solution


def test_the_plan_shows_the_solution_python_and_data_and_hides_home_cache_and_other_files(tmp_path, monkeypatch):
    instructions, solution = make_plan(tmp_path, monkeypatch)
    visible = {target for _, target in instructions["read_only"]}
    assert str(solution) in visible and str(solution.parent / "bob.py") not in visible
    assert sys.base_prefix in visible and "/usr" in visible
    assert not {str(Path.home()), str(Path.home() / ".cache"), "/etc", "/etc/shadow", "/root", "/"} & visible
    assert not any(target.startswith(str(tmp_path / "cache" / "models")) for target in visible)
    assert not any((Path(target) / "solutions").is_dir() for target in visible if target != "/usr")


def test_prepared_tfds_datasets_are_read_only_inside_a_private_writable_cache(tmp_path, monkeypatch):
    instructions, _ = make_plan(tmp_path, monkeypatch)
    tfds_binds = [(s, t) for s, t in instructions["read_only"] if "tensorflow_datasets" in t]
    assert tfds_binds == [(str(tmp_path / "cache" / "tensorflow_datasets" / "mnist"),
                           "/tmp/tfexam-train-x/.tfexam-cache/tensorflow_datasets/mnist")]
    assert "/tmp/tfexam-train-x/.tfexam-cache/tensorflow_datasets" in instructions["writable"]


def test_a_cats_vs_dogs_prepared_under_another_held_out_rule_is_not_lent_to_a_training(tmp_path, monkeypatch):
    # The training would find it stale and could not prepare it again in a read-only folder: it prepares its own
    prepared = tmp_path / "cache" / "tensorflow_datasets" / "cats_vs_dogs" / "4.0.1"
    prepared.mkdir(parents=True)
    (prepared / tfds_offline.HELD_OUT_RULE_FILE).write_text("every 50th picture")
    instructions, _ = make_plan(tmp_path, monkeypatch)
    lent = [target for _, target in instructions["read_only"] if "tensorflow_datasets" in target]
    assert lent == ["/tmp/tfexam-train-x/.tfexam-cache/tensorflow_datasets/mnist"]
    (prepared / tfds_offline.HELD_OUT_RULE_FILE).write_text(tfds_offline.HELD_OUT["cats_vs_dogs"].rule)
    assert tfds_offline.lendable(prepared.parent)


def test_a_process_tree_includes_what_left_the_session_and_excludes_strangers():
    parent = subprocess.Popen([sys.executable, "-c", (
        "import subprocess, sys, time\n"
        "subprocess.Popen(['sleep', '30'], start_new_session=True)\n"
        "subprocess.Popen(['sleep', '30'])\n"
        "print('ready', flush=True); time.sleep(30)\n")], stdout=subprocess.PIPE, text=True,
        start_new_session=True)
    stranger = subprocess.Popen(["sleep", "30"])
    try:
        assert parent.stdout.readline() == "ready\n"
        tree = limits.training_processes(parent.pid).pids
        assert parent.pid in tree and stranger.pid not in tree and os.getpid() not in tree
        assert len(tree) == 3
    finally:
        for pid in limits.training_processes(parent.pid).pids:
            os.kill(pid, 9)
        stranger.kill()
        parent.wait()
        stranger.wait()


def test_the_cpu_time_of_a_tree_counts_live_processes_and_the_children_they_reaped():
    burn = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass\n"
    parent = subprocess.Popen([sys.executable, "-c", (
        f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {burn!r}])\n{burn}"
        "print('done', flush=True)\nsys.stdin.read()\n")], stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline() == "done\n"
        assert 1.0 <= limits.training_processes(parent.pid).cpu_seconds < 5
    finally:
        parent.kill()
        parent.wait()

"""What only the namespaces sandbox contains: the network past Python's gate, the grading user's
files and environment, writes outside the training's own folder. The stolen secrets are looked for
in everything the grader writes, so that escape is graded end to end, serially and on two workers;
the network and the writes are the training's, so those go through the training runner in the
test's process, as test_adversarial.py's others of a kind. A control shows the same file escaping
without namespaces, so that each test can fail.
"""
import os
import site
import socket
import threading
import uuid
from pathlib import Path

import pytest

import tfexam
from conftest import ADVERSARIAL, ROOT, needs_namespaces
from integration.test_adversarial import UNTRAINED, grade_adversary, grade_in_process

ESCAPE_TIME_SCALE = "2"  # these solutions must finish: TensorFlow's import and their attempts, on a loaded machine
ESCAPE_BUDGET_SECONDS = 60 * 2  # category 1's budget, so scaled: they end on their own, long before it
WORKERS = pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two-workers"])


class Listener:
    """A TCP listener on the grading machine's loopback that records whatever arrives."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.arrived: list[bytes] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:  # closed
                return
            with connection:
                connection.settimeout(5)
                try:
                    self.arrived.append(connection.recv(1024) or b"(connected)")
                except OSError:
                    self.arrived.append(b"(connected)")

    def close(self):
        self.server.close()
        self.thread.join(5)


def grade_escape(tmp_path, fixture, sandbox, workers=(), env=None, *extra):
    return grade_adversary(tmp_path, "assessments/basic", *workers, "--sandbox", sandbox, "--submission",
                           str(ADVERSARIAL / fixture), *extra, env=env, time_scale=ESCAPE_TIME_SCALE)


def reach_listener(tmp_path, monkeypatch, sandbox):
    listener = Listener()
    try:
        points, message, _ = grade_in_process(tmp_path, monkeypatch, ADVERSARIAL / "reaches_local_listener.py",
                                              ESCAPE_BUDGET_SECONDS, sandbox=sandbox,
                                              env={"TFEXAM_CORPUS_PORT": str(listener.port)})
    finally:
        listener.close()
    return points, message, listener.arrived


@needs_namespaces
def test_no_way_past_the_network_gate_reaches_the_grading_machine(tmp_path, monkeypatch):
    points, message, arrived = reach_listener(tmp_path, monkeypatch, "namespaces")
    assert arrived == []
    assert points == 0 and UNTRAINED in message  # it tried every way, and returned its model


def test_control_without_namespaces_a_child_process_reaches_the_grading_machine(tmp_path, monkeypatch):
    *_, arrived = reach_listener(tmp_path, monkeypatch, "process")
    assert b"interpreter" in arrived


def steal(tmp_path, sandbox, workers=()):
    """Grade reads_planted_files.py; the secrets it was after, and everything the run wrote or printed."""
    planted_text, environment_secret = f"planted-{uuid.uuid4().hex}", f"ghp_{uuid.uuid4().hex}"
    planted = Path.home() / f".tfexam-corpus-{uuid.uuid4().hex}"
    planted.write_text(planted_text)
    try:
        run = grade_escape(tmp_path, "reads_planted_files.py", sandbox, workers,
                           {"TFEXAM_CORPUS_SECRET_FILE": str(planted), "GITHUB_TOKEN": environment_secret},
                           "--html-report", str(tmp_path / "report.html"))
    finally:
        planted.unlink()
    written = "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    return run, (planted_text, environment_secret), run.output + written


@WORKERS
@needs_namespaces
def test_nothing_of_the_grading_users_files_or_environment_reaches_any_output(tmp_path, workers):
    run, secrets, everything = steal(tmp_path, "namespaces", workers)
    message = run.category("basic")["message"]
    assert run.category("basic")["points"] == 0 and "solution_model() raised ValueError: stolen:" in message
    assert "No such file or directory" in message  # it looked where the file is on the grading machine
    assert [secret for secret in secrets if secret in everything] == []


def test_control_without_namespaces_the_planted_file_is_read(tmp_path):
    _, (planted_text, _), everything = steal(tmp_path, "process")
    assert planted_text in everything


@needs_namespaces
def test_nothing_is_written_outside_the_training_sandbox(tmp_path, monkeypatch):
    name = f".tfexam-corpus-{uuid.uuid4().hex}"
    cache = Path(os.environ.get("TFEXAM_CACHE_DIR") or Path.home() / ".cache" / "tfexam")
    targets = [Path.home() / name, cache / "models" / name, ROOT / "solutions" / f"{name}.py",
               Path(site.getsitepackages()[0]) / f"{name}.pth"]
    points, message, _ = grade_in_process(tmp_path, monkeypatch, ADVERSARIAL / "writes_everywhere.py",
                                          ESCAPE_BUDGET_SECONDS, sandbox="namespaces",
                                          env={"TFEXAM_CORPUS_TARGETS": os.pathsep.join(map(str, targets))})
    assert points == 0 and UNTRAINED in message  # it tried every target, and returned its model
    its_own = [Path.home() / ".tfexam-corpus-was-here", Path(tfexam.__file__).parent / "corpus_was_here.py",
               *(Path(folder) / "corpus_was_here.pth" for folder in site.getsitepackages())]
    assert [str(path) for path in targets + its_own if path.exists()] == []

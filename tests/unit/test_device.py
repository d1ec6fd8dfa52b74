"""The fast tier: which device trains (--device), decided without TensorFlow from a folder of
device nodes, an environment and nvidia-smi, all given as parameters; and what it changes."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, clean_environment
from tfexam.grading.cache import TrainingKey
from tfexam.sandbox import device, isolation, runner
from tfexam.sandbox.device import Device, DeviceUnavailable, choose, probe
from tfexam.sandbox.spec import TrainingSpec


def nvidia_dev(tmp_path, *names):
    dev = tmp_path / "dev"
    dev.mkdir()
    for name in names:
        (dev / name).touch()
    return dev


def fake_nvidia_smi(tmp_path, output: str, exit_code: int = 0):
    script = tmp_path / "nvidia-smi"
    script.write_text(f"#!/bin/sh\ncat <<'EOF'\n{output}\nEOF\nexit {exit_code}\n")
    script.chmod(0o755)
    return str(script)


GPU_NODES = ("nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "null")


def test_cpu_hides_every_gpu_without_looking_for_one(tmp_path):
    chosen = choose("cpu", nvidia_dev(tmp_path, *GPU_NODES), environ={}, nvidia_smi=None, cuda_installed=True)
    assert (chosen.kind, chosen.nodes) == ("cpu", ())
    assert chosen.environment({}) == {"CUDA_VISIBLE_DEVICES": ""}


def test_auto_without_nvidia_nodes_trains_on_the_cpu_and_says_why(tmp_path):
    dev = nvidia_dev(tmp_path, "null", "zero")
    chosen = choose("auto", dev, environ={}, nvidia_smi=None, cuda_installed=True)
    assert chosen.kind == "cpu" and chosen.why == f"no NVIDIA GPU or driver, no {dev}/nvidia0"
    assert chosen.describe() == (f"device: cpu ({chosen.cores} core{'s' * (chosen.cores != 1)}; no NVIDIA GPU or "
                                 f"driver, no {dev}/nvidia0; budgets are calibrated for a 2-core CPU)")


def test_auto_with_nodes_and_cuda_takes_the_gpu_and_every_node_the_driver_opens(tmp_path):
    dev = nvidia_dev(tmp_path, *GPU_NODES)
    smi = fake_nvidia_smi(tmp_path, "GPU 0: NVIDIA GeForce RTX 3060 (UUID: GPU-1234)\n"
                                    "GPU 1: Tesla T4 (UUID: GPU-5678)")
    chosen = choose("auto", dev, environ={}, nvidia_smi=smi, cuda_installed=True)
    assert chosen.kind == "gpu" and chosen.gpus == ("NVIDIA GeForce RTX 3060", "Tesla T4")
    assert chosen.nodes == tuple(str(dev / n) for n in ("nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm",
                                                         "nvidia-uvm-tools"))
    assert chosen.describe() == ("device: gpu (NVIDIA GeForce RTX 3060, Tesla T4; budgets are calibrated for a "
                                 "2-core CPU and measured in CPU time, so a GPU has room to spare)")
    assert chosen.cache_name == "gpu:NVIDIA GeForce RTX 3060,Tesla T4"


def test_without_nvidia_smi_the_device_nodes_name_the_gpus(tmp_path):
    dev = nvidia_dev(tmp_path, "nvidia0", "nvidiactl")
    chosen = choose("gpu", dev, environ={}, nvidia_smi=None, cuda_installed=True)
    assert chosen.gpus == (f"NVIDIA GPU {dev}/nvidia0",)


def test_nvidia_smi_that_finds_no_gpu_means_none(tmp_path):
    smi = fake_nvidia_smi(tmp_path, "No devices were found", exit_code=6)
    found = probe(nvidia_dev(tmp_path, *GPU_NODES), environ={}, nvidia_smi=smi, cuda_installed=True)
    assert not found.found and found.why_none == "nvidia-smi lists no GPU (is the NVIDIA driver loaded?)"


@pytest.mark.parametrize("hidden", ["", "-1", " "])
def test_the_users_cuda_visible_devices_can_hide_every_gpu(tmp_path, hidden):
    chosen = choose("auto", nvidia_dev(tmp_path, *GPU_NODES), environ={"CUDA_VISIBLE_DEVICES": hidden},
                    nvidia_smi=None, cuda_installed=True)
    assert chosen.kind == "cpu" and chosen.why == f"CUDA_VISIBLE_DEVICES={hidden!r} hides every GPU"


def test_the_users_choice_of_gpus_reaches_the_training_with_memory_growth(tmp_path):
    environ = {"CUDA_VISIBLE_DEVICES": "1"}
    chosen = choose("gpu", nvidia_dev(tmp_path, *GPU_NODES), environ=environ, nvidia_smi=None, cuda_installed=True)
    assert chosen.environment(environ) == {"CUDA_VISIBLE_DEVICES": "1", "TF_FORCE_GPU_ALLOW_GROWTH": "true"}
    assert chosen.environment({}) == {"TF_FORCE_GPU_ALLOW_GROWTH": "true"}


def test_a_gpu_without_tensorflows_cuda_libraries_is_not_one_tensorflow_sees(tmp_path):
    dev = nvidia_dev(tmp_path, *GPU_NODES)
    assert choose("auto", dev, environ={}, nvidia_smi=None, cuda_installed=False).kind == "cpu"
    with pytest.raises(DeviceUnavailable) as refused:
        choose("gpu", dev, environ={}, nvidia_smi=None, cuda_installed=False)
    assert str(refused.value) == ("no GPU is visible to TensorFlow here (an NVIDIA GPU is there, but TensorFlow's "
                                  "CUDA libraries are not installed: pip install \"tensorflow[and-cuda]\"); "
                                  "use --device cpu or auto")


def test_gpu_where_there_is_none_is_refused_with_the_cause_and_the_fix(tmp_path):
    dev = nvidia_dev(tmp_path)
    with pytest.raises(DeviceUnavailable, match=rf"^no GPU is visible to TensorFlow here \(no NVIDIA GPU or driver, "
                                                rf"no {dev}/nvidia0\); use --device cpu or auto$"):
        choose("gpu", dev, environ={}, nvidia_smi=None, cuda_installed=True)


def test_the_environment_variable_is_the_default_and_a_wrong_value_is_named(tmp_path):
    dev = nvidia_dev(tmp_path, *GPU_NODES)
    assert choose("", dev, environ={"TFEXAM_DEVICE": "cpu"}, nvidia_smi=None, cuda_installed=True).kind == "cpu"
    assert choose("", dev, environ={}, nvidia_smi=None, cuda_installed=True).requested == "auto"
    with pytest.raises(DeviceUnavailable, match="unknown device 'tpu': choose one of auto, cpu, gpu"):
        choose("tpu", dev, environ={})


def test_a_gpu_trained_model_is_another_cache_entry():
    key = TrainingKey("basic", "abc", "x-plus-6", 60.0, TrainingSpec(memory_limit_bytes=1, threads=2))
    gpu_key = TrainingKey("basic", "abc", "x-plus-6", 60.0,
                          TrainingSpec(memory_limit_bytes=1, threads=2, device=Device("gpu", "auto", ("Tesla T4",))))
    assert key.digest() != gpu_key.digest()


def test_the_training_environment_hides_gpus_unless_the_gpu_was_chosen(tmp_path):
    layout = runner.process_layout(tmp_path)
    assert runner.child_environment(TrainingSpec(), layout)["CUDA_VISIBLE_DEVICES"] == ""
    gpu = runner.child_environment(TrainingSpec(device=Device("gpu", "gpu", ("Tesla T4",))), layout)
    assert "CUDA_VISIBLE_DEVICES" not in gpu or gpu["CUDA_VISIBLE_DEVICES"] == os.environ["CUDA_VISIBLE_DEVICES"]
    assert gpu["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"


def make_plan(tmp_path, gpu_nodes=()):
    solution = tmp_path / "solution.py"
    solution.write_text("def solution_model(): pass\n")
    layout = isolation.inside_layout(tmp_path / "tfexam-train-x")
    return isolation.plan(isolation.Sandbox("namespaces"), solution, layout, tmp_path / "root", tmp_path / "out",
                          ["python"], {}, ["result.json"], gpu_nodes)


def test_the_namespaces_sandbox_binds_the_nvidia_nodes_only_for_the_gpu(tmp_path):
    assert make_plan(tmp_path)["devices"] == []
    nodes = ("/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-uvm")
    assert make_plan(tmp_path, nodes)["devices"] == list(nodes)
    assert make_plan(tmp_path, ("/etc/shadow", "/dev/sda"))["devices"] == []  # NVIDIA's nodes, nothing else


def grader(*args, env=None):
    return subprocess.run([sys.executable, "-m", "pytest", "--co", "-p", "no:cacheprovider", "assessments/basic",
                           *args], cwd=ROOT, env=dict(clean_environment(), **(env or {})), capture_output=True,
                           text=True, timeout=120)


@pytest.mark.skipif(device.probe().found, reason="this machine has a GPU TensorFlow would use")
def test_asking_for_a_gpu_where_there_is_none_is_a_usage_error():
    run = grader("--device", "gpu")
    assert run.returncode == 4
    assert ("ERROR: --device gpu: no GPU is visible to TensorFlow here (no NVIDIA GPU or driver, no /dev/nvidia0); "
            "use --device cpu or auto") in run.stderr


def test_the_header_says_the_device_and_a_wrong_environment_value_is_named():
    run = grader(env={"TFEXAM_DEVICE": "cpu"})
    cores = len(os.sched_getaffinity(0))
    assert (f"tfexam device: cpu ({cores} core{'s' * (cores != 1)}; budgets are calibrated for a 2-core CPU)"
            in run.stdout), run.stdout
    refused = grader(env={"TFEXAM_DEVICE": "tpu"})
    assert refused.returncode == 4
    assert "ERROR: TFEXAM_DEVICE=tpu: unknown device 'tpu': choose one of auto, cpu, gpu" in refused.stderr

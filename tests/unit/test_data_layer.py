"""The data layer: mirror folders, the cache, verified downloads, locks, clear errors."""
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from tfexam.data import DataError, fetch, store
from tfexam.data.registry import DataFile, lookup

SUNSPOTS_SHA = "0ef4cf0379879a9be0043885d8de1c1907ae852c903a0fcbbc58ba813efb3f10"


SHARED_DIRS = store.mirror_dirs()  # read before any test points TFEXAM_DATA_DIR elsewhere


def shared_copy(name: str) -> Path:
    for folder in SHARED_DIRS:
        if (folder / name).is_file():
            return folder / name
    pytest.fail(f"the tests need {name} in TFEXAM_DATA_DIR (CI points it at ../shared/datasets)")


class Server:
    """A local HTTP server for download tests; it counts requests and can serve slowly."""

    def __init__(self, root: Path, delay: float = 0.0):
        self.requests = 0
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def do_GET(self):
                server.requests += 1
                time.sleep(delay)
                super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "web"
    root.mkdir()
    (root / "tiny.csv").write_bytes(b"x,y\n1,2\n" * 1000)
    server = Server(root, delay=0.5)
    yield server, DataFile("tiny.csv", (server.url + "tiny.csv",),
                           (hashlib.sha256((root / "tiny.csv").read_bytes()).hexdigest(),), "test")
    server.httpd.shutdown()


def test_a_file_is_found_by_name_or_by_any_of_its_urls():
    assert lookup("Sunspots.csv") is lookup(
        "https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv") is lookup(
        "http://storage.googleapis.com/learning-datasets/Sunspots.csv")
    assert lookup("https://example.com/Sunspots.csv") is None


@pytest.mark.parametrize("name, registered", [
    ("sunspots.csv", "Sunspots.csv"), ("sarcasm.json", "sarcasm.json"), ("bbc-text.csv", "bbc-text.csv"),
    ("horse-or-human.zip", "horse-or-human.zip"), ("validation-horse-or-human.zip", "validation-horse-or-human.zip"),
    ("rps.zip", "rps.zip")])
def test_the_dicoding_simulations_copies_are_the_registered_files(name, registered):
    for host in ("https://dicodingacademy.blob.core.windows.net/picodiploma/Simulation/machine_learning/",
                 "https://github.com/dicodingacademy/assets/raw/main/Simulation/machine_learning/",
                 "https://raw.githubusercontent.com/dicodingacademy/assets/main/Simulation/machine_learning/"):
        assert lookup(host + name) is lookup(registered) is not None
    assert lookup(registered).url.startswith("https://storage.googleapis.com/")  # fetched from the canonical URL


def test_dicodings_transfer_learning_question_takes_the_horses_zip_from_a_release_of_its_assets():
    url = "https://github.com/dicodingacademy/assets/releases/download/release-horse-or-human/horse-or-human.zip"
    assert lookup(url) is lookup("horse-or-human.zip") is not None


def test_dicodings_cats_and_dogs_is_the_courses_filtered_zip():
    url = "https://dicodingacademy.blob.core.windows.net/picodiploma/Simulation/machine_learning/cats_and_dogs.zip"
    assert lookup(url) is lookup("cats_and_dogs_filtered.zip") is not None
    assert lookup(url).url == "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"


def test_mirror_folders_are_a_path_list(mirror, tmp_path, monkeypatch):
    second = tmp_path / "second"
    second.mkdir()
    shutil.copy(shared_copy("Sunspots.csv"), second)
    monkeypatch.setenv("TFEXAM_DATA_DIR", f"{mirror}{os.pathsep}{second}")
    assert fetch("Sunspots.csv") == second / "Sunspots.csv"


def test_a_truncated_mirror_copy_is_refused_with_both_digests_and_the_fix(mirror):
    (mirror / "Sunspots.csv").write_bytes(shared_copy("Sunspots.csv").read_bytes()[:1000])
    with pytest.raises(DataError) as error:
        fetch("Sunspots.csv")
    message = str(error.value)
    found = hashlib.sha256((mirror / "Sunspots.csv").read_bytes()).hexdigest()
    assert f"its sha256 is {found}, expected {SUNSPOTS_SHA}" in message
    assert "delete it and fetch it again from https://storage.googleapis.com/" in message


def test_offline_and_not_mirrored_names_the_file_the_url_and_the_fix(mirror):
    entry = DataFile("gone.csv", ("http://127.0.0.1:9/gone.csv",), ("0" * 64,), "test")
    with pytest.raises(DataError) as error:
        store.provide(entry)
    message = str(error.value)
    assert "gone.csv is needed but no copy was found" in message
    assert "http://127.0.0.1:9/gone.csv" in message
    assert "put it in a folder named by TFEXAM_DATA_DIR" in message


def test_an_unknown_dataset_is_named(mirror):
    with pytest.raises(DataError, match="'imdb.npz' is not a dataset the grader knows"):
        fetch("imdb.npz")


def test_a_download_is_verified_cached_and_fetched_once(mirror, served):
    server, entry = served
    path = store.provide(entry)
    assert path == store.data_cache_dir() / "tiny.csv"
    assert store.provide(entry) == path
    assert server.requests == 1
    assert [p.name for p in path.parent.iterdir()] == ["tiny.csv"]  # no partial file left


def test_a_download_with_the_wrong_digest_is_refused_and_leaves_nothing(mirror, served):
    server, entry = served
    wrong = DataFile(entry.name, entry.urls, ("f" * 64,), "test")
    with pytest.raises(DataError, match="not a good copy of tiny.csv"):
        store.provide(wrong)
    assert not any(store.data_cache_dir().iterdir())


RACE = """
import sys
from tfexam.data import store
from tfexam.data.registry import DataFile
print(store.provide(DataFile("tiny.csv", (sys.argv[1],), (sys.argv[2],), "test")))
"""


def test_two_processes_racing_on_first_use_download_once(mirror, served):
    server, entry = served
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    racers = [subprocess.Popen([sys.executable, "-c", RACE, entry.url, entry.sha256[0]], env=env,
                               stdout=subprocess.PIPE, text=True) for _ in range(2)]
    paths = {racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert paths == {str(store.data_cache_dir() / "tiny.csv")}
    assert server.requests == 1


def test_fetch_data_offline_with_no_copy_names_the_file_and_the_fix(mirror):
    unreachable = "http://127.0.0.1:9"  # a proxy that refuses: offline, even on a machine that is not
    env = dict(os.environ, http_proxy=unreachable, https_proxy=unreachable)  # with the mirror fixture's folders
    process = subprocess.run([sys.executable, "-m", "tfexam", "fetch-data"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 1
    assert "Sunspots.csv" in process.stderr and "TFEXAM_DATA_DIR" in process.stderr
    # a question's weights are fetched; those only a learner's transfer learning reads wait for it
    assert "inception_v3_weights" in process.stderr and "vgg16_weights" not in process.stderr


def test_mnist_and_fashion_mnist_files_of_the_same_name_are_kept_apart(mirror):
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        fashion, mnist = lookup(name), lookup(f"mnist/{name}")
        assert fashion.sha256 != mnist.sha256
        assert lookup(f"https://storage.googleapis.com/cvdf-datasets/mnist/{name}") is mnist
        assert lookup(f"https://storage.googleapis.com/tensorflow/tf-keras-datasets/{name}") is fashion
    shutil.copy(shared_copy("mnist/t10k-labels-idx1-ubyte.gz"), mirror / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(DataError, match="is not a good copy of t10k-labels-idx1-ubyte.gz"):
        fetch("t10k-labels-idx1-ubyte.gz")  # MNIST's labels where Fashion-MNIST's belong are refused


def test_a_layout_copy_is_accepted_only_where_the_tests_ask_for_it(mirror, monkeypatch):
    (mirror / "small.zip").write_bytes(b"a small copy of the layout")
    digest = hashlib.sha256(b"a small copy of the layout").hexdigest()
    entry = DataFile("small.zip", ("http://example.invalid/small.zip",), ("0" * 64,), "test",
                     layout_copy_sha256=(digest,))
    with pytest.raises(DataError, match="the tests' generated copy of small.zip's layout"):
        store.provide(entry)
    monkeypatch.setenv("TFEXAM_ACCEPT_LAYOUT_COPIES", "1")
    assert store.provide(entry) == mirror / "small.zip"


def test_a_file_its_publisher_gives_only_an_md5_for_is_accepted_by_it_and_refused_naming_it(mirror):
    content = b"the weights Keras publishes"
    entry = DataFile("weights.h5", ("http://example.invalid/weights.h5",), (), "test",
                     md5=hashlib.md5(content).hexdigest())
    (mirror / "weights.h5").write_bytes(content)
    assert store.provide(entry) == mirror / "weights.h5"
    (mirror / "weights.h5").write_bytes(content[:-1])
    with pytest.raises(DataError, match=f"its md5 is [0-9a-f]{{32}}, expected {entry.md5}.* truncated, corrupt"):
        store.provide(entry)

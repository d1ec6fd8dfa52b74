"""tensorflow-datasets without a network: prepare a dataset once from the registered files.

tfds looks for a dataset's source files in its manual folder before it downloads; the verified
files are linked there, so `tfds.load("fashion_mnist")` prepares offline. tfds itself has no
lock and a second process preparing at the same time crashes, so preparation runs under ours.
"""
import os
import tempfile
from pathlib import Path

from tfexam.data.store import cache_dir, fetch, file_lock

SOURCE_FILES = {
    "fashion_mnist": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                      "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def data_dir() -> Path:
    """The tfds data_dir the grader prepares into; training processes get it as TFDS_DATA_DIR."""
    return cache_dir() / "tensorflow_datasets"


def prepare(name: str) -> Path:
    """Prepare `name` in data_dir() from the registered files, once per cache."""
    tfds = _import_tfds()
    if tfds.builder(name, data_dir=str(data_dir())).is_prepared():
        return data_dir()
    with file_lock(f"tfds-{name}"):
        builder = tfds.builder(name, data_dir=str(data_dir()))
        if not builder.is_prepared():  # nobody prepared it while we waited
            tfds.disable_progress_bar()  # about 15 s, once; progress bars would flood a CI log
            manual = _link_sources(name)
            with tempfile.TemporaryDirectory() as extract_dir:
                builder.download_and_prepare(download_config=tfds.download.DownloadConfig(
                    manual_dir=str(manual), extract_dir=extract_dir, try_download_gcs=False))
    return data_dir()


def _link_sources(name: str) -> Path:
    # tfds' default manual folder, so a plain tfds.load() in a training process finds them too
    manual = data_dir() / "downloads" / "manual"
    manual.mkdir(parents=True, exist_ok=True)
    for file_name in SOURCE_FILES[name]:
        link = manual / file_name
        link.unlink(missing_ok=True)
        os.symlink(fetch(file_name).resolve(), link)
    return manual


def _import_tfds():
    import tensorflow_datasets  # needs importlib_resources, see requirements.txt
    return tensorflow_datasets

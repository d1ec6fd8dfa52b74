"""tensorflow-datasets without a network: prepare a dataset once from the registered files.

tfds asks its download manager for the URLs a dataset builder names. Here the manager answers
from the data layer instead: each URL with the verified copy of its registered file, so the
mirror's content-verified rebuilds (whose bytes differ from tfds' own checksums) serve too.
tfds itself has no lock and a second process preparing at the same time crashes, so
preparation runs under ours.

Where a dataset has no split the learner does not train on (cats_vs_dogs has only train), the
train split prepared here leaves out a fixed share of the archive's pictures, which the grader
scores on (withheld()): as the exam scored on pictures the learner's model had never seen.
"""
import gzip
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tfexam.data.registry import lookup
from tfexam.data.store import DataError, cache_dir, extracted, fetch, file_lock

# The datasets tfexam prepares, with the URLs their builders ask for that the registry does not
# hold under that URL: what to answer instead (a registered file, or a folder holding one).
SERVED = ("fashion_mnist", "mnist", "iris", "horses_or_humans", "beans", "imdb_reviews", "cats_vs_dogs")
IRIS_ZIP_URL = "https://archive.ics.uci.edu/static/public/53/iris.zip"  # tfds 4.9 reads iris.data inside it
SUBSTITUTES = {IRIS_ZIP_URL: "iris.data"}


# cats_vs_dogs: every 25th picture by its number (PetImages/Cat/0.jpg, .../25.jpg, ...; about 930 of the
# 23,262 tfds keeps) is held out of the train split and scored on, if its first 10 bytes say JFIF (tfds
# keeps those, and a few more it finds JFIF in by peeking further). The files tfds skips stay: its
# builder insists there are exactly 1,738 of them.
CATS_VS_DOGS_ARCHIVE = "kagglecatsanddogs_5340.zip"
CATS_VS_DOGS_PICTURE = re.compile(r"^PetImages/(Cat|Dog)/(\d+)\.jpg$")
HELD_OUT_EVERY = 25


def cats_vs_dogs_held_out(name: str, header: bytes) -> bool:
    """Whether an archive member is a picture the grader keeps for scoring (header: its first bytes)."""
    picture = CATS_VS_DOGS_PICTURE.match(name)
    return picture is not None and int(picture.group(2)) % HELD_OUT_EVERY == 0 and b"JFIF" in header[:10]


@dataclass(frozen=True, kw_only=True)
class HeldOut:
    """Which members of a dataset's archive the grader keeps out of its train split to score on.

    rule names the predicate in words and is recorded beside the prepared dataset: change it with the
    predicate, and a cache prepared under the old rule is prepared again (else the grader would score on
    pictures the learner trained on).
    """
    archive: str
    is_held_out: Callable[[str, bytes], bool]
    rule: str


HELD_OUT = {"cats_vs_dogs": HeldOut(
    archive=CATS_VS_DOGS_ARCHIVE, is_held_out=cats_vs_dogs_held_out,
    rule=f"{CATS_VS_DOGS_PICTURE.pattern} numbered a multiple of {HELD_OUT_EVERY}, JFIF in its first 10 bytes")}
HELD_OUT_RULE_FILE = "tfexam-held-out.txt"  # in the prepared dataset's folder: the rule it was prepared under


def withheld(name: str) -> Iterator[tuple[str, bytes]]:
    """The held-out members of dataset `name`'s registered archive, as (member name, bytes), in archive order."""
    held_out = HELD_OUT[name]
    with zipfile.ZipFile(fetch(held_out.archive)) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                header = member.read(10)
                if held_out.is_held_out(info.filename, header):
                    yield info.filename, header + member.read()


def data_dir() -> Path:
    """The tfds data_dir the grader prepares into; training processes get it as TFDS_DATA_DIR."""
    return cache_dir() / "tensorflow_datasets"


def lendable(dataset_dir: Path) -> bool:
    """Whether a prepared dataset's folder (data_dir()/<name>) may be lent to a training, read-only: not
    one prepared under another held-out rule, which the training could not prepare again there."""
    return all(_under_todays_rule(dataset_dir.name, version) for version in dataset_dir.iterdir() if version.is_dir())


def _under_todays_rule(name: str, version_dir: Path) -> bool:
    """Whether a prepared version of dataset `name` holds out what the grader holds out today (one it
    holds nothing out of always does)."""
    if name not in HELD_OUT:
        return True
    recorded = version_dir / HELD_OUT_RULE_FILE
    return recorded.is_file() and recorded.read_text() == HELD_OUT[name].rule


def prepare(name: str) -> Path:
    """Prepare `name` in data_dir() from the registered files, once per cache."""
    prepare_builder(_import_tfds().builder(name, data_dir=str(data_dir())))
    return data_dir()


def load(name: str, split: str, **kwargs):
    """tfds.load of a split of `name`, prepared first from the registered files (for scoring, in the grader)."""
    return _import_tfds().load(name, split=split, data_dir=str(prepare(name)), **kwargs)


def prepare_builder(builder, download_and_prepare=None) -> None:
    """Prepare a builder's dataset from the registered files (download_and_prepare: tfds' own, unpatched)."""
    if _is_prepared(builder):
        return
    tfds = _import_tfds()
    with file_lock(f"tfds-{builder.name}"):
        if _is_prepared(builder):  # another process prepared it while we waited: read what it wrote
            builder.info.read_from_directory(builder.data_dir)
            return
        if builder.is_prepared():  # under another held-out rule
            shutil.rmtree(builder.data_dir)
        tfds.disable_progress_bar()  # seconds to a minute, once; progress bars would flood a CI log
        with tempfile.TemporaryDirectory() as scratch:
            _answer_from_data_layer(builder, Path(scratch))
            (download_and_prepare or type(builder).download_and_prepare)(
                builder, download_config=tfds.download.DownloadConfig(try_download_gcs=False))
        if builder.name in HELD_OUT:
            Path(builder.data_dir, HELD_OUT_RULE_FILE).write_text(HELD_OUT[builder.name].rule)


def _is_prepared(builder) -> bool:
    return builder.is_prepared() and _under_todays_rule(builder.name, Path(builder.data_dir))


def _answer_from_data_layer(builder, scratch: Path) -> None:
    """Make the builder's download manager serve registered files instead of downloading."""
    make_manager = builder._make_download_manager

    def make(*args, **kwargs):
        manager = make_manager(*args, **kwargs)
        manager.download = lambda urls: _each(urls, _local_file)
        manager.download_and_extract = lambda urls: _each(urls, lambda url: _local_extracted(url, scratch))
        if builder.name in HELD_OUT:
            manager.iter_archive = _without_held_out(manager.iter_archive, HELD_OUT[builder.name].is_held_out)
        return manager
    builder._make_download_manager = make


def _without_held_out(iter_archive, held_out):
    """tfds' iter_archive without the members withheld() yields: both judge a member by its first 10 bytes
    (peek leaves the member unread for tfds)."""
    def iter_archive_without(path):
        for name, member in iter_archive(path):
            if not held_out(name, member.peek(10)):
                yield name, member
    return iter_archive_without


def _each(urls, answer):
    """tfds passes one URL, a list or a dict of them, and expects the same shape back."""
    if isinstance(urls, dict):
        return {key: answer(url) for key, url in urls.items()}
    if isinstance(urls, (list, tuple)):
        return [answer(url) for url in urls]
    return answer(urls)


def _registered_name(url: str) -> str:
    url = str(url)
    if url in SUBSTITUTES:
        return SUBSTITUTES[url]
    entry = lookup(url)
    if entry is None:
        raise DataError(f"tensorflow-datasets asked for {url}, which is not a registered file; "
                        "grading is offline (see tfexam/data/registry.py)")
    return entry.name


def _local_file(url: str) -> Path:
    return fetch(_registered_name(url))


def _local_extracted(url: str, scratch: Path) -> Path:
    name = _registered_name(url)
    if name.endswith(".zip"):
        return extracted(name)
    if str(url) in SUBSTITUTES:  # the archive tfds expects would hold just this file
        folder = scratch / name.replace("/", "_")
        folder.mkdir(exist_ok=True)
        (folder / Path(name).name).symlink_to(fetch(name).resolve())
        return folder
    if name.endswith(".gz"):
        target = scratch / name.replace("/", "_").removesuffix(".gz")
        with gzip.open(fetch(name)) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        return target
    return fetch(name)


def _import_tfds():
    import tensorflow_datasets  # needs importlib_resources, see requirements.txt
    return tensorflow_datasets

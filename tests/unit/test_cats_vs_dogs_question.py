"""The fast tier for cats vs dogs through tensorflow-datasets (the exam's question): which of the archive's
pictures the grader holds out of the train split it prepares, the registered archive, and the small copy
of its layout that fixtures/make_cats_vs_dogs_layout.py writes, without TensorFlow."""
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, fixture_script
from tfexam.data import DataError, store, tfds_offline
from tfexam.data.registry import FILES, lookup
from tfexam.data.tfds_offline import cats_vs_dogs_held_out
from tfexam.questions import QUESTIONS
from tfexam.questions.recognise import recognise

ARCHIVE = "kagglecatsanddogs_5340.zip"
JFIF = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.fixture(scope="module")
def layout(tmp_path_factory) -> tuple[bytes, bytes]:
    """The archive's bytes from two separate runs of the script."""
    module = fixture_script("make_cats_vs_dogs_layout.py")
    first, second = (module.build(tmp_path_factory.mktemp(run))[ARCHIVE] for run in ("first", "second"))
    return first.read_bytes(), second.read_bytes()


def test_the_layout_copy_is_the_same_bytes_every_time_and_the_registry_knows_it(layout):
    first, second = layout
    assert first == second
    assert hashlib.sha256(first).hexdigest() in FILES[ARCHIVE].layout_copy_sha256, \
        f"{ARCHIVE} changed (another Pillow?): record its new sha256 in tfexam/data/registry.py"
    assert len(first) < 2_000_000


def test_the_archive_is_registered_under_tfds_url_with_the_digest_tfds_publishes():
    import tensorflow_datasets.image_classification.cats_vs_dogs as builder_module
    assert lookup(builder_module._URL) is FILES[ARCHIVE]
    checksums = Path(builder_module.__file__).parents[1] / "url_checksums" / "cats_vs_dogs.txt"
    assert FILES[ARCHIVE].sha256[0] in checksums.read_text()
    assert "cats_vs_dogs" in tfds_offline.SERVED


@pytest.mark.parametrize("name, header, held_out", [
    ("PetImages/Cat/0.jpg", JFIF, True),
    ("PetImages/Dog/12475.jpg", JFIF, True),
    ("PetImages/Dog/12476.jpg", JFIF, False),
    ("PetImages/Cat/25.jpg", b"", False),                   # tfds skips it: it must stay, for its count of 1,738
    ("PetImages/Cat/50.jpg", b"\xff\xd8\xff\xe1Exif", False),
    ("PetImages/Cat/75.jpg", b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00JFIF", False),  # the rule reads 10 bytes
    ("PetImages/Cat/Thumbs.db", JFIF, False),
    ("readme[1].txt", JFIF, False),
])
def test_every_25th_picture_tfds_keeps_is_held_out(name, header, held_out):
    assert cats_vs_dogs_held_out(name, header) is held_out


def test_the_grader_reads_the_held_out_pictures_and_leaves_tfds_its_skipped_files(mirror, layout, monkeypatch):
    (mirror / ARCHIVE).write_bytes(layout[0])
    monkeypatch.setenv("TFEXAM_ACCEPT_LAYOUT_COPIES", "1")
    held_out = dict(tfds_offline.withheld("cats_vs_dogs"))
    assert len(held_out) == 40 and {name.split("/")[1] for name in held_out} == {"Cat", "Dog"}
    assert all(data.startswith(b"\xff\xd8") and int(name.rsplit("/", 1)[1][:-4]) % 25 == 0
               for name, data in held_out.items())
    with zipfile.ZipFile(io.BytesIO(layout[0])) as archive:
        pictures = [n for n in archive.namelist() if b"JFIF" in archive.read(n)[:10]]
        skipped = [n for n in archive.namelist() if n.startswith("PetImages/") and n not in pictures]
    assert len(pictures) == 200 and len(skipped) == 1738  # what tfds' builder insists on


def test_the_tests_layout_copy_is_refused_outside_the_tests(mirror, layout):
    (mirror / ARCHIVE).write_bytes(layout[0])
    with pytest.raises(DataError, match="the tests' generated copy .* not the dataset"):
        store.fetch(ARCHIVE)


def test_its_stub_reference_and_exam_era_file_are_recognised_and_guessing_scores_nothing():
    question = QUESTIONS["cats-vs-dogs-tfds"]
    for path in (question.stub, question.reference, ROOT / "fixtures" / "solutions" / "exam_era" / f"{question.id}.py"):
        assert recognise(path) is question, path
    assert question.data_files == (ARCHIVE,) and question.ladder.thresholds[0] >= 0.5 + 0.1
    assert recognise(QUESTIONS["cats-vs-dogs"].stub) is QUESTIONS["cats-vs-dogs"]  # the course's zip: Dicoding's C3

"""The fast tier for the questions on zips of class folders (German traffic signs, hurricane damage,
cats vs dogs, and beans through tensorflow-datasets): how their files are recognised, how a copy
whose digest nobody publishes is checked by its folders, and the small copies of their layout that
fixtures/make_image_folder_layouts.py draws, without TensorFlow."""
import hashlib
import io
import zipfile

import pytest

from conftest import ROOT, fixture_script
from tfexam.data import DataError, store
from tfexam.data.registry import FILES, lookup
from tfexam.questions import QUESTIONS
from tfexam.questions.recognise import recognise

NEW = {"german-traffic-signs": ("germantrafficsigns.zip",), "hurricane-damage": ("satellitehurricaneimages.zip",),
       "cats-vs-dogs": ("cats_and_dogs_filtered.zip",), "beans": ("beans/train.zip", "beans/validation.zip",
                                                                  "beans/test.zip")}
GUESSING = {"german-traffic-signs": 1 / 43 * 3, "hurricane-damage": 0.5, "cats-vs-dogs": 0.5,  # 3: unbalanced classes
            "beans": 0.34}


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[str, tuple[bytes, bytes]]:
    """Each zip's bytes from two separate runs of the script."""
    module = fixture_script("make_image_folder_layouts.py")
    first = module.build(tmp_path_factory.mktemp("first"))
    second = module.build(tmp_path_factory.mktemp("second"))
    return {name: (first[name].read_bytes(), second[name].read_bytes()) for name in first}


def test_the_layout_copies_are_the_same_bytes_every_time_and_the_registry_knows_them(layouts):
    assert sorted(layouts) == sorted(name for names in NEW.values() for name in names)
    for name, (first, second) in layouts.items():
        assert first == second, name
        assert hashlib.sha256(first).hexdigest() in FILES[name].layout_copy_sha256, \
            f"{name} changed: record its new sha256 in tfexam/data/registry.py"
        assert len(first) < 5_000_000


def test_the_layout_copies_hold_the_folders_the_registry_checks_a_real_copy_by(layouts, tmp_path):
    unpublished = [name for name in layouts if not FILES[name].sha256]
    assert sorted(unpublished) == ["cats_and_dogs_filtered.zip", "germantrafficsigns.zip",
                                   "satellitehurricaneimages.zip"]
    for name in unpublished:
        (tmp_path / name).write_bytes(layouts[name][0])
        assert FILES[name].folders and store.zip_layout_problem(tmp_path / name, FILES[name].folders) is None


def zip_of(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_copy_with_no_published_digest_is_accepted_by_its_folders(mirror):
    folders = FILES["satellitehurricaneimages.zip"].folders
    zip_of(mirror / "satellitehurricaneimages.zip",
           {**{f"{folder}/one.jpeg": b"jpeg" for folder in folders}, "README.txt": b"other files are let be"})
    assert store.fetch("satellitehurricaneimages.zip") == mirror / "satellitehurricaneimages.zip"


def test_a_copy_missing_a_folder_is_refused_naming_it_and_the_fix(mirror):
    folders = FILES["satellitehurricaneimages.zip"].folders
    zip_of(mirror / "satellitehurricaneimages.zip", {f"{folder}/one.jpeg": b"jpeg" for folder in folders[1:]})
    with pytest.raises(DataError, match=f"it has no files in {folders[0]}.*fetch it again from https://"):
        store.fetch("satellitehurricaneimages.zip")
    (mirror / "satellitehurricaneimages.zip").write_bytes(b"half a download")
    with pytest.raises(DataError, match="it is not a zip file"):
        store.fetch("satellitehurricaneimages.zip")


def test_the_tests_layout_copy_is_refused_outside_the_tests_though_its_folders_are_right(mirror, layouts,
                                                                                           monkeypatch):
    (mirror / "cats_and_dogs_filtered.zip").write_bytes(layouts["cats_and_dogs_filtered.zip"][0])
    with pytest.raises(DataError, match="the tests' generated copy .* not the dataset"):
        store.fetch("cats_and_dogs_filtered.zip")
    monkeypatch.setenv("TFEXAM_ACCEPT_LAYOUT_COPIES", "1")
    assert store.fetch("cats_and_dogs_filtered.zip") == mirror / "cats_and_dogs_filtered.zip"


def test_dicodings_cats_and_dogs_zip_is_served_as_the_courses_file():
    for host in ("https://dicodingacademy.blob.core.windows.net/picodiploma/Simulation/machine_learning/",
                 "https://github.com/dicodingacademy/assets/raw/main/Simulation/machine_learning/"):
        assert lookup(host + "cats_and_dogs.zip") is FILES["cats_and_dogs_filtered.zip"]


@pytest.mark.parametrize("source, question", [
    ("url = 'https://storage.googleapis.com/download.tensorflow.org/data/certificate/germantrafficsigns.zip'\n",
     "german-traffic-signs"),
    ("zipfile.ZipFile('germantrafficsigns.zip', 'r').extractall()\n", "german-traffic-signs"),
    ("url = 'https://storage.googleapis.com/download.tensorflow.org/data/certificate/satellitehurricaneimages.zip'\n",
     "hurricane-damage"),
    ("u = 'https://github.com/dicodingacademy/assets/raw/main/Simulation/machine_learning/cats_and_dogs.zip'\n",
     "cats-vs-dogs"),
    ("path = tf.keras.utils.get_file('cats_and_dogs_filtered.zip', origin=URL, extract=True)\n", "cats-vs-dogs"),
])
def test_a_file_is_recognised_by_the_zip_it_loads(tmp_path, source, question):
    path = tmp_path / "mine.py"
    path.write_text(source)
    assert recognise(path) is QUESTIONS[question]


@pytest.mark.parametrize("question", NEW)
def test_its_stub_reference_and_exam_era_file_are_recognised_and_guessing_scores_nothing(question):
    for path in (QUESTIONS[question].stub, QUESTIONS[question].reference,
                 ROOT / "fixtures" / "solutions" / "exam_era" / f"{question}.py"):
        assert recognise(path) is QUESTIONS[question], path
    assert QUESTIONS[question].data_files == NEW[question]
    ladder = QUESTIONS[question].ladder
    assert ladder.thresholds[0] >= GUESSING[question] + 0.1 and ladder.thresholds == tuple(sorted(ladder.thresholds))


def test_the_traffic_signs_are_numbered_as_image_dataset_from_directory_numbers_them():
    from tfexam.questions.image_folders import SIGN_CLASSES
    assert SIGN_CLASSES[:4] == ("0", "1", "10", "11") and SIGN_CLASSES[-1] == "9" and len(SIGN_CLASSES) == 43


def test_a_layout_copy_image_is_a_png_of_the_real_folders(layouts):
    from PIL import Image
    with zipfile.ZipFile(io.BytesIO(layouts["germantrafficsigns.zip"][0])) as archive:
        names = archive.namelist()
        assert names == sorted(names) and len(names) == 43 * (30 + 6)
        assert Image.open(io.BytesIO(archive.read("train/42/42_0000.png"))).size == (32, 32)


def test_the_beans_copies_are_what_tensorflow_datasets_reads(layouts):
    """.jpg names under <split>/<class>/ (tfds' builder takes the label from the folder), 500x500 as it declares."""
    from PIL import Image
    from tfexam.questions.beans import CLASSES
    for split in ("train", "validation", "test"):
        with zipfile.ZipFile(io.BytesIO(layouts[f"beans/{split}.zip"][0])) as archive:
            names = archive.namelist()
            assert {name.rsplit("/", 1)[0] for name in names} == {f"{split}/{cls}" for cls in CLASSES}
            assert all(name.endswith(".jpg") for name in names)
            assert Image.open(io.BytesIO(archive.read(names[0]))).size == (500, 500)
    assert FILES["beans/test.zip"].sha256 == ("ca67b15d960d1e2fd9d23fd8498ce86818ead90755c630a43baf19ec4af09312",)

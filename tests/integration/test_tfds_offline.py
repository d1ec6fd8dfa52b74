"""tensorflow-datasets offline: the served datasets are prepared from the data layer's verified files."""
import dataclasses
import gzip

import numpy as np
import pytest

from conftest import FIXTURE_SOLUTIONS, SANDBOXES
from tfexam.data import fetch, tfds_offline
from tfexam.sandbox import isolation, runner
from tfexam.sandbox.spec import TrainingSpec


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def load(name: str, split: str):
    import tensorflow_datasets as tfds
    return tfds.load(name, split=split, data_dir=str(tfds_offline.data_dir()), as_supervised=True)


def test_mnist_is_prepared_from_its_own_files_not_fashion_mnists(fresh_cache):
    tfds_offline.prepare("mnist")
    labels = np.array([int(label) for _, label in load("mnist", "test")])
    with gzip.open(fetch("mnist/t10k-labels-idx1-ubyte.gz")) as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=8)
    assert len(labels) == 10_000 and np.array_equal(np.sort(labels), np.sort(raw))


def test_iris_is_prepared_from_the_classic_file_tfds_no_longer_downloads(fresh_cache):
    tfds_offline.prepare("iris")
    features = np.array([f.numpy() for f, _ in load("iris", "train")])
    assert features.shape == (150, 4)


def test_horses_or_humans_is_prepared_from_the_mirrors_content_verified_zips(fresh_cache):
    tfds_offline.prepare("horses_or_humans")
    test = [(image.shape, int(label)) for image, label in load("horses_or_humans", "test")]
    assert len(test) == 256 and {shape for shape, _ in test} == {(300, 300, 3)}
    assert np.bincount([label for _, label in test]).tolist() == [128, 128]


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_a_training_process_prepares_a_served_dataset_it_was_not_given(fresh_cache, tmp_path, sandbox):
    training = runner.train(FIXTURE_SOLUTIONS / "tfds_prepared_on_demand.py", tmp_path / "grade", 120,
                            TrainingSpec(sandbox=isolation.choose(sandbox)))
    assert training.ok, training.reason
    # Into the shared cache without namespaces; inside them, into the training's own (the cache is read-only)
    assert tfds_offline.data_dir().joinpath("iris").is_dir() == (sandbox == "process")


def test_cats_vs_dogs_train_split_leaves_out_every_picture_the_grader_scores_on(fresh_cache, layout_copies,
                                                                                 monkeypatch):
    for variable, value in layout_copies.items():
        monkeypatch.setenv(variable, value)
    held_out = {name for name, _ in tfds_offline.withheld("cats_vs_dogs")}
    train = tfds_offline.load("cats_vs_dogs", "train")
    trained_on = {example["image/filename"].numpy().decode() for example in train}
    assert len(held_out) == 40 and len(trained_on) == 160 and not trained_on & held_out


def test_a_cats_vs_dogs_prepared_under_another_held_out_rule_is_prepared_again(fresh_cache, layout_copies,
                                                                               monkeypatch):
    for variable, value in layout_copies.items():
        monkeypatch.setenv(variable, value)
    tfds_offline.prepare("cats_vs_dogs")
    every_50th = dataclasses.replace(
        tfds_offline.HELD_OUT["cats_vs_dogs"], rule="every 50th picture",
        is_held_out=lambda name, header: (tfds_offline.cats_vs_dogs_held_out(name, header)
                                          and int(tfds_offline.CATS_VS_DOGS_PICTURE.match(name).group(2)) % 50 == 0))
    monkeypatch.setitem(tfds_offline.HELD_OUT, "cats_vs_dogs", every_50th)
    held_out = {name for name, _ in tfds_offline.withheld("cats_vs_dogs")}
    trained_on = {example["image/filename"].numpy().decode()
                  for example in tfds_offline.load("cats_vs_dogs", "train")}
    assert 0 < len(held_out) < 40 and len(trained_on) == 200 - len(held_out) and not trained_on & held_out

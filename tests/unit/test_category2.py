"""The fast tier: category 2's MNIST and iris questions without TensorFlow.

Which files each recognises (and that MNIST and Fashion-MNIST files are not taken for each
other), the iris flowers held out as tfds orders them, the ladders' rungs, and the hints, with
stand-in models (plain callables from NumPy arrays to probabilities).
"""
import numpy as np
import pytest

from tfexam.questions import QUESTIONS, iris, mnist
from tfexam.questions.recognise import recognise

KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


@pytest.mark.parametrize("source, expected", [
    ("import tensorflow as tf\n(x, y), _ = tf.keras.datasets.mnist.load_data()\n", "mnist"),
    ("from tensorflow import keras\ndata = keras.datasets.mnist\n", "mnist"),
    ("from tensorflow.keras.datasets import mnist\n(x, y), _ = mnist.load_data()\n", "mnist"),
    ("from keras.datasets import fashion_mnist\n(x, y), _ = fashion_mnist.load_data()\n", "fashion-mnist"),
    ("import tensorflow_datasets as tfds\nds = tfds.load('mnist', split='train', as_supervised=True)\n", "mnist"),
    ("import tensorflow_datasets as tfds\nds = tfds.load(name='mnist:3.0.1')\n", "mnist"),
    (f"import tensorflow as tf\npath = tf.keras.utils.get_file('mnist.npz', '{KERAS_DATASETS}mnist.npz')\n", "mnist"),
    ("url = 'https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz'\n", "mnist"),
    ("import tensorflow as tf\n(x, y), _ = tf.keras.datasets.fashion_mnist.load_data()\n", "fashion-mnist"),
    ("import tensorflow_datasets as tfds\nds = tfds.load('fashion_mnist', split='train')\n", "fashion-mnist"),
    ("import tensorflow_datasets as tfds\n"
     "data = tfds.load('iris', split=tfds.Split.TRAIN.subsplit(tfds.percent[:80]))\n", "iris"),
    ("import tensorflow_datasets as tfds\ntrain, test = tfds.load('iris', split=['train[:80%]', 'train[80%:]'])\n",
     "iris"),
    ("url = 'https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data'\n", "iris"),
    ("import sklearn.datasets\nX, y = sklearn.datasets.load_iris(return_X_y=True)\n", "iris"),
])
def test_what_a_file_loads_names_its_category_2_question(tmp_path, source, expected):
    path = tmp_path / "solution_file.py"
    path.write_text(source)
    assert recognise(path) is QUESTIONS[expected]


@pytest.mark.parametrize("source", [
    # Fashion-MNIST's own files share MNIST's base names; only MNIST's folder names MNIST
    "url = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz'\n",
    f"url = '{KERAS_DATASETS}t10k-labels-idx1-ubyte.gz'\n",
    "url = 'https://storage.googleapis.com/learning-datasets/irish-lyrics-eof.txt'\n",
    "model_name = 'mnist_classifier'\n",
])
def test_look_alike_names_are_not_mnist_or_iris(tmp_path, source):
    path = tmp_path / "solution_file.py"
    path.write_text(source)
    assert recognise(path) not in (QUESTIONS["mnist"], QUESTIONS["iris"])


# --- iris: the held-out flowers ------------------------------------------------------------------

def test_the_held_out_rows_are_the_last_30_of_tfds_order():
    from tensorflow_datasets.core import hashing  # tfds orders a split's examples by their keys' hashes
    import tensorflow_datasets as tfds
    keys = sorted(range(150), key=hashing.Hasher("train").hash_key)  # iris' keys are its row numbers
    infos = {"train": tfds.core.SplitInfo(name="train", shard_lengths=[150], num_bytes=0)}
    held_out = tfds.core.ReadInstruction.from_spec("train[80%:]").to_absolute(infos)[0]
    assert (held_out.from_, held_out.to) == (120, None)
    assert tuple(keys[120:]) == iris.HELD_OUT_ROWS


def test_the_held_out_flowers_are_30_of_all_three_species_as_given():
    everything, data = iris.flowers(), iris.held_out()
    assert everything.features.shape == (150, 4) and np.bincount(everything.labels).tolist() == [50, 50, 50]
    assert data.features.shape == (30, 4) and data.features.dtype == np.float32
    assert np.bincount(data.labels).tolist() == [9, 11, 10]
    assert data.features[0].tolist() == pytest.approx([4.4, 3.2, 1.3, 0.2])  # row 42 of iris.data, a setosa
    assert data.features.max() == pytest.approx(7.7) and iris.training_features().shape == (120, 4)


@pytest.mark.parametrize("right, points", [(22, 0), (23, 0), (24, 1), (25, 2), (26, 3), (27, 4), (28, 5), (30, 5)])
def test_each_iris_rung_is_one_more_flower_right(right, points):
    labels = np.zeros(30, dtype=int)
    probabilities = np.eye(3)[np.r_[np.zeros(right, dtype=int), np.ones(30 - right, dtype=int)]]
    assert iris.LADDER.points(iris.accuracy(probabilities, labels)) == points


def lookup_model(features: np.ndarray, labels: np.ndarray, units: int = 3, order=(0, 1, 2)):
    """Answers the label of the nearest of `features` (a model that only knows inputs like those)."""
    def model(batch, training=False):
        nearest = np.argmin(((np.asarray(batch)[:, None, :] - features[None]) ** 2).sum(axis=2), axis=1)
        return np.eye(units)[np.array(order)[labels[nearest]]]
    return model


def test_a_model_that_knows_the_flowers_gets_full_marks():
    everything = iris.flowers()
    scored = iris.score(lookup_model(everything.features, everything.labels))
    assert scored.value == 1.0 and iris.LADDER.points(scored.value) == 5 and not scored.hint
    assert scored.details["confusion"]["classes"] == list(iris.SPECIES)


def test_always_one_species_scores_0_and_is_named():
    for species in range(3):
        scored = iris.score(lambda batch, training=False, s=species: np.tile(np.eye(3)[s], (len(batch), 1)))
        assert scored.value <= 11 / 30 and iris.LADDER.points(scored.value) == 0
        assert "same output for every input" in scored.hint


def test_a_model_trained_on_normalised_measurements_is_named():
    everything, train = iris.flowers(), iris.training_features()
    standardised = (everything.features - train.mean(axis=0)) / train.std(axis=0)
    scored = iris.score(lookup_model(standardised, everything.labels))
    assert scored.value < 0.8 and "normalised measurements" in scored.hint


def test_a_model_with_the_species_in_another_order_is_named():
    everything = iris.flowers()
    scored = iris.score(lookup_model(everything.features, everything.labels, order=(2, 0, 1)))
    assert iris.LADDER.points(scored.value) == 0
    assert "another order" in scored.hint and "unit 0 Iris-versicolor, unit 1 Iris-virginica, unit 2 Iris-setosa" \
        in scored.hint


def test_outputs_that_are_not_softmax_are_named_when_points_are_lost():
    everything = iris.flowers()
    setosa_missed = np.where(everything.labels == 0, 1, everything.labels)  # 21 of 30 right
    knows_less = lookup_model(everything.features, setosa_missed)
    scored = iris.score(lambda batch, training=False: 0.5 * knows_less(batch) + 0.25)  # rows sum to 1.25
    assert scored.value == pytest.approx(21 / 30) and "Dense(3, activation=tf.nn.softmax)" in scored.hint
    assert iris.score(lambda batch, training=False: knows_less(batch)).hint == ""  # softmax-like, no other hint


def test_iris_shape_and_training_hints():
    assert "Dense(3, activation=tf.nn.softmax)" in iris.shape_hint((None, 4), (None, 1))
    assert "not two units" in iris.shape_hint((None, 4), (None, 2))
    assert "(4,)" in iris.shape_hint((None, 1, 4), (None, 3))
    assert iris.shape_hint((None, 4), (None, 3)) == ""
    assert iris.QUESTION.input_problem((None, 4)) is None and iris.QUESTION.output_problem((None, 2))
    assert 'split="train[:80%]"' in iris.training_hint(
        "AttributeError: 'Split' object has no attribute 'subsplit'")
    assert "categorical_crossentropy" in iris.training_hint(
        "ValueError: Arguments `target` and `output` must have the same shape. Received: target.shape=(None, 3), "
        "output.shape=(None, 2)")
    assert iris.training_hint("MemoryError") == ""


# --- MNIST ---------------------------------------------------------------------------------------

def test_mnist_scores_its_own_test_images_not_fashion_mnists():
    from tfexam.questions import fashion
    images, labels = mnist.test_set()
    assert images.shape == (10_000, 28, 28) and images.dtype == np.float32 and 0 <= images.min() < images.max() <= 1
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert not np.array_equal(images[:10], fashion.test_set()[0][:10])


def pixel_lookup(scale: float):
    """A model that knows every test image, but only at pixels times `scale`; any other input gets a digit by hash."""
    images, labels = mnist.test_set()
    known = {(image * scale).astype(np.float32).tobytes(): label for image, label in zip(images, labels)}

    def model(batch, training=False):
        keys = [np.asarray(image, dtype=np.float32).tobytes() for image in batch]
        return np.eye(10)[[known.get(key, hash(key) % 10) for key in keys]]
    return model


def test_mnist_a_model_that_knows_the_digits_gets_full_marks():
    scored = mnist.score(pixel_lookup(scale=1))
    assert scored.value == 1.0 and mnist.LADDER.points(scored.value) == 5 and not scored.hint
    assert scored.details["confusion"]["classes"] == [str(digit) for digit in range(10)]


def test_mnist_a_model_trained_on_0_255_pixels_is_named():
    scored = mnist.score(pixel_lookup(scale=255))
    assert scored.value < 0.5 and "0-255" in scored.hint and "divide the training images by 255" in scored.hint


def test_mnist_constant_and_chance_score_0():
    for digit in range(10):
        scored = mnist.score(lambda batch, training=False, d=digit: np.tile(np.eye(10)[d], (len(batch), 1)))
        assert scored.value <= 0.1135 and mnist.LADDER.points(scored.value) == 0


def test_mnist_shape_and_training_hints():
    assert "(28,28)" in mnist.shape_hint((None, 28, 28, 1), (None, 10))
    assert "Flatten" in mnist.shape_hint((None, 784), (None, 10))
    assert "Dense(10" in mnist.shape_hint((None, 28, 28), (None, 1))
    assert mnist.shape_hint((None, 28, 28), (None, 10)) == ""
    assert mnist.QUESTION.input_problem((32, 28, 28)) is None and mnist.QUESTION.input_problem((None, 28, 28, 1))
    assert "sparse_categorical_crossentropy" in mnist.training_hint(
        "ValueError: Arguments `target` and `output` must have the same shape. Received: target.shape=(None,), "
        "output.shape=(None, 10)")
    assert mnist.training_hint("MemoryError") == ""


def test_both_questions_are_category_2_with_their_data_and_stubs():
    for question in (mnist.QUESTION, iris.QUESTION):
        assert question.slot.folder == "fashion" and question.ladder.higher_is_better
        assert list(question.ladder.thresholds) == sorted(question.ladder.thresholds)
        assert question.stub.is_file() and question.reference.is_file()
    assert "mnist.npz" in mnist.QUESTION.data_files and "mnist/t10k-images-idx3-ubyte.gz" in mnist.QUESTION.data_files
    assert iris.QUESTION.data_files == ("iris.data",)

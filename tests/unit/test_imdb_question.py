"""The fast tier for the IMDB reviews question: how its files are recognised, the grader's copy of
the question's text block, and the small copy of the archive fixtures/make_imdb_layout.py writes,
without TensorFlow."""
import gzip
import hashlib
import io
import re
import tarfile

import pytest

from conftest import ROOT, fixture_script
from tfexam.data.registry import FILES, lookup
from tfexam.questions import QUESTIONS, imdb
from tfexam.questions.recognise import recognise

QUESTION = QUESTIONS["imdb-reviews"]


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> tuple[bytes, bytes]:
    module = fixture_script("make_imdb_layout.py")
    return tuple(module.build(tmp_path_factory.mktemp(run))["aclImdb_v1.tar.gz"].read_bytes()
                 for run in ("first", "second"))


def test_the_layout_copy_is_the_same_bytes_every_time_and_the_registry_knows_it(archives):
    first, second = archives
    assert first == second
    assert hashlib.sha256(first).hexdigest() in FILES["aclImdb_v1.tar.gz"].layout_copy_sha256, \
        "aclImdb_v1.tar.gz's copy changed: record its new sha256 in tfexam/data/registry.py"


def test_the_layout_copy_holds_what_tensorflow_datasets_reads(archives):
    """tfds' imdb_reviews takes aclImdb/<split>/<neg|pos|unsup>/*.txt from a gzipped tar."""
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(archives[0]))) as tar:
        names = tar.getnames()
    folders = {name.rsplit("/", 1)[0] for name in names}
    assert folders == {f"aclImdb/{folder}" for folder in ("train/pos", "train/neg", "train/unsup", "test/pos",
                                                         "test/neg")}
    assert all(re.fullmatch(r"aclImdb/.+/\d+_\d+\.txt", name) for name in names)


def test_the_archive_is_registered_under_tfds_url_with_its_published_digest():
    entry = lookup("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz")
    assert entry is FILES["aclImdb_v1.tar.gz"]
    assert entry.sha256 == ("c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",)


@pytest.mark.parametrize("source", [
    'imdb, info = tfds.load("imdb_reviews", with_info=True, as_supervised=True)\n',
    "train = tfds.load('imdb_reviews', split='train')\n",
    "path = tf.keras.utils.get_file('aclImdb_v1.tar.gz', 'https://ai.stanford.edu/~amaas/data/sentiment/"
    "aclImdb_v1.tar.gz', untar=True)\n",
])
def test_a_file_is_recognised_by_what_it_loads(tmp_path, source):
    path = tmp_path / "mine.py"
    path.write_text(source)
    assert recognise(path) is QUESTION


def test_its_stub_reference_and_exam_era_file_are_recognised_and_guessing_scores_nothing():
    for path in (QUESTION.stub, QUESTION.reference, ROOT / "fixtures" / "solutions" / "exam_era" / "imdb-reviews.py"):
        assert recognise(path) is QUESTION, path
    assert QUESTION.ladder.thresholds[0] >= 0.5 + 0.15


def test_the_grader_tokenizes_as_the_stubs_block_does():
    block = QUESTION.stub.read_text()
    for line in (f"vocab_size = {imdb.VOCAB_SIZE}", f"max_length = {imdb.MAX_LENGTH}",
                 f"trunc_type = '{imdb.TRUNC_TYPE}'", f'oov_tok = "{imdb.OOV_TOKEN}"'):
        assert line in block
    assert "pad_sequences(sequences, maxlen=max_length, truncating=trunc_type)" in block  # padding: 'pre'

"""The fast tier: the dataset registry and the store's checks, on files made in tmp_path.

tests/unit/test_data_layer.py covers fetching (mirrors, cache, downloads, locks) with the real files.
"""
import hashlib
import json
import zipfile

import pytest

from tfexam.data.registry import FILES, DataFile, lookup
from tfexam.data.store import DataError, _extract, _verified, content_sha256_of

SUNSPOTS = "https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv"
ZALANDO = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz"


def test_every_file_is_found_by_its_name_and_each_of_its_urls():
    for name, entry in FILES.items():
        assert lookup(name) is entry
        assert all(lookup(url) is entry for url in entry.urls)


def test_the_canonical_url_is_the_first():
    assert FILES["Sunspots.csv"].url == SUNSPOTS


def test_an_https_request_finds_a_file_registered_over_http():
    assert lookup(ZALANDO.replace("http://", "https://")) is FILES["t10k-labels-idx1-ubyte.gz"]


@pytest.mark.parametrize("suffix", ["?raw=true", "#section", "?a=1&b=2#top"])
def test_query_strings_and_fragments_are_ignored_over_http_and_https(suffix):
    assert lookup(SUNSPOTS + suffix) is FILES["Sunspots.csv"]
    assert lookup(SUNSPOTS.replace("https://", "http://") + suffix) is FILES["Sunspots.csv"]
    assert lookup(ZALANDO.replace("http://", "https://") + suffix) is FILES["t10k-labels-idx1-ubyte.gz"]


@pytest.mark.parametrize("unknown", ["imdb.npz", "sunspots.csv", "Sunspots", SUNSPOTS + "x",
                                     "ftp://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv"])
def test_anything_else_is_not_registered(unknown):
    assert lookup(unknown) is None


# --- digests ----------------------------------------------------------------------------------

RECORDS = [{"headline": "a man walks into a bar", "is_sarcastic": 1}, {"headline": "it rains", "is_sarcastic": 0}]


def write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_the_content_digest_ignores_whitespace_and_key_order(tmp_path):
    compact = write(tmp_path / "compact.json", json.dumps(RECORDS, separators=(",", ":")).encode())
    spaced = write(tmp_path / "spaced.json", json.dumps(RECORDS, indent=4).encode())
    reordered = write(tmp_path / "reordered.json", json.dumps([dict(reversed(r.items())) for r in RECORDS]).encode())
    assert content_sha256_of(compact) == content_sha256_of(spaced) == content_sha256_of(reordered)


def test_the_content_digest_changes_with_the_records(tmp_path):
    one = write(tmp_path / "one.json", json.dumps(RECORDS).encode())
    other = write(tmp_path / "other.json", json.dumps(RECORDS[:1]).encode())
    assert content_sha256_of(one) != content_sha256_of(other)


def test_the_content_digest_of_a_file_that_is_not_json_matches_nothing(tmp_path):
    assert content_sha256_of(write(tmp_path / "broken.json", b'[{"headline": ')) == "not valid JSON"


def entry_for(*digests, content_sha256=None) -> DataFile:
    return DataFile("records.json", ("https://example.com/records.json", "https://mirror.example.com/records.json"),
                    digests, "test", content_sha256=content_sha256)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_any_accepted_digest_verifies_a_file(tmp_path):
    path = write(tmp_path / "records.json", b"[]")
    assert _verified(path, entry_for("0" * 64, sha256(b"[]"))) == sha256(b"[]")


def test_a_wrong_file_is_refused_naming_its_digest_every_accepted_one_and_the_url(tmp_path):
    path = write(tmp_path / "records.json", b"[1]")
    with pytest.raises(DataError) as error:
        _verified(path, entry_for("a" * 64, "b" * 64))
    message = str(error.value)
    assert f"{path} is not a good copy of records.json" in message
    assert f"its sha256 is {sha256(b'[1]')}, expected {'a' * 64} or {'b' * 64}" in message
    assert "fetch it again from https://example.com/records.json" in message


def test_a_rebuild_with_other_whitespace_is_accepted_by_its_records(tmp_path):
    canonical = write(tmp_path / "canonical.json", json.dumps(RECORDS).encode())
    rebuild = write(tmp_path / "records.json", json.dumps(RECORDS, indent=2).encode())
    entry = entry_for(sha256(canonical.read_bytes()), content_sha256=content_sha256_of(canonical))
    assert _verified(rebuild, entry) == sha256(rebuild.read_bytes())


def test_other_records_are_refused_even_with_a_content_digest(tmp_path):
    canonical = write(tmp_path / "canonical.json", json.dumps(RECORDS).encode())
    other = write(tmp_path / "records.json", json.dumps(RECORDS[:1]).encode())
    with pytest.raises(DataError, match="is not a good copy of records.json"):
        _verified(other, entry_for(sha256(canonical.read_bytes()), content_sha256=content_sha256_of(canonical)))


# --- zips -------------------------------------------------------------------------------------

def archive(tmp_path, *names: str):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            zf.writestr(zipfile.ZipInfo(name), f"contents of {name}")
    return path


def test_a_zip_is_extracted_without_macos_metadata(tmp_path):
    _extract(archive(tmp_path, "horses/horse01.png", "humans/human01.png", "__MACOSX/horses/._horse01.png"),
             tmp_path / "out")
    found = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert found == ["horses/horse01.png", "humans/human01.png"]
    assert (tmp_path / "out" / "horses" / "horse01.png").read_text() == "contents of horses/horse01.png"


@pytest.mark.parametrize("unsafe", ["../escaped.txt", "horses/../../escaped.txt", "/tmp/escaped.txt"])
def test_a_zip_with_a_path_outside_its_folder_is_refused(tmp_path, unsafe):
    path = archive(tmp_path, "horses/horse01.png", unsafe)
    with pytest.raises(DataError) as error:
        _extract(path, tmp_path / "out")
    assert str(error.value) == f"{path} holds an unsafe path {unsafe!r}; refusing to extract it"
    assert not (tmp_path / "escaped.txt").exists()

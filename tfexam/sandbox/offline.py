"""Inside the training process: registered dataset URLs are served locally, the rest is refused at once.

Exam-era solutions download their data inside solution_model() with urllib.request.urlretrieve,
urllib.request.urlopen or tf.keras.utils.get_file (all three go through urllib's global opener,
which is replaced here), with requests, or through tensorflow-datasets. Registered files are
served from the data layer; anything else fails within seconds, naming the dataset, instead of
retrying for minutes against a network that is closed. Other clients (sockets) meet the closed
network gate.
"""
import email.message
import os
from pathlib import Path
import urllib.error
import urllib.request
import urllib.response

from tfexam.data import DataError, fetch, network, tfds_offline
from tfexam.data.registry import EXAM_DATASETS_NOT_SERVED, lookup
from tfexam.sandbox.import_hooks import after_import

OFFLINE_REASON = ("grading is offline: a solution may download only the exam's registered datasets "
                  "(see tfexam/data/registry.py)")


class DatasetNotServed(OSError):
    """A dataset the grader cannot provide offline; the message names it."""


def not_served(name_or_url: str) -> str:
    """Why a download fails: what the dataset is, if the exam used it, and that grading is offline."""
    name = name_or_url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    known = EXAM_DATASETS_NOT_SERVED.get(name) or EXAM_DATASETS_NOT_SERVED.get(name.split(":")[0].split("/")[0])
    if known:
        return (f"{name_or_url} is {known}, which no tfexam question serves yet; {OFFLINE_REASON}. "
                "Grade this file when its question is added, or change it to a question tfexam has")
    return f"{name_or_url} is not a registered dataset URL; {OFFLINE_REASON}"


class RegisteredDatasets(urllib.request.BaseHandler):
    """Answers http(s) requests for registered dataset URLs from the data layer."""

    def http_open(self, request):
        url = request.full_url
        path = _registered_file(url, urllib.error.URLError)
        headers = email.message.Message()
        headers["Content-Length"] = str(path.stat().st_size)
        headers["Content-Type"] = "application/octet-stream"
        response = urllib.response.addinfourl(open(path, "rb"), headers, url, 200)
        response.msg = "OK"  # type: ignore[attr-defined]  # what urlopen's callers read
        return response

    https_open = http_open


def _registered_file(url: str, error_class):
    if lookup(url) is None:
        raise error_class(not_served(url))
    try:
        return fetch(url)
    except DataError as error:
        raise error_class(str(error)) from error


def _serve_requests(adapters) -> None:
    """requests.get(url) of a registered file reads it from the data layer; any other URL fails at once."""
    import requests

    def send(adapter, request, **kwargs):
        path = _registered_file(request.url, lambda message: requests.ConnectionError(message, request=request))
        response = requests.Response()
        response.status_code, response.reason, response.url, response.request = 200, "OK", request.url, request
        response.headers["Content-Length"] = str(path.stat().st_size)
        response.raw = open(path, "rb")
        return response
    adapters.HTTPAdapter.send = send


def _serve_tfds(dataset_builder) -> None:
    """tfds.load() of a dataset tfexam serves prepares it from the data layer (the question's own is
    ready before training starts); any other fails at once instead of retrying downloads."""
    prepare = dataset_builder.DatasetBuilder.download_and_prepare

    def download_and_prepare(builder, *args, **kwargs):
        if builder.is_prepared():
            return prepare(builder, *args, **kwargs)
        if builder.name not in tfds_offline.SERVED:
            raise DatasetNotServed(f"tfds.load({builder.name!r}): " + not_served(builder.name))
        if Path(builder.data_dir_root).resolve() != tfds_offline.data_dir().resolve():
            raise DatasetNotServed(
                f"tfds.load({builder.name!r}) looked in {builder.data_dir_root}: the grader prepares "
                f"{builder.name} in {os.environ.get('TFDS_DATA_DIR')}; leave out data_dir= so tfds finds it")
        tfds_offline.prepare_builder(builder, prepare)
    dataset_builder.DatasetBuilder.download_and_prepare = download_and_prepare


def install() -> None:
    opener = urllib.request.OpenerDirector()
    for handler in (RegisteredDatasets(), urllib.request.FileHandler(), urllib.request.DataHandler(),
                    urllib.request.UnknownHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    urllib.request.install_opener(opener)
    network.close(OFFLINE_REASON)
    after_import("requests.adapters", _serve_requests)
    after_import("tensorflow_datasets.core.dataset_builder", _serve_tfds)

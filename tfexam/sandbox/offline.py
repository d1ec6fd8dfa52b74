"""Inside the training process: registered dataset URLs are served locally, the rest is refused.

Exam-era solutions download their data inside solution_model() with urllib.request.urlretrieve,
urllib.request.urlopen or tf.keras.utils.get_file; all three go through urllib's global opener,
which is replaced here. Other clients (sockets, requests) meet the closed network gate.
"""
import email.message
import urllib.error
import urllib.request
import urllib.response

from tfexam.data import DataError, fetch, network
from tfexam.data.registry import lookup

OFFLINE_REASON = ("grading is offline: a solution may download only the exam's registered datasets "
                  "(see tfexam/data/registry.py)")


class RegisteredDatasets(urllib.request.BaseHandler):
    """Answers http(s) requests for registered dataset URLs from the data layer."""

    def http_open(self, request):
        url = request.full_url
        if lookup(url) is None:
            raise urllib.error.URLError(f"{url} is not a registered dataset URL; {OFFLINE_REASON}")
        try:
            path = fetch(url)
        except DataError as error:
            raise urllib.error.URLError(str(error)) from error
        headers = email.message.Message()
        headers["Content-Length"] = str(path.stat().st_size)
        headers["Content-Type"] = "application/octet-stream"
        response = urllib.response.addinfourl(open(path, "rb"), headers, url, 200)
        response.msg = "OK"
        return response

    https_open = http_open


def install() -> None:
    opener = urllib.request.OpenerDirector()
    for handler in (RegisteredDatasets(), urllib.request.FileHandler(), urllib.request.DataHandler(),
                    urllib.request.UnknownHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    urllib.request.install_opener(opener)
    network.close(OFFLINE_REASON)

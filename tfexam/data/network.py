"""A gate on outgoing connections, closed inside the training sandbox.

Grading is offline and reproducible: a solution may only reach registered datasets, which the
data layer serves. The data layer itself may still download a registered file it lacks.
"""
import contextlib
import socket
import threading

_state = threading.local()
_closed_reason = None
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


class NetworkBlocked(OSError):
    """Raised for a connection a solution tries to open while grading."""


def _allowed() -> bool:
    return _closed_reason is None or getattr(_state, "data_layer", False)


def _check(sock, address):
    if not _allowed() and sock.family in (socket.AF_INET, socket.AF_INET6):
        raise NetworkBlocked(f"network access to {address[0]} is blocked: {_closed_reason}")


def _connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def _connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


def close(reason: str) -> None:
    """From now on, connections outside the data layer fail with this reason."""
    global _closed_reason
    _closed_reason = reason
    socket.socket.connect = _connect  # type: ignore[method-assign]  # the point: every socket's connect
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]


@contextlib.contextmanager
def data_layer_connections():
    previous = getattr(_state, "data_layer", False)
    _state.data_layer = True
    try:
        yield
    finally:
        _state.data_layer = previous

"""Where a class's units are graded: worker threads on this machine, or a Dask cluster's workers.

Both take a unit and give back a future of units.grade(unit); the heavy work is the grader's own
pytest run in a subprocess, so a thread per local worker is enough. On Dask each unit asks for its
training's threads as the resource CPU, which every worker declares (`dask worker ADDRESS
--nthreads N --resources CPU=N`), so no worker runs more trainings than it has cores for.
"""
import concurrent.futures
from collections.abc import Iterable, Iterator

from tfexam.classes.gradebook import units

CONNECT_SECONDS = 5  # a scheduler that is not there fails in seconds, not after the default 30


class EngineError(Exception):
    """The engine cannot grade here; the message says why and what to do."""


class LocalEngine:
    """`--workers N` trainings at once on this machine."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="tfexam-class")

    def describe(self) -> str:
        return f"{self.workers} local worker{'s' * (self.workers > 1)}"

    def submit(self, unit: units.Unit):
        return self.pool.submit(units.grade, unit)

    def finished(self, futures: Iterable) -> Iterator:
        return concurrent.futures.as_completed(list(futures))

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class DaskEngine:
    """A Dask distributed cluster at `address` (tcp://HOST:PORT)."""

    def __init__(self, address: str, threads_per_training: int):
        try:
            from distributed import Client
        except ImportError:
            raise EngineError("--scheduler needs Dask: pip install 'tfexam[class]' (dask distributed)") from None
        try:
            self.client = Client(address, timeout=f"{CONNECT_SECONDS}s")
        except (OSError, TimeoutError) as error:
            raise EngineError(f"cannot reach the Dask scheduler at {address} ({error}): start one with "
                              "`dask scheduler`, and workers with `dask worker ADDRESS --nthreads N "
                              "--resources CPU=N`") from None
        self.address, self.threads = address, threads_per_training
        self._check_workers()

    def _check_workers(self) -> None:
        workers = self.client.scheduler_info().get("workers", {})
        able = [w for w in workers.values() if w.get("resources", {}).get("CPU", 0) >= self.threads]
        if not able:
            self.client.close()
            raise EngineError(f"no worker of the Dask scheduler at {self.address} declares the resource "
                              f"CPU={self.threads} a training needs ({len(workers)} workers): start each with "
                              f"`dask worker {self.address} --nthreads N --resources CPU=N`, N its cores")

    def describe(self) -> str:
        return f"the Dask scheduler at {self.address}"

    def submit(self, unit: units.Unit):
        return self.client.submit(units.grade, unit, resources={"CPU": self.threads}, pure=False)

    def finished(self, futures: Iterable) -> Iterator:
        from distributed import as_completed
        return iter(as_completed(list(futures)))

    def close(self) -> None:
        self.client.close()

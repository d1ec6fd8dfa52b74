"""Find a registered file: mirror folders, then the user's cache, then the canonical URL.

Every file is checked against its accepted sha256 digests before anyone reads it (a zip whose
digest nobody publishes, against the folders it must hold: registry.DataFile.folders; a file whose
publisher gives only an md5, against that: registry.DataFile.md5). Downloads
go to a temporary name and are renamed into place only once verified, under a lock, so two
pytest-xdist workers never fetch the same file twice and nobody ever sees a partial file.
"""
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import urllib.request
import zipfile
from pathlib import Path

from tfexam.data import network
from tfexam.data.registry import DataFile, lookup

DATA_DIR_VAR = "TFEXAM_DATA_DIR"
CACHE_DIR_VAR = "TFEXAM_CACHE_DIR"
LAYOUT_COPIES_VAR = "TFEXAM_ACCEPT_LAYOUT_COPIES"  # "1": the tests' small generated copies count (registry.py)
_CHUNK = 1 << 20


class DataError(Exception):
    """A dataset file could not be provided; the message says which and how to fix it."""


def mirror_dirs() -> list[Path]:
    """The folders named by TFEXAM_DATA_DIR, a path list like PATH."""
    value = os.environ.get(DATA_DIR_VAR, "")
    return [Path(p).expanduser() for p in value.split(os.pathsep) if p]


def cache_dir() -> Path:
    root = os.environ.get(CACHE_DIR_VAR) or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tfexam"
    return Path(root).expanduser()


def data_cache_dir() -> Path:
    return cache_dir() / "data"


def sha256_of(path: Path) -> str:
    return _digest(path, hashlib.sha256())


def md5_of(path: Path) -> str:
    """Only for a file whose publisher gives no sha256 (registry.DataFile.md5)."""
    return _digest(path, hashlib.md5(usedforsecurity=False))


def _digest(path: Path, digest) -> str:
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def registered(name_or_url: str) -> DataFile:
    entry = lookup(name_or_url)
    if entry is None:
        raise DataError(f"{name_or_url!r} is not a dataset the grader knows; "
                        "see tfexam/data/registry.py for the files it provides")
    return entry


def fetch(name_or_url: str) -> Path:
    """The local path of a verified copy of a registered file (by file name or canonical URL)."""
    return provide(registered(name_or_url))


def provide(entry: DataFile) -> Path:
    return _located(entry)[0]


def _located(entry: DataFile) -> tuple[Path, str]:
    """A verified copy of `entry` and its sha256, hashed once."""
    for folder in mirror_dirs():
        if (folder / entry.name).is_file():
            return folder / entry.name, _verified(folder / entry.name, entry)
    cached = data_cache_dir() / entry.name
    if cached.is_file():
        return cached, _verified(cached, entry)
    with file_lock(f"{entry.name}.download"):
        if cached.is_file():  # another process fetched it while we waited
            return cached, _verified(cached, entry)
        return cached, _download(entry, cached)


def where(name: str) -> str:
    """Where a registered file would come from now: "mirror", "cache", or "download"."""
    entry = registered(name)
    if any((folder / entry.name).is_file() for folder in mirror_dirs()):
        return "mirror"
    return "cache" if (data_cache_dir() / entry.name).is_file() else "download"


def content_sha256_of(path: Path) -> str:
    """The digest of a JSON file's records, independent of its whitespace and key order."""
    try:
        records = json.loads(path.read_bytes())
    except ValueError:
        return "not valid JSON"
    canonical = json.dumps(records, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def accepted_digests(entry: DataFile) -> tuple[str, ...]:
    layout_copies = entry.layout_copy_sha256 if os.environ.get(LAYOUT_COPIES_VAR) == "1" else ()
    return entry.sha256 + layout_copies


def _verified(path: Path, entry: DataFile) -> str:
    """The file's sha256, if it is an accepted copy of `entry`; DataError otherwise."""
    found = sha256_of(path)
    if found in accepted_digests(entry):
        return found
    if entry.md5 and md5_of(path) == entry.md5:
        return found
    if found in entry.layout_copy_sha256:
        raise DataError(f"{path} is the tests' generated copy of {entry.name}'s layout, not the "
                        f"dataset; delete it and fetch the real file from {entry.url}")
    if entry.folders:
        if problem := zip_layout_problem(path, entry.folders):
            raise DataError(f"{path} is not a good copy of {entry.name}: {problem}. Nobody publishes its digest, so "
                            f"it is checked by its folders; delete it and fetch it again from {entry.url}")
        return found
    if not (entry.content_sha256 and content_sha256_of(path) == entry.content_sha256):
        digests = (f"its md5 is {md5_of(path)}, expected {entry.md5}" if entry.md5 else
                   f"its sha256 is {found}, expected {' or '.join(entry.sha256)}")
        raise DataError(
            f"{path} is not a good copy of {entry.name}: {digests}. The file is truncated, corrupt or another version; "
            f"delete it and fetch it again from {entry.url}")
    return found


def zip_layout_problem(path: Path, folders: tuple[str, ...]) -> str | None:
    """What keeps the zip at `path` from holding files in each of `folders`; None if nothing.

    Other files are let be: nobody here has seen the real zips, which may carry a readme or a script."""
    try:
        with zipfile.ZipFile(path) as archive:
            files = [name for name in archive.namelist() if not name.endswith("/") and not name.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, OSError) as error:
        return f"it is not a zip file ({error})"
    holding = {name.rsplit("/", 1)[0] for name in files if "/" in name}
    if empty := [folder for folder in folders if folder not in holding]:
        return f"it has no files in {', '.join(empty[:3])}{' ...' if len(empty) > 3 else ''}"
    return None


def _download(entry: DataFile, target: Path) -> str:
    """Download a verified copy of `entry` to `target`; its sha256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    failures = []
    for url in entry.urls:
        try:
            _stream(url, partial)
            digest = _verified(partial, entry)
            os.replace(partial, target)
            return digest
        except (OSError, DataError) as error:
            failures.append(f"{url}: {error}")
        finally:
            partial.unlink(missing_ok=True)
    mirrors = os.environ.get(DATA_DIR_VAR) or "(not set)"
    raise DataError(
        f"{entry.name} is needed but no copy was found. It is not in {DATA_DIR_VAR}={mirrors} "
        f"nor in the cache {target.parent}, and downloading failed:\n  " + "\n  ".join(failures) +
        f"\nFix: on a machine with internet, download {entry.url} and put it in a folder "
        f"named by {DATA_DIR_VAR}, or run once online so it is cached.")


def _stream(url: str, partial: Path) -> None:
    opener = urllib.request.build_opener()  # not the global opener, which the sandbox replaces
    with network.data_layer_connections(), opener.open(url, timeout=60) as response, open(partial, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        done, shown = 0, -1
        while chunk := response.read(_CHUNK):
            out.write(chunk)
            done += len(chunk)
            percent = done * 100 // total if total else -1
            if percent // 10 > shown:
                shown = percent // 10
                print(f"tfexam: downloading {url} {done >> 20} MiB ({percent}%)", file=sys.stderr)


def extracted(name_or_url: str) -> Path:
    """A folder with the contents of a registered zip, extracted once into the cache."""
    entry = registered(name_or_url)
    archive, digest = _located(entry)
    target = data_cache_dir() / "extracted" / f"{entry.name.replace('/', '_').removesuffix('.zip')}-{digest[:12]}"
    if target.is_dir():
        return target
    with file_lock(f"{entry.name}.extract"):
        if not target.is_dir():
            partial = target.with_name(f".{target.name}.{os.getpid()}.part")
            shutil.rmtree(partial, ignore_errors=True)
            _extract(archive, partial)
            os.replace(partial, target)
    return target


def _extract(archive: Path, into: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            name = Path(member.filename)
            if name.is_absolute() or ".." in name.parts:
                raise DataError(f"{archive} holds an unsafe path {member.filename!r}; refusing to extract it")
            if name.parts and name.parts[0] == "__MACOSX":
                continue
            zf.extract(member, into)


@contextlib.contextmanager
def file_lock(name: str):
    """An exclusive lock shared by every process using this cache (xdist workers, trainers)."""
    locks = cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name.replace('/', '_')}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

"""Crash-safe files: written to a temporary beside their final name and renamed into place.

A rename within one folder is atomic, so a reader sees the old file or the new one, never a
partial one. Every temporary carries its writer's process id, so the next start removes those
of writers that were killed part-way; the database's replaced versions are kept as snapshots.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

import duckdb

from analytics.errors import DatabaseError, UnsafeFolderError


def write_atomically(db_path: Path, fill, *, before_replace=None) -> None:
    """Fill a new database with ``fill(con)`` in a temporary file, then rename it over the old one.

    A rename within one directory is atomic, so readers see the old file or the new one, never a
    partial one; if ``fill`` raises, the old file is untouched and the temporary file removed. A
    process killed mid-build cannot clean up after itself: its temporary file carries its process
    id, and the next build removes the files of processes no longer running.

    ``before_replace()`` runs once the new database is complete and before the rename: an import
    journals itself there, so only an entry whose build has succeeded is ever journalled.

    Raises
    ------
    DatabaseError
        If DuckDB refuses the data (a last line of defence: every row was validated before).
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(db_path)
    fd, tmp_name = tempfile.mkstemp(prefix=temporary_prefix(db_path), dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB refuses to open an empty file as a database
    try:
        con = duckdb.connect(str(tmp))
        try:
            fill(con)
            con.execute("checkpoint")
        except (duckdb.Error, OverflowError) as exc:
            raise DatabaseError(
                f"{db_path}: the database could not be built ({exc.__class__.__name__}: "
                f"{str(exc)[:300]}); the previous database is kept"
            ) from exc
        finally:
            con.close()
        if before_replace is not None:
            before_replace()
        _keep_snapshot(db_path)
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            if leftover.exists():
                leftover.unlink()


TMP_MARK = ".tmp-"  # ratings.duckdb.tmp-<pid>-<random>[.wal]


def temporary_prefix(final: Path) -> str:
    """The name a temporary file for ``final`` starts with: it carries this process's id."""
    return f"{Path(final).name}{TMP_MARK}{os.getpid()}-"


def remove_stale_temporaries(final: Path) -> list[Path]:
    """Delete the temporary files of writers whose process has died (killed part-way).

    ``final`` is the file they were to become; its name may be a glob (``imports/import-*.json``
    sweeps the journal's). Files of a running process (another writer under way) are left alone.
    Returns what was removed.
    """
    final = Path(final)
    removed = []
    for path in final.parent.glob(f"{final.name}{TMP_MARK}*"):
        pid_text = path.name.split(TMP_MARK, 1)[1].split("-", 1)[0]
        if not (pid_text.isascii() and pid_text.isdigit()) or _process_alive(int(pid_text)):
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue  # another process cleaned it first
        except OSError:
            break  # a read-only folder: nothing can be cleaned here
        removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


SNAPSHOTS_KEPT = 3


def snapshots_dir(db_path: Path) -> Path:
    """The folder beside ``db_path`` that holds its snapshots."""
    return Path(db_path).with_name(Path(db_path).name + ".snapshots")


def _keep_snapshot(db_path: Path) -> None:
    """Keep the database about to be replaced (a hard link: no copy), and the last few before it."""
    if not db_path.exists():
        return
    folder = snapshots_dir(db_path)
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{db_path.stem}-{stamp}.duckdb"
    try:
        os.link(db_path, target)
    except OSError:
        shutil.copy2(db_path, target)  # another file system, or links not allowed
    for old in sorted(folder.glob(f"{db_path.stem}-*.duckdb"))[:-SNAPSHOTS_KEPT]:
        old.unlink()


def write_json(path: Path, entry: dict) -> None:
    """Write ``entry`` as JSON to ``path`` atomically (fsynced, then renamed into place)."""
    # The temporary carries this process's id: if it is killed here, the next start removes it.
    fd, tmp = tempfile.mkstemp(prefix=temporary_prefix(path), dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(entry, handle, indent=1, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def private_dir(path: Path) -> Path:
    """``path`` as a folder only this process's user can enter (mode 0700), made if missing.

    A folder that already exists is used only when it is a real folder (not a link) owned by
    this user and closed to everyone else: in a shared temporary folder another local user could
    otherwise have made it first, and planted files in it.

    Raises
    ------
    UnsafeFolderError
        A PermissionError: if the folder exists and is not this user's private folder
        (nothing is used).
    """
    path = Path(path)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700, parents=False)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolderError(f"{path} is not a folder (a link or a file is there)")
    if info.st_uid != os.geteuid():
        raise UnsafeFolderError(f"{path} belongs to another user (uid {info.st_uid})")
    if info.st_mode & 0o077:
        raise UnsafeFolderError(f"{path} is open to other users (mode {info.st_mode & 0o777:o})")
    return path


def private_temp_dir(*names: str) -> Path:
    """A private folder of this user's in the temporary folder (``probation-ratings-UID``),
    and private sub-folders ``names`` in it; see :func:`private_dir`.
    """
    path = private_dir(Path(tempfile.gettempdir()) / f"probation-ratings-{os.geteuid()}")
    for name in names:
        path = private_dir(path / name)
    return path

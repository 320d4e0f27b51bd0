"""Writing outputs safely: a temporary file renamed into place, never over one of the inputs, and
never half-written or left behind when the tool is interrupted (SIGINT, SIGTERM, SIGHUP).

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     out = save_atomically(lambda tmp: pathlib.Path(tmp).write_text("x"), pathlib.Path(d) / "a.txt", "file")
...     out.read_text(), is_one_of(out, [str(out)]), sorted(p.name for p in pathlib.Path(d).iterdir())
('x', True, ['a.txt'])
"""
from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import signal
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterable

from .errors import McdaError

# The signals that stop the tool cleanly: each raises Interrupted, which unwinds through save_atomically's
# cleanup. SIGHUP (the terminal closed) where the platform has it.
STOP_SIGNALS = tuple(getattr(signal, s) for s in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, s))
_written: list[tuple[str, Path]] = []  # (what, path) of every file save_atomically put in place in this process
_stopping: list[int] = []  # the signal being handled, once one has arrived
_holding: list[bool] = []  # non-empty during a step that a signal must not cut in two (_held)
_deferred: list[int] = []  # a signal that arrived during such a step, raised when the step is done
_hushed: list[bool] = []  # non-empty once the command is done or is saying it was interrupted: signals do nothing
_saved: dict = {}  # the handlers stop_cleanly replaced, put back by let_go
_at_exit: list[bool] = []  # the shutdown handler is registered


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException, so that no ``except Exception`` swallows it and every
    ``finally`` and cleanup on the way out runs; the command line turns it into one line and
    the exit status 128 + the signal's number (130 for SIGINT, 143 for SIGTERM)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.status = 128 + signum


def _on_signal(signum, frame) -> None:
    """Python runs this in the main thread, between two steps of Python code, whichever thread the signal hit.

    Every signal raises (the first one's name and status), so a second one stops a run whose first
    Interrupted a library swallowed; a held step (_held) is never cut in two, it raises when done.
    """
    if _hushed:
        return
    if not _stopping:
        _stopping.append(signum)
    if _holding:
        if not _deferred:
            _deferred.append(_stopping[0])
        return
    raise Interrupted(_stopping[0])


def stop_cleanly() -> None:
    """Install the handlers (the command line's entry point calls this first; let_go undoes it).

    A signal that was ignored when the tool started (``nohup``, a background job) stays ignored.
    """
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover - signals are main-thread only
        return
    for state in (_written, _stopping, _deferred, _hushed):
        state.clear()
    for s in STOP_SIGNALS:
        handler = signal.getsignal(s)
        if handler in (signal.SIG_DFL, signal.default_int_handler):
            _saved[s] = handler
            signal.signal(s, _on_signal)


def hush() -> None:
    """From now on a stop signal does nothing: the command is done, or is saying that it was interrupted."""
    _hushed.append(True)


def let_go() -> None:
    """The command is over: put back the handlers stop_cleanly found (a caller in the same process, such
    as a test, keeps its own), and ignore the stop signals during the interpreter's shutdown, which
    would otherwise put back the default handlers and let a late signal kill a finished run (ignored
    signals stay ignored through it)."""
    hush()
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        return
    for s, handler in _saved.items():
        if signal.getsignal(s) is _on_signal:
            signal.signal(s, handler)
    _saved.clear()
    if not _at_exit:
        _at_exit.append(True)
        atexit.register(_ignore_stop_signals)


def _ignore_stop_signals() -> None:
    for s in STOP_SIGNALS:
        if signal.getsignal(s) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(s, signal.SIG_IGN)


def check_stopped() -> None:
    """Raise Interrupted again if a stop signal has arrived: nothing is written after one, even when its
    Interrupted was swallowed on the way (by a library's bare ``except:``, as PuLP's around ``import highspy``)."""
    if _stopping:
        raise Interrupted(_stopping[0])


def written() -> list[tuple[str, Path]]:
    """(what, path) of every file save_atomically put in place in this process, in order."""
    return list(_written)


@contextlib.contextmanager
def _held():
    """Hold the stop signals during a step that must not be cut in two (creating the temporary file and
    noting its name; renaming it into place and noting that; removing it): a signal that arrives meanwhile
    raises Interrupted when the step is done, so the cleanup always knows what to remove.

    A flag, not the thread's signal mask: the process has other threads (OpenBLAS, HiGHS) that the
    kernel may deliver the signal to, and Python runs the handler in the main thread whatever.
    """
    _holding.append(True)
    try:
        yield
    finally:
        _holding.pop()
    if _deferred and not _holding:
        raise Interrupted(_deferred.pop())


def is_one_of(path: Path, inputs: Iterable[str]) -> bool:
    """Whether ``path`` names one of ``inputs``: the same path, or the same file (a link to it)."""
    resolved = path.resolve()
    for inp in inputs:
        p = Path(inp)
        if resolved == p.resolve():
            return True
        try:
            if path.exists() and p.exists() and os.path.samefile(path, p):
                return True
        except OSError:
            pass
    return False


def check_folder(path: str | Path, what: str) -> Path:
    """Refuse an output whose folder does not exist or does not take a new file, before any work is done
    (a long run must not end in "cannot write"). A file is created there and removed at once: the only
    test that also sees read-only file systems and what ``os.access`` does not (e.g. for root)."""
    out = Path(path)
    folder = out.parent
    where = str(path)
    if folder.exists() and not folder.is_dir():
        raise McdaError(f"{folder} is a file, not a folder", where=where, fix=f"Write the {what} into a folder.")
    if not folder.is_dir():
        raise McdaError(f"the folder {folder} does not exist", where=where, fix="Create it or choose another.")
    fix = f"Choose a folder you can write to (or change its permissions) for the {what}."
    if not os.access(folder, os.W_OK | os.X_OK):
        raise McdaError(f"the folder {folder} is not writable (permission denied)", where=where, fix=fix)
    tmp = ""
    try:
        with _held():
            fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
            os.close(fd)
    except OSError as e:
        raise McdaError(f"the folder {folder} does not take a new file ({e.strerror or e})", where=where,
                        fix=fix) from None
    finally:
        with _held():
            _unlink(tmp)
    return out


def save_atomically(save: Callable[[str], None], out: Path, what: str) -> Path:
    """``save(tmp)`` into a temporary file beside ``out``, then rename it into place.

    An existing ``out`` is replaced whole or not at all; no temporary file is left
    behind, even when a stop signal arrives at any moment (see ``_held``); the new file gets
    the usual permissions (not mkstemp's 0600).
    """
    check_stopped()
    tmp = ""
    try:
        with _held():
            fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
            os.close(fd)
        save(tmp)
        check_stopped()  # a signal whose Interrupted the save swallowed
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        with _held():
            os.replace(tmp, out)
            tmp = ""
            _written.append((what, out))
    except OSError as e:
        with _held():
            _unlink(tmp)
        raise McdaError(f"cannot write the {what} ({e.strerror or e})", where=str(out),
                        fix="Check that the folder is writable and the file is not open in another program.") from None
    except BaseException:
        with _held():
            _unlink(tmp)
        raise
    return out


def _unlink(path: str) -> None:
    try:
        if path:
            os.unlink(path)
    except OSError:
        pass


def sha256(path: str) -> str:
    """The SHA-256 of a file's bytes, or why it cannot be read now."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as e:
        return f"(not readable now: {e.strerror})"
    return h.hexdigest()

"""Writing outputs safely: a temporary file renamed into place, never over one of the inputs.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     out = save_atomically(lambda tmp: pathlib.Path(tmp).write_text("x"), pathlib.Path(d) / "a.txt", "file")
...     out.read_text(), is_one_of(out, [str(out)]), sorted(p.name for p in pathlib.Path(d).iterdir())
('x', True, ['a.txt'])
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

from .errors import McdaError


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


def save_atomically(save: Callable[[str], None], out: Path, what: str) -> Path:
    """``save(tmp)`` into a temporary file beside ``out``, then rename it into place.

    An existing ``out`` is replaced whole or not at all; no temporary file is left
    behind; the new file gets the usual permissions (not mkstemp's 0600).
    """
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        os.close(fd)
        save(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, out)
    except OSError as e:
        _unlink(tmp)
        raise McdaError(f"cannot write the {what} ({e.strerror or e})", where=str(out),
                        fix="Check that the folder is writable and the file is not open in another program.") from None
    except BaseException:
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

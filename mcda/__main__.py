"""python -m mcda (the same entry point as the ``mcda`` command, mcda.cli:main)."""
import sys

from .files import Interrupted, stop_cleanly

stop_cleanly()  # before the command line's imports: a stop signal from the first moment ends cleanly
try:
    from .cli import main
except Interrupted as e:  # pragma: no cover - a signal within the first tenth of a second
    sys.stderr.write(f"Interrupted ({e.name}): nothing was written.\n")
    sys.exit(e.status)

if __name__ == "__main__":
    main()

"""Build the portal and its translations: `make build` runs this. MkDocs and ProperDocs build each
language in a process of its own, side by side; Zensical, which runs no MkDocs hooks, gets the
engine's build steps (macros/build.py) around it."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.build import main  # noqa: E402

if __name__ == "__main__":  # not in a worker process, which imports this file again
    raise SystemExit(main())

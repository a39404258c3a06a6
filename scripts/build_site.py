"""Build the portal with a site generator that runs no MkDocs hooks (Zensical): the engine's
build steps (macros/build.py) around it. `make build ENGINE=zensical` runs this."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.dont_write_bytecode = True

from macros.build import main  # noqa: E402

if __name__ == "__main__":  # not in a worker process, which imports this file again
    raise SystemExit(main())

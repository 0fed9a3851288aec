"""``python -m povlib``: the command line (:mod:`povlib.cli`)."""
from povlib.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

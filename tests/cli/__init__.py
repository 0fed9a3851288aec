"""The command line, in-process (``povlib.cli.main``) except where the process itself is tested."""

"""The test suite, in four tiers (see ``tests/conftest.py``)."""

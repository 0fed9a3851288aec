"""povlib unit, property and consistency tests."""

"""Helpers shared by the tiers: sample review files, AppTest and browser helpers."""

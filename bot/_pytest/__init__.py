"""Internals of the pytest plugin."""

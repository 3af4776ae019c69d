"""pytest plugin (entry point `pytest11`): runbook fixtures for smoke tests. Filled in by the smoke-suite work."""

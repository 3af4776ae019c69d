"""Shared test set-up. The browser comes from the bot's own pytest plugin (bot/pytest_plugin.py):
pytest-playwright's fixtures, launched with the Chromium the bot would choose."""

"""Shared test set-up. The browser comes from the bot's own pytest plugin (bot/pytest_plugin/):
pytest-playwright's fixtures, launched with the Chromium the bot would choose. The simulators'
fixtures (`simulators` once per session, `sims` reset for each test) and pytester are declared
here, once, for every suite."""

pytest_plugins = ["bot_sim.pytest_fixtures", "pytester"]

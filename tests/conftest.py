"""Shared test set-up. The browser: pytest-playwright's fixtures, launched with the Chromium the
bot would choose; this suite opts in to that explicitly (`bot.pytest_plugin.launch`), because the
bot's plugin leaves other sessions' browsers alone. The simulators' fixtures (`simulators` once
per session, `sims` reset for each test) and pytester are declared here, once, for every suite."""

pytest_plugins = ["bot_sim.pytest_fixtures", "pytester", "bot.pytest_plugin.launch"]

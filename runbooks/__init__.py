"""The built-in runbooks. This folder ships inside the wheel as the data package `bot.runbooks`
(pyproject.toml maps it); `bot.app.catalog.builtin_runbooks()` finds it, installed or editable."""

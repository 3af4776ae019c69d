"""The built-in actions, one module per domain; importing this package registers them."""

from bot.steps import assertions, data, flow, interaction, navigation
from bot.steps._errors import classify

__all__ = ["assertions", "classify", "data", "flow", "interaction", "navigation"]

"""The built-in actions, one module per domain, registered into `BUILTIN`; and the page services
(`PlaywrightServices`) the engine uses around them."""

from bot.steps import assertions, data, flow, interaction, navigation
from bot.steps._builtin import BUILTIN
from bot.steps.page import PlaywrightServices

__all__ = [
    "BUILTIN",
    "PlaywrightServices",
    "assertions",
    "data",
    "flow",
    "interaction",
    "navigation",
]

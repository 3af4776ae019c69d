"""`python -m bot` is `bot`."""

from bot.cli import main

main()

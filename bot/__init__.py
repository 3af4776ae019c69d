"""runbook-bot: support runbooks in real browsers."""

"""Platform adapters: console, Slack and Discord, around the core in `bot`."""

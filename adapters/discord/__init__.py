"""The Discord adapter (discord.py 2.x): slash commands and buttons over the core services."""

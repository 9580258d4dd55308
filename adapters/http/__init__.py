"""The bot's own HTTP server (aiohttp): Telegram's webhook, `/healthz` and `/metrics`."""

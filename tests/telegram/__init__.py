"""Telegram adapter tests, through python-telegram-bot against a fake Bot API server."""

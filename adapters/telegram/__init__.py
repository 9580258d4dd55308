"""The Telegram adapter: render neutral screens as Bot API messages (HTML parse mode)."""

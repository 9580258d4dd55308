"""The console adapter: study in a terminal, or script the quiz through piped stdin."""

"""`python -m bot` is the `quizbot` command."""

from bot.cli import main

main()

"""One learner's review of due and new cards: question → reveal → rate → next."""

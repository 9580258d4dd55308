"""Daily review pushes at each chat's local time."""

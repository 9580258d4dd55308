"""A learner's study settings: the menu they change them with, and the service behind it."""

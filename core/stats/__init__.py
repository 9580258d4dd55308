"""Learner statistics and chat leaderboards: figures, the service that gathers them, their
screens and chart.

Deliberately imports nothing: `core.ports` imports `core.stats.repository`, and the service
imports `core.ports`.
"""

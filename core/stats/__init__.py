"""Learner statistics and chat leaderboards: figures, the service that gathers them, their
screens and the chart's words (`adapters/stats_chart.py` draws it).

Deliberately imports nothing: `core.ports` imports `core.stats.repository`, and the service
imports `core.ports`.
"""

"""The bot's Prometheus metrics, one registry per process (per test, too), counted at the shared
seams: each platform's update dispatch, the store's commits of review logs, push delivery and the
Telegram transport that sees 429s."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Handler latency buckets (seconds): a button answered in tens of ms, a deck import in seconds.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class _PushAttempt:
    """Set while one push is being sent: a 429 seen meanwhile means the push was retried."""

    rate_limited = False


_current_push: contextvars.ContextVar[_PushAttempt | None] = contextvars.ContextVar(
    "quizbot_current_push", default=None
)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.updates = Counter(
            "quizbot_updates_handled",
            "Updates (Telegram) and interactions (Discord) handled, by platform and kind",
            ["platform", "kind"],
            registry=registry,
        )
        self.handler_seconds = Histogram(
            "quizbot_handler_seconds",
            "Time from an update's dispatch to its handler's end, by platform",
            ["platform"],
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.ratings = Counter(
            "quizbot_ratings_recorded",
            "Ratings committed to the review log (reviews and group quizzes)",
            registry=registry,
        )
        self.pushes_sent = Counter(
            "quizbot_pushes_sent", "Daily pushes delivered", ["platform"], registry=registry
        )
        self.pushes_failed = Counter(
            "quizbot_pushes_failed", "Daily pushes given up", ["platform"], registry=registry
        )
        self.pushes_retried = Counter(
            "quizbot_pushes_retried",
            "Daily pushes sent again after a 429 (delivered or not)",
            ["platform"],
            registry=registry,
        )
        self.rate_limited = Counter(
            "quizbot_rate_limited_responses",
            "Platform API responses with status 429",
            ["platform"],
            registry=registry,
        )

    @contextmanager
    def handling(self, platform: str, kind: str) -> Iterator[None]:
        """Count one update of `kind` and time its handling (failed ones too)."""
        self.updates.labels(platform, kind).inc()
        started = time.perf_counter()
        try:
            yield
        finally:
            self.handler_seconds.labels(platform).observe(time.perf_counter() - started)

    @contextmanager
    def push(self, platform: str) -> Iterator[_PushAttempt]:
        """One push's sending; the caller counts it sent or failed, this counts a retry."""
        attempt = _PushAttempt()
        token = _current_push.set(attempt)
        try:
            yield attempt
        finally:
            _current_push.reset(token)
            if attempt.rate_limited:
                self.pushes_retried.labels(platform).inc()

    def push_done(self, platform: str, delivered: bool) -> None:
        (self.pushes_sent if delivered else self.pushes_failed).labels(platform).inc()

    def saw_rate_limit(self, platform: str) -> None:
        """A 429 from the platform's API (the caller's limiter retries it)."""
        self.rate_limited.labels(platform).inc()
        attempt = _current_push.get()
        if attempt is not None:
            attempt.rate_limited = True

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return generate_latest(self.registry)

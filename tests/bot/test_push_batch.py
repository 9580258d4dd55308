"""How many pushes one claim leases: with the next batch claimed while one is sent, two batches
at Telegram's 30/s go out well before a push's send-by (half the lease)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.run import MAX_PUSH_BATCH, SEND_RATE, push_batch
from core.reminders.service import DEFAULT_LEASE


@pytest.mark.parametrize(
    ("lease_seconds", "batch"), [(0.1, 1), (4, 15), (40, 150), (300, MAX_PUSH_BATCH)]
)
def test_a_batch_is_an_eighth_of_the_lease_at_30_per_second(
    lease_seconds: float, batch: int
) -> None:
    assert push_batch(timedelta(seconds=lease_seconds)) == batch


@pytest.mark.parametrize("lease_seconds", [4, 40, 300, 3600])
def test_a_batch_and_the_one_claimed_ahead_are_sent_within_a_quarter_of_the_lease(
    lease_seconds: float,
) -> None:
    lease = timedelta(seconds=lease_seconds)
    assert 2 * push_batch(lease) / SEND_RATE <= lease.total_seconds() / 4
    assert push_batch(DEFAULT_LEASE) == MAX_PUSH_BATCH

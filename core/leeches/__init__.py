"""Leech rescue: cards a learner keeps forgetting are flagged at the rating; the learner can add
a personal hint (shown under the question) or suspend the card (out of their queue)."""

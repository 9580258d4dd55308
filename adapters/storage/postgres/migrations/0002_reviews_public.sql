-- A learner's choice to show their reviews to the whole channel in Discord servers
-- (reviews there are private to the learner by default).
ALTER TABLE learners ADD COLUMN reviews_public INTEGER NOT NULL DEFAULT 0
    CHECK (reviews_public IN (0, 1));

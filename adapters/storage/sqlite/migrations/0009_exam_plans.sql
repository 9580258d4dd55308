-- Exam plans (core.planning): per learner and deck, the new cards per day and desired retention
-- that apply until exam_day (ISO date, exclusive); target is the recall percent planned for.
CREATE TABLE exam_plans (
    learner_id BIGINT NOT NULL REFERENCES learners (id),
    deck_id TEXT NOT NULL REFERENCES decks (id) ON DELETE CASCADE,
    exam_day TEXT NOT NULL,
    new_per_day INTEGER NOT NULL,
    desired_retention REAL NOT NULL,
    target INTEGER NOT NULL,
    PRIMARY KEY (learner_id, deck_id)
);

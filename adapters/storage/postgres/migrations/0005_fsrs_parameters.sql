-- A learner's personal FSRS parameters (core.personal). claimed_at (milliseconds UTC) is the
-- compare-and-set value of every save, so several workers fit a learner once. parameters: a
-- JSON list of 21 floats; NULL with fitted_on NULL means the defaults. enabled 0: the learner
-- chose the defaults and the weekly refit leaves them alone.
CREATE TABLE fsrs_parameters (
    learner_id BIGINT PRIMARY KEY REFERENCES learners (id),
    claimed_at BIGINT NOT NULL,
    parameters TEXT,
    fitted_on TEXT,
    reviews_used INTEGER NOT NULL CHECK (reviews_used >= 0),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
);
CREATE INDEX fsrs_parameters_claimed ON fsrs_parameters (claimed_at);

-- Leech rescue (core.leeches): per learner and card, a personal hint shown under the question
-- and the instant the learner suspended the card (NULL: in their queue).
CREATE TABLE card_flags (
    learner_id BIGINT NOT NULL REFERENCES learners (id),
    card_id TEXT NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    hint TEXT,
    suspended_at BIGINT,
    PRIMARY KEY (learner_id, card_id)
);
CREATE INDEX card_flags_suspended ON card_flags (learner_id, suspended_at);
-- The one hint the bot is waiting for from a learner: their next message in chat_id (NULL: in
-- any chat) before expires_at (milliseconds UTC).
CREATE TABLE hint_prompts (
    learner_id BIGINT PRIMARY KEY REFERENCES learners (id),
    card_id TEXT NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
    chat_id BIGINT,
    expires_at BIGINT NOT NULL
);

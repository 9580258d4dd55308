-- Reviews imported from elsewhere (an Anki package's revlog: "anki:REVLOG-ID:CARD-KEY") carry a
-- key unique per learner, so importing the same history again adds nothing twice. NULL for the
-- bot's own reviews, which the (source, source_id, learner_id, card_id, step) key guards.
ALTER TABLE review_log ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX review_log_import_key ON review_log (learner_id, import_key);

-- An uploaded Anki package whose history the uploader was asked about ("Add your Anki review
-- history?"), kept until they answer (core.decks.history_offers): the file, not its parsed rows,
-- which are many times larger. Offers older than an hour are deleted when a new one is made.
CREATE TABLE history_offers (
    id BIGINT PRIMARY KEY,
    learner_id BIGINT NOT NULL REFERENCES learners (id),
    deck_id TEXT NOT NULL,
    deck_name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX history_offers_created ON history_offers (created_at);

-- Reviews imported from elsewhere (an Anki package's revlog: "anki:REVLOG-ID:CARD-KEY") carry a
-- key unique per learner, so importing the same history again adds nothing twice. NULL for the
-- bot's own reviews, which the (source, source_id, learner_id, card_id, step) key guards.
ALTER TABLE review_log ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX review_log_import_key ON review_log (learner_id, import_key);

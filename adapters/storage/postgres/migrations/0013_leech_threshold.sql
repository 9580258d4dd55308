-- A learner's leech threshold (core.leeches): the lapses that make a card a leech, as Anki's
-- deck option; 6 (Anki's default) for everyone until they choose, 3-20 allowed.
ALTER TABLE learners ADD COLUMN leech_threshold INTEGER NOT NULL DEFAULT 6
    CHECK (leech_threshold BETWEEN 3 AND 20);

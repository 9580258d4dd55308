-- A hash of what a deck's last save contained (core.decks.content_hash), so a start-up whose
-- bundled decks are unchanged writes nothing. NULL: saved before this column; the next start
-- saves the bundled decks once more and records it.
ALTER TABLE decks ADD COLUMN content_hash TEXT;

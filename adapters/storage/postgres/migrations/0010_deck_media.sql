-- The media files a deck's cards name ([image: heart.png]): the name as the cards say it, and the
-- content id under which the media store (MEDIA_DIR) keeps the bytes. Replaced with the deck.
CREATE TABLE deck_media (
    deck_id TEXT NOT NULL REFERENCES decks (id),
    name TEXT NOT NULL,
    content_id TEXT NOT NULL,
    media_type TEXT NOT NULL,
    PRIMARY KEY (deck_id, name)
);
